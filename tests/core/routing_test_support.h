// SPDX-License-Identifier: GPL-3.0-or-later
// What the routing tests share (test_routing, test_appointment_map): the parties of a small market,
// channel definitions in the shape of the catalogue's, instants written as text, and a little
// script language for appointment histories.
#pragma once

#include "catalogue/catalogue.h"
#include "common/dip_time.h"
#include "routing/appointment_map.h"
#include "routing/json_path.h"
#include "routing/router.h"

#include <QTest>
#include <QTimeZone>

namespace dipwb::routing::testing {

using catalogue::AppointmentEffect;
using catalogue::ChannelDef;

inline const QString kMpan = QStringLiteral("1012345678903");
inline const QString kSup1 = QStringLiteral("2300000185");
inline const QString kSup2 = QStringLiteral("2300000186");
inline const QString kLdso = QStringLiteral("2500000033");
inline const QString kMds = QStringLiteral("1800000001");
inline const QString kLss = QStringLiteral("1900000001");
inline const QString kSds = QStringLiteral("2100000001");
inline const QString kMss1 = QStringLiteral("2200000001");
inline const QString kMss2 = QStringLiteral("2200000002");
inline const QString kMsa = QStringLiteral("2200000003");
inline const QString kRegs = QStringLiteral("2400000001");
inline const QString kUnregistered = QStringLiteral("2300000999");

/// "2024-07-01" is UK clock midnight of that date (how effective dates read); a DT-003 value is itself.
inline qint64 when(const QString &text)
{
    if (text.size() == 10)
        return dt::ukMidnightMs(QDate::fromString(text, Qt::ISODate));
    const auto parsed = dt::parseDt003(text);
    if (!parsed)
        qFatal("bad test instant %s", qPrintable(text));
    return parsed->toMSecsSinceEpoch();
}

inline qint64 utcMidnight(const QString &day)
{
    return QDateTime(QDate::fromString(day, Qt::ISODate), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
}

inline participants::Participant party(const QString &id, const char *role)
{
    participants::Participant p;
    p.dipId = id;
    p.role = QLatin1String(role);
    return p;
}

inline ParticipantLookup registry()
{
    const QList<participants::Participant> parties{
        party(kSup1, "SUP"), party(kSup2, "SUP"),  party(kLdso, "LDSO"), party(kMds, "MDS"),
        party(kLss, "LSS"),  party(kSds, "SDS"),   party(kMss1, "MSS"),  party(kMss2, "MSS"),
        party(kMsa, "MSA"),  party(kRegs, "REGS"),
    };
    return [parties](const QString &id) -> std::optional<participants::Participant> {
        for (const auto &p : parties)
            if (p.dipId == id)
                return p;
        return std::nullopt;
    };
}

inline ChannelDef if021()
{
    ChannelDef c;
    c.id = QStringLiteral("IF-021");
    c.publicationId = QStringLiteral("PUB-021");
    c.receiverRoles = QStringList{"SUP", "LDSO", "MDS", "LSS"};
    c.secondaryRoles = QStringList{"SUP", "LDSO"};
    c.alwaysDipIds = QStringList{kMds, kLss};
    c.businessDatePath = QStringLiteral("CustomBlock.B900.settlementDayConsumptionPeriods.0.settlementDay.settlementDayDate");
    return c;
}

inline ChannelDef if033()
{
    ChannelDef c;
    c.id = QStringLiteral("IF-033");
    c.publicationId = QStringLiteral("PUB-033");
    c.receiverRoles = QStringList{"MSS", "MSA", "SDS", "ADS", "UMSDS"};
    return c;
}

inline AppointmentEffect effect(const char *event, AppointmentEffect::Action action, QStringList roles, const char *dipIdPath,
                         const char *datePath)
{
    return {QLatin1String(event), action, std::move(roles), QLatin1String(dipIdPath), QLatin1String(datePath)};
}

inline ChannelDef if036()
{
    ChannelDef c;
    c.id = QStringLiteral("IF-036");
    c.effects = {effect("[MSAppActive]", AppointmentEffect::Action::Appoint, {"MSS", "MSA"},
                        "CustomBlock.B014.incomingMeteringServiceDIPID",
                        "CustomBlock.B014.incomingMeteringServiceEffectiveFromDate"),
                 effect("[DSAppActive]", AppointmentEffect::Action::Appoint, {"SDS", "ADS", "UMSDS"},
                        "CustomBlock.B015.incomingDataServiceDIPID", "CustomBlock.B015.incomingDataServiceEffectiveFromDate")};
    return c;
}

inline ChannelDef if037()
{
    ChannelDef c;
    c.id = QStringLiteral("IF-037");
    c.effects = {effect("[MSDeApp]", AppointmentEffect::Action::Deappoint, {"MSS", "MSA"},
                        "CustomBlock.B008.deAppointedMeteringServiceDIPID", "CustomBlock.B008.meteringServiceEffectiveToDate")};
    return c;
}

inline ChannelDef if001()
{
    ChannelDef c;
    c.id = QStringLiteral("IF-001");
    c.effects = {effect("*", AppointmentEffect::Action::Appoint, {"SUP"}, "CustomBlock.B002.incomingSupplierDIPID",
                        "CustomBlock.B002.supplierEffectiveFromDate")};
    return c;
}

inline ChannelDef channelNamed(const QString &name)
{
    if (name == QLatin1String("IF-021"))
        return if021();
    if (name == QLatin1String("IF-033"))
        return if033();
    if (name == QLatin1String("IF-036"))
        return if036();
    if (name == QLatin1String("IF-037"))
        return if037();
    if (name == QLatin1String("IF-001"))
        return if001();
    if (name == QLatin1String("IF-021 unregistered always")) {
        ChannelDef c = if021();
        c.alwaysDipIds << QStringLiteral("1800009999");
        return c;
    }
    qFatal("unknown test channel %s", qPrintable(name));
}

/// Runs "appoint A 2024-04-01; deappoint A 2024-09-01" against the map for (kMpan, SUP);
/// returns the number of rows the last command reported.
inline qsizetype runScript(AppointmentMap &map, const QString &script)
{
    qsizetype last = 0;
    qint64 recorded = 1;
    for (const QString &command : script.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const QStringList w = command.simplified().split(QLatin1Char(' '));
        if (w.size() != 3)
            qFatal("bad script step %s", qPrintable(command));
        const QString source = QStringLiteral("T-%1").arg(recorded);
        if (w[0] == QLatin1String("appoint"))
            last = map.appoint(kMpan, QStringLiteral("SUP"), w[1], when(w[2]), recorded++, source).size();
        else
            last = map.deappoint(kMpan, QStringLiteral("SUP"), w[1], when(w[2]), recorded++, source).size();
    }
    return last;
}

/// Checks "ROLE@instant=DIPID;..." probes (empty id: nobody appointed) against the map.
inline void checkProbes(const AppointmentMap &map, const QString &probes)
{
    for (const QString &probe : probes.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const qsizetype at = probe.indexOf(QLatin1Char('@')), eq = probe.indexOf(QLatin1Char('='));
        const QString role = probe.left(at), instant = probe.mid(at + 1, eq - at - 1), expected = probe.mid(eq + 1);
        const auto row = map.at(kMpan, role, when(instant));
        QVERIFY2((row ? row->dipId : QString()) == expected,
                 qPrintable(QStringLiteral("%1: got '%2'").arg(probe, row ? row->dipId : QString())));
    }
}

inline OJson json(const char *text) { return OJson::parse(text); }

} // namespace dipwb::routing::testing
