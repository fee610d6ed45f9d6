// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/dip_time.h"
#include "envelope/message_check.h"

// The S1 checks: who sends, when, and with which reference.
namespace dipwb::envelope::detail {

namespace {

// Index of each S1 key in kS1Keys, and which of them may be null.
enum S1Key { EnvironmentTag, SubText, SenderUniqueReference, SenderTimestamp, SenderDipId, SenderRoleId,
             SenderCorrelationId, ConnectionProviderId, S1KeyCount };
constexpr bool kS1Nullable[S1KeyCount] = {false, true, false, false, false, false, true, true};

bool isCapitals(const QString &s, int min, int max)
{
    if (s.size() < min || s.size() > max)
        return false;
    for (QChar c : s)
        if (c < QLatin1Char('A') || c > QLatin1Char('Z'))
            return false;
    return true;
}

bool isPrintable(const QString &s)
{
    for (QChar c : s) {
        const char16_t u = c.unicode();
        if (u < 0x80 ? (u < 0x20 || u == 0x7f) : !c.isPrint())
            return false;
    }
    return true;
}

bool isEnvironmentTag(const std::string &s)
{
    return s == "DEV" || s == "SIT" || s == "SITB" || s == "UIT" || s == "PRD";
}

QString durationText(qint64 ms)
{
    const qint64 s = ms / 1000;
    return s >= 60 ? QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60) : QStringLiteral("%1 s").arg(s);
}

} // namespace

void MessageCheck::checkS1(const OJson &common)
{
    const OJson *s1 = objectBlock(common, "S1", QStringLiteral("CommonBlock.S1"),
                                  QStringLiteral("required: S1 identifies the sender and the message"));
    if (!s1)
        return;
    rejectUnknownKeys(*s1, kS1Keys, "CommonBlock.S1", "S1");
    const QString missing = QStringLiteral("required: all eight S1 keys must be present, subText, "
                                           "senderCorrelationID and DIPConnectionProviderID as null when unused");
    const std::string *v[S1KeyCount];
    for (int k = 0; k < S1KeyCount; ++k)
        v[k] = stringField(*s1, kS1Keys[k], "CommonBlock.S1", kS1Nullable[k], missing);

    if (v[EnvironmentTag]) {
        m_m.environmentTag = qs(*v[EnvironmentTag]);
        if (!isEnvironmentTag(*v[EnvironmentTag]))
            schema(QStringLiteral("CommonBlock.S1.environmentTag"),
                   QStringLiteral("\"%1\" is not an environment tag: DEV, SIT, SITB, UIT or PRD")
                       .arg(m_m.environmentTag));
        else if (!m_ctx.environment.isEmpty() && m_m.environmentTag != m_ctx.environment)
            schema(QStringLiteral("CommonBlock.S1.environmentTag"),
                   QStringLiteral("the message is tagged for %1, but this emulator is the %2 environment")
                       .arg(m_m.environmentTag, m_ctx.environment));
    }
    if (v[SubText]) {
        m_m.subText = qs(*v[SubText]);
        if (m_m.subText.isEmpty() || m_m.subText.size() > 500)
            schema(QStringLiteral("CommonBlock.S1.subText"),
                   QStringLiteral("%1 characters; subText is 1 to 500 characters, or null").arg(m_m.subText.size()));
    }
    if (v[SenderDipId])
        m_m.senderDipId = qs(*v[SenderDipId]);
    if (v[SenderCorrelationId])
        m_m.senderCorrelationId = qs(*v[SenderCorrelationId]);
    if (v[SenderUniqueReference])
        checkReference(qs(*v[SenderUniqueReference]));
    if (v[SenderTimestamp])
        checkTimestamp(qs(*v[SenderTimestamp]));
    std::optional<participants::Participant> sender;
    if (v[SenderDipId])
        sender = checkSenderDipId();
    if (v[SenderRoleId])
        checkRole(qs(*v[SenderRoleId]), sender);
    if (v[SenderCorrelationId]) {
        const QString &c = m_m.senderCorrelationId;
        if (c.isEmpty() || c.size() > 60)
            fail("MSG1012", QStringLiteral("CommonBlock.S1.senderCorrelationID"),
                 QStringLiteral("%1 characters; a correlation id is 1 to 60 characters, or null").arg(c.size()));
        else if (!isPrintable(c))
            fail("MSG1012", QStringLiteral("CommonBlock.S1.senderCorrelationID"),
                 QStringLiteral("contains a control or other non-printable character; a correlation id is "
                                "printable text"));
    }
    if (v[ConnectionProviderId])
        checkConnectionProvider(qs(*v[ConnectionProviderId]));
}

void MessageCheck::checkReference(QString ref)
{
    m_m.senderUniqueReference = std::move(ref);
    const QString &r = m_m.senderUniqueReference;
    const QStringView iface = referenceInterface(r);
    const QString field = QStringLiteral("CommonBlock.S1.senderUniqueReference");
    if (iface.isEmpty()) {
        schema(field, QStringLiteral("\"%1\" is not a sender unique reference: it must look like "
                                     "S-IF-033-2209012349-REGS-20240701-000017 (S-, IF-nnn or REP-nnn[A|B], 10 hex "
                                     "digits, a role of 3-5 capitals, 8 digits, then letters or digits; at most 200 "
                                     "characters)").arg(r));
        return;
    }
    if (!m_m.interfaceId.isEmpty() && iface != m_m.interfaceId)
        schema(field, QStringLiteral("the reference is for %1 but S0.interfaceID is %2").arg(iface, m_m.interfaceId));
    if (m_rq.multiple) {
        const QString key = m_m.senderDipId + QLatin1Char('\n') + r;
        if (m_rq.references.contains(key)) {
            fail("MSG1006", field,
                 QStringLiteral("\"%1\" is used by an earlier message of this request from the same sender").arg(r));
            return;
        }
        m_rq.references.insert(key);
    }
    if (m_ctx.referenceUsed && m_ctx.referenceUsed(m_m.senderDipId, r))
        fail("MSG1006", field,
             QStringLiteral("sender %1 already used \"%2\" in an accepted message").arg(m_m.senderDipId, r));
}

void MessageCheck::checkTimestamp(QString text)
{
    m_m.senderTimestamp = std::move(text);
    const QString field = QStringLiteral("CommonBlock.S1.senderTimestamp");
    QString why;
    const std::optional<QDateTime> at = dt::parseDt003(m_m.senderTimestamp, &why);
    if (!at) {
        fail("MSG1007", field, why);
        return;
    }
    m_m.senderTimestampMs = at->toMSecsSinceEpoch();
    const qint64 ahead = m_m.senderTimestampMs - m_rq.nowMs;
    if (ahead > m_ctx.maxFutureSkewMs)
        fail("MSG1007", field, QStringLiteral("%1 is %2 ahead of the DIP's clock (%3); at most %4 is accepted")
                                   .arg(m_m.senderTimestamp, durationText(ahead), dt::formatDt003Utc(m_rq.nowMs),
                                        durationText(m_ctx.maxFutureSkewMs)));
}


std::optional<participants::Participant> MessageCheck::checkSenderDipId()
{
    const QString &id = m_m.senderDipId;
    const QString field = QStringLiteral("CommonBlock.S1.senderDIPID");
    if (id.size() != 10) {
        fail("MSG1009", field, QStringLiteral("\"%1\" has %2 characters; a DIP id has 10").arg(id).arg(id.size()));
        return std::nullopt;
    }
    if (!m_ctx.participant)
        return std::nullopt;
    std::optional<participants::Participant> p = m_ctx.participant(id);
    if (!p)
        fail("MSG1009", field, QStringLiteral("\"%1\" is not a DIP participant registered with this emulator").arg(id));
    return p;
}

void MessageCheck::checkRole(QString role, const std::optional<participants::Participant> &sender)
{
    m_m.senderRoleId = std::move(role);
    const QString &r = m_m.senderRoleId;
    const QString field = QStringLiteral("CommonBlock.S1.senderRoleID");
    if (!isCapitals(r, 3, 5)) {
        fail("MSG1010", field,
             QStringLiteral("\"%1\" is not a role code: 3 to 5 capital letters, e.g. SUP or REGS").arg(r));
        return;
    }
    if (sender && sender->role != r)
        fail("MSG1010", field,
             QStringLiteral("sender %1 is registered as %2, not %3").arg(sender->dipId, sender->role, r));
    if (m_channel && !m_channel->senderRoles.isEmpty() && !m_channel->senderRoles.contains(r))
        fail("MSG1010", field, QStringLiteral("%1 may be sent only by %2, not by %3")
                                   .arg(m_channel->id, m_channel->senderRoles.join(QStringLiteral(", ")), r));
}

void MessageCheck::checkConnectionProvider(QString id)
{
    m_m.connectionProviderId = std::move(id);
    const QString &p = m_m.connectionProviderId;
    const QString field = QStringLiteral("CommonBlock.S1.DIPConnectionProviderID");
    if (p.size() != 10)
        fail("MSG1011", field, QStringLiteral("\"%1\" has %2 characters; a DIP id has 10 (or null when the sender "
                                              "connects itself)").arg(p).arg(p.size()));
    else if (m_ctx.participant && !m_ctx.participant(p))
        fail("MSG1011", field, QStringLiteral("\"%1\" is not a DIP participant registered with this emulator").arg(p));
}

} // namespace dipwb::envelope::detail
