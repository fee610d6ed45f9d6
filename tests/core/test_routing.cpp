// SPDX-License-Identifier: GPL-3.0-or-later
// Routing one message: primary, secondary (from the appointment history at the message's business
// date) and always recipients, each with its reason, and the business date itself.
#include "routing_test_support.h"

using namespace dipwb;
using namespace dipwb::routing;
using namespace dipwb::routing::testing;
using store::AppointmentRecord;

class TestRouting final : public QObject
{
    Q_OBJECT

private slots:
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
};

QTEST_GUILESS_MAIN(TestRouting)
#include "test_routing.moc"
