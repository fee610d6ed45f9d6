// SPDX-License-Identifier: GPL-3.0-or-later
#include "tracker/message_filter.h"

#include "participants/participant.h"

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
        && mpan.trimmed().isEmpty() && status.trimmed().isEmpty() && anyId.trimmed().isEmpty() && text.isEmpty();
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
    if (!f.status.isEmpty() && s.status != f.status && !s.deliveryStatuses.contains(f.status))
        return false;
    if (!f.anyId.isEmpty() && s.correlationId != f.anyId && s.transactionId != f.anyId
        && s.senderUniqueReference != f.anyId && !s.deliveryTransactionIds.contains(f.anyId))
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

QStringList knownStatuses()
{
    return {QStringLiteral("GoodToGo"),      QStringLiteral("Pending"),  QStringLiteral("Delivered"),
            QStringLiteral("Retrying"),      QStringLiteral("Paused"),   QStringLiteral("RejectedByRecipient"),
            QStringLiteral("RetriesExhausted"), QStringLiteral("DeliveryFailure")};
}

} // namespace dipwb::tracker
