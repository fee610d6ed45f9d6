#pragma once

#include "common/json_util.h"

#include <QDate>
#include <QString>

namespace dipwb::testsupport {

/// Who sends and the few values a test varies; everything else gets a realistic default.
struct Header
{
    QString interfaceId;
    QString eventCode;
    QString senderDipId;
    QString senderRole;
    QString reference;              ///< empty: a fresh unique one
    QString environment = QStringLiteral("SIT");
    QString mpan = QStringLiteral("1012345678904");   ///< valid check digit? see mpanFor()
    QString distributorDipId = QStringLiteral("2500000033");
    QStringList primaryRecipients;
    QString correlationId;          ///< empty: null
};

/// A unique, well-formed sender unique reference for that channel, sender and role.
QString uniqueReference(const QString &interfaceId, const QString &senderDipId, const QString &role);
/// A 13-digit MPAN core with a correct check digit, derived from a number.
QString mpanFor(qint64 n);
/// {"payload":{"CommonBlock":{S0,S1,M0,A0},"CustomBlock":custom}}.
OJson message(const Header &h, const OJson &custom);
/// A JSON array body of the given messages.
QByteArray body(std::initializer_list<OJson> messages);
QByteArray body(const QList<OJson> &messages);

/// IF-033 [MSAppSPRequest] from REGS to a proposed metering service.
OJson if033(const Header &h, const QString &proposedDipId);
/// IF-021 [ActivePower] for one UTC settlement day with 48 periods.
OJson if021(const Header &h, const QDate &settlementDay);
/// IF-001 [ChangeOfSupplier]: supplier incomingDipId from effectiveFrom (UK midnight).
OJson if001(const Header &h, const QString &incomingDipId, const QString &incomingMpid, const QDate &effectiveFrom);

} // namespace dipwb::testsupport
