// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "catalogue/catalogue.h"
#include "dip/emulator_config.h"
#include "dip/emulator_security.h"
#include "participants/participant.h"
#include "scenario/pack.h"
#include "scenario/run_result.h"
#include "scenario/runner.h"
#include "store/records.h"

#include <QObject>
#include <QThread>
#include <memory>

namespace dipwb::store {
class Store;
}
namespace dipwb::schema {
class SchemaSet;
}
namespace dipwb::dip {
class Emulator;
}

namespace dipwb::ui {

/// Runs the local emulator on its own network thread so the GUI thread never waits on a socket or
/// a commit. Lives on the GUI thread; every call is posted to the network thread and every answer
/// comes back as a queued signal. The emulator object exists from construction to destruction;
/// start()/stop() only open and close its listening socket.
class EmulatorHost final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EmulatorHost)
public:
    EmulatorHost(const dip::EmulatorConfig &config, store::Store *store, catalogue::CataloguePtr catalogue,
                 std::shared_ptr<const schema::SchemaSet> schemas, QObject *parent = nullptr);
    /// Stops the emulator and joins the network thread (the one wait the GUI accepts: at shutdown).
    ~EmulatorHost() override;

    void start();
    void stop();
    /// The security the next start() uses (a running emulator keeps its own until restarted).
    void setSecurity(const dip::EmulatorSecurity &security);
    /// "signatures warn, HTTPS" of what setSecurity() was given (the emulator's default: none).
    QString securityText() const { return m_securityText; }
    /// Adds or replaces participants (stored, then live in the registry).
    void seedParticipants(const QList<participants::Participant> &list);
    void removeParticipant(const QString &dipId);
    /// Appoints (or, with end, ends the appointment of) a party for an MPAN's role from (to) an
    /// instant, as registration would; appointmentsChanged follows with the outcome.
    void appoint(const QString &mpan, const QString &role, const QString &dipId, qint64 atMs, bool end = false);
    /// Puts the rows of (mpan, role) back to `rows` if they are still `expected` (an edit undone or
    /// redone); appointmentsChanged follows with the outcome.
    void restoreAppointments(const QString &mpan, const QString &role, const QList<store::AppointmentRecord> &expected,
                             const QList<store::AppointmentRecord> &rows);
    /// Runs a pack against the running emulator, on the network thread (one run at a time);
    /// progress comes back through the run* signals, ending with runFinished.
    void runPack(const scenario::Pack &pack, const scenario::RunOptions &options);
    void stopRun();
    bool isRunningPack() const { return m_packRunning; }

    bool isRunning() const { return m_running; }
    QString baseUrl() const { return m_baseUrl; }
    quint16 port() const { return m_port; }
    const dip::EmulatorConfig &config() const { return m_config; }
    catalogue::CataloguePtr catalogue() const { return m_catalogue; }
    std::shared_ptr<const schema::SchemaSet> schemas() const { return m_schemas; }
    store::Store *store() const { return m_store; }

signals:
    void started(const QString &baseUrl, quint16 port);
    void stopped();
    void startFailed(const QString &error);
    void messagesStored(const QList<qint64> &messageIds);
    void deliveriesUpdated(const QList<qint64> &deliveryIds);
    void participantsChanged();
    void appointmentsChanged(const QString &mpan, bool ok, const QString &error);
    void runProgress(int done, int total);
    void runStepFinished(const QString &caseId, const dipwb::scenario::StepResult &step);
    void runCaseStarted(const QString &caseId);
    void runCaseFinished(const dipwb::scenario::CaseResult &result);
    void runFinished(const dipwb::scenario::RunResult &result);

private:
    dip::EmulatorConfig m_config;
    store::Store *m_store;
    catalogue::CataloguePtr m_catalogue;
    std::shared_ptr<const schema::SchemaSet> m_schemas;
    QThread m_thread;
    QObject *m_anchor = nullptr;         // lives on m_thread: the context work is posted to
    dip::Emulator *m_emulator = nullptr; // owned by, created and deleted on m_thread
    scenario::Runner *m_runner = nullptr; // likewise, while a pack runs
    bool m_packRunning = false;           // GUI-thread view
    bool m_running = false;              // GUI-thread view, updated from the queued signals
    QString m_baseUrl;
    quint16 m_port = 0;
    QString m_securityText;
};

} // namespace dipwb::ui
