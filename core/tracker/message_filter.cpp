// SPDX-License-Identifier: GPL-3.0-or-later
#include "tracker/message_filter.h"

#include "common/dip_time.h"
#include "common/json_util.h"
#include "participants/participant.h"

#include <algorithm>
#include <iterator>

namespace dipwb::tracker {
namespace {

bool containsAscii(const QString &haystack, const QString &needle)
{
    return haystack.contains(needle, Qt::CaseInsensitive);
}

} // namespace

bool MessageFilter::isEmpty() const
{
    return channel.trimmed().isEmpty() && eventCode.trimmed().isEmpty() && senderDipId.trimmed().isEmpty() && recipientDipId.trimmed().isEmpty()
        && mpan.trimmed().isEmpty() && status.trimmed().isEmpty() && anyId.trimmed().isEmpty() && text.isEmpty() && fromMs == 0
        && toMs == 0 && role.trimmed().isEmpty() && environment.trimmed().isEmpty() && replay == Replay::Any
        && stage.trimmed().isEmpty();
}

MessageFilter MessageFilter::normalised() const
{
    MessageFilter f;
    f.channel = channel.trimmed().isEmpty() ? QString() : participants::normaliseChannelId(channel);
    f.eventCode = eventCode.trimmed();
    if (!f.eventCode.isEmpty() && !f.eventCode.startsWith(QLatin1Char('[')))
        f.eventCode = QLatin1Char('[') + f.eventCode + QLatin1Char(']');
    f.senderDipId = senderDipId.trimmed();
    f.recipientDipId = recipientDipId.trimmed();
    f.mpan = mpan.trimmed();
    f.status = status.trimmed();
    f.anyId = anyId.trimmed();
    f.text = text;
    f.fromMs = fromMs;
    f.toMs = toMs;
    f.role = role.trimmed().toUpper();
    f.environment = environment.trimmed().toUpper();
    f.replay = replay;
    f.stage = stage.trimmed();
    // The stage as the journal spells it, whatever case was typed.
    for (const QString &known : knownStages())
        if (known.compare(f.stage, Qt::CaseInsensitive) == 0)
            f.stage = known;
    return f;
}

bool MessageFilter::matches(const MessageSummary &s) const
{
    const MessageFilter f = normalised();
    if (!f.channel.isEmpty() && s.channel.compare(f.channel, Qt::CaseInsensitive) != 0)
        return false;
    if (!f.eventCode.isEmpty() && s.eventCode.compare(f.eventCode, Qt::CaseInsensitive) != 0)
        return false;
    if (!f.senderDipId.isEmpty() && s.senderDipId != f.senderDipId)
        return false;
    if (!f.recipientDipId.isEmpty() && !s.recipientDipIds.contains(f.recipientDipId))
        return false;
    if (!f.mpan.isEmpty() && s.mpan != f.mpan)
        return false;
    if (!f.stage.isEmpty()) {
        const bool hit = std::any_of(s.journalSteps.cbegin(), s.journalSteps.cend(), [&](const QString &step) {
            const QString stage = step.section(QLatin1Char('/'), 0, 0), status = step.section(QLatin1Char('/'), 1);
            return stage.compare(f.stage, Qt::CaseInsensitive) == 0 && (f.status.isEmpty() || status == f.status);
        });
        if (!hit)
            return false;
    } else if (!f.status.isEmpty() && s.status != f.status && !s.deliveryStatuses.contains(f.status)) {
        return false;
    }
    if (!f.anyId.isEmpty() && s.correlationId != f.anyId && s.transactionId != f.anyId
        && s.senderUniqueReference != f.anyId && !s.deliveryTransactionIds.contains(f.anyId))
        return false;
    if (f.fromMs && s.receivedMs < f.fromMs)
        return false;
    if (f.toMs && s.receivedMs >= f.toMs)
        return false;
    if (!f.role.isEmpty() && s.senderRole.compare(f.role, Qt::CaseInsensitive) != 0
        && !s.recipientRoles.contains(f.role, Qt::CaseInsensitive))
        return false;
    if (!f.environment.isEmpty() && s.environment.compare(f.environment, Qt::CaseInsensitive) != 0)
        return false;
    if (f.replay == Replay::Replayed && s.replays == 0)
        return false;
    if (f.replay == Replay::NotReplayed && s.replays > 0)
        return false;
    if (!f.text.isEmpty()) {
        const QString &t = f.text;
        const bool hit = containsAscii(s.channel, t) || containsAscii(s.eventCode, t) || containsAscii(s.senderDipId, t)
            || containsAscii(s.mpan, t) || containsAscii(s.correlationId, t) || containsAscii(s.transactionId, t)
            || containsAscii(s.senderUniqueReference, t) || containsAscii(s.routing, t)
            || containsAscii(QString::fromUtf8(s.payload), t);
        if (!hit)
            return false;
    }
    return true;
}

namespace {

// The saved form: one key per field, only the fields in use.
const char *const kTextKeys[] = {"channel", "eventCode", "senderDipId", "recipientDipId", "mpan", "status",
                                 "anyId", "text", "role", "environment", "stage"};

QString *textField(MessageFilter &f, int i)
{
    QString *fields[] = {&f.channel, &f.eventCode, &f.senderDipId, &f.recipientDipId, &f.mpan, &f.status,
                         &f.anyId, &f.text, &f.role, &f.environment, &f.stage};
    return fields[i];
}

} // namespace

QByteArray MessageFilter::toJson() const
{
    MessageFilter copy = *this;
    OJson j = OJson::object();
    for (int i = 0; i < int(std::size(kTextKeys)); ++i)
        if (const QString *v = textField(copy, i); !v->isEmpty())
            j[kTextKeys[i]] = ss(*v);
    if (fromMs)
        j["fromMs"] = fromMs;
    if (toMs)
        j["toMs"] = toMs;
    if (replay != Replay::Any)
        j["replay"] = replay == Replay::Replayed ? "replayed" : "notReplayed";
    return qb(j.dump());
}

std::optional<MessageFilter> MessageFilter::fromJson(const QByteArray &json, QString *why)
{
    const auto fail = [&](const QString &reason) -> std::optional<MessageFilter> {
        if (why)
            *why = reason;
        return std::nullopt;
    };
    const OJson j = OJson::parse(json.constData(), json.constData() + json.size(), nullptr, false);
    if (!j.is_object())
        return fail(QStringLiteral("not a JSON object"));
    MessageFilter f;
    for (const auto &[key, value] : j.items()) {
        const auto known = std::find_if(std::begin(kTextKeys), std::end(kTextKeys), [&](const char *k) { return key == k; });
        if (known != std::end(kTextKeys)) {
            if (!value.is_string())
                return fail(QStringLiteral("%1: %2, must be a string").arg(qs(key), jsonTypeName(value)));
            *textField(f, int(known - std::begin(kTextKeys))) = qs(value.get<std::string>());
        } else if (key == "fromMs" || key == "toMs") {
            if (!value.is_number_integer() || value.get<qint64>() < 0)
                return fail(QStringLiteral("%1: must be a non-negative whole number of milliseconds").arg(qs(key)));
            (key == "fromMs" ? f.fromMs : f.toMs) = value.get<qint64>();
        } else if (key == "replay") {
            const std::string v = value.is_string() ? value.get<std::string>() : std::string();
            if (v != "replayed" && v != "notReplayed")
                return fail(QStringLiteral("replay: must be 'replayed' or 'notReplayed'"));
            f.replay = v == "replayed" ? Replay::Replayed : Replay::NotReplayed;
        } else {
            return fail(QStringLiteral("unknown field '%1'").arg(qs(key)));
        }
    }
    return f;
}

QString MessageFilter::describe() const
{
    const MessageFilter f = normalised();
    QStringList parts;
    const auto add = [&](const char *name, const QString &value) {
        if (!value.isEmpty())
            parts << QStringLiteral("%1 %2").arg(QLatin1String(name), value);
    };
    add("channel", f.channel);
    add("event", f.eventCode);
    add("sender", f.senderDipId);
    add("recipient", f.recipientDipId);
    add("MPAN", f.mpan);
    add("stage", f.stage);
    add("status", f.status);
    add("id", f.anyId);
    add("text", f.text);
    add("role", f.role);
    add("environment", f.environment);
    if (f.fromMs)
        add("from", dt::formatDt003Utc(f.fromMs));
    if (f.toMs)
        add("before", dt::formatDt003Utc(f.toMs));
    if (f.replay != Replay::Any)
        parts << (f.replay == Replay::Replayed ? QStringLiteral("replayed") : QStringLiteral("never replayed"));
    return parts.join(QStringLiteral(", "));
}

QStringList knownStatuses()
{
    return {QStringLiteral("GoodToGo"),      QStringLiteral("Pending"),  QStringLiteral("Delivered"),
            QStringLiteral("Retrying"),      QStringLiteral("Paused"),   QStringLiteral("RejectedByRecipient"),
            QStringLiteral("RetriesExhausted"), QStringLiteral("DeliveryFailure")};
}

QStringList knownStages()
{
    return {QStringLiteral("Inbound"), QStringLiteral("MPANUpdateQueue"), QStringLiteral("Addressing"),
            QStringLiteral("Outbound"), QStringLiteral("StatusMessage")};
}

} // namespace dipwb::tracker
