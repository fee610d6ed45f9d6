// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/pack.h"
#include "scenario/remote_target.h"
#include "scenario/run_result.h"
#include "scenario/sim_host.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <memory>

namespace dipwb::dip {
class Emulator;
class DipClient;
class PublicationReceiver;
}

namespace dipwb::scenario {

class CaseRun;

struct RunOptions
{
    QStringList caseIds;     ///< only these (and only the cases of scenarios named here); empty: all
    bool selfTest = false;   ///< play the parties under test with their stand-ins
    /// Replaces the stand-in rules of a participant under test (a deliberately broken stand-in).
    QHash<QString, QList<Rule>> standInOverrides;
    int jobs = 0;            ///< 0: the pack's setting
    /// Remote runs: pack participant id -> the DIP id of the profile that speaks for it (a
    /// participant whose DIP id is a profile's needs no entry).
    QHash<QString, QString> speakAs;
};

/// Runs a pack (or some of its cases) against a local emulator: seeds the pack's participants and
/// fixtures, hosts the simulated ones, runs cases (independent ones side by side) with their
/// timeouts, and stores the run and every result in the workspace.
///
/// Thread: create it on the emulator's thread; everything runs there, never blocking it.
class Runner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Runner)
public:
    Runner(const Pack &pack, dip::Emulator *emulator, RunOptions options, QObject *parent = nullptr);
    /// A run against a remote DIP: only the cases its parties can play run; the others are
    /// skipped, each saying why.
    Runner(const Pack &pack, RemoteTarget target, RunOptions options, QObject *parent = nullptr);
    ~Runner() override;

    /// Starts the run; finished() follows, also when setting up fails (RunResult::setupError).
    void start();
    /// Ends the run: running cases end as errors ("stopped"), waiting ones are skipped.
    void stop();
    const RunResult &result() const { return m_result; }

    // For the cases (CaseRun).
    const Pack &pack() const { return m_pack; }
    dip::Emulator *emulator() const { return m_emulator; }  ///< null in a remote run
    const RemoteTarget *remote() const { return m_remote.get(); }
    /// Who sends as dipId: the local client, or the profile's in a remote run (null: nobody).
    dip::DipClient *clientFor(const QString &dipId) const;
    SimHost *sims() const { return m_sims.get(); }
    store::Store *store() const;
    const catalogue::Catalogue &catalogue() const;
    const schema::SchemaSet *schemas() const;
    /// Remote runs: everything the run's receiver got so far (read anew on each call).
    const QList<Received> &received();

signals:
    void progress(int done, int total);
    void caseStarted(const QString &caseId);
    void stepFinished(const QString &caseId, const dipwb::scenario::StepResult &step);
    void caseFinished(const dipwb::scenario::CaseResult &result);
    void finished(const dipwb::scenario::RunResult &result);

private:
    bool chooseCases(QString *error);
    void startRemote();
    void registerWebhooks();
    void seeded(bool ok, const QString &error);
    void startMore();
    void caseDone(CaseRun *run);
    void finish();
    void onSimEvent(const SimEvent &e);

    Pack m_pack;
    dip::Emulator *m_emulator;
    RunOptions m_options;
    RunResult m_result;
    std::unique_ptr<SimHost> m_sims;
    std::unique_ptr<dip::DipClient> m_client;
    std::unique_ptr<RemoteTarget> m_remote;
    std::unique_ptr<dip::PublicationReceiver> m_receiver;
    std::unique_ptr<ReceivedLog> m_received;
    QHash<QString, dip::DipClient *> m_remoteClients; // by DIP id, children of the runner
    QList<const TestCase *> m_queue;    // parallel-capable cases first, serial ones after
    QHash<const TestCase *, QString> m_scenarioOf;
    QList<CaseRun *> m_running;
    int m_total = 0;
    int m_done = 0;
    bool m_stopping = false;
    bool m_finished = false;
};

} // namespace dipwb::scenario
