// SPDX-License-Identifier: GPL-3.0-or-later
// The reports panel, offscreen: a pack run and a tracker selection of a real workspace, previewed
// and exported, and the exported bundle verified.
#include "catalogue/catalogue.h"
#include "common/workspace.h"
#include "evidence/bundle_verify.h"
#include "mainwindow/emulator_host.h"
#include "reports/reports_widget.h"
#include "scenario/run_store.h"
#include "scenario/scenario_widget.h"
#include "schema/schema_set.h"
#include "store/store.h"
#include "tracker/message_table_model.h"
#include "tracker/tracker_view.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include <nlohmann/json.hpp>

using namespace dipwb;

class TestReportsPanel final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<ui::EmulatorHost> m_host;
    qint64 m_runId = 0;

    Workspace workspace() const { return Workspace(m_dir.filePath(QStringLiteral("ws"))); }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(workspace().ensure(&error), qPrintable(error));
        Issues issues;
        m_store = store::Store::open(workspace().databasePath(), &issues);
        QVERIFY(m_store);
        m_host = std::make_unique<ui::EmulatorHost>(dip::EmulatorConfig{}, m_store.get(), catalogue::Catalogue::builtIn(),
                                                    schema::SchemaSet::builtIn());
        QSignalSpy started(m_host.get(), &ui::EmulatorHost::started);
        m_host->start();
        QVERIFY(started.wait(10000));

        // A real run to report on: two cases of the SIT pack, one of them a rejection.
        ui::ScenarioWidget scenarios(m_host.get());
        const QString pack = qEnvironmentVariable("DIPWB_SOURCE_DIR") + QStringLiteral("/testpacks/sit-functional");
        QVERIFY2(scenarios.openPack(pack), qPrintable(scenarios.problems()));
        scenarios.selectCases({QStringLiteral("SIT-APP-001"), QStringLiteral("SIT-NEG-001")});
        QSignalSpy ended(&scenarios, &ui::ScenarioWidget::runEnded);
        scenarios.run();
        QVERIFY(ended.wait(30000));
        const auto result = ended.first().first().value<scenario::RunResult>();
        QCOMPARE(result.count(scenario::Verdict::Passed), 2);
        QTRY_VERIFY_WITH_TIMEOUT(!scenario::storedRuns(workspace().databasePath(), 1, &error).isEmpty(), 10000);
        m_runId = scenario::storedRuns(workspace().databasePath(), 1, &error).first().runId;
        QVERIFY(m_runId > 0);
    }

    void cleanupTestCase()
    {
        if (m_host)
            m_host->stop();
        m_host.reset();
        m_store.reset();
    }

    void previewsAndExportsARun()
    {
        ui::ReportsWidget panel(workspace().dir());
        panel.resize(1400, 800);
        panel.show();
        QCOMPARE(panel.sources()->rowCount(), 1);
        QSignalSpy ready(&panel, &ui::ReportsWidget::previewReady);
        QVERIFY(panel.selectRun(m_runId));
        QVERIFY(ready.wait(20000));
        QTRY_VERIFY(!panel.isBusy());
        const QString text = panel.preview()->toPlainText();
        QVERIFY2(text.contains(QLatin1String("Evidence report")) && text.contains(QLatin1String("SIT-APP-001"))
                     && text.contains(QLatin1String("SIT-NEG-001")) && text.contains(QLatin1String("Traceability")),
                 qPrintable(text.left(600)));
        // The plots are shown, not left as broken image links.
        const QImage plot = panel.preview()->document()->resource(QTextDocument::ImageResource, QUrl(QStringLiteral("dipwb-report:latency.png"))).value<QImage>();
        QVERIFY(!plot.isNull() && plot.width() > 300);

        const QString shot = qEnvironmentVariable("DIPWB_SCREENSHOT_DIR");
        if (!shot.isEmpty())
            QVERIFY(panel.grab().save(shot + QStringLiteral("/reports-panel.png")));

        const QString out = m_dir.filePath(QStringLiteral("out-run"));
        panel.setOutputDir(out);
        panel.setFormats({QStringLiteral("html"), QStringLiteral("junit"), QStringLiteral("bundle")});
        QSignalSpy exported(&panel, &ui::ReportsWidget::exported);
        panel.exportNow();
        QTRY_COMPARE_WITH_TIMEOUT(exported.size(), 1, 30000);
        const QStringList files = exported.first().first().toStringList();
        QCOMPARE(files.size(), 3);
        for (const QString &f : files)
            QVERIFY2(QFile::exists(f) && QFileInfo(f).absolutePath() == QDir(out).absolutePath(), qPrintable(f));
        QCOMPARE(panel.files()->count(), 3);
        const auto verification = evidence::verifyBundle(files.last());
        QVERIFY2(verification.intact(), qPrintable(verification.text()));
        QVERIFY2(verification.runSummary.contains(QStringLiteral("run %1").arg(m_runId)), qPrintable(verification.runSummary));
    }

    void reportsMessagesSelectedInTheTracker()
    {
        ui::TrackerView tracker(m_store.get(), *catalogue::Catalogue::builtIn());
        tracker.resize(1200, 600);
        tracker.show();
        QTRY_VERIFY(!tracker.model()->isLoading() && tracker.model()->rowCount() >= 3);
        QSignalSpy requested(&tracker, &ui::TrackerView::reportRequested);
        QSignalSpy notices(&tracker, &ui::TrackerView::notice);
        tracker.requestReportOfSelection();
        QCOMPARE(requested.size(), 0);
        QCOMPARE(notices.size(), 1); // nothing selected: said so

        // The first three rows, Ctrl-click style.
        QItemSelectionModel *sel = tracker.view()->selectionModel();
        for (int row = 0; row < 3; ++row)
            sel->select(tracker.model()->index(row, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        tracker.requestReportOfSelection();
        QCOMPARE(requested.size(), 1);
        const auto ids = requested.first().at(0).value<QList<qint64>>();
        QCOMPARE(ids.size(), 3);
        QCOMPARE(ids, tracker.selectedMessageIds());

        ui::ReportsWidget panel(workspace().dir());
        panel.resize(1400, 800);
        panel.show();
        QSignalSpy ready(&panel, &ui::ReportsWidget::previewReady);
        panel.setSelection(ids, requested.first().at(1).toString());
        QCOMPARE(panel.sources()->rowCount(), 2); // the selection above the stored run
        QCOMPARE(panel.sources()->item(0, 0)->text(), QStringLiteral("selection"));
        QVERIFY(ready.wait(20000));
        QTRY_VERIFY(!panel.isBusy());
        QVERIFY2(panel.preview()->toPlainText().contains(QLatin1String("message selection")), qPrintable(panel.preview()->toPlainText().left(400)));

        panel.setOutputDir(m_dir.filePath(QStringLiteral("out-selection")));
        panel.setFormats({QStringLiteral("json"), QStringLiteral("bundle")});
        QSignalSpy exported(&panel, &ui::ReportsWidget::exported);
        panel.exportNow();
        QTRY_COMPARE_WITH_TIMEOUT(exported.size(), 1, 30000);
        const QStringList files = exported.first().first().toStringList();
        QCOMPARE(files.size(), 2);
        QVERIFY(QFileInfo(files.first()).fileName().startsWith(QLatin1String("selection-")));
        QFile json(files.first());
        QVERIFY(json.open(QIODevice::ReadOnly));
        const auto results = nlohmann::json::parse(json.readAll().toStdString());
        QCOMPARE(int(results["cases"].size()), 3);
        for (const auto &c : results["cases"]) {
            const auto m = m_store->messageByTransactionId(QString::fromStdString(c["id"].get<std::string>()));
            QVERIFY2(m && ids.contains(m->id), c["id"].dump().c_str());
        }
        QVERIFY(results["evidence"]["cover"].contains("selection"));
        const auto verification = evidence::verifyBundle(files.last());
        QVERIFY2(verification.intact(), qPrintable(verification.text()));
        QVERIFY2(verification.runSummary.contains(QLatin1String("selected in the tracker")), qPrintable(verification.runSummary));
    }

    void aFailedExportSaysWhyAndWritesNothing()
    {
        ui::ReportsWidget panel(workspace().dir());
        panel.show();
        QSignalSpy ready(&panel, &ui::ReportsWidget::previewReady);
        QVERIFY(panel.selectRun(m_runId));
        QVERIFY(ready.wait(20000));
        QTRY_VERIFY(!panel.isBusy());
        // The output folder is a file: nothing can be written there.
        const QString blocker = m_dir.filePath(QStringLiteral("a-file"));
        QFile f(blocker);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        panel.setOutputDir(blocker + QStringLiteral("/sub"));
        panel.setFormats({QStringLiteral("json")});
        QSignalSpy exported(&panel, &ui::ReportsWidget::exported);
        panel.exportNow();
        QTRY_VERIFY(!panel.isBusy());
        QCOMPARE(exported.size(), 0);
        QVERIFY2(panel.message()->text().contains(QLatin1String("Export failed")) && panel.message()->text().contains(QLatin1String("a-file")),
                 qPrintable(panel.message()->text()));
        QCOMPARE(panel.files()->count(), 0);
    }
};

QTEST_MAIN(TestReportsPanel)
#include "test_reports_panel.moc"
