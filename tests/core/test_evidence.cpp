// SPDX-License-Identifier: GPL-3.0-or-later
// The evidence report's cover says how the run was made: against systems under test, as a
// self-test with their stand-ins, or with every party simulated (then there is no system under
// test to speak of).
#include "evidence/report_html.h"

#include <QTest>

using namespace dipwb;
using namespace dipwb::evidence;

class TestEvidence final : public QObject
{
    Q_OBJECT

    static EvidenceData runOf(bool selfTest, bool anyUnderTest)
    {
        EvidenceData e;
        e.run.packId = QStringLiteral("PACK-1");
        e.run.selfTest = selfTest;
        ParticipantEvidence simulated;
        simulated.dipId = QStringLiteral("2300000185");
        simulated.role = QStringLiteral("SUP");
        e.participants << simulated;
        if (anyUnderTest) {
            ParticipantEvidence tested;
            tested.dipId = QStringLiteral("1400000001");
            tested.role = QStringLiteral("SDS");
            tested.underTest = true;
            e.participants << tested;
        }
        return e;
    }

private slots:
    void coverNamesTheMode_data()
    {
        QTest::addColumn<bool>("selfTest");
        QTest::addColumn<bool>("anyUnderTest");
        QTest::addColumn<QString>("mode");
        QTest::newRow("systems under test") << false << true << QStringLiteral("against the systems under test");
        QTest::newRow("self-test") << true << true << QStringLiteral("self-test (parties under test played by their stand-ins)");
        QTest::newRow("every party simulated") << false << false
                                               << QStringLiteral("every party simulated by the workbench (no system under test)");
    }

    void coverNamesTheMode()
    {
        QFETCH(bool, selfTest);
        QFETCH(bool, anyUnderTest);
        QFETCH(QString, mode);
        const QString html = QString::fromUtf8(reportHtml(runOf(selfTest, anyUnderTest), {}));
        QVERIFY2(html.contains(mode), qPrintable(html.left(2000)));
        if (!anyUnderTest)
            QVERIFY(!html.contains(QStringLiteral("against the systems under test")));
    }
};

QTEST_GUILESS_MAIN(TestEvidence)
#include "test_evidence.moc"
