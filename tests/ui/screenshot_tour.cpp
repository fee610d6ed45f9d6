// SPDX-License-Identifier: GPL-3.0-or-later
// Renders each main view of the workbench with realistic traffic into PNG files (scripts/screenshots.sh
// runs it under Xvfb). The traffic is real: an in-process emulator, real webhook receivers (one of
// them failing, so retries show), and messages sent over loopback.
#include "catalogue/catalogue.h"
#include "composer/composer_widget.h"
#include "composer/payload_form.h"
#include "mainwindow/security_settings.h"
#include "participants/appointments_widget.h"
#include "detail/inspector_widget.h"
#include "dip/dip_client.h"
#include "mainwindow/emulator_host.h"
#include "mainwindow/main_window.h"
#include "participants/participants_widget.h"
#include "schema/schema_set.h"
#include "participants/participant_loader.h"
#include "sample_messages.h"
#include "store/store.h"
#include "tracker/message_table_model.h"
#include "tracker/tracker_view.h"
#include "webhook_receiver.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QSettings>
#include <QMainWindow>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTreeWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTableView>
#include <QTreeView>

using namespace dipwb;
using namespace dipwb::testsupport;

namespace {

void save(QWidget *w, const QString &dir, const QString &name)
{
    // Every picture of the window at one size: without a window manager, a panel raised or a
    // long status text grows the window by its size hint.
    if (qobject_cast<QMainWindow *>(w))
        w->resize(1600, 1100);
    QTest::qWait(400); // let queued updates and the dashboard's coalesced replot land
    const QString path = QDir(dir).filePath(name);
    if (!w->grab().save(path))
        qFatal("cannot write %s", qPrintable(path));
    qInfo("wrote %s", qPrintable(path));
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("dip-workbench"));
    const QString outDir = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("docs/screenshots");
    QDir().mkpath(outDir);
    QTemporaryDir ws;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, ws.filePath(QStringLiteral("settings")));

    Issues issues;
    auto store = store::Store::open(ws.filePath(QStringLiteral("workbench.db")), &issues);
    if (!store)
        qFatal("cannot open the store");
    QFile f(QStringLiteral(":/dipwb/defaults/example.yaml"));
    f.open(QIODevice::ReadOnly);
    QList<participants::Participant> market = participants::parseParticipants(f.readAll(), f.fileName(), &issues);

    WebhookReceiver good;
    WebhookReceiver flaky;
    good.start();
    flaky.start();
    flaky.setStatuses({503});
    for (auto &p : market) {
        for (const char *ch : {"IF-001", "IF-021", "IF-033", "IF-036"}) {
            // The load shaping service is down, so its copies of IF-021 are retried.
            const bool down = p.role == QLatin1String("LSS");
            p.webhooks.insert(QLatin1String(ch), (down ? flaky : good).url(QStringLiteral("/") + p.dipId));
        }
    }

    dip::EmulatorConfig config;
    config.retryBaseMs = 2000;
    ui::EmulatorHost host(config, store.get(), catalogue::Catalogue::builtIn(), schema::SchemaSet::builtIn());
    host.seedParticipants(market);
    ui::MainWindow window(&host, ws.path());
    window.applySecurity(ui::loadSecurityChoices(), false); // as the application starts
    window.resize(1600, 1100);
    window.show();
    host.start();
    if (!QTest::qWaitFor([&] { return host.isRunning(); }, 10000))
        qWarning("screenshot tour: a wait timed out at line %d; the picture may be incomplete", __LINE__);
    window.raisePanel(QStringLiteral("dashboard"));

    dip::DipClient client{QUrl(host.baseUrl())};
    int answered = 0;
    int sent = 0;
    auto send = [&](const QString &channel, const OJson &message) {
        ++sent;
        client.send(channel, body({message}), [&](const http::ClientResponse &) { ++answered; });
    };
    // Change of supplier for a few MPANs, so consumption finds an appointed supplier (secondary routing).
    const QDate day(2024, 7, 1);
    for (int i = 0; i < 6; ++i) {
        Header h{QStringLiteral("IF-001"), QStringLiteral("[ChangeOfSupplier]"), QStringLiteral("1100000001"), QStringLiteral("REGS")};
        h.mpan = mpanFor(200001234560 + i);
        h.primaryRecipients = {i % 2 ? QStringLiteral("2300000186") : QStringLiteral("2300000185")};
        h.correlationId = QStringLiteral("CI-20240701-cos%1").arg(i);
        send(QStringLiteral("IF-001"), if001(h, h.primaryRecipients.first(), i % 2 ? QStringLiteral("SUPB") : QStringLiteral("SUPA"), day.addDays(-30)));
    }
    QTest::qWait(600);
    for (int round = 0; round < 12; ++round) {
        for (int i = 0; i < 3 + round % 4; ++i) {
            Header h{QStringLiteral("IF-021"), QStringLiteral("[ActivePower]"), QStringLiteral("1400000001"), QStringLiteral("SDS")};
            h.mpan = mpanFor(200001234560 + (round + i) % 6);
            send(QStringLiteral("IF-021"), if021(h, day.addDays(round % 3)));
        }
        Header h{QStringLiteral("IF-033"), QStringLiteral("[MSAppSPRequest]"), QStringLiteral("1100000001"), QStringLiteral("REGS")};
        h.mpan = mpanFor(200001234560 + round % 6);
        h.primaryRecipients = {QStringLiteral("1300000001")};
        h.correlationId = QStringLiteral("CI-20240701-app%1").arg(round);
        send(QStringLiteral("IF-033"), if033(h, QStringLiteral("1300000001")));
        QTest::qWait(450);
    }
    if (!QTest::qWaitFor([&] { return answered == sent; }, 15000))
        qWarning("screenshot tour: a wait timed out at line %d; the picture may be incomplete", __LINE__);
    QTest::qWait(1500);

    ui::TrackerView *tracker = window.tracker();
    ui::MessageTableModel *model = tracker->model();
    // An IF-021 with secondary and always recipients is the most telling message to inspect.
    int row = model->rowCount() - 1;
    for (int r = model->rowCount() - 1; r >= 0; --r)
        if (model->index(r, ui::MessageTableModel::Channel).data().toString() == QLatin1String("IF-021")) {
            row = r;
            break;
        }
    tracker->selectMessage(model->messageId(row));
    window.raisePanel(QStringLiteral("inspector"));
    window.inspector()->showTab(QStringLiteral("Routing"));
    save(&window, outDir, QStringLiteral("tracker.png"));
    window.inspector()->showTab(QStringLiteral("Deliveries"));
    save(&window, outDir, QStringLiteral("inspector-deliveries.png"));
    window.inspector()->showTab(QStringLiteral("Journal"));
    save(&window, outDir, QStringLiteral("inspector-journal.png"));
    window.inspector()->showTab(QStringLiteral("Payload"));
    save(&window, outDir, QStringLiteral("inspector-payload.png"));

    tracker::MessageFilter byMpan;
    byMpan.mpan = mpanFor(200001234562);
    tracker->setFilter(byMpan);
    if (!QTest::qWaitFor([&] { return !model->isLoading(); }, 5000))
        qWarning("screenshot tour: a wait timed out at line %d; the picture may be incomplete", __LINE__);
    save(&window, outDir, QStringLiteral("tracker-filtered.png"));
    tracker->setFilter({});

    ui::ComposerWidget *composer = window.composer();
    window.raisePanel(QStringLiteral("composer"));
    composer->selectChannel(QStringLiteral("IF-033"), QStringLiteral("[MSAppSPRequest]"));
    composer->selectSender(QStringLiteral("1100000001"));
    composer->setPrimaryRecipients(QStringLiteral("1300000001"));
    bool done = false;
    QObject::connect(composer, &ui::ComposerWidget::answered, [&] { done = true; });
    composer->send();
    if (!QTest::qWaitFor([&] { return done; }, 10000))
        qWarning("screenshot tour: a wait timed out at line %d; the picture may be incomplete", __LINE__);
    save(&window, outDir, QStringLiteral("composer.png"));
    // The form, with a field the schema check complains about.
    composer->editTabs()->setCurrentIndex(1);
    if (QTreeWidgetItem *ts = composer->form()->itemAt(QStringLiteral("[0].payload.CommonBlock.S1.senderTimestamp"))) {
        ts->setText(1, QStringLiteral("2026-12-01 09:30"));
        composer->form()->scrollToItem(composer->form()->itemAt(QStringLiteral("[0].payload.CommonBlock.S1.senderTimestamp")));
    }
    QTest::qWait(500);
    save(&window, outDir, QStringLiteral("composer-form.png"));
    composer->editor()->undo();
    composer->editTabs()->setCurrentIndex(0);

    window.raisePanel(QStringLiteral("participants"));
    window.participants()->select(QStringLiteral("1300000001"));
    save(&window, outDir, QStringLiteral("participants.png"));
    window.raisePanel(QStringLiteral("dashboard"));
    save(&window, outDir, QStringLiteral("dashboard.png"));
    // The history the change of supplier left, with a data service appointed by hand.
    window.raisePanel(QStringLiteral("appointments"));
    window.appointments()->showMpan(mpanFor(200001234562));
    window.appointments()->change(QStringLiteral("SDS"), QStringLiteral("1400000001"), QDateTime::currentMSecsSinceEpoch() - 86400000, false);
    QTest::qWait(800);
    save(&window, outDir, QStringLiteral("appointments.png"));
    {
        ui::SecurityDialog security(ui::loadSecurityChoices(), &window);
        security.show();
        QTest::qWait(200);
        save(&security, outDir, QStringLiteral("security-settings.png"));
    }
    window.close();
    return 0;
}
