// SPDX-License-Identifier: GPL-3.0-or-later
#include "evidence/evidence.h"

#include "common/workspace.h"
#include "store/store.h"

#include <QFile>
#include <QMap>

#include <algorithm>

namespace dipwb::evidence {

namespace {

// A selection's "case" for one message: the question an assessor asks of a message picked in the
// tracker is whether the DIP took it and got every copy to its recipient.
scenario::CaseResult caseOf(const store::MessageRecord &m, const QList<store::DeliveryRecord> &copies)
{
    scenario::CaseResult c;
    c.id = m.transactionId;
    c.title = QStringLiteral("%1 %2 from %3 (%4)%5")
                  .arg(m.channel, m.eventCode, m.senderDipId, m.senderRole,
                       m.mpan.isEmpty() ? QString() : QStringLiteral(", MPAN ") + m.mpan);
    c.scenarioId = m.channel;
    c.requirements = {m.channel};
    c.startedMs = m.receivedMs;
    c.endedMs = m.receivedMs;
    if (!m.mpan.isEmpty())
        c.mpans = {m.mpan};

    scenario::StepResult s;
    s.kind = QStringLiteral("delivery");
    s.label = QStringLiteral("accepted by the DIP and delivered to every recipient");
    s.startedMs = m.receivedMs;
    s.transactionIds = {m.transactionId};
    s.references = {m.senderUniqueReference};
    QStringList undelivered, delivered;
    for (const auto &d : copies) {
        if (d.kind != store::DeliveryRecord::Kind::Publication)
            continue;
        s.transactionIds << d.transactionId;
        s.endedMs = std::max({s.endedMs, d.deliveredMs, d.createdMs});
        const QString who = QStringLiteral("%1 %2 (%3)").arg(d.recipientRole, d.recipientDipId, d.reason);
        if (d.status == QLatin1String("Delivered")) {
            delivered << who;
            continue;
        }
        QString why = d.status;
        if (d.lastHttpStatus)
            why += QStringLiteral(", HTTP %1").arg(d.lastHttpStatus);
        if (!d.lastError.isEmpty() && !d.lastError.startsWith(QLatin1String("HTTP ")))
            why += QStringLiteral(", ") + d.lastError;
        undelivered << QStringLiteral("%1 to %2: %3 after %4 attempt(s)").arg(d.publicationId, who, why).arg(d.attempts);
    }
    c.endedMs = std::max(c.endedMs, s.endedMs);
    if (undelivered.isEmpty()) {
        s.verdict = scenario::Verdict::Passed;
        s.detail = delivered.isEmpty() ? QStringLiteral("stored; the routing found no recipient")
                                       : QStringLiteral("delivered to ") + delivered.join(QStringLiteral(", "));
    } else {
        s.verdict = scenario::Verdict::Failed;
        s.detail = QStringLiteral("not delivered: ") + undelivered.join(QStringLiteral("; "));
        c.reason = s.detail;
    }
    c.verdict = s.verdict;
    c.steps << s;
    return c;
}

} // namespace

std::optional<EvidenceData> gatherSelectionEvidence(const Workspace &workspace, const QList<qint64> &messageIds,
                                                    const QString &description, QString *error)
{
    if (messageIds.isEmpty()) {
        *error = QStringLiteral("no messages selected");
        return std::nullopt;
    }
    const QString db = workspace.databasePath();
    if (!QFile::exists(db)) {
        *error = QStringLiteral("no workspace database at %1").arg(db);
        return std::nullopt;
    }
    Issues issues;
    auto store = store::Store::openForReading(db, &issues);
    if (!store) {
        *error = issues.isEmpty() ? QStringLiteral("cannot open %1").arg(db) : issues.first().toString();
        return std::nullopt;
    }

    // Grouped by request, in the order the DIP received them, as a run's messages are.
    QMap<qint64, MessageEvidence> byRequest;
    QList<qint64> ids = messageIds;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    EvidenceData e;
    QStringList environments;
    for (qint64 id : std::as_const(ids)) {
        const auto m = store->message(id);
        if (!m) {
            *error = QStringLiteral("message %1 is not in the workspace").arg(id);
            return std::nullopt;
        }
        MessageEvidence &me = byRequest[m->requestId];
        if (!me.request.id) {
            const auto request = store->request(m->requestId);
            if (!request) {
                *error = QStringLiteral("the request of message %1 (%2) is not in the workspace").arg(id).arg(m->transactionId);
                return std::nullopt;
            }
            me.request = *request;
        }
        me.messages << *m;
        QList<store::DeliveryRecord> copies;
        for (const auto &d : store->deliveriesOfMessage(id))
            if (const auto full = store->delivery(d.id))
                copies << *full;
        me.deliveries << copies;
        me.caseIds << m->transactionId;
        e.run.cases << caseOf(*m, copies);
        if (!m->environment.isEmpty() && !environments.contains(m->environment))
            environments << m->environment;
    }
    for (auto &me : byRequest) {
        me.number = int(e.messages.size()) + 1;
        e.messages << me;
    }

    e.selection = {true, description.isEmpty() ? QStringLiteral("%1 message(s) selected in the tracker").arg(ids.size()) : description};
    e.run.packTitle = QStringLiteral("Message selection");
    e.run.environment = environments.join(QStringLiteral(", "));
    e.run.startedMs = e.run.cases.first().startedMs;
    for (const auto &c : std::as_const(e.run.cases)) {
        e.run.startedMs = std::min(e.run.startedMs, c.startedMs);
        e.run.endedMs = std::max(e.run.endedMs, c.endedMs);
    }
    if (!completeEvidence(workspace, *store, {}, e, error))
        return std::nullopt;
    // No run recorded a head: the extract ends at the last row about the selection, and that is
    // the head the bundle's manifest names.
    if (!e.journal.isEmpty())
        e.runJournalHead = QString::fromLatin1(e.journal.last().hash);
    return e;
}

} // namespace dipwb::evidence
