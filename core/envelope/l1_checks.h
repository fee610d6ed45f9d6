// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "catalogue/catalogue.h"
#include "common/issue.h"
#include "common/json_util.h"
#include "participants/participant.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <functional>
#include <optional>

/// The DIP envelope: a request body parsed once, field-name case normalised to the schema's casing,
/// and the DIP's Level-1 checks (DOMAIN.md 3 and 4), all-or-nothing per request. Everything here is
/// pure and reentrant: call it from any thread; the lookups in L1Context must be thread-safe.
namespace dipwb::schema {
class SchemaSet;
}

namespace dipwb::envelope {

/// One message of a request, parsed and normalised.
struct ParsedMessage
{
    int index = 0;               ///< position in the request array
    OJson element;               ///< the normalised {"payload":{"CommonBlock":...,"CustomBlock":...}}
    QString interfaceId, schemaVersion, eventCode;
    QString environmentTag, subText, senderUniqueReference, senderTimestamp, senderDipId, senderRoleId,
        senderCorrelationId, connectionProviderId; ///< nullable ones empty when null
    qint64 senderTimestampMs = 0;
    bool hasM0 = false;
    QString mpan, distributorDipId, gspGroupId;
    bool hasA0 = false;
    QStringList primaryRecipients;
    Issues warnings;             ///< accepted but worth telling, e.g. an MPAN check digit (code ENV001)
};

/// What the checks need to know about the emulator and the request's URL.
struct L1Context
{
    const catalogue::Catalogue *catalogue = nullptr;
    QString pathChannelId;       ///< the {IF-nnn} of the URL, any letter case; empty: not compared
    QString environment = QStringLiteral("SIT"); ///< the emulated environmentTag; empty: any
    /// Registry lookup by DIP id; unset: the registration checks are skipped (offline validation).
    std::function<std::optional<participants::Participant>(const QString &)> participant;
    /// Whether that sender already had that reference accepted; unset: only repeats within the request count.
    std::function<bool(const QString &senderDipId, const QString &reference)> referenceUsed;
    qint64 nowMs = 0;            ///< time of receipt; 0: Clock::nowMs()
    qint64 maxFutureSkewMs = 5 * 60 * 1000; ///< a sender timestamp this far in the future is still accepted
    bool rejectBadMpanCheckDigit = false;   ///< default: warn only (the real DIP does not check it)
    /// Payload schemas of the pinned specification version; null: payload schemas are not checked.
    const schema::SchemaSet *schemas = nullptr;
};

/// One reason a request is rejected.
struct L1Failure
{
    int index = -1;              ///< message index; -1 for the body as a whole
    QString code;                ///< "MSG1001"
    QString field;               ///< "body", "payload[2]" or "payload[2].CommonBlock.S1.senderTimestamp"
    QString reason;              ///< in words a tester understands
    QString senderUniqueReference; ///< of the failing message when it could be read
    QString correlationId;         ///< its senderCorrelationID when it could be read
};

struct L1Result
{
    bool ok = false;
    QList<ParsedMessage> messages; ///< all messages when ok (and every object element read when not)
    QList<L1Failure> failures;     ///< every failure found (at least one when !ok), in message order, at most 100
};

/// Parses the body once and runs every Level-1 check on every message. Never throws.
L1Result checkRequest(const QByteArray &body, const L1Context &ctx);

/// The DIP's text for a code: "MSG1001" -> "Schema Failure", "MSG1006" -> "Sender Unique Reference
/// Duplicated"; every code of DOMAIN.md 4 (MSG0000, MSG1000-MSG1012, MSG1030-MSG1038). Empty when unknown.
QString codeText(const QString &code);
/// "payload[2].CommonBlock.S1.senderTimestamp: 20 characters, must be exactly 25 (DT-003)".
QString helpText(const L1Failure &f);

/// True for 13 digits whose last is the check digit of DOMAIN.md 3 (weights 3,5,7,13,...,43; sum mod 11 mod 10).
bool mpanCheckDigitValid(const QString &mpanCore);
/// first12 followed by its check digit; empty unless first12 is exactly 12 digits.
QString withCheckDigit(const QString &first12);
/// The shape S-IF-033-2209012349-REGS-20240701-000017: "S-", IF-nnn or REP-nnn[A|B], 10 hex digits,
/// a role of 3-5 capitals, 8 digits, then one or more letters or digits; at most 200 characters.
bool isSenderUniqueReference(const QString &s);

/// Renames the known envelope keys (payload, CommonBlock, CustomBlock, S0, S1, M0, M1, A0, D0, R0 and
/// their fields) to the schema's casing, keeping their order; unknown keys and everything inside
/// CustomBlock are left as sent. Returns false when two keys of one object become the same name
/// (then *why says where and which); the element is left partly normalised in that case.
bool normaliseKeys(OJson &element, QString *why);

} // namespace dipwb::envelope
