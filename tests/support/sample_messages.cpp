// SPDX-License-Identifier: GPL-3.0-or-later
#include "sample_messages.h"

#include "common/clock.h"
#include "common/dip_time.h"
#include "common/ids.h"

#include <QDateTime>
#include <QTimeZone>
#include <atomic>

namespace dipwb::testsupport {

QString uniqueReference(const QString &interfaceId, const QString &senderDipId, const QString &role)
{
    static std::atomic<int> counter{0};
    // S-IF-033-<10 hex>-ROLE-YYYYMMDD-<alnum>; the 10 hex are derived from the DIP id digits.
    const QString hex = QString::fromLatin1(senderDipId.toLatin1().toHex().right(10));
    const QString day = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd"));
    return QStringLiteral("S-%1-%2-%3-%4-%5%6")
        .arg(interfaceId, hex, role, day, ids::randomAlnum(8))
        .arg(++counter);
}

QString mpanFor(qint64 n)
{
    static const int weights[12] = {3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43};
    const QString first12 = QStringLiteral("%1").arg(n % 1000000000000LL, 12, 10, QLatin1Char('0'));
    int sum = 0;
    for (int i = 0; i < 12; ++i)
        sum += (first12.at(i).unicode() - '0') * weights[i];
    return first12 + QString::number(sum % 11 % 10);
}

OJson message(const Header &h, const OJson &custom)
{
    OJson s0 = {{"interfaceID", ss(h.interfaceId)}, {"schemaVersion", "011"}, {"eventCode", ss(h.eventCode)}};
    const QString ref = h.reference.isEmpty() ? uniqueReference(h.interfaceId, h.senderDipId, h.senderRole) : h.reference;
    OJson s1 = OJson::object();
    s1["environmentTag"] = ss(h.environment);
    s1["subText"] = nullptr;
    s1["senderUniqueReference"] = ss(ref);
    s1["senderTimestamp"] = ss(dt::formatDt003Utc(Clock::nowMs() - 1000));
    s1["senderDIPID"] = ss(h.senderDipId);
    s1["senderRoleID"] = ss(h.senderRole);
    s1["senderCorrelationID"] = h.correlationId.isEmpty() ? OJson(nullptr) : OJson(ss(h.correlationId));
    s1["DIPConnectionProviderID"] = nullptr;
    OJson common = OJson::object();
    common["S0"] = s0;
    common["S1"] = s1;
    if (!h.mpan.isEmpty())
        common["M0"] = {{"MPANCore", ss(h.mpan)}, {"distributorDIPID", ss(h.distributorDipId)}, {"GSPGroupID", "_A"}};
    OJson primary = OJson::array();
    for (const QString &p : h.primaryRecipients)
        primary.push_back(ss(p));
    common["A0"] = {{"primaryRecipients", primary}, {"secondaryRecipients", OJson::array()}, {"always", OJson::array()}};
    OJson payload = OJson::object();
    payload["CommonBlock"] = common;
    payload["CustomBlock"] = custom;
    return OJson{{"payload", payload}};
}

QByteArray body(const QList<OJson> &messages)
{
    OJson arr = OJson::array();
    for (const OJson &m : messages)
        arr.push_back(m);
    return qb(arr.dump());
}

QByteArray body(std::initializer_list<OJson> messages)
{
    return body(QList<OJson>(messages));
}

namespace {

// The metering point's address and site data groups (B022-B026), which registration messages carry.
void addSiteGroups(OJson &custom)
{
    custom["B022"] = {{"meteringPointPostcode", "AB1 2CD"}, {"addressLine1", "1 High Street"},
                      {"addressLine2", "Little Snoring"}, {"addressLine3", "Fakenham"}, {"addressLine4", "Norfolk"},
                      {"addressLine5", nullptr}, {"addressLine6", nullptr}, {"addressLine7", nullptr},
                      {"addressLine8", nullptr}, {"addressLine9", nullptr}};
    custom["B023"] = {{"connectionTypeIndicator", "W"}, {"connectionTypeEffectiveFromDate", "2020-01-01T00:00:00+00:00"},
                      {"energyDirection", "I"}, {"meteredIndicator", true}};
    custom["B024"] = {{"DUOSTariffID", "A01"}, {"DUOSTariffIDEffectiveFromDate", "2020-01-01T00:00:00+00:00"}};
    custom["B025"] = {{"energisationStatus", "E"}, {"energisationStatusEffectiveFromDate", "2020-01-01T00:00:00+00:00"}};
    custom["B026"] = {{"marketSegmentIndicator", "S"}, {"marketSegmentIndicatorEffectiveFromDate", "2020-01-01T00:00:00+00:00"}};
}

} // namespace

OJson if033(const Header &h, const QString &proposedDipId)
{
    // Valid against the IF-033-MSAppSPRequest schema of specification 2.1.0: every required data
    // group, DT-003 effective-from instants at UK midnight, enum members as the schema spells them.
    OJson custom = OJson::object();
    custom["B012"] = {{"serviceProviderAppointmentRequestingSupplierDIPID", "2300000185"},
                      {"serviceProviderAppointmentRequestingSupplierMPID", "SUPA"}};
    custom["B070"] = {{"proposedMeteringServiceDIPID", ss(proposedDipId)},
                      {"proposedMeteringServiceMPID", "MSSA"},
                      {"proposedMeteringServiceDIPEffectiveFromDate", "2024-07-01T00:00:00+01:00"},
                      {"contractReferenceMeteringService", "CONTRACT-0001"},
                      {"appointmentScenario", "COS"}};
    addSiteGroups(custom);
    return message(h, custom);
}

OJson if021(const Header &h, const QDate &day)
{
    OJson periods = OJson::array();
    const QDateTime start(day, QTime(0, 0), QTimeZone::utc());
    for (int i = 1; i <= 48; ++i) {
        const qint64 end = start.addSecs(i * 1800).toMSecsSinceEpoch();
        periods.push_back({{"sp", ss(dt::formatDt003Utc(end))}, {"v", "0.250"}, {"q", "A"}, {"e", nullptr}, {"arc", nullptr}});
    }
    // The settlement day is a UTC date, written as a DT-003 instant at its UTC midnight.
    OJson custom = OJson::object();
    custom["B044"] = {{"issuingDataServiceDIPID", ss(h.senderDipId)}};
    custom["B067"] = {{"connectionTypeIndicator", "W"}, {"connectionTypeEffectiveFromDate", "2020-01-01T00:00:00+00:00"}};
    OJson dayBlock = {{"settlementDay", {{"settlementDayDate", ss(dt::formatDt003Utc(start.toMSecsSinceEpoch()))}, {"periodDuration", 30}}},
                      {"consumptionPeriods", periods}};
    custom["B900"] = {{"MQID", {{"measurementQuantityID", "AI"}}}, {"settlementDayConsumptionPeriods", OJson::array({dayBlock})}};
    return message(h, custom);
}

OJson if001(const Header &h, const QString &incomingDipId, const QString &incomingMpid, const QDate &effectiveFrom)
{
    // Valid against IF-001-ChangeOfSupplier: every required data group; the supplier changes at UK
    // midnight, the outgoing one's last day is the day before.
    const QString from = dt::formatDt003London(dt::ukMidnightMs(effectiveFrom));
    const QString to = dt::formatDt003London(dt::ukMidnightMs(effectiveFrom.addDays(-1)));
    OJson custom = OJson::object();
    custom["B013"] = {{"CSSRegistrationID", "CSS-REG-0001"}};
    custom["B002"] = {{"incomingSupplierDIPID", ss(incomingDipId)},
                      {"incomingSupplierMPID", ss(incomingMpid)},
                      {"supplierEffectiveFromDate", ss(from)}};
    custom["B003"] = {{"outgoingSupplierDIPID", "2300000999"}, {"outgoingSupplierMPID", "SUPZ"}, {"supplierEffectiveToDate", ss(to)}};
    custom["B004"] = {{"domesticPremiseIndicator", true}, {"domesticPremiseIndicatorEffectiveFromDate", "2020-01-01T00:00:00+00:00"}};
    addSiteGroups(custom);
    return message(h, custom);
}

} // namespace dipwb::testsupport
