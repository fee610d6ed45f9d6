// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/write_txn.h"

#include "store/journal_chain.h"
#include "store/sqlite_db.h"

#include <sqlite3.h>

namespace dipwb::store {

bool SqlWriteTxn::loadJournalHead(QString *error)
{
    StatementUse s = m_db.cached("SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1");
    if (!s) {
        *error = m_db.lastError();
        return false;
    }
    const int rc = s->step();
    if (rc == SQLITE_ROW) {
        m_lastJournalId = s->int64(0);
        m_head = s->text(1).toLatin1();
    } else if (rc != SQLITE_DONE) {
        *error = m_db.lastError();
        return false;
    }
    return true;
}

void SqlWriteTxn::transactionStarted()
{
    m_txnLastId = m_lastJournalId;
    m_txnHead = m_head;
}

void SqlWriteTxn::batchStarted()
{
    m_error.clear();
    m_batchLastId = m_lastJournalId;
    m_batchHead = m_head;
}

void SqlWriteTxn::batchRolledBack()
{
    m_lastJournalId = m_batchLastId;
    m_head = m_batchHead;
}

void SqlWriteTxn::transactionRolledBack()
{
    m_lastJournalId = m_txnLastId;
    m_head = m_txnHead;
}

StatementUse SqlWriteTxn::statement(const char *sql)
{
    StatementUse s = m_db.cached(QByteArray::fromRawData(sql, qsizetype(qstrlen(sql))));
    if (!s)
        fail(QStringLiteral("preparing a statement"));
    return s;
}

bool SqlWriteTxn::stepDone(StatementUse &s)
{
    return s->step() == SQLITE_DONE;
}

void SqlWriteTxn::fail(const QString &what)
{
    const QString message = QStringLiteral("%1 (%2)").arg(m_db.lastError(), what);
    if (m_error.isEmpty())
        m_error = message;
    throw SqlFailure{message};
}

qint64 SqlWriteTxn::insertRequest(RequestRecord &r)
{
    StatementUse s = statement("INSERT INTO requests (received_ms, method, path, remote, sender_dip_id, http_status, "
                               "outcome, signature, headers, body, response, body_is_message) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    s->bind(1, r.receivedMs);
    s->bind(2, r.method);
    s->bind(3, r.path);
    s->bind(4, r.remote);
    s->bind(5, r.senderDipId);
    s->bind(6, r.httpStatus);
    s->bind(7, r.outcome);
    s->bind(8, r.signature);
    s->bind(9, r.headers);
    if (r.bodyIsMessage)
        s->bindNull(10);
    else
        s->bind(10, r.body);
    s->bind(11, r.response);
    s->bind(12, int(r.bodyIsMessage));
    run(s, [&] { return QStringLiteral("inserting request %1 %2").arg(r.method, r.path); });
    r.id = sqlite3_last_insert_rowid(m_db.handle());
    return r.id;
}

qint64 SqlWriteTxn::insertMessage(MessageRecord &m)
{
    StatementUse s = statement(
        "INSERT INTO messages (request_id, index_in_request, transaction_id, sender_unique_reference, channel, "
        "event_code, schema_version, sender_dip_id, sender_role, mpan, correlation_id, environment, received_ms, "
        "business_ms, status, routing, payload) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    s->bindIdOrNull(1, m.requestId);
    s->bind(2, m.indexInRequest);
    s->bind(3, m.transactionId);
    s->bind(4, m.senderUniqueReference);
    s->bind(5, m.channel);
    s->bind(6, m.eventCode);
    s->bind(7, m.schemaVersion);
    s->bind(8, m.senderDipId);
    s->bind(9, m.senderRole);
    s->bind(10, m.mpan);
    s->bind(11, m.correlationId);
    s->bind(12, m.environment);
    s->bind(13, m.receivedMs);
    s->bind(14, m.businessMs);
    s->bind(15, m.status);
    s->bind(16, m.routing);
    s->bind(17, m.payload);
    run(s, [&] { return QStringLiteral("inserting message %1 from %2, reference %3")
               .arg(m.transactionId, m.senderDipId, m.senderUniqueReference); });
    m.id = sqlite3_last_insert_rowid(m_db.handle());
    return m.id;
}

qint64 SqlWriteTxn::insertDelivery(DeliveryRecord &d)
{
    StatementUse s = statement(
        "INSERT INTO deliveries (message_id, kind, recipient_dip_id, recipient_role, reason, transaction_id, "
        "publication_id, status, attempts, created_ms, next_attempt_ms, delivered_ms, last_http_status, last_error, "
        "replay) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    s->bindIdOrNull(1, d.messageId);
    s->bind(2, int(d.kind));
    s->bind(3, d.recipientDipId);
    s->bind(4, d.recipientRole);
    s->bind(5, d.reason);
    s->bind(6, d.transactionId);
    s->bind(7, d.publicationId);
    s->bind(8, d.status);
    s->bind(9, d.attempts);
    s->bind(10, d.createdMs);
    s->bind(11, d.nextAttemptMs);
    s->bind(12, d.deliveredMs);
    s->bind(13, d.lastHttpStatus);
    s->bind(14, d.lastError);
    s->bind(15, d.replay);
    run(s, [&] { return QStringLiteral("inserting delivery %1 to %2").arg(d.transactionId, d.recipientDipId); });
    d.id = sqlite3_last_insert_rowid(m_db.handle());
    StatementUse b = statement("INSERT INTO delivery_bodies (delivery_id, body) VALUES (?,?)");
    b->bind(1, d.id);
    b->bind(2, d.body.isNull() ? QByteArray("") : d.body);
    run(b, [&] { return QStringLiteral("storing the body of delivery %1").arg(d.transactionId); });
    return d.id;
}

void SqlWriteTxn::updateDeliveryState(const DeliveryRecord &d)
{
    StatementUse s = statement("UPDATE deliveries SET status = ?, attempts = ?, next_attempt_ms = ?, "
                               "delivered_ms = ?, last_http_status = ?, last_error = ? WHERE id = ?");
    s->bind(1, d.status);
    s->bind(2, d.attempts);
    s->bind(3, d.nextAttemptMs);
    s->bind(4, d.deliveredMs);
    s->bind(5, d.lastHttpStatus);
    s->bind(6, d.lastError);
    s->bind(7, d.id);
    run(s, [&] { return QStringLiteral("updating delivery %1").arg(d.id); });
    if (sqlite3_changes(m_db.handle()) == 0) {
        const QString message = QStringLiteral("delivery %1 does not exist (updating its state)").arg(d.id);
        if (m_error.isEmpty())
            m_error = message;
        throw SqlFailure{message};
    }
    if (d.lastCall.isEmpty())
        return;
    StatementUse c = statement("INSERT OR REPLACE INTO delivery_calls (delivery_id, at_ms, request) VALUES (?, ?, ?)");
    c->bind(1, d.id);
    c->bind(2, d.lastCallMs);
    c->bind(3, d.lastCall);
    run(c, [&] { return QStringLiteral("recording the call of delivery %1").arg(d.id); });
}

qint64 SqlWriteTxn::journal(JournalEntry &e)
{
    // The id is part of the hashed text, so it is chosen here rather than by SQLite. Only this
    // thread appends to the journal, so last id + 1 is free.
    e.id = m_lastJournalId + 1;
    e.prevHash = m_head;
    e.hash = journalRowHash(e.prevHash, e);
    StatementUse s = statement("INSERT INTO journal (id, at_ms, request_id, message_id, delivery_id, stage, status, "
                               "detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)");
    s->bind(1, e.id);
    s->bind(2, e.atMs);
    s->bindIdOrNull(3, e.requestId);
    s->bindIdOrNull(4, e.messageId);
    s->bindIdOrNull(5, e.deliveryId);
    s->bind(6, e.stage);
    s->bind(7, e.status);
    s->bind(8, e.detail);
    s->bind(9, QString::fromLatin1(e.prevHash));
    s->bind(10, QString::fromLatin1(e.hash));
    run(s, [&] { return QStringLiteral("appending journal row %1 (%2 %3)").arg(e.id).arg(e.stage, e.status); });
    m_lastJournalId = e.id;
    m_head = e.hash;
    return e.id;
}

qint64 SqlWriteTxn::upsertAppointment(AppointmentRecord &a)
{
    // With an id: insert-or-update that row, so a row known by id is written even if it was lost.
    StatementUse s = statement(
        "INSERT INTO appointments (id, mpan, role, dip_id, from_ms, to_ms, recorded_ms, source) "
        "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET mpan = excluded.mpan, role = excluded.role, "
        "dip_id = excluded.dip_id, from_ms = excluded.from_ms, to_ms = excluded.to_ms, "
        "recorded_ms = excluded.recorded_ms, source = excluded.source");
    if (a.id == 0)
        s->bindNull(1);
    else
        s->bind(1, a.id);
    s->bind(2, a.mpan);
    s->bind(3, a.role);
    s->bind(4, a.dipId);
    s->bind(5, a.fromMs);
    if (a.toMs)
        s->bind(6, *a.toMs);
    else
        s->bindNull(6);
    s->bind(7, a.recordedMs);
    s->bind(8, a.source);
    run(s, [&] { return QStringLiteral("storing appointment %1 %2 -> %3").arg(a.mpan, a.role, a.dipId); });
    if (a.id == 0)
        a.id = sqlite3_last_insert_rowid(m_db.handle());
    return a.id;
}

void SqlWriteTxn::upsertParticipant(const participants::Participant &p)
{
    {
        StatementUse s = statement(
            "INSERT INTO participants (dip_id, role, mpid, name, simulated, api_key, status_webhook) "
            "VALUES (?,?,?,?,?,?,?) ON CONFLICT(dip_id) DO UPDATE SET role = excluded.role, mpid = excluded.mpid, "
            "name = excluded.name, simulated = excluded.simulated, api_key = excluded.api_key, "
            "status_webhook = excluded.status_webhook");
        s->bind(1, p.dipId);
        s->bind(2, p.role);
        s->bind(3, p.mpid);
        s->bind(4, p.name);
        s->bind(5, p.simulated);
        s->bind(6, p.apiKey);
        s->bind(7, p.statusWebhook);
        run(s, [&] { return QStringLiteral("storing participant %1").arg(p.dipId); });
    }
    {
        StatementUse s = statement("DELETE FROM webhooks WHERE dip_id = ?");
        s->bind(1, p.dipId);
        run(s, [&] { return QStringLiteral("replacing the webhooks of %1").arg(p.dipId); });
    }
    for (auto it = p.webhooks.cbegin(); it != p.webhooks.cend(); ++it) {
        StatementUse s = statement("INSERT INTO webhooks (dip_id, channel, url) VALUES (?,?,?)");
        s->bind(1, p.dipId);
        s->bind(2, it.key());
        s->bind(3, it.value());
        run(s, [&] { return QStringLiteral("storing the %1 webhook of %2").arg(it.key(), p.dipId); });
    }
}

void SqlWriteTxn::deleteParticipant(const QString &dipId)
{
    StatementUse s = statement("DELETE FROM participants WHERE dip_id = ?"); // webhooks cascade
    s->bind(1, dipId);
    run(s, [&] { return QStringLiteral("deleting participant %1").arg(dipId); });
}

void SqlWriteTxn::deleteAppointmentsOf(const QString &mpan, const QString &role)
{
    StatementUse s = statement("DELETE FROM appointments WHERE mpan = ? AND role = ?");
    s->bind(1, mpan);
    s->bind(2, role);
    run(s, [&] { return QStringLiteral("deleting the %1 appointments of MPAN %2").arg(role, mpan); });
}

sqlite3 *SqlWriteTxn::db()
{
    return m_db.handle();
}

} // namespace dipwb::store
