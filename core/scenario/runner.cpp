// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/runner.h"

#include "common/clock.h"
#include "common/log.h"
#include "dip/dip_client.h"
#include "dip/emulator.h"
#include "dip/emulator_context.h"
#include "dip/publication_receiver.h"
#include "http/http_client.h"
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

Runner::Runner(const Pack &pack, RemoteTarget target, RunOptions options, QObject *parent)
    : QObject(parent), m_pack(pack), m_emulator(nullptr), m_options(std::move(options)),
      m_remote(std::make_unique<RemoteTarget>(std::move(target)))
{
    // A participant the options map to a profile takes that profile's DIP id for the run.
    for (PackParticipant &pp : m_pack.participants)
        if (const auto it = m_options.speakAs.constFind(pp.id); it != m_options.speakAs.cend())
            pp.dipId = *it;
    m_result.packId = pack.id;
    m_result.packTitle = pack.title;
    m_result.packVersion = pack.version;
    m_result.stage = pack.stage;
    m_result.environment = pack.environment;
    m_result.catalogue = pack.catalogue.isEmpty() ? m_remote->catalogue->version() : pack.catalogue;
    m_result.selfTest = false;
    QStringList urls;
    for (const RemoteParty &p : std::as_const(m_remote->parties))
        if (!urls.contains(p.baseUrl.toString()))
            urls << p.baseUrl.toString();
    m_result.dipUrl = urls.join(QStringLiteral(", "));
}

Runner::~Runner()
{
    qDeleteAll(m_running);
}

store::Store *Runner::store() const
{
    return m_remote ? m_remote->store : m_emulator->context().store;
}

const catalogue::Catalogue &Runner::catalogue() const
{
    return m_remote ? *m_remote->catalogue : *m_emulator->context().catalogue;
}

const schema::SchemaSet *Runner::schemas() const
{
    return m_remote ? m_remote->schemas.get() : m_emulator->schemas().get();
}

dip::DipClient *Runner::clientFor(const QString &dipId) const
{
    return m_remote ? m_remoteClients.value(dipId) : m_client.get();
}

const QList<Received> &Runner::received()
{
    static const QList<Received> none;
    return m_received ? m_received->refresh() : none;
}

void Runner::start()
{
    m_result.startedMs = Clock::nowMs();
    const auto fail = [this](const QString &why) {
        m_result.setupError = why;
        QTimer::singleShot(0, this, &Runner::finish);
    };
    if (m_remote) {
        if (m_remote->parties.isEmpty())
            return fail(QStringLiteral("no profile to speak for anyone on the remote DIP"));
        QString error;
        if (!chooseCases(&error))
            return fail(error);
        return startRemote();
    }
    if (!m_emulator->isRunning())
        return fail(QStringLiteral("the emulator is not running"));
    if (m_pack.environment != m_emulator->config().environment)
        return fail(QStringLiteral("the pack is written for environment %1 but the emulator emulates %2 (start it with --environment %1)")
                        .arg(m_pack.environment, m_emulator->config().environment));
    QString error;
    if (!chooseCases(&error))
        return fail(error);

    m_client = std::make_unique<dip::DipClient>(QUrl(m_emulator->baseUrl()));
    m_sims = std::make_unique<SimHost>(m_pack, *m_emulator->context().catalogue, m_emulator->schemas().get(),
                                       QUrl(m_emulator->baseUrl()));
    connect(m_sims.get(), &SimHost::event, this, &Runner::onSimEvent);
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

bool Runner::chooseCases(QString *error)
{
    // Which cases: all, or those named (a scenario id selects all its cases).
    QList<const TestCase *> parallel, serial;
    QStringList unknown = m_options.caseIds;
    for (const Scenario &s : std::as_const(m_pack.scenarios)) {
        for (const TestCase &c : s.cases) {
            const bool chosen = m_options.caseIds.isEmpty() || m_options.caseIds.contains(c.id) || m_options.caseIds.contains(s.id);
            unknown.removeAll(c.id);
            unknown.removeAll(s.id);
            m_scenarioOf.insert(&c, s.id);
            const QString obstacle = chosen && m_remote ? remoteObstacle(m_pack, c, *m_remote) : QString();
            if (!chosen || !obstacle.isEmpty()) {
                CaseResult r;
                r.id = c.id;
                r.title = c.title;
                r.scenarioId = s.id;
                r.requirements = c.requirements;
                r.verdict = Verdict::Skipped;
                r.reason = chosen ? QStringLiteral("not run against the remote DIP: ") + obstacle : QStringLiteral("not selected");
                m_result.cases << r;
                continue;
            }
            (c.serial || !m_pack.settings.parallel ? serial : parallel) << &c;
        }
    }
    if (!unknown.isEmpty()) {
        *error = QStringLiteral("no test case or scenario with the id %1 in pack %2").arg(unknown.join(QStringLiteral(", ")), m_pack.id);
        return false;
    }
    m_queue = parallel + serial;
    m_total = int(m_queue.size());
    return true;
}

void Runner::startRemote()
{
    QString error;
    m_received = std::make_unique<ReceivedLog>(m_remote->store);
    m_receiver = std::make_unique<dip::PublicationReceiver>(m_remote->store, m_remote->verifier);
    if (!m_receiver->listen(m_remote->listenAddress, m_remote->listenPort, &error)) {
        m_result.setupError = QStringLiteral("cannot receive the DIP's publications: ") + error;
        QTimer::singleShot(0, this, &Runner::finish);
        return;
    }
    if (m_remote->callbackBase.isEmpty()) {
        QUrl base;
        base.setScheme(QStringLiteral("http"));
        base.setHost(m_remote->listenAddress.toString());
        base.setPort(m_receiver->port());
        m_remote->callbackBase = base;
    }
    for (const RemoteParty &party : std::as_const(m_remote->parties)) {
        auto *client = new dip::DipClient(party.baseUrl, this);
        if (party.tls)
            client->setSslConfiguration(*party.tls);
        if (party.decorate)
            client->setRequestDecorator(party.decorate);
        m_remoteClients.insert(party.dipId, client);
    }
    if (m_remote->registerWebhooks && m_total > 0)
        registerWebhooks();
    else
        QTimer::singleShot(0, this, [this] { seeded(true, {}); });
}

void Runner::registerWebhooks()
{
    // Each party's status messages, and the channels the chosen cases watch, come to the run's
    // receiver: <callback base>/to/<DIP id>.
    struct Call { QString dipId, path, url, what; };
    QList<Call> calls;
    const QString base = m_remote->callbackBase.toString(QUrl::StripTrailingSlash);
    for (const RemoteParty &party : std::as_const(m_remote->parties)) {
        const QString hook = base + remoteHookPath(party.dipId);
        calls << Call{party.dipId, QStringLiteral("/statusmessage/config/") + party.dipId, hook + QStringLiteral("/status"),
                      QStringLiteral("status messages")};
        QStringList channels;
        for (const TestCase *c : std::as_const(m_queue))
            for (const Step &s : c->steps) {
                const PackParticipant *to = m_pack.participant(s.to);
                if ((s.kind == Step::Kind::Expect || s.kind == Step::Kind::ExpectNothing) && to && to->dipId == party.dipId
                    && !channels.contains(s.channel))
                    channels << s.channel;
            }
        for (const QString &channel : std::as_const(channels))
            calls << Call{party.dipId, QStringLiteral("/dip-channel/%1/pubconfig/%2").arg(channel, party.dipId), hook, channel};
    }
    auto pending = std::make_shared<int>(int(calls.size()));
    auto failures = std::make_shared<QStringList>();
    for (const Call &c : std::as_const(calls)) {
        const QByteArray body = qb(OJson{{"callbackURL", ss(c.url)}}.dump());
        m_remoteClients.value(c.dipId)->call("POST", c.path, body, [this, c, pending, failures](const http::ClientResponse &r) {
            if (r.status < 200 || r.status >= 300)
                *failures << QStringLiteral("%1 of %2 (%3): %4")
                                 .arg(c.what, c.dipId, c.path,
                                      r.status == 0 ? r.error : QStringLiteral("HTTP %1 %2").arg(r.status).arg(QString::fromUtf8(r.body.left(300))));
            if (--*pending > 0)
                return;
            if (failures->isEmpty())
                seeded(true, {});
            else
                seeded(false, QStringLiteral("the remote DIP refused the run's webhooks: ") + failures->join(QStringLiteral("; ")));
        });
    }
}

void Runner::seeded(bool ok, const QString &error)
{
    if (!ok) {
        m_result.setupError = m_remote ? error : QStringLiteral("cannot store the pack's participants: ") + error;
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
        if (const auto m = store()->messageByTransactionId(tx); m && !m->mpan.isEmpty())
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
    storeRun(store(), m_result, this, [this](qint64 runId, const QString &error) {
        if (runId > 0)
            m_result.runId = runId;
        else
            qCWarning(lcDip) << "the run could not be stored:" << error;
        emit finished(m_result);
    });
}

} // namespace dipwb::scenario
