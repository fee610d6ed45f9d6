// SPDX-License-Identifier: GPL-3.0-or-later
// The desktop workbench end to end, offscreen: the real emulator runs in-process on an ephemeral
// loopback port; a message composed and sent from the composer appears in the tracker, and the
// inspector shows its routing explanation and its delivered copy.
#include "catalogue/catalogue.h"
#include "composer/composer_widget.h"
#include "detail/inspector_widget.h"
#include "detail/json_tree_model.h"
#include "detail/record_models.h"
#include "mainwindow/emulator_host.h"
#include "mainwindow/main_window.h"
#include "mainwindow/workspace_switch.h"
#include "participants/participant_loader.h"
#include "participants/participants_model.h"
#include "participants/participants_widget.h"
#include "schema/schema_set.h"
#include "store/store.h"
#include "tracker/message_table_model.h"
#include "tracker/tracker_view.h"
#include "webhook_receiver.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QScreen>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTableView>
#include <QTreeView>
#include <QTreeWidget>

using namespace dipwb;

class TestWorkbench final : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<store::Store> m_store;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // Settings of a test run stay in the temporary folder.
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        QApplication::setOrganizationName(QStringLiteral("dip-workbench-test"));
        Issues issues;
        m_store = store::Store::open(m_dir.filePath(QStringLiteral("workbench.db")), &issues);
        QVERIFY(m_store);
    }

    void composeSendTrackInspect()
    {
        QFile f(QStringLiteral(":/dipwb/defaults/example.yaml"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        Issues issues;
        const auto seed = participants::parseParticipants(f.readAll(), f.fileName(), &issues);
        QVERIFY(!seed.isEmpty());

        testsupport::WebhookReceiver receiver;
        QVERIFY(receiver.start());

        dip::EmulatorConfig config; // port 0: ephemeral, loopback
        // The schemas the application uses with nothing pinned: the composer's message must pass them.
        ui::EmulatorHost host(config, m_store.get(), catalogue::Catalogue::builtIn(), schema::SchemaSet::builtIn());
        QList<participants::Participant> market = seed;
        for (auto &p : market)
            if (p.dipId == QLatin1String("1300000001"))
                p.webhooks.insert(QStringLiteral("IF-033"), receiver.url(QStringLiteral("/pub")));
        host.seedParticipants(market);
        ui::MainWindow window(&host, m_dir.path());
        window.resize(1400, 900);
        window.show();
        QSignalSpy started(&host, &ui::EmulatorHost::started);
        host.start();
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, 10000);
        QVERIFY(host.port() != 0);
        QTRY_VERIFY(window.participants()->model()->rowCount() >= 10);

        // Compose: IF-033 from the registration service to the smart metering service.
        ui::ComposerWidget *composer = window.composer();
        window.raisePanel(QStringLiteral("composer"));
        composer->selectChannel(QStringLiteral("IF-033"), QStringLiteral("[MSAppSPRequest]"));
        composer->selectSender(QStringLiteral("1100000001"));
        composer->setPrimaryRecipients(QStringLiteral("1300000001"));
        QVERIFY(composer->editor()->toPlainText().contains(QStringLiteral("\"senderDIPID\": \"1100000001\"")));
        QVERIFY(composer->sendButton()->isEnabled());
        QSignalSpy answered(composer, &ui::ComposerWidget::answered);
        QTest::mouseClick(composer->sendButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(answered.size(), 1, 10000);
        QVERIFY2(answered.first().at(0).toInt() == 201, composer->responseView()->toPlainText().toUtf8().constData());
        QVERIFY(composer->responseView()->toPlainText().contains(QStringLiteral("MSG0000")));

        // The tracker shows it without a reload.
        ui::MessageTableModel *model = window.tracker()->model();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, 5000);
        QCOMPARE(model->index(0, ui::MessageTableModel::Channel).data().toString(), QStringLiteral("IF-033"));
        QCOMPARE(model->index(0, ui::MessageTableModel::Sender).data().toString(), QStringLiteral("REGS:1100000001"));
        QTRY_COMPARE_WITH_TIMEOUT(model->index(0, ui::MessageTableModel::Deliveries).data().toString(),
                                  QStringLiteral("1/1 delivered"), 10000);
        QCOMPARE(receiver.receivedOn("/pub").size(), 1);

        // Open it: the inspector explains the routing and shows the copy.
        QTableView *view = window.tracker()->view();
        const QRect cell = view->visualRect(model->index(0, ui::MessageTableModel::Event));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
        ui::InspectorWidget *inspector = window.inspector();
        QCOMPARE(inspector->messageId(), model->messageId(0));
        QVERIFY2(inspector->header()->text().contains(QStringLiteral("valid against specification")), qPrintable(inspector->header()->text()));
        inspector->showTab(QStringLiteral("Routing"));
        QTreeWidget *routing = inspector->routingTree();
        QVERIFY(routing->topLevelItemCount() >= 2);
        QCOMPARE(routing->topLevelItem(0)->text(0), QStringLiteral("1300000001"));
        QCOMPARE(routing->topLevelItem(0)->text(1), QStringLiteral("MSS"));
        QVERIFY(routing->topLevelItem(0)->text(3).startsWith(QStringLiteral("Primary")));
        QCOMPARE(routing->topLevelItem(0)->text(2), QStringLiteral("Delivered"));
        const QTreeWidgetItem *explanation = routing->topLevelItem(routing->topLevelItemCount() - 1);
        QVERIFY(explanation->text(3).startsWith(QStringLiteral("Primary:[MSS:1300000001]")));
        QCOMPARE(inspector->deliveriesModel()->rowCount(), 1);
        // The copy's webhook call as sent: this emulator signs none, and says so.
        inspector->showTab(QStringLiteral("Deliveries"));
        inspector->deliveriesView()->setCurrentIndex(inspector->deliveriesModel()->index(0, 0));
        const QString call = inspector->callView()->toPlainText();
        QVERIFY2(call.contains(QStringLiteral("POST ") + receiver.url(QStringLiteral("/pub"))) && call.contains(QStringLiteral("Content-Type: application/json")),
                 qPrintable(call));
        QVERIFY2(call.startsWith(QStringLiteral("Signature: ")), qPrintable(call));
        QVERIFY(inspector->journalModel()->rowCount() >= 2);
        QVERIFY(inspector->payloadModel()->indexOfPath(QStringLiteral("payload.CommonBlock.S1.senderDIPID")).isValid());

        // Filter by another MPAN: the row goes; clearing brings it back.
        tracker::MessageFilter other;
        other.mpan = QStringLiteral("2000012345673");
        window.tracker()->setFilter(other);
        QTRY_VERIFY(!model->isLoading());
        QCOMPARE(model->rowCount(), 0);
        window.tracker()->setFilter({});
        QTRY_COMPARE(model->rowCount(), 1);

        // Requeue: the DIP pushes the copy again (a replay copy), and the receiver gets it twice.
        QSignalSpy notices(window.tracker(), &ui::TrackerView::notice);
        window.tracker()->requeue(model->messageId(0));
        QTRY_COMPARE_WITH_TIMEOUT(notices.size(), 1, 5000);
        QCOMPARE(notices.first().first().toString(), QStringLiteral("Requeued to 1300000001"));
        QVERIFY(receiver.waitFor(2, 10000, "/pub"));
        QTRY_COMPARE(m_store->deliveriesOfMessage(model->messageId(0)).size(), 2);
        QCOMPARE(model->index(0, ui::MessageTableModel::Deliveries).data().toString(), QStringLiteral("1/1 delivered"));

        // A second message for the same MPAN is related to the first.
        composer->newFromTemplate();
        QTest::mouseClick(composer->sendButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(answered.size(), 2, 10000);
        QCOMPARE(answered.at(1).at(0).toInt(), 201);
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 2, 5000);
        inspector->showMessage(model->messageId(0));
        QTreeWidget *related = inspector->relatedTree();
        QCOMPARE(related->topLevelItemCount(), 1);
        QCOMPARE(related->topLevelItem(0)->text(0), QStringLiteral("MPAN"));
        QCOMPARE(related->topLevelItem(0)->text(1), QString::number(model->messageId(1)));

        // Stop: sending is disabled and the status says so.
        QSignalSpy stopped(&host, &ui::EmulatorHost::stopped);
        host.stop();
        QTRY_COMPARE(stopped.size(), 1);
        QVERIFY(!composer->sendButton()->isEnabled());
        window.close();
    }

    void windowStateIsRestored()
    {
        ui::EmulatorHost host(dip::EmulatorConfig{}, m_store.get(), catalogue::Catalogue::builtIn(), nullptr);
        {
            ui::MainWindow first(&host, m_dir.path());
            first.show();
            QVERIFY(QTest::qWaitForWindowExposed(&first));
            first.dock(QStringLiteral("participants"))->hide();
            first.tracker()->view()->setColumnHidden(ui::MessageTableModel::Mpan, true);
            first.close(); // saves MainWindow/state and Tracker/header
        }
        ui::MainWindow second(&host, m_dir.path());
        second.show();
        QVERIFY(QTest::qWaitForWindowExposed(&second));
        QVERIFY(!second.dock(QStringLiteral("participants"))->isVisible());
        QVERIFY(second.dock(QStringLiteral("inspector"))->isVisible());
        QVERIFY(second.tracker()->view()->isColumnHidden(ui::MessageTableModel::Mpan));
        QVERIFY(!second.tracker()->view()->isColumnHidden(ui::MessageTableModel::Channel));
    }

    // The window with its default panels fits a 1366 x 768 laptop screen (about 720 pixels high
    // below a taskbar), and its first start is no bigger than it needs: 85 % of the screen, or
    // its minimum where that is larger.
    void fitsALaptopScreen()
    {
        QSettings().clear(); // a first start: no saved geometry or panel state
        ui::EmulatorHost host(dip::EmulatorConfig{}, m_store.get(), catalogue::Catalogue::builtIn(), nullptr);
        ui::MainWindow window(&host, m_dir.path());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QSize minimum = window.minimumSizeHint();
        QVERIFY2(minimum.width() <= 1366 && minimum.height() <= 720,
                 qPrintable(QStringLiteral("minimum %1 x %2").arg(minimum.width()).arg(minimum.height())));
        const QSize avail = window.screen()->availableGeometry().size();
        const QSize expected = (avail * 0.85).expandedTo(minimum);
        QTRY_VERIFY2(window.width() <= expected.width() + 1 && window.height() <= expected.height() + 1,
                     qPrintable(QStringLiteral("first start %1 x %2 on a %3 x %4 screen, minimum %5 x %6")
                                    .arg(window.width()).arg(window.height()).arg(avail.width()).arg(avail.height())
                                    .arg(minimum.width()).arg(minimum.height())));
        window.resize(1366, 720);
        QTRY_COMPARE(window.size(), QSize(1366, 720));
        // The inspector keeps the whole right side, so the bottom panels sit under the tracker only.
        QVERIFY(window.dock(QStringLiteral("inspector"))->geometry().bottom()
                > window.dock(QStringLiteral("participants"))->geometry().top());
    }

    // File > Open workspace: a new folder becomes a workspace opened by the real application in
    // a process of its own (one writer per database), and this window closes; a file is refused.
    void anotherWorkspaceOpensInANewProcess()
    {
        ui::EmulatorHost host(dip::EmulatorConfig{}, m_store.get(), catalogue::Catalogue::builtIn(), nullptr);
        ui::MainWindow window(&host, m_dir.path());
        // The new process keeps its settings in the test's folder and leaves its DIP stopped.
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("child-config")).toUtf8());
        window.setApplicationProgram(qEnvironmentVariable("DIPWB_BIN_DIR") + QStringLiteral("/dip-workbench"), {QStringLiteral("--no-start")});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QString file = m_dir.filePath(QStringLiteral("not-a-folder"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write("x") == 1);
        f.close();
        QString error;
        QVERIFY(!window.openWorkspace(file, &error));
        QVERIFY2(error.contains(QStringLiteral("is a file")), qPrintable(error));
        QVERIFY(window.isVisible());

        const QString other = m_dir.filePath(QStringLiteral("other-workspace"));
        QVERIFY2(window.openWorkspace(other, &error), qPrintable(error));
        QTRY_VERIFY(window.launchedPid() > 0);
        // The new process opened its database there (and holds its lock); this window closed.
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(other + QStringLiteral("/workbench.db.lock")), 20000);
        QTRY_VERIFY(!window.isVisible());
        QVERIFY(ui::recentWorkspaces().contains(QDir(other).absolutePath()));
        QProcess::execute(QStringLiteral("kill"), {QString::number(window.launchedPid())});
    }
};

QTEST_MAIN(TestWorkbench)
#include "test_workbench.moc"
