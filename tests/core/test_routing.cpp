// SPDX-License-Identifier: GPL-3.0-or-later
#include "catalogue/catalogue.h"
#include "common/dip_time.h"
#include "routing/appointment_map.h"
#include "routing/json_path.h"
#include "routing/router.h"

#include <QTest>
#include <QThread>
#include <QTimeZone>
#include <atomic>

using namespace dipwb;
using namespace dipwb::routing;
using catalogue::AppointmentEffect;
using catalogue::ChannelDef;
using store::AppointmentRecord;

namespace {

const QString kMpan = QStringLiteral("1012345678903");
const QString kSup1 = QStringLiteral("2300000185");
const QString kSup2 = QStringLiteral("2300000186");
const QString kLdso = QStringLiteral("2500000033");
const QString kMds = QStringLiteral("1800000001");
const QString kLss = QStringLiteral("1900000001");
const QString kSds = QStringLiteral("2100000001");
const QString kMss1 = QStringLiteral("2200000001");
const QString kMss2 = QStringLiteral("2200000002");
const QString kMsa = QStringLiteral("2200000003");
const QString kRegs = QStringLiteral("2400000001");
const QString kUnregistered = QStringLiteral("2300000999");

/// "2024-07-01" is UK clock midnight of that date (how effective dates read); a DT-003 value is itself.
qint64 when(const QString &text)
{
    if (text.size() == 10)
        return dt::ukMidnightMs(QDate::fromString(text, Qt::ISODate));
    const auto parsed = dt::parseDt003(text);
    if (!parsed)
        qFatal("bad test instant %s", qPrintable(text));
    return parsed->toMSecsSinceEpoch();
}

qint64 utcMidnight(const QString &day)
{
    return QDateTime(QDate::fromString(day, Qt::ISODate), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
}

participants::Participant party(const QString &id, const char *role)
{
    participants::Participant p;
    p.dipId = id;
    p.role = QLatin1String(role);
    return p;
}

ParticipantLookup registry()
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

ChannelDef if021()
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

ChannelDef if033()
{
    ChannelDef c;
    c.id = QStringLiteral("IF-033");
    c.publicationId = QStringLiteral("PUB-033");
    c.receiverRoles = QStringList{"MSS", "MSA", "SDS", "ADS", "UMSDS"};
    return c;
}

AppointmentEffect effect(const char *event, AppointmentEffect::Action action, QStringList roles, const char *dipIdPath,
                         const char *datePath)
{
    return {QLatin1String(event), action, std::move(roles), QLatin1String(dipIdPath), QLatin1String(datePath)};
}

ChannelDef if036()
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

ChannelDef if037()
{
    ChannelDef c;
    c.id = QStringLiteral("IF-037");
    c.effects = {effect("[MSDeApp]", AppointmentEffect::Action::Deappoint, {"MSS", "MSA"},
                        "CustomBlock.B008.deAppointedMeteringServiceDIPID", "CustomBlock.B008.meteringServiceEffectiveToDate")};
    return c;
}

ChannelDef if001()
{
    ChannelDef c;
    c.id = QStringLiteral("IF-001");
    c.effects = {effect("*", AppointmentEffect::Action::Appoint, {"SUP"}, "CustomBlock.B002.incomingSupplierDIPID",
                        "CustomBlock.B002.supplierEffectiveFromDate")};
    return c;
}

ChannelDef channelNamed(const QString &name)
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
qsizetype runScript(AppointmentMap &map, const QString &script)
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
void checkProbes(const AppointmentMap &map, const QString &probes)
{
    for (const QString &probe : probes.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const qsizetype at = probe.indexOf(QLatin1Char('@')), eq = probe.indexOf(QLatin1Char('='));
        const QString role = probe.left(at), instant = probe.mid(at + 1, eq - at - 1), expected = probe.mid(eq + 1);
        const auto row = map.at(kMpan, role, when(instant));
        QVERIFY2((row ? row->dipId : QString()) == expected,
                 qPrintable(QStringLiteral("%1: got '%2'").arg(probe, row ? row->dipId : QString())));
    }
}

OJson json(const char *text) { return OJson::parse(text); }

} // namespace

class TestRouting final : public QObject
{
    Q_OBJECT
private slots:
    void jsonPath_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("expected");   // compact JSON of the value; "absent" for nullptr
        QTest::newRow("exact keys") << "CustomBlock.B014.incomingMeteringServiceDIPID" << R"("2200000002")";
        QTest::newRow("exact match preferred") << "CustomBlock.B014.IncomingMeteringServiceDIPID" << R"("X")";
        QTest::newRow("any case") << "customblock.b014.INCOMINGMETERINGSERVICEEFFECTIVEFROMDATE" << R"("2024-07-01")";
        QTest::newRow("array index 0") << "CustomBlock.B900.settlementDayConsumptionPeriods.0.settlementDay.settlementDayDate"
                                       << R"("2024-06-30")";
        QTest::newRow("array index 1") << "CustomBlock.B900.settlementDayConsumptionPeriods.1.settlementDay.settlementDayDate"
                                       << R"("2024-07-01")";
        QTest::newRow("index past the end") << "CustomBlock.B900.settlementDayConsumptionPeriods.2" << "absent";
        QTest::newRow("negative index") << "CustomBlock.B900.settlementDayConsumptionPeriods.-1" << "absent";
        QTest::newRow("name on an array") << "CustomBlock.B900.settlementDayConsumptionPeriods.settlementDay" << "absent";
        QTest::newRow("through a string") << "CustomBlock.B014.incomingMeteringServiceDIPID.x" << "absent";
        QTest::newRow("missing key") << "CustomBlock.B015" << "absent";
        QTest::newRow("empty segment") << "CustomBlock..B014" << "absent";
        QTest::newRow("empty path") << "" << "absent";
        QTest::newRow("numeric object key") << "CustomBlock.7" << R"(true)";
    }
    void jsonPath()
    {
        QFETCH(QString, path);
        QFETCH(QString, expected);
        const OJson root = json(R"({"CustomBlock":{
            "B014":{"incomingMeteringServiceDIPID":"2200000002","IncomingMeteringServiceDIPID":"X",
                    "incomingMeteringServiceEffectiveFromDate":"2024-07-01"},
            "B900":{"settlementDayConsumptionPeriods":[{"settlementDay":{"settlementDayDate":"2024-06-30"}},
                                                        {"settlementDay":{"settlementDayDate":"2024-07-01"}}]},
            "7":true}})");
        const OJson *v = jsonAtPath(root, path);
        QCOMPARE(v ? qs(v->dump()) : QStringLiteral("absent"), expected);
    }

    void stringAtPathOnlyReturnsStrings()
    {
        const OJson root = json(R"({"a":{"s":"text","n":5,"l":["x"]}})");
        QCOMPARE(stringAtPath(root, QStringLiteral("A.S")), QStringLiteral("text"));
        QCOMPARE(stringAtPath(root, QStringLiteral("a.n")), QString());
        QCOMPARE(stringAtPath(root, QStringLiteral("a.l")), QString());
        QCOMPARE(stringAtPath(root, QStringLiteral("a.l.0")), QStringLiteral("x"));
        QCOMPARE(stringAtPath(root, QStringLiteral("a.missing")), QString());
    }

    void appointmentHistory_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<int>("lastChanges");   // rows the last command returned for persisting
        QTest::addColumn<QString>("probes");
        QTest::newRow("succession")
            << "appoint A 2024-04-01; appoint B 2024-07-01" << 2
            << "SUP@2024-03-31T23:59:59+01:00=;SUP@2024-04-01=A;SUP@2024-05-01=A;SUP@2024-06-30T22:59:59+00:00=A;"
               "SUP@2024-06-30T23:00:00+00:00=B;SUP@2024-07-01T00:00:00+01:00=B;SUP@2030-01-01=B";
        QTest::newRow("late earlier appointment ends where the later one starts")
            << "appoint A 2024-07-01; appoint B 2024-04-01" << 1
            << "SUP@2024-03-31=;SUP@2024-05-01=B;SUP@2024-06-30T22:59:59+00:00=B;SUP@2024-07-01=A;SUP@2025-01-01=A";
        QTest::newRow("late appointment between two")
            << "appoint A 2024-04-01; appoint C 2024-10-01; appoint B 2024-07-01" << 2
            << "SUP@2024-06-01=A;SUP@2024-07-01=B;SUP@2024-09-30=B;SUP@2024-10-01=C";
        QTest::newRow("deappoint") << "appoint A 2024-04-01; deappoint A 2024-09-01" << 1
                                   << "SUP@2024-08-31=A;SUP@2024-08-31T23:59:59+01:00=A;SUP@2024-09-01=;SUP@2025-01-01=";
        QTest::newRow("deappoint at the successor's start changes nothing")
            << "appoint A 2024-04-01; appoint B 2024-07-01; deappoint A 2024-07-01" << 0
            << "SUP@2024-06-01=A;SUP@2024-07-01=B";
        QTest::newRow("deappoint never reaches past the successor")
            << "appoint A 2024-04-01; appoint B 2024-07-01; deappoint A 2024-09-01" << 0
            << "SUP@2024-06-01=A;SUP@2024-08-01=B";
        QTest::newRow("deappoint moved earlier")
            << "appoint A 2024-04-01; deappoint A 2024-09-01; deappoint A 2024-08-01" << 1
            << "SUP@2024-07-31=A;SUP@2024-08-01=";
        QTest::newRow("deappoint of another party changes nothing")
            << "appoint A 2024-04-01; deappoint X 2024-09-01" << 0 << "SUP@2024-10-01=A";
        QTest::newRow("deappoint before the appointment changes nothing")
            << "appoint A 2024-04-01; deappoint A 2024-03-01" << 0 << "SUP@2024-04-01=A";
        QTest::newRow("identical re-statement") << "appoint A 2024-04-01; appoint A 2024-04-01" << 0
                                                << "SUP@2024-04-01=A";
        QTest::newRow("re-stating the current party later") << "appoint A 2024-04-01; appoint A 2024-06-01" << 0
                                                            << "SUP@2024-05-01=A;SUP@2024-07-01=A";
        QTest::newRow("another party from the same instant corrects the row")
            << "appoint A 2024-04-01; appoint B 2024-04-01" << 1 << "SUP@2024-03-31=;SUP@2024-04-01=B;SUP@2025-01-01=B";
        QTest::newRow("re-appointed after a gap")
            << "appoint A 2024-04-01; deappoint A 2024-06-01; appoint A 2024-08-01" << 1
            << "SUP@2024-05-01=A;SUP@2024-07-01=;SUP@2024-08-01=A";
        QTest::newRow("winter boundary is +00:00")
            << "appoint A 2024-01-01; appoint B 2024-12-01" << 2
            << "SUP@2024-11-30T23:59:59+00:00=A;SUP@2024-12-01T00:00:00+00:00=B";
        QTest::newRow("summer boundary is +01:00")
            << "appoint B 2024-07-01" << 1
            << "SUP@2024-06-30T22:59:59+00:00=;SUP@2024-06-30T23:00:00+00:00=B;SUP@2024-07-01T00:00:00+01:00=B";
    }
    void appointmentHistory()
    {
        QFETCH(QString, script);
        QFETCH(int, lastChanges);
        QFETCH(QString, probes);
        AppointmentMap map;
        QCOMPARE(runScript(map, script), qsizetype(lastChanges));
        checkProbes(map, probes);
        // Whatever the order of arrival, the rows never overlap.
        const auto rows = map.history(kMpan);
        for (qsizetype i = 1; i < rows.size(); ++i) {
            QVERIFY(rows[i - 1].toMs.has_value());
            QVERIFY(*rows[i - 1].toMs <= rows[i].fromMs);
        }
    }

    void changedRowsAreWhatToPersist()
    {
        AppointmentMap map;
        const auto first = map.appoint(kMpan, QStringLiteral("SUP"), kSup1, when(QStringLiteral("2024-04-01")), 100,
                                       QStringLiteral("T-1"));
        QCOMPARE(first.size(), 1);
        QCOMPARE(first[0].id, 0);
        QCOMPARE(first[0].toMs, std::nullopt);
        QCOMPARE(first[0].source, QStringLiteral("T-1"));
        QCOMPARE(first[0].recordedMs, 100);
        map.setId(kMpan, QStringLiteral("SUP"), first[0].fromMs, 12);

        const auto second = map.appoint(kMpan, QStringLiteral("SUP"), kSup2, when(QStringLiteral("2024-07-01")), 200,
                                        QStringLiteral("T-2"));
        QCOMPARE(second.size(), 2);
        QCOMPARE(second[0].id, 12);   // the closed row keeps its id: an update
        QCOMPARE(second[0].toMs, std::optional<qint64>(when(QStringLiteral("2024-07-01"))));
        QCOMPARE(second[0].source, QStringLiteral("T-1"));   // still names the statement that appointed it
        QCOMPARE(second[1].id, 0);
        QCOMPARE(second[1].dipId, kSup2);

        map.setId(kMpan, QStringLiteral("SUP"), second[1].fromMs, 13);
        QCOMPARE(map.at(kMpan, QStringLiteral("SUP"), when(QStringLiteral("2024-08-01")))->id, 13);
        map.setId(kMpan, QStringLiteral("SUP"), 42, 99);   // unknown key: ignored
        QCOMPARE(map.at(kMpan, QStringLiteral("SUP"), when(QStringLiteral("2024-05-01")))->id, 12);
    }

    void historyIsOrderedByRoleThenDate()
    {
        AppointmentMap map;
        map.appoint(kMpan, QStringLiteral("SUP"), kSup2, when(QStringLiteral("2024-07-01")), 1, QStringLiteral("x"));
        map.appoint(kMpan, QStringLiteral("SUP"), kSup1, when(QStringLiteral("2024-04-01")), 2, QStringLiteral("x"));
        map.appoint(kMpan, QStringLiteral("MSS"), kMss1, when(QStringLiteral("2024-01-01")), 3, QStringLiteral("x"));
        map.appoint(QStringLiteral("2000000000001"), QStringLiteral("SUP"), kSup1, 0, 4, QStringLiteral("x"));
        const auto rows = map.history(kMpan);
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows[0].role, QStringLiteral("MSS"));
        QCOMPARE(rows[1].dipId, kSup1);
        QCOMPARE(rows[2].dipId, kSup2);
        QVERIFY(map.history(QStringLiteral("9999999999996")).isEmpty());
    }

    void loadReplacesTheMap()
    {
        AppointmentMap map;
        map.appoint(kMpan, QStringLiteral("SUP"), kSup1, 0, 1, QStringLiteral("x"));
        // Store rows arrive in any order; the map orders them.
        map.load({AppointmentRecord{8, kMpan, QStringLiteral("SUP"), kSup2, when(QStringLiteral("2024-07-01")), std::nullopt, 5,
                                    QStringLiteral("T-8")},
                  AppointmentRecord{7, kMpan, QStringLiteral("SUP"), kMss1, when(QStringLiteral("2024-04-01")),
                                    when(QStringLiteral("2024-07-01")), 4, QStringLiteral("T-7")}});
        QCOMPARE(map.at(kMpan, QStringLiteral("SUP"), when(QStringLiteral("2024-05-01")))->id, 7);
        QCOMPARE(map.at(kMpan, QStringLiteral("SUP"), when(QStringLiteral("2024-08-01")))->id, 8);
        QVERIFY(!map.at(kMpan, QStringLiteral("SUP"), when(QStringLiteral("2024-01-01"))));
        // A later appointment then closes the loaded open row as an update of row 8.
        const auto changed = map.appoint(kMpan, QStringLiteral("SUP"), kSup1, when(QStringLiteral("2024-10-01")), 6,
                                         QStringLiteral("T-9"));
        QCOMPARE(changed.size(), 2);
        QCOMPARE(changed[0].id, 8);
    }

    void route_data()
    {
        QTest::addColumn<QString>("channel");
        QTest::addColumn<QString>("sender");
        QTest::addColumn<QStringList>("primary");
        QTest::addColumn<QString>("mpan");
        QTest::addColumn<QString>("distributor");
        QTest::addColumn<qint64>("businessMs");
        QTest::addColumn<QString>("explanation");
        QTest::addColumn<QStringList>("failureCodes");
        QTest::addColumn<QString>("failureNames");   // a phrase the first failure's text contains

        const QString always = QStringLiteral("Always:[MDS:%1,LSS:%2]").arg(kMds, kLss);
        const qint64 june = utcMidnight(QStringLiteral("2024-06-30"));
        const qint64 july = utcMidnight(QStringLiteral("2024-07-01"));
        QTest::newRow("settlement day in June: June's supplier")
            << "IF-021" << kSds << QStringList() << kMpan << kLdso << june
            << QStringLiteral("Primary:[];Secondary:[SUP:%1,LDSO:%2];").arg(kSup1, kLdso) + always << QStringList() << "";
        QTest::newRow("settlement day in July: July's supplier")
            << "IF-021" << kSds << QStringList() << kMpan << kLdso << july
            << QStringLiteral("Primary:[];Secondary:[SUP:%1,LDSO:%2];").arg(kSup2, kLdso) + always << QStringList() << "";
        QTest::newRow("before any supplier: distributor still found")
            << "IF-021" << kSds << QStringList() << kMpan << kLdso << utcMidnight(QStringLiteral("2023-01-01"))
            << QStringLiteral("Primary:[];Secondary:[LDSO:%1];").arg(kLdso) + always << QStringList() << "";
        QTest::newRow("primary wins over secondary and always")
            << "IF-021" << kSds << QStringList{kSup2, kMds, kSup2} << kMpan << kLdso << july
            << QStringLiteral("Primary:[SUP:%1,MDS:%2];Secondary:[LDSO:%3];Always:[LSS:%4]").arg(kSup2, kMds, kLdso, kLss)
            << QStringList() << "";
        QTest::newRow("sender gets no secondary or always copy")
            << "IF-021" << kSup1 << QStringList() << kMpan << kLdso << june
            << QStringLiteral("Primary:[];Secondary:[LDSO:%1];").arg(kLdso) + always << QStringList() << "";
        QTest::newRow("always subscriber sending")
            << "IF-021" << kMds << QStringList() << kMpan << kLdso << june
            << QStringLiteral("Primary:[];Secondary:[SUP:%1,LDSO:%2];Always:[LSS:%3]").arg(kSup1, kLdso, kLss)
            << QStringList() << "";
        QTest::newRow("primary valid") << "IF-033" << kRegs << QStringList{kMss1} << kMpan << "" << june
                                       << QStringLiteral("Primary:[MSS:%1];Secondary:[];Always:[]").arg(kMss1)
                                       << QStringList() << "";
        QTest::newRow("primary unknown")
            << "IF-033" << kRegs << QStringList{kUnregistered} << kMpan << "" << june << "Primary:[];Secondary:[];Always:[]"
            << QStringList{"MSG1031", "MSG1030"} << "primary recipient 2300000999 is not a registered DIP id";
        QTest::newRow("primary with a role the channel does not publish to")
            << "IF-033" << kRegs << QStringList{kSup1, kMss1} << kMpan << "" << june
            << QStringLiteral("Primary:[MSS:%1];Secondary:[];Always:[]").arg(kMss1) << QStringList{"MSG1032"}
            << "2300000185 holds role SUP";
        QTest::newRow("no MPAN: others still route")
            << "IF-021" << kSds << QStringList() << "" << kLdso << june << "Primary:[];Secondary:[];" + always
            << QStringList{"MSG1037"} << "no MPAN";
        QTest::newRow("nobody appointed")
            << "IF-021" << kSds << QStringList() << "9999999999996" << "" << june << "Primary:[];Secondary:[];" + always
            << QStringList{"MSG1038"} << "9999999999996 for SUP,LDSO on 2024-06-30";
        QTest::newRow("distributor from M0 when LDSO has no row")
            << "IF-021" << kSds << QStringList() << "9999999999996" << kLdso << june
            << QStringLiteral("Primary:[];Secondary:[LDSO:%1];").arg(kLdso) + always << QStringList() << "";
        QTest::newRow("appointed party not registered")
            << "IF-021" << kSds << QStringList() << "2000000000001" << kLdso << june
            << QStringLiteral("Primary:[];Secondary:[LDSO:%1];").arg(kLdso) + always << QStringList{"MSG1033"}
            << "secondary recipient 2300000999";
        QTest::newRow("appointed party registered with another role")
            << "IF-021" << kSds << QStringList() << "3000000000002" << kLdso << june
            << QStringLiteral("Primary:[];Secondary:[LDSO:%1];").arg(kLdso) + always << QStringList{"MSG1034"}
            << "registered as REGS, not SUP";
        QTest::newRow("always subscriber not registered")
            << "IF-021 unregistered always" << kSds << QStringList() << kMpan << kLdso << june
            << QStringLiteral("Primary:[];Secondary:[SUP:%1,LDSO:%2];").arg(kSup1, kLdso) + always
            << QStringList{"MSG1035"} << "always subscriber 1800009999 of IF-021";
        QTest::newRow("nothing at all") << "IF-033" << kRegs << QStringList() << kMpan << "" << june
                                        << "Primary:[];Secondary:[];Always:[]" << QStringList{"MSG1030"}
                                        << "has no recipient";
    }
    void route()
    {
        QFETCH(QString, channel);
        QFETCH(QString, sender);
        QFETCH(QStringList, primary);
        QFETCH(QString, mpan);
        QFETCH(QString, distributor);
        QFETCH(qint64, businessMs);
        QFETCH(QString, explanation);
        QFETCH(QStringList, failureCodes);
        QFETCH(QString, failureNames);

        AppointmentMap map;
        map.appoint(kMpan, QStringLiteral("SUP"), kSup1, when(QStringLiteral("2024-04-01")), 1, QStringLiteral("T-A"));
        map.appoint(kMpan, QStringLiteral("SUP"), kSup2, when(QStringLiteral("2024-07-01")), 2, QStringLiteral("T-B"));
        map.appoint(kMpan, QStringLiteral("LDSO"), kLdso, when(QStringLiteral("2020-01-01")), 3, QStringLiteral("seed"));
        map.appoint(QStringLiteral("2000000000001"), QStringLiteral("SUP"), kUnregistered, 0, 4, QStringLiteral("seed"));
        map.appoint(QStringLiteral("3000000000002"), QStringLiteral("SUP"), kRegs, 0, 5, QStringLiteral("seed"));

        const ChannelDef ch = channelNamed(channel);
        RoutingInput in;
        in.channel = &ch;
        in.eventCode = QStringLiteral("[Event]");
        in.senderDipId = sender;
        in.primaryRecipients = primary;
        in.mpan = mpan;
        in.distributorDipId = distributor;
        in.businessMs = businessMs;
        const RoutingResult r = Router(map, registry()).route(in);

        QCOMPARE(r.explanation(), explanation);
        QStringList codes;
        for (const Issue &f : r.failures) {
            codes << f.code;
            QCOMPARE(f.severity, Issue::Severity::Error);
        }
        QCOMPARE(codes, failureCodes);
        if (!failureNames.isEmpty())
            QVERIFY2(r.failures.first().text.contains(failureNames), qPrintable(r.failures.first().text));
        QSet<QString> distinct;
        for (const RecipientEntry &e : r.recipients)
            distinct.insert(e.dipId);
        QCOMPARE(distinct.size(), r.recipients.size());
        QVERIFY(!r.secondaryIds().contains(sender));
        QVERIFY(!r.alwaysIds().contains(sender));
    }

    void recipientsSayWhy()
    {
        AppointmentMap map;
        const auto rows = map.appoint(kMpan, QStringLiteral("SUP"), kSup1, when(QStringLiteral("2024-07-01")), 1,
                                      QStringLiteral("T-IF-001-1"));
        map.setId(kMpan, QStringLiteral("SUP"), rows[0].fromMs, 12);
        const ChannelDef ch = if021();
        RoutingInput in;
        in.channel = &ch;
        in.senderDipId = kSds;
        in.primaryRecipients = {kLss};
        in.mpan = kMpan;
        in.distributorDipId = kLdso;
        in.businessMs = utcMidnight(QStringLiteral("2024-07-01"));
        const RoutingResult r = Router(map, registry()).route(in);
        QCOMPARE(r.recipients.size(), 4);
        QCOMPARE(r.recipients[0].reason, Reason::Primary);
        QCOMPARE(r.recipients[0].detail, QStringLiteral("listed in A0.primaryRecipients"));
        QCOMPARE(r.recipients[1].reason, Reason::Secondary);
        QCOMPARE(r.recipients[1].role, QStringLiteral("SUP"));
        QCOMPARE(r.recipients[1].detail,
                 QStringLiteral("appointed SUP for 1012345678903 from 2024-07-01T00:00:00+01:00 (row 12, source T-IF-001-1)"));
        QCOMPARE(r.recipients[1].appointmentId, std::optional<qint64>(12));
        QCOMPARE(r.recipients[2].detail, QStringLiteral("distributor in M0"));
        QCOMPARE(r.recipients[2].appointmentId, std::nullopt);
        QCOMPARE(r.recipients[3].reason, Reason::Always);
        QCOMPARE(r.recipients[3].role, QStringLiteral("MDS"));
        QCOMPARE(r.recipients[3].detail, QStringLiteral("always subscriber of IF-021"));
        QCOMPARE(r.primaryIds(), QStringList{kLss});
        QCOMPARE(r.secondaryIds(), (QStringList{kSup1, kLdso}));
        QCOMPARE(r.alwaysIds(), QStringList{kMds});
    }

    void explanationFormat()
    {
        RoutingResult r;
        QCOMPARE(r.explanation(), QStringLiteral("Primary:[];Secondary:[];Always:[]"));
        r.recipients = {{kMds, QStringLiteral("MDS"), Reason::Always, {}, {}},
                        {kLdso, QStringLiteral("LDSO"), Reason::Secondary, {}, {}},
                        {kSup1, QStringLiteral("SUP"), Reason::Primary, {}, {}},
                        {kSds, QStringLiteral("SDS"), Reason::Secondary, {}, {}}};
        QCOMPARE(r.explanation(),
                 QStringLiteral("Primary:[SUP:2300000185];Secondary:[LDSO:2500000033,SDS:2100000001];Always:[MDS:1800000001]"));
    }

    void businessInstant_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("value");   // empty: the field is absent
        QTest::addColumn<qint64>("expected");
        QTest::addColumn<bool>("warns");
        const qint64 received = when(QStringLiteral("2024-08-15T10:00:00+01:00"));
        const QString day = QStringLiteral("CustomBlock.B900.settlementDayConsumptionPeriods.0.settlementDay.settlementDayDate");
        QTest::newRow("settlement day is a UTC date") << day << "2024-07-01" << utcMidnight(QStringLiteral("2024-07-01"))
                                                      << false;
        QTest::newRow("winter settlement day") << day << "2024-12-01" << utcMidnight(QStringLiteral("2024-12-01")) << false;
        QTest::newRow("DT-003 value is that instant")
            << day << "2024-07-01T00:00:00+01:00" << when(QStringLiteral("2024-06-30T23:00:00+00:00")) << false;
        QTest::newRow("absent: time of receipt") << day << "" << received << true;
        QTest::newRow("unreadable: time of receipt") << day << "2024-02-30" << received << true;
        QTest::newRow("no path: time of receipt") << "" << "2024-07-01" << received << false;
    }
    void businessInstant()
    {
        QFETCH(QString, path);
        QFETCH(QString, value);
        QFETCH(qint64, expected);
        QFETCH(bool, warns);
        ChannelDef ch = if021();
        ch.businessDatePath = path;
        OJson payload = json(R"({"CommonBlock":{},"CustomBlock":{"B900":{"settlementDayConsumptionPeriods":[{"settlementDay":{}}]}}})");
        if (!value.isEmpty())
            payload["CustomBlock"]["B900"]["settlementDayConsumptionPeriods"][0]["settlementDay"]["settlementDayDate"] = ss(value);
        QString warning = QStringLiteral("stale");
        QCOMPARE(routing::businessInstant(ch, payload, when(QStringLiteral("2024-08-15T10:00:00+01:00")), &warning),
                 expected);
        QCOMPARE(!warning.isEmpty(), warns);
        if (warns)
            QVERIFY2(warning.contains(path), qPrintable(warning));
    }

    // The key case: a late IF-021 goes to the supplier of its settlement day, not today's.
    void lateConsumptionGoesToThatDaysSupplier()
    {
        AppointmentMap map;
        const auto lookup = registry();
        const ChannelDef cos = if001();
        Issues warnings;
        map.applyEffects(cos, QStringLiteral("[ChangeOfSupplier]"),
                         json(R"({"CustomBlock":{"B002":{"incomingSupplierDIPID":"2300000185","supplierEffectiveFromDate":"2024-04-01"}}})"),
                         kMpan, lookup, 1, QStringLiteral("T-1"), &warnings);
        map.applyEffects(cos, QStringLiteral("[ChangeOfSupplier]"),
                         json(R"({"CustomBlock":{"B002":{"incomingSupplierDIPID":"2300000186","supplierEffectiveFromDate":"2024-07-01"}}})"),
                         kMpan, lookup, 2, QStringLiteral("T-2"), &warnings);
        QVERIFY(warnings.isEmpty());

        const ChannelDef ch = if021();
        const qint64 today = when(QStringLiteral("2024-08-15T10:00:00+01:00"));
        const OJson consumption = json(R"({"CustomBlock":{"B900":{"settlementDayConsumptionPeriods":[
            {"settlementDay":{"settlementDayDate":"2024-06-30","periodDuration":30}}]}}})");
        QString note;
        RoutingInput in;
        in.channel = &ch;
        in.senderDipId = kSds;
        in.mpan = kMpan;
        in.distributorDipId = kLdso;
        in.businessMs = routing::businessInstant(ch, consumption, today, &note);
        QVERIFY(note.isEmpty());
        const RoutingResult r = Router(map, lookup).route(in);
        QCOMPARE(r.secondaryIds(), (QStringList{kSup1, kLdso}));
        QVERIFY(r.failures.isEmpty());
        in.businessMs = today;
        QCOMPARE(Router(map, lookup).route(in).secondaryIds(), (QStringList{kSup2, kLdso}));
    }

    void applyEffects_data()
    {
        QTest::addColumn<QString>("channel");
        QTest::addColumn<QString>("eventCode");
        QTest::addColumn<QString>("mpan");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<int>("changes");
        QTest::addColumn<QStringList>("warningCodes");
        QTest::addColumn<QString>("probes");

        QTest::newRow("IF-036 MSAppActive appoints from UK midnight")
            << "IF-036" << "[MSAppActive]" << kMpan
            << QByteArray(R"({"CustomBlock":{"B014":{"incomingMeteringServiceDIPID":"2200000002","incomingMeteringServiceEffectiveFromDate":"2024-07-01"}}})")
            << 2 << QStringList()
            << "MSS@2024-06-30T22:59:59+00:00=2200000001;MSS@2024-07-01T00:00:00+01:00=2200000002;MSA@2024-08-01=";
        QTest::newRow("IF-036 with any key case")
            << "IF-036" << "[MSAppActive]" << kMpan
            << QByteArray(R"({"customblock":{"b014":{"INCOMINGMETERINGSERVICEDIPID":"2200000002","incomingmeteringserviceeffectivefromdate":"2024-07-01"}}})")
            << 2 << QStringList() << "MSS@2024-07-01=2200000002";
        QTest::newRow("IF-036 DT-003 date with the UK offset")
            << "IF-036" << "[MSAppActive]" << kMpan
            << QByteArray(R"({"CustomBlock":{"B014":{"incomingMeteringServiceDIPID":"2200000002","incomingMeteringServiceEffectiveFromDate":"2024-07-01T00:00:00+01:00"}}})")
            << 2 << QStringList() << "MSS@2024-06-30T23:59:59+01:00=2200000001;MSS@2024-07-01=2200000002";
        QTest::newRow("summer date written +00:00 warns, taken as written")
            << "IF-036" << "[MSAppActive]" << kMpan
            << QByteArray(R"({"CustomBlock":{"B014":{"incomingMeteringServiceDIPID":"2200000002","incomingMeteringServiceEffectiveFromDate":"2024-07-01T00:00:00+00:00"}}})")
            << 2 << QStringList{"RTG004"}
            << "MSS@2024-07-01T00:59:59+01:00=2200000001;MSS@2024-07-01T01:00:00+01:00=2200000002";
        QTest::newRow("winter date written +01:00 warns")
            << "IF-036" << "[MSAppActive]" << kMpan
            << QByteArray(R"({"CustomBlock":{"B014":{"incomingMeteringServiceDIPID":"2200000002","incomingMeteringServiceEffectiveFromDate":"2024-12-01T00:00:00+01:00"}}})")
            << 2 << QStringList{"RTG004"} << "MSS@2024-11-30T23:00:00+00:00=2200000002;MSS@2024-11-30T22:59:59+00:00=2200000001";
        QTest::newRow("registered role picks among the effect's roles")
            << "IF-036" << "[MSAppActive]" << kMpan
            << QByteArray(R"({"CustomBlock":{"B014":{"incomingMeteringServiceDIPID":"2200000003","incomingMeteringServiceEffectiveFromDate":"2024-07-01"}}})")
            << 1 << QStringList() << "MSA@2024-07-01=2200000003;MSS@2024-08-01=2200000001";
        QTest::newRow("unregistered party: first role, warning")
            << "IF-036" << "[MSAppActive]" << kMpan
            << QByteArray(R"({"CustomBlock":{"B014":{"incomingMeteringServiceDIPID":"2300000999","incomingMeteringServiceEffectiveFromDate":"2024-07-01"}}})")
            << 2 << QStringList{"RTG005"} << "MSS@2024-07-01=2300000999";
        QTest::newRow("party registered with a role outside the effect")
            << "IF-036" << "[MSAppActive]" << kMpan
            << QByteArray(R"({"CustomBlock":{"B014":{"incomingMeteringServiceDIPID":"2300000185","incomingMeteringServiceEffectiveFromDate":"2024-07-01"}}})")
            << 2 << QStringList{"RTG005"} << "MSS@2024-07-01=2300000185";
        QTest::newRow("other event's effect: its block is missing")
            << "IF-036" << "[DSAppActive]" << kMpan
            << QByteArray(R"({"CustomBlock":{"B014":{"incomingMeteringServiceDIPID":"2200000002","incomingMeteringServiceEffectiveFromDate":"2024-07-01"}}})")
            << 0 << QStringList{"RTG002"} << "MSS@2024-08-01=2200000001";
        QTest::newRow("missing date")
            << "IF-036" << "[MSAppActive]" << kMpan
            << QByteArray(R"({"CustomBlock":{"B014":{"incomingMeteringServiceDIPID":"2200000002"}}})") << 0
            << QStringList{"RTG003"} << "MSS@2024-08-01=2200000001";
        QTest::newRow("invalid date")
            << "IF-036" << "[MSAppActive]" << kMpan
            << QByteArray(R"({"CustomBlock":{"B014":{"incomingMeteringServiceDIPID":"2200000002","incomingMeteringServiceEffectiveFromDate":"2024-13-01"}}})")
            << 0 << QStringList{"RTG003"} << "MSS@2024-08-01=2200000001";
        QTest::newRow("no MPAN")
            << "IF-036" << "[MSAppActive]" << ""
            << QByteArray(R"({"CustomBlock":{"B014":{"incomingMeteringServiceDIPID":"2200000002","incomingMeteringServiceEffectiveFromDate":"2024-07-01"}}})")
            << 0 << QStringList{"RTG001"} << "MSS@2024-08-01=2200000001";
        QTest::newRow("IF-037 MSDeApp ends the appointment")
            << "IF-037" << "[MSDeApp]" << kMpan
            << QByteArray(R"({"CustomBlock":{"B008":{"deAppointedMeteringServiceDIPID":"2200000001","meteringServiceEffectiveToDate":"2024-07-01"}}})")
            << 1 << QStringList() << "MSS@2024-06-30T22:59:59+00:00=2200000001;MSS@2024-07-01=";
        QTest::newRow("IF-037 for a party not appointed warns")
            << "IF-037" << "[MSDeApp]" << kMpan
            << QByteArray(R"({"CustomBlock":{"B008":{"deAppointedMeteringServiceDIPID":"2200000002","meteringServiceEffectiveToDate":"2024-07-01"}}})")
            << 0 << QStringList{"RTG006"} << "MSS@2024-08-01=2200000001";
        QTest::newRow("IF-037 event without an effect does nothing")
            << "IF-037" << "[MSDeAppUpdate]" << kMpan
            << QByteArray(R"({"CustomBlock":{"B008":{"deAppointedMeteringServiceDIPID":"2200000001","meteringServiceEffectiveToDate":"2024-07-01"}}})")
            << 0 << QStringList() << "MSS@2024-08-01=2200000001";
        QTest::newRow("IF-001 ChangeOfSupplier appoints the incoming supplier")
            << "IF-001" << "[ChangeOfSupplier]" << kMpan
            << QByteArray(R"({"CustomBlock":{"B002":{"incomingSupplierDIPID":"2300000186","supplierEffectiveFromDate":"2024-09-01"}}})")
            << 2 << QStringList() << "SUP@2024-08-31T23:59:59+01:00=2300000185;SUP@2024-09-01=2300000186";
        QTest::newRow("IF-001 restating the current supplier changes nothing")
            << "IF-001" << "[ChangeOfSupplier]" << kMpan
            << QByteArray(R"({"CustomBlock":{"B002":{"incomingSupplierDIPID":"2300000185","supplierEffectiveFromDate":"2024-04-01"}}})")
            << 0 << QStringList() << "SUP@2024-09-01=2300000185";
    }
    void applyEffects()
    {
        QFETCH(QString, channel);
        QFETCH(QString, eventCode);
        QFETCH(QString, mpan);
        QFETCH(QByteArray, payload);
        QFETCH(int, changes);
        QFETCH(QStringList, warningCodes);
        QFETCH(QString, probes);

        AppointmentMap map;
        map.appoint(kMpan, QStringLiteral("MSS"), kMss1, when(QStringLiteral("2024-01-01")), 1, QStringLiteral("seed"));
        map.appoint(kMpan, QStringLiteral("SUP"), kSup1, when(QStringLiteral("2024-04-01")), 1, QStringLiteral("seed"));
        const ChannelDef ch = channelNamed(channel);
        Issues warnings;
        const auto rows = map.applyEffects(ch, eventCode, OJson::parse(payload.toStdString()), mpan, registry(), 50,
                                           QStringLiteral("T-IF-X"), &warnings);
        QStringList codes;
        for (const Issue &w : warnings) {
            codes << w.code;
            QCOMPARE(w.severity, Issue::Severity::Warning);
            QVERIFY(w.context.startsWith(channel.left(6)));
        }
        QCOMPARE(codes, warningCodes);
        QCOMPARE(rows.size(), qsizetype(changes));
        for (const AppointmentRecord &r : rows)
            QCOMPARE(r.mpan, kMpan);
        checkProbes(map, probes);
        QVERIFY(map.applyEffects(ch, eventCode, OJson::parse(payload.toStdString()), mpan, registry(), 60,
                                 QStringLiteral("T-IF-Y"), nullptr)
                    .isEmpty());   // the same publication again is a no-op
    }

    void builtInCatalogueEffectsReadTheirPaths()
    {
        const auto cat = catalogue::Catalogue::builtIn();
        QVERIFY(cat);
        AppointmentMap map;
        Issues warnings;
        const auto rows = map.applyEffects(
            *cat->channel(QStringLiteral("IF-001")), QStringLiteral("[ChangeOfSupplier]"),
            json(R"({"CustomBlock":{"B002":{"incomingSupplierDIPID":"2300000186","supplierEffectiveFromDate":"2024-09-01"}}})"),
            kMpan, registry(), 1, QStringLiteral("T-1"), &warnings);
        QVERIFY(warnings.isEmpty());
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows[0].role, QStringLiteral("SUP"));
        QCOMPARE(rows[0].fromMs, when(QStringLiteral("2024-09-01")));
        const ChannelDef *ch021 = cat->channel(QStringLiteral("IF-021"));
        QString note;
        const qint64 at = routing::businessInstant(
            *ch021, json(R"({"CustomBlock":{"B900":{"settlementDayConsumptionPeriods":[{"settlementDay":{"settlementDayDate":"2024-09-02"}}]}}})"),
            0, &note);
        QVERIFY2(note.isEmpty(), qPrintable(note));
        QCOMPARE(at, utcMidnight(QStringLiteral("2024-09-02")));
    }

    void readersRunWhileTheMapIsWritten()
    {
        AppointmentMap map;
        std::atomic<bool> stop{false};
        std::atomic<int> reads{0}, torn{0};
        const qint64 probe = when(QStringLiteral("2024-01-01")) + 500 * 60000 + 1;
        QThread *reader = QThread::create([&] {
            while (!stop.load()) {
                const auto row = map.at(kMpan, QStringLiteral("SUP"), probe);
                if (row && row->dipId != kSup1 && row->dipId != kSup2)
                    ++torn;
                const auto rows = map.history(kMpan);
                for (qsizetype i = 1; i < rows.size(); ++i)
                    if (rows[i - 1].fromMs >= rows[i].fromMs)
                        ++torn;
                ++reads;
            }
        });
        reader->start();
        // The writes take milliseconds; without waiting the reader may not be scheduled before they end.
        while (reads.load() == 0)
            QThread::yieldCurrentThread();
        for (int i = 0; i < 2000; ++i)
            map.appoint(kMpan, QStringLiteral("SUP"), i % 2 ? kSup1 : kSup2, when(QStringLiteral("2024-01-01")) + i * 60000,
                        i, QStringLiteral("T"));
        stop = true;
        reader->wait();
        delete reader;
        QVERIFY(reads.load() > 0);
        QCOMPARE(torn.load(), 0);
        QCOMPARE(map.history(kMpan).size(), 2000);
    }
};

QTEST_GUILESS_MAIN(TestRouting)
#include "test_routing.moc"
