// SPDX-License-Identifier: GPL-3.0-or-later
// The scenario runner panel, offscreen, against the real emulator on its network thread.
#include "catalogue/catalogue.h"
#include "mainwindow/emulator_host.h"
#include "scenario/scenario_widget.h"
#include "schema/schema_set.h"
#include "store/store.h"

#include <QApplication>
#include <QFile>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace dipwb;

class TestScenarioPanel final : public QObject
{
    Q_OBJECT
private slots:
    void runsTickedCasesAndLinksStepsToMessages()
    {
        QTemporaryDir dir;
        Issues issues;
        auto store = store::Store::open(dir.filePath(QStringLiteral("ws.db")), &issues);
        QVERIFY(store);
        ui::EmulatorHost host(dip::EmulatorConfig{}, store.get(), catalogue::Catalogue::builtIn(), schema::SchemaSet::builtIn());
        QSignalSpy started(&host, &ui::EmulatorHost::started);
        host.start();
        QVERIFY(started.wait(10000));

        ui::ScenarioWidget panel(&host);
        panel.resize(1200, 700);
        panel.show();
        const QString pack = qEnvironmentVariable("DIPWB_SOURCE_DIR") + QStringLiteral("/testpacks/sit-functional");
        QVERIFY2(panel.openPack(pack), qPrintable(panel.problems()));
        QCOMPARE(panel.tree()->topLevelItemCount(), 5);
        const QStringList chosen{QStringLiteral("SIT-APP-001"), QStringLiteral("SIT-CON-001"), QStringLiteral("SIT-NEG-001")};
        panel.selectCases(chosen);

        QSignalSpy ended(&panel, &ui::ScenarioWidget::runEnded);
        panel.run();
        QVERIFY(ended.wait(30000));
        const auto result = ended.first().first().value<scenario::RunResult>();
        QCOMPARE(result.count(scenario::Verdict::Passed), 3);
        QCOMPARE(result.count(scenario::Verdict::Skipped), 12);

        QTreeWidgetItem *app = nullptr;
        QTreeWidgetItem *skipped = nullptr;
        QTreeWidgetItemIterator it(panel.tree());
        for (; *it; ++it) {
            if ((*it)->text(0) == QLatin1String("SIT-APP-001"))
                app = *it;
            if ((*it)->text(0) == QLatin1String("SIT-COS-001"))
                skipped = *it;
        }
        QVERIFY(app && skipped);
        QCOMPARE(app->text(2), QStringLiteral("passed"));
        QCOMPARE(skipped->text(2), QStringLiteral("skipped"));
        QCOMPARE(app->childCount(), 8); // one row per step
        QVERIFY(panel.log()->toPlainText().contains(QLatin1String("SIT-APP-001 step 2 expect [passed]")));

        // Double-clicking the first expect shows the message it matched.
        QSignalSpy requested(&panel, &ui::ScenarioWidget::messageRequested);
        emit panel.tree()->itemDoubleClicked(app->child(1), 0);
        QCOMPARE(requested.size(), 1);
        const auto message = store->message(requested.first().first().toLongLong());
        QVERIFY(message);
        QCOMPARE(message->channel, QStringLiteral("IF-032"));

        const QString shot = qEnvironmentVariable("DIPWB_SCREENSHOT_DIR");
        if (!shot.isEmpty())
            QVERIFY(panel.grab().save(shot + QStringLiteral("/scenario-panel.png")));
        host.stop();
    }

    void aBrokenPackIsExplainedNotRun()
    {
        QTemporaryDir dir;
        Issues issues;
        auto store = store::Store::open(dir.filePath(QStringLiteral("ws.db")), &issues);
        QVERIFY(store);
        ui::EmulatorHost host(dip::EmulatorConfig{}, store.get(), catalogue::Catalogue::builtIn(), schema::SchemaSet::builtIn());
        ui::ScenarioWidget panel(&host);
        QFile f(dir.filePath(QStringLiteral("pack.yaml")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("pack: {id: x, title: X, version: '1', stage: SIT}\nparticipants: []\nscenarios: [{id: S, cases: [{id: C, title: c, steps: [{sned: {}}]}]}]\n");
        f.close();
        QVERIFY(!panel.openPack(f.fileName()));
        QVERIFY2(panel.problems().contains(QLatin1String("unknown step 'sned' (did you mean 'send'?)")), qPrintable(panel.problems()));
        QCOMPARE(panel.tree()->topLevelItemCount(), 0);
    }
};

QTEST_MAIN(TestScenarioPanel)
#include "test_scenario_panel.moc"
