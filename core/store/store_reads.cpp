// SPDX-License-Identifier: GPL-3.0-or-later
// The read side of Store: every query runs on the calling thread's own read-only connection, so
// readers never wait for the writer (WAL) and never share a statement with another thread.
#include "store/store.h"

#include "common/log.h"
#include "store/journal_chain.h"
#include "store/rows.h"
#include "store/store_private.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <sqlite3.h>

namespace dipwb::store {

bool readQuery(SqlConnection *c, const QByteArray &sql, const ReadBind &bind, const ReadRow &row, QString *error)
{
    if (!c) {
        if (error)
            *error = QStringLiteral("cannot open a read connection");
        return false;
    }
    StatementUse s = c->cached(sql);
    if (s) {
        if (bind)
            bind(*s);
        int rc;
        while ((rc = s->step()) == SQLITE_ROW)
            row(*s);
        if (rc == SQLITE_DONE)
            return true;
    }
    qCWarning(lcStore) << "read failed:" << c->lastError() << "in" << sql;
    if (error)
        *error = c->lastError();
    return false;
}

namespace {

using Bind = ReadBind;
using Row = ReadRow;

template <typename T>
QList<T> list(SqlConnection *c, const QByteArray &sql, const Bind &bind = {})
{
    QList<T> out;
    readQuery(c, sql, bind, [&](const SqlStatement &s) {
        T r;
        rows::read(s, 0, &r);
        out.append(std::move(r));
    });
    return out;
}

template <typename T>
std::optional<T> first(SqlConnection *c, const QByteArray &sql, const Bind &bind)
{
    const QList<T> l = list<T>(c, sql + " LIMIT 1", bind);
    if (l.isEmpty())
        return std::nullopt;
    return l.first();
}

qint64 count(SqlConnection *c, const QByteArray &sql)
{
    qint64 n = 0;
    readQuery(c, sql, {}, [&](const SqlStatement &s) { n = s.int64(0); });
    return n;
}

Bind bindPage(qint64 afterId, int limit)
{
    return [=](SqlStatement &s) {
        s.bind(1, afterId);
        s.bind(2, limit < 0 ? qint64(-1) : qint64(limit));
    };
}

} // namespace

QList<participants::Participant> Store::participants() const
{
    QList<participants::Participant> out;
    readQuery(d->reader(), "SELECT " + rows::participantColumns() + " FROM participants ORDER BY dip_id", {},
          [&](const SqlStatement &s) {
              participants::Participant p;
              rows::read(s, 0, &p);
              out.append(std::move(p));
          });
    QHash<QString, QHash<QString, QString>> hooks;
    readQuery(d->reader(), "SELECT dip_id, channel, url FROM webhooks", {},
          [&](const SqlStatement &s) { hooks[s.text(0)].insert(s.text(1), s.text(2)); });
    for (auto &p : out)
        p.webhooks = hooks.value(p.dipId);
    return out;
}

QList<AppointmentRecord> Store::appointments() const
{
    return list<AppointmentRecord>(d->reader(), "SELECT " + rows::appointmentColumns() + " FROM appointments ORDER BY id");
}

QList<AppointmentRecord> Store::appointmentsOf(const QString &mpan) const
{
    return list<AppointmentRecord>(d->reader(),
                                   "SELECT " + rows::appointmentColumns() + " FROM appointments WHERE mpan = ? ORDER BY role, from_ms",
                                   [&](SqlStatement &s) { s.bind(1, mpan); });
}

QList<DeliveryRecord> Store::pendingDeliveries() const
{
    return list<DeliveryRecord>(d->reader(), "SELECT " + rows::deliveryColumns()
                                        + " FROM deliveries WHERE status IN ('Pending', 'Retrying') ORDER BY id");
}

QList<QPair<QString, QString>> Store::senderReferences() const
{
    QList<QPair<QString, QString>> out;
    readQuery(d->reader(), "SELECT sender_dip_id, sender_unique_reference FROM messages ORDER BY id", {},
          [&](const SqlStatement &s) { out.append({s.text(0), s.text(1)}); });
    return out;
}

std::optional<MessageRecord> Store::message(qint64 id) const
{
    return first<MessageRecord>(d->reader(), "SELECT " + rows::messageColumns() + " FROM messages WHERE id = ?",
                                [=](SqlStatement &s) { s.bind(1, id); });
}

std::optional<MessageRecord> Store::messageByTransactionId(const QString &transactionId) const
{
    return first<MessageRecord>(d->reader(), "SELECT " + rows::messageColumns() + " FROM messages WHERE transaction_id = ?",
                                [&](SqlStatement &s) { s.bind(1, transactionId); });
}

std::optional<DeliveryRecord> Store::delivery(qint64 id) const
{
    return first<DeliveryRecord>(d->reader(), "SELECT " + rows::deliveryColumns() + " FROM deliveries WHERE id = ?",
                                 [=](SqlStatement &s) { s.bind(1, id); });
}

std::optional<DeliveryRecord> Store::deliveryByTransactionId(const QString &transactionId) const
{
    return first<DeliveryRecord>(d->reader(),
                                 "SELECT " + rows::deliveryColumns()
                                     + " FROM deliveries WHERE transaction_id = ? ORDER BY kind, replay, id",
                                 [&](SqlStatement &s) { s.bind(1, transactionId); });
}

std::optional<DeliveryCall> Store::deliveryCall(qint64 deliveryId) const
{
    std::optional<DeliveryCall> out;
    readQuery(
        d->reader(), "SELECT delivery_id, at_ms, request FROM delivery_calls WHERE delivery_id = ?",
        [&](SqlStatement &s) { s.bind(1, deliveryId); },
        [&](const SqlStatement &s) { out = DeliveryCall{s.int64(0), s.int64(1), s.blob(2)}; });
    return out;
}

QList<DeliveryRecord> Store::deliveriesOfMessage(qint64 messageId) const
{
    return list<DeliveryRecord>(d->reader(),
                                "SELECT " + rows::deliveryColumns() + " FROM deliveries WHERE message_id = ? ORDER BY id",
                                [=](SqlStatement &s) { s.bind(1, messageId); });
}

QList<JournalEntry> Store::journalOfMessage(qint64 messageId) const
{
    return list<JournalEntry>(d->reader(),
                              "SELECT " + rows::journalColumns() + " FROM journal WHERE message_id = ? ORDER BY id",
                              [=](SqlStatement &s) { s.bind(1, messageId); });
}

QList<RequestRecord> Store::requests(qint64 afterId, int limit) const
{
    return list<RequestRecord>(d->reader(), "SELECT " + rows::requestColumns() + " FROM requests WHERE id > ? ORDER BY id LIMIT ?",
                               bindPage(afterId, limit));
}

QList<MessageRecord> Store::messages(qint64 afterId, int limit) const
{
    return list<MessageRecord>(d->reader(), "SELECT " + rows::messageColumns() + " FROM messages WHERE id > ? ORDER BY id LIMIT ?",
                               bindPage(afterId, limit));
}

QList<JournalEntry> Store::journal(qint64 afterId, int limit) const
{
    return list<JournalEntry>(d->reader(), "SELECT " + rows::journalColumns() + " FROM journal WHERE id > ? ORDER BY id LIMIT ?",
                              bindPage(afterId, limit));
}

std::optional<RequestRecord> Store::request(qint64 id) const
{
    return first<RequestRecord>(d->reader(), "SELECT " + rows::requestColumns() + " FROM requests WHERE id = ?",
                                [=](SqlStatement &s) { s.bind(1, id); });
}

QList<QPair<DeliveryRecord, MessageRecord>> Store::publications(const PublicationQuery &q) const
{
    // Only the filters in use go into the SQL, so the planner can pick the index that fits
    // (recipient + creation time, or transaction id); each variant is prepared once per thread.
    QByteArray sql = "SELECT " + rows::deliveryColumns("d") + ", " + rows::messageColumns("m")
        + " FROM deliveries d JOIN messages m ON m.id = d.message_id"
          " WHERE d.kind = 0 AND d.replay = 0 AND d.created_ms >= ?1";
    if (!q.recipientDipId.isEmpty())
        sql += " AND d.recipient_dip_id = ?2";
    if (!q.channel.isEmpty())
        sql += " AND m.channel = ?3";
    if (q.toMs > 0)
        sql += " AND d.created_ms < ?4";
    if (!q.eventCode.isEmpty())
        sql += " AND m.event_code = ?5";
    if (!q.mpan.isEmpty())
        sql += " AND m.mpan = ?6";
    if (!q.schemaVersion.isEmpty())
        sql += " AND m.schema_version = ?7";
    if (!q.transactionIds.isEmpty())
        sql += " AND d.transaction_id IN (SELECT value FROM json_each(?8))";
    sql += " ORDER BY d.id LIMIT ?9";
    const QByteArray ids = QJsonDocument(QJsonArray::fromStringList(q.transactionIds)).toJson(QJsonDocument::Compact);

    QList<QPair<DeliveryRecord, MessageRecord>> out;
    readQuery(
        d->reader(), sql,
        [&](SqlStatement &s) {
            s.bind(1, q.fromMs);
            s.bind(2, q.recipientDipId);
            s.bind(3, q.channel);
            s.bind(4, q.toMs);
            s.bind(5, q.eventCode);
            s.bind(6, q.mpan);
            s.bind(7, q.schemaVersion);
            s.bind(8, QString::fromUtf8(ids));
            s.bind(9, q.limit < 0 ? qint64(-1) : qint64(q.limit));
        },
        [&](const SqlStatement &s) {
            QPair<DeliveryRecord, MessageRecord> p;
            rows::read(s, rows::read(s, 0, &p.first), &p.second);
            out.append(std::move(p));
        });
    return out;
}

qint64 Store::messageCount() const
{
    return count(d->reader(), "SELECT count(*) FROM messages");
}

qint64 Store::lastRequestId() const
{
    return count(d->reader(), "SELECT coalesce(max(id), 0) FROM requests");
}

qint64 Store::deliveryCount() const
{
    return count(d->reader(), "SELECT count(*) FROM deliveries");
}

qint64 Store::verifyJournal(QString *why) const
{
    // One SELECT is one read transaction: the chain is checked on a consistent snapshot.
    qint64 bad = 0;
    qint64 previousId = 0;
    QByteArray previousHash;
    QString reason;
    QString error;
    const bool ok = readQuery(
        d->reader(), "SELECT " + rows::journalColumns() + " FROM journal ORDER BY id", {},
        [&](const SqlStatement &s) {
            if (bad)
                return;
            JournalEntry e;
            rows::read(s, 0, &e);
            if (e.prevHash != previousHash) {
                bad = e.id;
                reason = previousId ? QStringLiteral("journal row %1: prev_hash does not match row %2").arg(e.id).arg(previousId)
                                    : QStringLiteral("journal row %1: prev_hash of the first row is not empty").arg(e.id);
            } else if (journalRowHash(e.prevHash, e) != e.hash) {
                bad = e.id;
                reason = QStringLiteral("journal row %1: hash does not match its content").arg(e.id);
            }
            previousId = e.id;
            previousHash = e.hash;
        },
        &error);
    if (!ok) {
        if (why)
            *why = QStringLiteral("cannot read the journal: ") + error;
        return -1;
    }
    if (why)
        *why = reason;
    return bad;
}

QByteArray Store::journalHead() const
{
    QByteArray head;
    readQuery(d->reader(), "SELECT hash FROM journal ORDER BY id DESC LIMIT 1", {},
          [&](const SqlStatement &s) { head = s.text(0).toLatin1(); });
    return head;
}

} // namespace dipwb::store
