// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/main_window.h"

#include "common/workspace.h"
#include "composer/composer_widget.h"
#include "dashboard/dashboard_widget.h"
#include "detail/inspector_widget.h"
#include "mainwindow/emulator_host.h"
#include "mainwindow/security_settings.h"
#include "mainwindow/workspace_switch.h"
#include "participants/appointments_widget.h"
#include "participants/participants_widget.h"
#include "reports/reports_widget.h"
#include "scenario/scenario_widget.h"
#include "security/test_ca.h"
#include "schema/schema_set.h"
#include "store/store.h"
#include "tracker/message_table_model.h"
#include "tracker/tracker_view.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTextDocument>
#include <QTimer>
#include <QToolBar>

#include <utility>

namespace dipwb::ui {

MainWindow::MainWindow(EmulatorHost *host, const QString &workspaceDir, QWidget *parent)
    : QMainWindow(parent), m_host(host), m_workspaceDir(workspaceDir), m_program(QCoreApplication::applicationFilePath())
{
    rememberWorkspace(workspaceDir);
    setWindowTitle(tr("DIP Workbench — %1").arg(workspaceDir));
    m_tracker = new TrackerView(host->store(), *host->catalogue(), this);
    setCentralWidget(m_tracker);
    m_inspector = new InspectorWidget(host->store(), this);
    m_inspector->setSchemas(host->schemas());
    if (const security::WorkspaceCa ca(Workspace(workspaceDir).certificatesDir()); ca.exists())
        m_inspector->setTrustedCaFile(ca.caCertPath());
    m_composer = new ComposerWidget(host->catalogue(), host->schemas(), this);
    m_composer->setWorkspace(workspaceDir);
    m_participants = new ParticipantsWidget(host, this);
    m_participants->setWorkspace(workspaceDir);
    m_appointments = new AppointmentsWidget(host, this);
    m_dashboard = new DashboardWidget(host->store(), this);
    m_scenarios = new ScenarioWidget(host, this);
    m_reports = new ReportsWidget(workspaceDir, this);

    buildActions();
    // The inspector and composer take the whole right side, the bottom panels sit under the
    // tracker only: stacked under one another, the right and bottom panels' minimum heights
    // added up to more than a 768-pixel laptop screen.
    setCorner(Qt::TopRightCorner, Qt::RightDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    addPanel(m_inspector, tr("Inspector"), QStringLiteral("inspector"), Qt::RightDockWidgetArea, QKeySequence(Qt::CTRL | Qt::Key_1));
    addPanel(m_composer, tr("Composer"), QStringLiteral("composer"), Qt::RightDockWidgetArea, QKeySequence(Qt::CTRL | Qt::Key_2));
    addPanel(m_participants, tr("Participants"), QStringLiteral("participants"), Qt::BottomDockWidgetArea, QKeySequence(Qt::CTRL | Qt::Key_3));
    addPanel(m_dashboard, tr("Dashboard"), QStringLiteral("dashboard"), Qt::BottomDockWidgetArea, QKeySequence(Qt::CTRL | Qt::Key_4));
    addPanel(m_scenarios, tr("Scenarios"), QStringLiteral("scenarios"), Qt::BottomDockWidgetArea, QKeySequence(Qt::CTRL | Qt::Key_5));
    addPanel(m_reports, tr("Reports"), QStringLiteral("reports"), Qt::BottomDockWidgetArea, QKeySequence(Qt::CTRL | Qt::Key_6));
    addPanel(m_appointments, tr("Appointments"), QStringLiteral("appointments"), Qt::BottomDockWidgetArea, QKeySequence(Qt::CTRL | Qt::Key_7));
    tabifyDockWidget(dock(QStringLiteral("inspector")), dock(QStringLiteral("composer")));
    tabifyDockWidget(dock(QStringLiteral("participants")), dock(QStringLiteral("dashboard")));
    tabifyDockWidget(dock(QStringLiteral("dashboard")), dock(QStringLiteral("scenarios")));
    tabifyDockWidget(dock(QStringLiteral("scenarios")), dock(QStringLiteral("reports")));
    tabifyDockWidget(dock(QStringLiteral("reports")), dock(QStringLiteral("appointments")));
    dock(QStringLiteral("inspector"))->raise();
    dock(QStringLiteral("participants"))->raise();

    m_stateLabel = new QLabel(this);
    m_envLabel = new QLabel(this);
    m_catalogueLabel = new QLabel(this);
    m_countLabel = new QLabel(this);
    // Permanent widgets stay visible while a temporary message is shown.
    statusBar()->addPermanentWidget(m_stateLabel, 1);
    statusBar()->addPermanentWidget(m_envLabel);
    statusBar()->addPermanentWidget(m_catalogueLabel);
    statusBar()->addPermanentWidget(m_countLabel);

    connect(m_tracker, &TrackerView::currentMessageChanged, m_inspector, &InspectorWidget::showMessage);
    connect(m_tracker, &TrackerView::notice, this, [this](const QString &text) { statusBar()->showMessage(text, 8000); });
    connect(m_inspector, &InspectorWidget::messageActivated, this, [this](qint64 id) {
        // Select it in the tracker when the current filter shows it; the inspector shows it either way.
        m_tracker->selectMessage(id);
        if (m_inspector->messageId() != id)
            m_inspector->showMessage(id);
    });
    connect(m_scenarios, &ScenarioWidget::messageRequested, this, [this](qint64 id) {
        m_tracker->selectMessage(id);
        m_inspector->showMessage(id);
        raisePanel(QStringLiteral("inspector"));
    });
    connect(m_tracker, &TrackerView::reportRequested, this, [this](const QList<qint64> &ids, const QString &description) {
        m_reports->setSelection(ids, description);
        raisePanel(QStringLiteral("reports"));
    });
    connect(m_tracker, &TrackerView::appointmentsRequested, this, [this](const QString &mpan) {
        m_appointments->showMpan(mpan);
        raisePanel(QStringLiteral("appointments"));
    });
    connect(m_participants, &ParticipantsWidget::certificateExported, this, [this](const QString &folder) {
        statusBar()->showMessage(tr("Certificate exported to %1").arg(folder), 10000);
    });
    connect(m_reports, &ReportsWidget::exported, this, [this](const QStringList &files) {
        statusBar()->showMessage(tr("Evidence written: %1").arg(files.join(QStringLiteral(", "))), 15000);
    });
    connect(m_scenarios, &ScenarioWidget::runEnded, m_reports, &ReportsWidget::refresh);
    connect(m_scenarios, &ScenarioWidget::runEnded, this, [this](const scenario::RunResult &r) {
        statusBar()->showMessage(tr("Pack %1: %2 passed, %3 failed, %4 errors").arg(r.packId)
                                     .arg(r.count(scenario::Verdict::Passed))
                                     .arg(r.count(scenario::Verdict::Failed))
                                     .arg(r.count(scenario::Verdict::Error)), 15000);
    });
    connect(host, &EmulatorHost::messagesStored, this, &MainWindow::onMessagesStored);
    connect(host, &EmulatorHost::deliveriesUpdated, this, &MainWindow::onDeliveriesUpdated);
    connect(host, &EmulatorHost::started, this, [this](const QString &url) {
        m_lastError.clear();
        m_tracker->setBaseUrl(url);
        m_composer->setTarget(url, m_host->config().environment);
        updateStatus();
    });
    connect(host, &EmulatorHost::stopped, this, [this] {
        m_tracker->setBaseUrl({});
        m_composer->setTarget({}, m_host->config().environment);
        updateStatus();
    });
    connect(host, &EmulatorHost::startFailed, this, [this](const QString &error) {
        m_lastError = error;
        updateStatus();
        statusBar()->showMessage(tr("The local DIP did not start: %1").arg(error), 10000);
    });
    connect(host, &EmulatorHost::participantsChanged, this, &MainWindow::reloadParticipants);
    connect(m_composer, &ComposerWidget::answered, this, [this](int status) {
        statusBar()->showMessage(tr("Send answered HTTP %1").arg(status), 5000);
    });

    m_messageCount = host->store()->messageCount();
    reloadParticipants();
    restoreSettings();
    updateStatus();
}

MainWindow::~MainWindow() = default;

QDockWidget *MainWindow::addPanel(QWidget *w, const QString &title, const QString &name, Qt::DockWidgetArea area,
                                  const QKeySequence &key)
{
    auto *d = new QDockWidget(title, this);
    d->setObjectName(name); // saveState() keys docks by object name
    d->setWidget(w);
    addDockWidget(area, d);
    QAction *toggle = d->toggleViewAction();
    toggle->setShortcut(key);
    m_viewMenu->addAction(toggle);
    return d;
}

QDockWidget *MainWindow::dock(const QString &objectName) const
{
    return findChild<QDockWidget *>(objectName);
}

void MainWindow::raisePanel(const QString &objectName)
{
    if (QDockWidget *d = dock(objectName)) {
        d->show();
        d->raise();
    }
}

void MainWindow::buildActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QMenu *dipMenu = menuBar()->addMenu(tr("&DIP"));
    QMenu *tracker = menuBar()->addMenu(tr("&Tracker"));
    QMenu *scenarios = menuBar()->addMenu(tr("&Scenarios"));
    file->addAction(tr("&Open workspace…"), QKeySequence::Open, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a workspace folder (an empty one makes a new workspace)"),
                                                              QFileInfo(m_workspaceDir).absolutePath());
        if (!dir.isEmpty())
            openWorkspace(dir);
    });
    QMenu *recent = file->addMenu(tr("&Recent workspaces"));
    connect(recent, &QMenu::aboutToShow, this, [this, recent] {
        recent->clear();
        for (const QString &dir : recentWorkspaces())
            recent->addAction(dir, this, [this, dir] { openWorkspace(dir); })->setEnabled(dir != QDir(m_workspaceDir).absolutePath());
        if (recent->isEmpty())
            recent->addAction(tr("None yet"))->setEnabled(false);
    });
    file->addSeparator();
    scenarios->addAction(tr("&Open pack…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this, [this] {
        raisePanel(QStringLiteral("scenarios"));
        m_scenarios->chooseAndOpen();
    });
    scenarios->addAction(tr("&Run ticked cases"), QKeySequence(Qt::Key_F9), this, [this] {
        raisePanel(QStringLiteral("scenarios"));
        m_scenarios->run();
    });
    scenarios->addAction(tr("&Stop the run"), QKeySequence(Qt::SHIFT | Qt::Key_F9), this, [this] { m_scenarios->stop(); });
    m_viewMenu = menuBar()->addMenu(tr("&View"));

    m_start = dipMenu->addAction(tr("&Start local DIP"), QKeySequence(Qt::Key_F5), m_host, &EmulatorHost::start);
    m_stop = dipMenu->addAction(tr("S&top local DIP"), QKeySequence(Qt::SHIFT | Qt::Key_F5), m_host, &EmulatorHost::stop);
    dipMenu->addSeparator();
    dipMenu->addAction(tr("S&ecurity settings…"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_S), this, &MainWindow::editSecurity);
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    tracker->addAction(tr("&Find…"), QKeySequence::Find, m_tracker, &TrackerView::focusFilter);
    tracker->addAction(tr("&Pause live tail"), QKeySequence(Qt::CTRL | Qt::Key_P), m_tracker, &TrackerView::togglePause);
    tracker->addAction(tr("&Clear filter"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F), this, [this] { m_tracker->setFilter({}); });
    QAction *compose = tracker->addAction(tr("&Compose message"), QKeySequence::New, this, [this] {
        raisePanel(QStringLiteral("composer"));
        m_composer->editor()->setFocus();
    });
    Q_UNUSED(compose);
    tracker->addSeparator();
    tracker->addAction(tr("&Evidence report of the selected messages"), QKeySequence(Qt::CTRL | Qt::Key_E), m_tracker,
                       &TrackerView::requestReportOfSelection);
    tracker->addAction(tr("Evidence report of &all messages the filter shows"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), m_tracker,
                       &TrackerView::requestReportOfFilter);
    QMenu *reports = menuBar()->addMenu(tr("&Reports"));
    reports->addAction(tr("&Export the chosen report"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this, [this] {
        raisePanel(QStringLiteral("reports"));
        m_reports->exportNow();
    });
    reports->addAction(tr("&Refresh the stored runs"), this, [this] { m_reports->refresh(); });

    QToolBar *bar = addToolBar(tr("Local DIP"));
    bar->setObjectName(QStringLiteral("toolbar"));
    bar->addAction(m_start);
    bar->addAction(m_stop);
    bar->addSeparator();
    bar->addAction(compose);
}

void MainWindow::restoreSettings()
{
    QSettings s;
    const bool geometry = restoreGeometry(s.value(QStringLiteral("MainWindow/geometry")).toByteArray());
    const bool state = restoreState(s.value(QStringLiteral("MainWindow/state")).toByteArray());
    // Before the first show the tabbed panels still count side by side, so the window's minimum
    // is wider than any screen and a resize now would be clamped to it: the default size waits
    // for the show.
    m_defaultSizeOnShow = !geometry;
    m_defaultDocksOnShow = !state;
    m_tracker->restoreHeaderState(s.value(QStringLiteral("Tracker/header")).toByteArray());
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_defaultSizeOnShow || m_defaultDocksOnShow)
        applyDefaultLayout();
}

void MainWindow::applyDefaultLayout()
{
    if (std::exchange(m_defaultSizeOnShow, false)) {
        const QRect avail = screen() ? screen()->availableGeometry() : QRect(0, 0, 1600, 1000);
        resize(avail.size() * 0.85);
    }
    if (std::exchange(m_defaultDocksOnShow, false)) {
        // The inspector wide enough for routing reasons, the bottom panels modest.
        resizeDocks({dock(QStringLiteral("inspector"))}, {600}, Qt::Horizontal);
        resizeDocks({dock(QStringLiteral("participants"))}, {300}, Qt::Vertical);
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings s;
    s.setValue(QStringLiteral("MainWindow/geometry"), saveGeometry());
    s.setValue(QStringLiteral("MainWindow/state"), saveState());
    s.setValue(QStringLiteral("Tracker/header"), m_tracker->saveHeaderState());
    event->accept();
}

bool MainWindow::applySecurity(const dip::SecurityChoices &choices, bool restart, QString *errorOut)
{
    dip::EmulatorSecurity security;
    QString error;
    bool createdCa = false;
    if (!dip::buildEmulatorSecurity(choices, Workspace(m_workspaceDir).certificatesDir(), m_host->config().dipId, &security,
                                    &error, &createdCa)) {
        statusBar()->showMessage(tr("The security settings were not applied: %1").arg(error), 15000);
        if (errorOut)
            *errorOut = error;
        return false;
    }
    m_host->setSecurity(security);
    if (createdCa)
        statusBar()->showMessage(tr("Created the workspace test CA in %1").arg(Workspace(m_workspaceDir).certificatesDir()), 10000);
    // The inspector checks webhook signatures against the CA that now exists.
    m_inspector->setTrustedCaFile(security::WorkspaceCa(Workspace(m_workspaceDir).certificatesDir()).caCertPath());
    if (restart && m_host->isRunning()) {
        auto once = std::make_shared<QMetaObject::Connection>();
        *once = connect(m_host, &EmulatorHost::stopped, this, [this, once] {
            disconnect(*once);
            m_host->start();
        });
        m_host->stop();
    }
    updateStatus();
    return true;
}

void MainWindow::editSecurity()
{
    SecurityDialog dialog(loadSecurityChoices(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString error;
    if (!applySecurity(dialog.choices(), true, &error)) {
        QMessageBox::warning(this, tr("Local DIP security"), tr("The settings were not applied, nothing changed:\n%1").arg(error));
        return;
    }
    saveSecurityChoices(dialog.choices());
}

bool MainWindow::openWorkspace(const QString &dir, QString *errorOut)
{
    if (QDir(dir).absolutePath() == QDir(m_workspaceDir).absolutePath()) {
        statusBar()->showMessage(tr("%1 is the workspace of this window").arg(dir), 8000);
        return true;
    }
    QString error;
    if (!prepareWorkspaceFolder(dir, &error)) {
        statusBar()->showMessage(tr("The workspace was not opened: %1").arg(error), 15000);
        if (errorOut)
            *errorOut = error;
        return false;
    }
    // The new window may want this DIP's port: it starts once this DIP has stopped.
    const auto launch = [this, dir] {
        QString why;
        if (!launchWorkspace(m_program, dir, m_launchArgs, &m_launchedPid, &why)) {
            statusBar()->showMessage(tr("The workspace was not opened: %1").arg(why), 15000);
            return;
        }
        close(); // the new window takes over; this one saves its state
    };
    if (m_host->isRunning()) {
        auto once = std::make_shared<QMetaObject::Connection>();
        *once = connect(m_host, &EmulatorHost::stopped, this, [once, launch] {
            QObject::disconnect(*once);
            launch();
        });
        m_host->stop();
    } else {
        QTimer::singleShot(0, this, launch);
    }
    return true;
}

QString MainWindow::statusText() const
{
    QTextDocument doc;
    doc.setHtml(m_stateLabel->text());
    return doc.toPlainText();
}

void MainWindow::updateStatus()
{
    const bool running = m_host->isRunning();
    m_start->setEnabled(!running);
    m_stop->setEnabled(running);
    if (running)
        m_stateLabel->setText(tr("<span style='color:#2e7d32'>●</span> Local DIP listening on <b>%1</b> (port %2, %3)")
                                  .arg(m_host->baseUrl())
                                  .arg(m_host->port())
                                  .arg(m_host->securityText().isEmpty() ? tr("plain HTTP, signatures not checked")
                                                                        : m_host->securityText().toHtmlEscaped()));
    else if (!m_lastError.isEmpty())
        m_stateLabel->setText(tr("<span style='color:#c62828'>●</span> Local DIP not running: %1").arg(m_lastError.toHtmlEscaped()));
    else
        m_stateLabel->setText(tr("<span style='color:#9e9e9e'>●</span> Local DIP stopped"));
    m_envLabel->setText(tr("Environment <b>%1</b>").arg(m_host->config().environment));
    m_catalogueLabel->setText(tr("Catalogue %1 · %2")
                                  .arg(m_host->catalogue()->version(),
                                       m_host->schemas() ? tr("schemas %1").arg(m_host->schemas()->specVersion())
                                                         : tr("no payload schemas")));
    m_countLabel->setText(tr("%L1 messages (%L2 this session)").arg(m_messageCount).arg(m_sessionCount));
}

void MainWindow::onMessagesStored(const QList<qint64> &ids)
{
    m_messageCount += ids.size();
    m_sessionCount += ids.size();
    m_tracker->model()->onMessagesStored(ids);
    m_dashboard->onMessagesStored(ids);
    updateStatus();
}

void MainWindow::onDeliveriesUpdated(const QList<qint64> &ids)
{
    m_tracker->model()->onDeliveriesUpdated(ids);
    m_dashboard->onDeliveriesUpdated(ids);
    if (m_inspector->messageId() && m_host->store()->messageIdsOfDeliveries(ids).contains(m_inspector->messageId()))
        m_inspector->refresh();
}

void MainWindow::reloadParticipants()
{
    const auto list = m_host->store()->participants();
    m_composer->setParticipants(list);
    m_participants->setParticipants(list);
    m_appointments->setParticipants(list);
}

} // namespace dipwb::ui
