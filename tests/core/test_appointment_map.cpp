// SPDX-License-Identifier: GPL-3.0-or-later
// The MPAN appointment map: history with effective dates, what registration publications change
// in it (read through JSON paths), and readers beside its writer.
#include "routing_test_support.h"

#include <QThread>
#include <atomic>

using namespace dipwb;
using namespace dipwb::routing;
using namespace dipwb::routing::testing;
using store::AppointmentRecord;

class TestAppointmentMap final : public QObject
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

    // What an undone edit does: one role's rows replaced, in any order given, the other roles
    // untouched; no rows at all removes the role.
    void replaceRowsSetsOneRolesHistory()
    {
        AppointmentMap map;
        map.appoint(kMpan, QStringLiteral("SUP"), kSup1, when(QStringLiteral("2024-04-01")), 1, QStringLiteral("a"));
        map.appoint(kMpan, QStringLiteral("SUP"), kSup2, when(QStringLiteral("2024-07-01")), 2, QStringLiteral("b"));
        map.appoint(kMpan, QStringLiteral("MSS"), kMss1, when(QStringLiteral("2024-04-01")), 3, QStringLiteral("c"));
        const QList<AppointmentRecord> before = map.rowsOf(kMpan, QStringLiteral("SUP"));
        QCOMPARE(before.size(), 2);
        QCOMPARE(before[0].dipId, kSup1);
        map.replaceRows(kMpan, QStringLiteral("SUP"), {before[1], before[0]});
        QCOMPARE(map.rowsOf(kMpan, QStringLiteral("SUP")), before);
        map.replaceRows(kMpan, QStringLiteral("SUP"), {AppointmentRecord{5, kMpan, QStringLiteral("SUP"), kSup1,
                                                                          when(QStringLiteral("2024-04-01")), std::nullopt, 1,
                                                                          QStringLiteral("a")}});
        QCOMPARE(map.at(kMpan, QStringLiteral("SUP"), when(QStringLiteral("2024-08-01")))->dipId, kSup1);
        map.replaceRows(kMpan, QStringLiteral("SUP"), {});
        QVERIFY(map.rowsOf(kMpan, QStringLiteral("SUP")).isEmpty());
        QVERIFY(!map.at(kMpan, QStringLiteral("SUP"), when(QStringLiteral("2024-08-01"))));
        QCOMPARE(map.history(kMpan).size(), 1); // MSS stays
        QCOMPARE(map.rowsOf(kMpan, QStringLiteral("MSS")).first().dipId, kMss1);
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

QTEST_GUILESS_MAIN(TestAppointmentMap)
#include "test_appointment_map.moc"
