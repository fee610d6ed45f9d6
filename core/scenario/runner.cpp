// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/runner.h"

#include "common/clock.h"
#include "common/log.h"
#include "dip/dip_client.h"
#include "dip/emulator.h"
#include "dip/emulator_context.h"
#include "scenario/case_run.h"
#include "scenario/run_store.h"

#include <QTimer>

namespace dipwb::scenario {

Runner::Runner(const Pack &pack, dip::Emulator *emulator, RunOptions options, QObject *parent)
    : QObject(parent), m_pack(pack), m_emulator(emulator), m_options(std::move(options))
{
    m_result.packId = pack.id;
    m_result.packTitle = pack.title;
    m_result.packVersion = pack.version;
    m_result.stage = pack.stage;
    m_result.environment = pack.environment;
    m_result.catalogue = pack.catalogue.isEmpty() ? emulator->context().catalogue->version() : pack.catalogue;
    m_result.selfTest = m_options.selfTest;
    m_result.dipUrl = emulator->baseUrl();
}

Runner::~Runner()
{
    qDeleteAll(m_running);
}

void Runner::start()
{
    m_result.startedMs = Clock::nowMs();
    const auto fail = [this](const QString &why) {
        m_result.setupError = why;
        QTimer::singleShot(0, this, &Runner::finish);
    };
    if (!m_emulator->isRunning())
        return fail(QStringLiteral("the emulator is not running"));
    if (m_pack.environment != m_emulator->config().environment)
        return fail(QStringLiteral("the pack is written for environment %1 but the emulator emulates %2 (start it with --environment %1)")
                        .arg(m_pack.environment, m_emulator->config().environment));

    // Which cases: all, or those named (a scenario id selects all its cases).
    QList<const TestCase *> parallel, serial;
    QStringList unknown = m_options.caseIds;
    for (const Scenario &s : std::as_const(m_pack.scenarios)) {
        for (const TestCase &c : s.cases) {
            const bool chosen = m_options.caseIds.isEmpty() || m_options.caseIds.contains(c.id) || m_options.caseIds.contains(s.id);
            unknown.removeAll(c.id);
            unknown.removeAll(s.id);
            m_scenarioOf.insert(&c, s.id);
            if (!chosen) {
                CaseResult r;
                r.id = c.id;
                r.title = c.title;
                r.scenarioId = s.id;
                r.requirements = c.requirements;
                r.verdict = Verdict::Skipped;
                r.reason = QStringLiteral("not selected");
                m_result.cases << r;
                continue;
            }
            (c.serial || !m_pack.settings.parallel ? serial : parallel) << &c;
        }
    }
    if (!unknown.isEmpty())
        return fail(QStringLiteral("no test case or scenario with the id %1 in pack %2").arg(unknown.join(QStringLiteral(", ")), m_pack.id));
    m_queue = parallel + serial;
    m_total = int(m_queue.size());

    m_client = std::make_unique<dip::DipClient>(QUrl(m_emulator->baseUrl()));
    m_sims = std::make_unique<SimHost>(m_pack, *m_emulator->context().catalogue, m_emulator->schemas().get(),
                                       QUrl(m_emulator->baseUrl()));
    connect(m_sims.get(), &SimHost::event, this, &Runner::onSimEvent);
    QString error;
    if (!m_sims->listen(&error))
        return fail(QStringLiteral("cannot host the simulated participants: ") + error);

    // The pack's parties: simulated ones (and stand-ins) get the host's webhooks for every channel.
    QList<participants::Participant> seed;
    for (const PackParticipant &pp : std::as_const(m_pack.participants)) {
        participants::Participant p;
        p.dipId = pp.dipId;
        p.role = pp.role;
        p.mpid = pp.mpid;
        p.name = pp.name;
        const bool played = !pp.underTest || m_options.selfTest;
        p.simulated = played;
        if (played) {
            for (const auto *channel : m_emulator->context().catalogue->channels())
                p.webhooks.insert(channel->id, m_sims->webhookUrl(pp.dipId));
            p.statusWebhook = m_sims->statusUrl(pp.dipId);
            QList<Rule> rules = pp.underTest ? pp.standIn : pp.rules;
            if (pp.underTest && m_options.standInOverrides.contains(pp.id))
                rules = m_options.standInOverrides.value(pp.id);
            m_sims->setRules(pp.id, rules);
        } else {
            for (auto it = pp.webhooks.cbegin(); it != pp.webhooks.cend(); ++it)
                p.webhooks.insert(participants::normaliseChannelId(it.key()), it.value());
            p.statusWebhook = pp.statusWebhook;
        }
        seed << p;
    }
    m_emulator->seedParticipants(seed, [this](bool ok, const QString &error) { seeded(ok, error); });
}

void Runner::seeded(bool ok, const QString &error)
{
    if (!ok) {
        m_result.setupError = QStringLiteral("cannot store the pack's participants: ") + error;
        finish();
        return;
    }
    emit progress(0, m_total);
    startMore();
}

void Runner::startMore()
{
    if (m_stopping)
        return;
    const int jobs = m_options.jobs > 0 ? m_options.jobs : (m_pack.settings.parallel ? m_pack.settings.jobs : 1);
    while (!m_queue.isEmpty()) {
        const TestCase *next = m_queue.first();
        const bool serial = next->serial || !m_pack.settings.parallel;
        // A serial case runs alone; the others up to `jobs` at once.
        if (serial ? !m_running.isEmpty() : int(m_running.size()) >= jobs)
            break;
        m_queue.removeFirst();
        auto *run = new CaseRun(this, *next, m_scenarioOf.value(next));
        m_running << run;
        connect(run, &CaseRun::stepFinished, this, [this, id = next->id](const StepResult &s) { emit stepFinished(id, s); });
        connect(run, &CaseRun::done, this, &Runner::caseDone, Qt::QueuedConnection);
        emit caseStarted(next->id);
        run->start();
        if (serial)
            break;
    }
    if (m_queue.isEmpty() && m_running.isEmpty())
        finish();
}

void Runner::caseDone(CaseRun *run)
{
    m_running.removeAll(run);
    m_result.cases << run->result();
    ++m_done;
    emit caseFinished(run->result());
    emit progress(m_done, m_total);
    run->deleteLater();
    startMore();
}

void Runner::onSimEvent(const SimEvent &e)
{
    QStringList mpans;
    if (!e.mpan.isEmpty())
        mpans << e.mpan;
    for (const QString &tx : e.transactionIds)
        if (const auto m = m_emulator->context().store->messageByTransactionId(tx); m && !m->mpan.isEmpty())
            mpans << m->mpan;
    for (CaseRun *run : std::as_const(m_running))
        for (const QString &mpan : std::as_const(mpans))
            if (run->concernsMpan(mpan)) {
                run->addLog((e.problem ? QStringLiteral("PROBLEM ") : QString()) + e.text);
                break;
            }
}

void Runner::stop()
{
    if (m_finished)
        return;
    m_stopping = true;
    for (const TestCase *c : std::as_const(m_queue)) {
        CaseResult r;
        r.id = c->id;
        r.title = c->title;
        r.scenarioId = m_scenarioOf.value(c);
        r.requirements = c->requirements;
        r.verdict = Verdict::Skipped;
        r.reason = QStringLiteral("the run was stopped before it started");
        m_result.cases << r;
    }
    m_queue.clear();
    const auto running = m_running;
    for (CaseRun *run : running)
        run->abort(QStringLiteral("the run was stopped"));
    if (m_running.isEmpty())
        finish();
}

void Runner::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_result.endedMs = Clock::nowMs();
    // Results in the pack's order, whatever order the cases ended in.
    QHash<QString, int> order;
    int i = 0;
    for (const TestCase *c : m_pack.allCases())
        order.insert(c->id, i++);
    std::stable_sort(m_result.cases.begin(), m_result.cases.end(),
                     [&](const CaseResult &a, const CaseResult &b) { return order.value(a.id) < order.value(b.id); });
    storeRun(m_emulator->context().store, m_result, this, [this](qint64 runId, const QString &error) {
        if (runId > 0)
            m_result.runId = runId;
        else
            qCWarning(lcDip) << "the run could not be stored:" << error;
        emit finished(m_result);
    });
}

} // namespace dipwb::scenario
