// SPDX-License-Identifier: GPL-3.0-or-later
#include "envelope/message_check.h"

namespace dipwb::envelope::detail {

namespace {

QString joined(Names names)
{
    QStringList out;
    for (std::string_view n : names)
        out << toQString(n);
    return out.join(QStringLiteral(", "));
}

bool isGspGroup(const std::string &s)
{
    return s.size() == 2 && s[0] == '_' && s[1] >= 'A' && s[1] <= 'P' && s[1] != 'I' && s[1] != 'O';
}

bool isDigits(const std::string &s, size_t n)
{
    if (s.size() != n)
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return true;
}

} // namespace

MessageCheck::MessageCheck(RequestState &rq, ParsedMessage &m)
    : m_rq(rq)
    , m_ctx(rq.ctx)
    , m_m(m)
{
}

QList<L1Failure> MessageCheck::run()
{
    if (checkShape()) {
        const OJson &common = m_m.element.at("payload").at("CommonBlock");
        checkS0(common);
        checkS1(common);
        checkM0(common);
        checkA0(common);
        // The payload schema only sees messages whose envelope is sound, so each problem is told
        // once, in the envelope's words where it has them.
        if (m_failures.isEmpty() && m_ctx.schemas)
            checkPayloadSchema();
    }
    // Every failure repeats these: a 10 MB reference must not become 10 MB per failure.
    const QString reference = shortened(m_m.senderUniqueReference, 200);
    const QString correlation = shortened(m_m.senderCorrelationId, 60);
    for (L1Failure &f : m_failures) {
        f.senderUniqueReference = reference;
        f.correlationId = correlation;
    }
    return std::move(m_failures);
}

QString MessageCheck::shortened(const QString &text, qsizetype max)
{
    return text.size() <= max ? text : text.left(max) + QStringLiteral("...");
}

void MessageCheck::fail(const char *code, const QString &rel, const QString &reason)
{
    QString field = QStringLiteral("payload[%1]").arg(m_m.index);
    if (!rel.isEmpty())
        field += QLatin1Char('.') + rel;
    // Reasons quote the value they refuse; a huge value is cut in the middle, so both its start
    // and the rule after it stay readable.
    constexpr qsizetype kMaxReason = 1000;
    QString why = reason;
    if (why.size() > kMaxReason)
        why = why.left(kMaxReason / 2) + QStringLiteral(" [%1 characters left out] ").arg(why.size() - kMaxReason)
              + why.right(kMaxReason / 2);
    m_failures.append({m_m.index, QLatin1String(code), field, why, {}, {}});
}

QString MessageCheck::at(const char *block, std::string_view key)
{
    return QLatin1String(block) + QLatin1Char('.') + toQString(key);
}

// additionalProperties: false on every envelope object.
void MessageCheck::rejectUnknownKeys(const OJson &obj, Names known, const char *block, const char *name)
{
    for (const auto &kv : obj.get_ref<const OJson::object_t &>()) {
        if (!isOneOf(known, kv.first))
            schema(at(block, kv.first),
                   QStringLiteral("\"%1\" is not a field of %2 (allowed: %3); the DIP schema allows no other keys")
                       .arg(qs(kv.first), QLatin1String(name), joined(known)));
    }
}

// A block that must be an object; null when missing or not one (the failure is recorded).
const OJson *MessageCheck::objectBlock(const OJson &parent, const char *key, const QString &rel,
                                       const QString &missingReason)
{
    const OJson *v = member(parent, key);
    if (!v) {
        if (!missingReason.isEmpty())
            schema(rel, missingReason);
        return nullptr;
    }
    if (!v->is_object()) {
        schema(rel, QStringLiteral("must be an object, not %1").arg(jsonTypeName(*v)));
        return nullptr;
    }
    return v;
}

bool MessageCheck::checkShape()
{
    const OJson &el = m_m.element;
    if (!el.is_object()) {
        schema({}, QStringLiteral("a message must be an object {\"payload\": {...}}, not %1").arg(jsonTypeName(el)));
        return false;
    }
    if (el.size() != 1 || !equalsNoCase(el.begin().key(), "payload")) {
        QStringList keys;
        for (const auto &kv : el.get_ref<const OJson::object_t &>())
            keys << QLatin1Char('"') + qs(kv.first) + QLatin1Char('"');
        schema({}, QStringLiteral("a message must be an object with exactly one key, \"payload\"; this one has %1")
                       .arg(keys.isEmpty() ? QStringLiteral("none") : keys.join(QStringLiteral(", "))));
        return false;
    }
    QString path, reason;
    if (!normaliseKeys(m_m.element, &path, &reason)) {
        // path starts with "payload", which the field name already says.
        schema(path.section(QLatin1Char('.'), 1), reason);
        return false;
    }
    const OJson &payload = m_m.element.begin().value();
    if (!payload.is_object()) {
        schema({}, QStringLiteral("payload must be an object holding CommonBlock and CustomBlock, not %1")
                       .arg(jsonTypeName(payload)));
        return false;
    }
    const QString required = QStringLiteral("required: a payload holds CommonBlock and CustomBlock");
    const OJson *common = objectBlock(payload, "CommonBlock", QStringLiteral("CommonBlock"), required);
    objectBlock(payload, "CustomBlock", QStringLiteral("CustomBlock"), required);
    for (const auto &kv : payload.get_ref<const OJson::object_t &>()) {
        if (!isOneOf(kPayloadKeys, kv.first))
            schema(qs(kv.first),
                   QStringLiteral("\"%1\" is not allowed in a payload: it holds only CommonBlock and CustomBlock")
                       .arg(qs(kv.first)));
    }
    if (!common)
        return false;
    for (const auto &kv : common->get_ref<const OJson::object_t &>()) {
        if (kv.first == "D0")
            schema(QStringLiteral("CommonBlock.D0"), QStringLiteral("D0 is set by the DIP; a sender must not send it"));
        else if (!isOneOf(kCommonKeys, kv.first))
            schema(at("CommonBlock", kv.first),
                   QStringLiteral("\"%1\" is not a block of CommonBlock (allowed: S0, S1, M0, M1, A0, R0); "
                                  "the DIP schema allows no other keys").arg(qs(kv.first)));
    }
    return true;
}

// The string at key; null when missing, null or not a string (recorded unless null is allowed).
const std::string *MessageCheck::stringField(const OJson &obj, std::string_view key, const char *block,
                                             bool nullable, const QString &missingReason)
{
    const OJson *v = member(obj, key);
    if (!v) {
        schema(at(block, key), missingReason);
        return nullptr;
    }
    if (v->is_string())
        return &v->get_ref<const std::string &>();
    if (!(nullable && v->is_null()))
        schema(at(block, key), QStringLiteral("must be a string%1, not %2")
                                   .arg(nullable ? QStringLiteral(" or null") : QString(), jsonTypeName(*v)));
    return nullptr;
}

void MessageCheck::checkS0(const OJson &common)
{
    const OJson *s0 = objectBlock(common, "S0", QStringLiteral("CommonBlock.S0"),
                                  QStringLiteral("required: S0 names the interfaceID, schemaVersion and eventCode"));
    if (!s0)
        return;
    rejectUnknownKeys(*s0, kS0Keys, "CommonBlock.S0", "S0");
    const QString required = QStringLiteral("required in S0");
    const std::string *iface = stringField(*s0, "interfaceID", "CommonBlock.S0", false, required);
    const std::string *version = stringField(*s0, "schemaVersion", "CommonBlock.S0", false, required);
    const std::string *event = stringField(*s0, "eventCode", "CommonBlock.S0", false, required);
    if (iface) {
        m_m.interfaceId = qs(*iface);
        if (!m_rq.pathId.isEmpty() && m_m.interfaceId != m_rq.pathId)
            fail("MSG1002", QStringLiteral("CommonBlock.S0.interfaceID"),
                 QStringLiteral("\"%1\" differs from the channel of the URL, %2; every message of a request "
                                "must be of the channel it is sent to").arg(m_m.interfaceId, m_rq.pathId));
        m_channel = m_ctx.catalogue->channel(m_m.interfaceId);
        if (!m_channel)
            fail("MSG1002", QStringLiteral("CommonBlock.S0.interfaceID"),
                 QStringLiteral("\"%1\" is not a channel of the catalogue in use (%2)")
                     .arg(m_m.interfaceId, m_ctx.catalogue->version()));
    }
    if (version)
        m_m.schemaVersion = qs(*version);
    if (!event)
        return;
    m_m.eventCode = qs(*event);
    if (!m_channel)
        return;
    const catalogue::EventDef *def = m_channel->event(m_m.eventCode);
    if (!def) {
        schema(QStringLiteral("CommonBlock.S0.eventCode"), eventReason());
        return;
    }
    if (version && def->schemaVersion != m_m.schemaVersion)
        schema(QStringLiteral("CommonBlock.S0.schemaVersion"),
               QStringLiteral("\"%1\" is not the schema version of %2 %3 in the catalogue in use (%4): "
                              "it must be \"%5\"")
                   .arg(m_m.schemaVersion, m_channel->id, def->code, m_ctx.catalogue->version(), def->schemaVersion));
}

QString MessageCheck::eventReason() const
{
    const QString &code = m_m.eventCode;
    const QStringList allowed = m_channel->eventCodes();
    QString reason = QStringLiteral("\"%1\" is not an event of %2 (allowed: %3)")
                         .arg(code, m_channel->id, allowed.join(QStringLiteral(", ")));
    if (!code.startsWith(QLatin1Char('['))) {
        const QString bracketed = QLatin1Char('[') + code + QLatin1Char(']');
        for (const QString &a : allowed) {
            if (a.compare(bracketed, Qt::CaseInsensitive) == 0)
                return reason + QStringLiteral("; event codes are written with their brackets: \"%1\"").arg(a);
        }
        return reason
               + QStringLiteral("; event codes are written with their brackets, e.g. \"%1\"").arg(allowed.value(0));
    }
    for (const QString &a : allowed) {
        if (a.compare(code, Qt::CaseInsensitive) == 0)
            return reason + QStringLiteral("; event codes are case-sensitive: \"%1\"").arg(a);
    }
    return reason;
}

void MessageCheck::checkM0(const OJson &common)
{
    const OJson *raw = member(common, "M0");
    if (m_channel && m_channel->mpanBlock && !raw) {
        schema(QStringLiteral("CommonBlock.M0"),
               QStringLiteral("required on %1: M0 holds MPANCore, distributorDIPID and GSPGroupID").arg(m_channel->id));
        return;
    }
    if (!raw)
        return;
    if (m_channel && !m_channel->mpanBlock) {
        schema(QStringLiteral("CommonBlock.M0"), QStringLiteral("%1 carries no M0 block").arg(m_channel->id));
        return;
    }
    const OJson *m0 = objectBlock(common, "M0", QStringLiteral("CommonBlock.M0"), {});
    if (!m0)
        return;
    m_m.hasM0 = true;
    rejectUnknownKeys(*m0, kM0Keys, "CommonBlock.M0", "M0");
    const QString required = QStringLiteral("required in M0");
    if (const std::string *mpan = stringField(*m0, "MPANCore", "CommonBlock.M0", false, required)) {
        m_m.mpan = qs(*mpan);
        const QString field = QStringLiteral("CommonBlock.M0.MPANCore");
        if (!isDigits(*mpan, 13)) {
            schema(field, QStringLiteral("\"%1\" is not an MPAN core: 13 digits").arg(m_m.mpan));
        } else if (!mpanCheckDigitValid(m_m.mpan)) {
            const QString expected = withCheckDigit(m_m.mpan.left(12)).right(1);
            const QString text = QStringLiteral("the check digit of %1 should be %2 (weights 3, 5, 7, 13 ... 43, "
                                                "sum mod 11 mod 10)").arg(m_m.mpan, expected);
            if (m_ctx.rejectBadMpanCheckDigit)
                schema(field, text);
            else
                m_m.warnings.append(Issue::warning(QStringLiteral("ENV001"), text,
                                                   QStringLiteral("payload[%1].").arg(m_m.index) + field));
        }
    }
    if (const std::string *d = stringField(*m0, "distributorDIPID", "CommonBlock.M0", false, required)) {
        m_m.distributorDipId = qs(*d);
        if (m_m.distributorDipId.size() != 10)
            schema(QStringLiteral("CommonBlock.M0.distributorDIPID"),
                   QStringLiteral("\"%1\" has %2 characters; a DIP id has 10")
                       .arg(m_m.distributorDipId)
                       .arg(m_m.distributorDipId.size()));
    }
    if (const std::string *g = stringField(*m0, "GSPGroupID", "CommonBlock.M0", false, required)) {
        m_m.gspGroupId = qs(*g);
        if (!isGspGroup(*g))
            schema(QStringLiteral("CommonBlock.M0.GSPGroupID"),
                   QStringLiteral("\"%1\" is not a GSP group: _A to _P, without _I and _O").arg(m_m.gspGroupId));
    }
}

void MessageCheck::checkA0(const OJson &common)
{
    const OJson *a0 = objectBlock(common, "A0", QStringLiteral("CommonBlock.A0"), {});
    if (!a0)
        return;
    m_m.hasA0 = true;
    rejectUnknownKeys(*a0, kA0Keys, "CommonBlock.A0", "A0");
    for (std::string_view key : kA0Keys) {
        const auto rel = [&]() -> QString { return at("CommonBlock.A0", key); };
        const OJson *list = member(*a0, key);
        if (!list) {
            schema(rel(), QStringLiteral("required: when A0 is sent, primaryRecipients, secondaryRecipients and "
                                         "always must all be arrays (the DIP fills the last two)"));
            continue;
        }
        if (!list->is_array()) {
            schema(rel(), QStringLiteral("must be an array of DIP ids, not %1").arg(jsonTypeName(*list)));
            continue;
        }
        const bool primary = key == "primaryRecipients";
        for (size_t j = 0; j < list->size(); ++j) {
            const OJson &item = (*list)[j];
            const auto itemPath = [&]() -> QString { return rel() + QStringLiteral("[%1]").arg(j); };
            if (!item.is_string()) {
                schema(itemPath(),
                       QStringLiteral("must be a DIP id (a string of 10 characters), not %1").arg(jsonTypeName(item)));
                continue;
            }
            const QString id = qs(item.get_ref<const std::string &>());
            if (id.size() != 10)
                schema(itemPath(), QStringLiteral("\"%1\" has %2 characters; a DIP id has 10").arg(id).arg(id.size()));
            else if (primary)
                m_m.primaryRecipients << id;
        }
    }
}

} // namespace dipwb::envelope::detail
