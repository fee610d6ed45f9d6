// SPDX-License-Identifier: GPL-3.0-or-later
#include "evidence/evidence.h"

#include "catalogue/catalogue.h"
#include "common/install_paths.h"
#include "common/workspace.h"
#include "evidence/run_window.h"
#include "scenario/pack_loader.h"
#include "scenario/run_store.h"
#include "security/detached_signature.h"
#include "security/test_ca.h"
#include "store/store.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QMap>
#include <QSysInfo>

#include <algorithm>
#include <cmath>

namespace dipwb::evidence {

QStringList MessageEvidence::references() const
{
    QStringList out;
    for (const auto &m : messages)
        out << m.senderUniqueReference;
    return out;
}

qint64 percentile(const QList<qint64> &ascending, double p)
{
    if (ascending.isEmpty())
        return 0;
    const auto rank = qsizetype(std::ceil(p / 100.0 * double(ascending.size())));
    return ascending.at(std::clamp<qsizetype>(rank - 1, 0, ascending.size() - 1));
}

int EvidenceData::messageNumberOf(const QString &key) const
{
    for (const auto &e : messages) {
        for (const auto &m : e.messages)
            if (m.transactionId == key || m.senderUniqueReference == key)
                return e.number;
        for (const auto &d : e.deliveries)
            if (d.transactionId == key)
                return e.number;
        // A rejected request has no message rows: its body is what names the reference.
        if (e.messages.isEmpty() && e.request.body.contains(key.toUtf8()))
            return e.number;
    }
    return -1;
}

QList<TraceRow> EvidenceData::traceability() const
{
    QMap<QString, QList<TraceRow>> byRequirement; // sorted by requirement id
    for (const auto &c : run.cases) {
        const QStringList reqs = c.requirements.isEmpty() ? QStringList{QStringLiteral("(none)")} : c.requirements;
        for (const QString &req : reqs) {
            if (c.steps.isEmpty()) {
                byRequirement[req] << TraceRow{req, c.id, c.title, -1, {}, {}, scenario::verdictName(c.verdict), {}, {}, {}};
                continue;
            }
            for (const auto &s : c.steps) {
                TraceRow row{req, c.id, c.title, s.index, s.kind, s.label, scenario::verdictName(s.verdict), s.references, s.transactionIds, {}};
                for (const QString &k : s.references + s.transactionIds) {
                    const int n = messageNumberOf(k);
                    if (n > 0 && !row.messageNumbers.contains(n))
                        row.messageNumbers << n;
                }
                std::sort(row.messageNumbers.begin(), row.messageNumbers.end());
                byRequirement[req] << row;
            }
        }
    }
    QList<TraceRow> out;
    for (auto it = byRequirement.cbegin(); it != byRequirement.cend(); ++it)
        out << it.value();
    return out;
}

namespace {

LatencyStats latencyOf(const QList<MessageEvidence> &messages, qint64 target90Ms)
{
    LatencyStats s;
    s.target90Ms = target90Ms;
    for (const auto &e : messages) {
        QHash<qint64, qint64> received;
        for (const auto &m : e.messages)
            received.insert(m.id, m.receivedMs);
        for (const auto &d : e.deliveries) {
            if (d.kind != store::DeliveryRecord::Kind::Publication || d.replay)
                continue;
            if (d.deliveredMs <= 0) {
                ++s.undelivered;
                continue;
            }
            s.latenciesMs << std::max<qint64>(0, d.deliveredMs - received.value(d.messageId, d.createdMs));
        }
    }
    std::sort(s.latenciesMs.begin(), s.latenciesMs.end());
    s.p50 = percentile(s.latenciesMs, 50);
    s.p95 = percentile(s.latenciesMs, 95);
    s.p99 = percentile(s.latenciesMs, 99);
    s.max = s.latenciesMs.isEmpty() ? 0 : s.latenciesMs.last();
    if (!s.latenciesMs.isEmpty()) {
        const auto within = [&](qint64 ms) {
            return double(std::count_if(s.latenciesMs.cbegin(), s.latenciesMs.cend(), [ms](qint64 l) { return l <= ms; }))
                / double(s.latenciesMs.size());
        };
        s.within3s = within(s.target90Ms);
        s.within30s = within(s.target100Ms);
    }
    return s;
}

std::optional<scenario::Pack> packOf(const GatherOptions &options, const QString &packId)
{
    QString path = options.packPath;
    if (path.isEmpty()) {
        const QString bundled = install::bundledPacksDir();
        if (bundled.isEmpty() || packId.isEmpty() || !QFile::exists(bundled + QLatin1Char('/') + packId + QStringLiteral("/pack.yaml")))
            return std::nullopt;
        path = bundled + QLatin1Char('/') + packId;
    }
    Issues issues;
    auto pack = scenario::loadPack(path, *catalogue::Catalogue::builtIn(), &issues);
    if (!pack || pack->id != packId)
        return std::nullopt; // another pack of the same folder name tells nothing about this run
    return pack;
}

qint64 resolveRunId(const QString &db, const QString &spec, QString *error)
{
    if (spec.isEmpty() || spec == QLatin1String("latest")) {
        const auto runs = scenario::storedRuns(db, 1, error);
        if (runs.isEmpty()) {
            if (error->isEmpty())
                *error = QStringLiteral("the workspace has no stored runs (%1)").arg(db);
            return 0;
        }
        return runs.first().runId;
    }
    bool ok = false;
    const qint64 id = spec.toLongLong(&ok);
    if (!ok || id <= 0) {
        *error = QStringLiteral("'%1' is neither a run id nor 'latest'").arg(spec);
        return 0;
    }
    return id;
}

} // namespace

std::optional<EvidenceData> gatherEvidence(const Workspace &workspace, const GatherOptions &options, QString *error)
{
    const QString db = workspace.databasePath();
    if (!QFile::exists(db)) {
        *error = QStringLiteral("no workspace database at %1").arg(db);
        return std::nullopt;
    }
    const qint64 runId = resolveRunId(db, options.run, error);
    if (!runId)
        return std::nullopt;
    EvidenceData e;
    e.run = scenario::storedRun(db, runId, error);
    if (!e.run.runId)
        return std::nullopt;
    e.runJournalHead = scenario::storedRunJournalHead(db, runId, error);
    if (!error->isEmpty())
        return std::nullopt;

    Issues issues;
    auto store = store::Store::openForReading(db, &issues);
    if (!store) {
        *error = issues.isEmpty() ? QStringLiteral("cannot open %1").arg(db) : issues.first().toString();
        return std::nullopt;
    }
    RunWindow window;
    if (!window.read(db, e.run, error))
        return std::nullopt;

    // Request id -> cases, in id order: the order the DIP received them.
    QMap<qint64, QStringList> requestCases;
    for (const auto &c : e.run.cases)
        for (const auto &s : c.steps)
            for (const QString &k : s.transactionIds + s.references) {
                qint64 requestId = window.requestOfKey(k);
                if (!requestId) {
                    std::optional<store::MessageRecord> m = store->messageByTransactionId(k);
                    if (!m)
                        if (const auto d = store->deliveryByTransactionId(k); d && d->messageId)
                            m = store->message(d->messageId);
                    if (m)
                        requestId = m->requestId;
                }
                if (requestId && !requestCases[requestId].contains(c.id))
                    requestCases[requestId] << c.id;
            }
    for (auto it = requestCases.cbegin(); it != requestCases.cend(); ++it) {
        MessageEvidence me;
        me.number = int(e.messages.size()) + 1;
        const auto request = store->request(it.key());
        if (!request) {
            *error = QStringLiteral("request %1 named by the run is not in the workspace").arg(it.key());
            return std::nullopt;
        }
        me.request = *request;
        me.caseIds = it.value();
        for (qint64 mid : window.messagesOfRequest(it.key(), db, error)) {
            const auto m = store->message(mid);
            if (!m)
                continue;
            me.messages << *m;
            for (const auto &d : store->deliveriesOfMessage(mid))
                if (const auto full = store->delivery(d.id))
                    me.deliveries << *full;
        }
        if (!error->isEmpty())
            return std::nullopt;
        e.messages << me;
    }

    if (!completeEvidence(workspace, *store, options, e, error))
        return std::nullopt;
    return e;
}

bool completeEvidence(const Workspace &workspace, const store::Store &store, const GatherOptions &options, EvidenceData &e,
                      QString *error)
{
    if (!readJournalExtract(store, workspace.databasePath(), e, error))
        return false;
    e.workspaceJournalHead = QString::fromLatin1(store.journalHead());

    const auto pack = packOf(options, e.run.packId);
    QMap<QString, ParticipantEvidence> parties;
    const auto note = [&](const QString &dipId, const QString &role) {
        if (dipId.isEmpty())
            return;
        auto &p = parties[dipId];
        p.dipId = dipId;
        if (p.role.isEmpty())
            p.role = role;
    };
    for (const auto &me : std::as_const(e.messages)) {
        for (const auto &m : me.messages)
            note(m.senderDipId, m.senderRole);
        for (const auto &d : me.deliveries)
            note(d.recipientDipId, d.recipientRole);
        if (me.messages.isEmpty())
            note(me.request.senderDipId, QString());
    }
    for (const auto &known : store.participants())
        if (parties.contains(known.dipId)) {
            parties[known.dipId].name = known.name;
            if (parties[known.dipId].role.isEmpty())
                parties[known.dipId].role = known.role;
        }
    const security::WorkspaceCa ca(workspace.certificatesDir());
    for (auto &p : parties) {
        if (pack)
            if (const auto *pp = pack->participantByDipId(p.dipId)) {
                p.underTest = pp->underTest;
                if (p.name.isEmpty())
                    p.name = pp->name;
            }
        QFile cert(ca.participantCertPath(p.dipId));
        if (cert.open(QIODevice::ReadOnly))
            p.certificateSha256 = security::certificateSha256(cert.readAll());
        e.participants << p;
    }
    std::stable_sort(e.participants.begin(), e.participants.end(),
                     [](const ParticipantEvidence &a, const ParticipantEvidence &b) { return a.underTest > b.underTest; });

    e.latency = latencyOf(e.messages, pack ? pack->settings.deliveryWithinMs : 3000);
    e.workbenchVersion = QStringLiteral(DIPWB_VERSION);
    e.host = QSysInfo::machineHostName();
    e.workspaceDir = QDir(workspace.dir()).absolutePath();
    e.generatedMs = QDateTime::currentMSecsSinceEpoch();
    return true;
}

} // namespace dipwb::evidence
