// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "dip/security_setup.h"

#include <QMainWindow>

class QAction;
class QDockWidget;
class QLabel;

namespace dipwb::ui {

class AppointmentsWidget;
class ComposerWidget;
class DashboardWidget;
class EmulatorHost;
class InspectorWidget;
class ParticipantsWidget;
class ReportsWidget;
class ScenarioWidget;
class TrackerView;

/// The workbench window: the tracker in the middle, inspector, composer, participants and
/// dashboard as dockable panels, and the emulator's status always visible in the status bar.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    MainWindow(EmulatorHost *host, const QString &workspaceDir, QWidget *parent = nullptr);
    ~MainWindow() override;

    TrackerView *tracker() const { return m_tracker; }
    InspectorWidget *inspector() const { return m_inspector; }
    ComposerWidget *composer() const { return m_composer; }
    AppointmentsWidget *appointments() const { return m_appointments; }
    QString statusText() const;  ///< the local DIP's state as the status bar shows it, as plain text
    ParticipantsWidget *participants() const { return m_participants; }
    DashboardWidget *dashboard() const { return m_dashboard; }
    ScenarioWidget *scenarios() const { return m_scenarios; }
    ReportsWidget *reports() const { return m_reports; }
    QDockWidget *dock(const QString &objectName) const;
    /// Shows and raises a panel ("inspector", "composer", "participants", "dashboard", "scenarios",
    /// "reports").
    void raisePanel(const QString &objectName);
    /// Builds the local DIP's security from choices and the workspace CA and hands it to the
    /// host; restarts a running DIP when restart is set. False (with a message shown) when the
    /// choices cannot be applied: nothing changes then.
    bool applySecurity(const dip::SecurityChoices &choices, bool restart, QString *error = nullptr);
    /// DIP > Security settings: asks, saves and applies.
    void editSecurity();
    /// Opens a workspace folder (created when new) in a new window, then closes this one. The
    /// folder of this window only says so. False with the reason otherwise.
    bool openWorkspace(const QString &dir, QString *error = nullptr);
    /// The program that opens a workspace (default: this application).
    void setApplicationProgram(const QString &path, const QStringList &extraArgs = {})
    {
        m_program = path;
        m_launchArgs = extraArgs;
    }
    qint64 launchedPid() const { return m_launchedPid; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    QDockWidget *addPanel(QWidget *w, const QString &title, const QString &name, Qt::DockWidgetArea area, const QKeySequence &key);
    void buildActions();
    void updateStatus();
    void onMessagesStored(const QList<qint64> &ids);
    void onDeliveriesUpdated(const QList<qint64> &ids);
    void reloadParticipants();
    void restoreSettings();
    /// The first start's size and panel sizes, for what restoreSettings() could not restore.
    void applyDefaultLayout();

    EmulatorHost *m_host;
    QString m_workspaceDir;
    TrackerView *m_tracker;
    InspectorWidget *m_inspector;
    ComposerWidget *m_composer;
    AppointmentsWidget *m_appointments;
    ParticipantsWidget *m_participants;
    DashboardWidget *m_dashboard;
    ScenarioWidget *m_scenarios;
    ReportsWidget *m_reports;
    QMenu *m_viewMenu = nullptr;
    QAction *m_start = nullptr;
    QAction *m_stop = nullptr;
    QString m_program;
    QStringList m_launchArgs;
    qint64 m_launchedPid = 0;
    QLabel *m_stateLabel;
    QLabel *m_envLabel;
    QLabel *m_catalogueLabel;
    QLabel *m_countLabel;
    qint64 m_messageCount = 0;
    qint64 m_sessionCount = 0;
    QString m_lastError;
    bool m_defaultSizeOnShow = false;  ///< no saved geometry (or it did not restore)
    bool m_defaultDocksOnShow = false; ///< no saved panel state (or it did not restore)
};

} // namespace dipwb::ui
