// SPDX-License-Identifier: GPL-3.0-or-later
#include "evidence/run_window.h"

#include "evidence/evidence.h"
#include "store/store.h"

#include <sqlite3.h>

#include <memory>

namespace dipwb::evidence {

namespace {

using Stmt = std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt *)>;

struct ReadDb
{
    sqlite3 *db = nullptr;
    ~ReadDb() { sqlite3_close(db); }
    bool open(const QString &path, QString *error)
    {
        if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
            *error = QStringLiteral("cannot open %1: %2").arg(path, QString::fromUtf8(sqlite3_errmsg(db)));
            return false;
        }
        sqlite3_busy_timeout(db, 5000);
        return true;
    }
    Stmt prepare(const QByteArray &sql, QString *error) const
    {
        sqlite3_stmt *s = nullptr;
        if (sqlite3_prepare_v2(db, sql.constData(), -1, &s, nullptr) != SQLITE_OK)
            *error = QStringLiteral("cannot read the workspace database: %1").arg(QString::fromUtf8(sqlite3_errmsg(db)));
        return Stmt(s, sqlite3_finalize);
    }
};

QString textAt(sqlite3_stmt *s, int col)
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(s, col));
    return p ? QString::fromUtf8(p, sqlite3_column_bytes(s, col)) : QString();
}

QByteArray idList(const QList<qint64> &ids)
{
    QByteArray out;
    for (qint64 id : ids)
        out += (out.isEmpty() ? "" : ",") + QByteArray::number(id);
    return out.isEmpty() ? QByteArray("-1") : out;
}

} // namespace

bool RunWindow::read(const QString &databasePath, const scenario::RunResult &run, QString *error)
{
    ReadDb r;
    if (!r.open(databasePath, error))
        return false;
    // A step's messages arrive between the run's start and its end; late copies a little after.
    const qint64 from = run.startedMs - 1000, to = run.endedMs + 60000;
    Stmt m = r.prepare("SELECT request_id, sender_unique_reference, transaction_id FROM messages WHERE received_ms BETWEEN ?1 AND ?2", error);
    if (!m)
        return false;
    sqlite3_bind_int64(m.get(), 1, from);
    sqlite3_bind_int64(m.get(), 2, to);
    while (sqlite3_step(m.get()) == SQLITE_ROW) {
        const qint64 requestId = sqlite3_column_int64(m.get(), 0);
        m_requestOfKey.insert(textAt(m.get(), 1), requestId);
        m_requestOfKey.insert(textAt(m.get(), 2), requestId);
    }
    Stmt q = r.prepare("SELECT id, body FROM requests WHERE received_ms BETWEEN ?1 AND ?2 "
                       "AND NOT EXISTS (SELECT 1 FROM messages WHERE messages.request_id = requests.id) ORDER BY id",
                       error);
    if (!q)
        return false;
    sqlite3_bind_int64(q.get(), 1, from);
    sqlite3_bind_int64(q.get(), 2, to);
    while (sqlite3_step(q.get()) == SQLITE_ROW) {
        const auto *b = static_cast<const char *>(sqlite3_column_blob(q.get(), 1));
        m_rejectedBodies << qMakePair(sqlite3_column_int64(q.get(), 0), QByteArray(b, sqlite3_column_bytes(q.get(), 1)));
    }
    return true;
}

qint64 RunWindow::requestOfKey(const QString &key) const
{
    if (const auto it = m_requestOfKey.constFind(key); it != m_requestOfKey.cend())
        return it.value();
    // References are unique and quoted in the body: a match names the request.
    const QByteArray quoted = '"' + key.toUtf8() + '"';
    for (const auto &[id, body] : m_rejectedBodies)
        if (body.contains(quoted))
            return id;
    return 0;
}

QList<qint64> RunWindow::messagesOfRequest(qint64 requestId, const QString &databasePath, QString *error) const
{
    QList<qint64> out;
    ReadDb r;
    if (!r.open(databasePath, error))
        return out;
    Stmt s = r.prepare("SELECT id FROM messages WHERE request_id = ?1 ORDER BY index_in_request", error);
    if (!s)
        return out;
    sqlite3_bind_int64(s.get(), 1, requestId);
    while (sqlite3_step(s.get()) == SQLITE_ROW)
        out << sqlite3_column_int64(s.get(), 0);
    return out;
}

bool readJournalExtract(const store::Store &store, const QString &databasePath, EvidenceData &e, QString *error)
{
    QList<qint64> requests, messages, deliveries;
    for (const auto &me : std::as_const(e.messages)) {
        requests << me.request.id;
        for (const auto &m : me.messages)
            messages << m.id;
        for (const auto &d : me.deliveries)
            deliveries << d.id;
    }
    ReadDb r;
    if (!r.open(databasePath, error))
        return false;
    // A copy's journal rows carry its message's id; only rows without one are looked up by the
    // copy (the journal_delivery index holds just those).
    Stmt s = r.prepare("SELECT id FROM journal WHERE request_id IN (" + idList(requests) + ") OR message_id IN (" + idList(messages)
                           + ") OR (delivery_id IN (" + idList(deliveries) + ") AND message_id IS NULL) ORDER BY id",
                       error);
    if (!s)
        return false;
    qint64 first = 0, last = 0;
    while (sqlite3_step(s.get()) == SQLITE_ROW) {
        const qint64 id = sqlite3_column_int64(s.get(), 0);
        e.involvedJournalIds.insert(id);
        first = first ? first : id;
        last = id;
    }
    if (!first)
        return true; // nothing journaled (a run that sent nothing)
    qint64 headId = 0;
    if (!e.runJournalHead.isEmpty()) {
        Stmt h = r.prepare("SELECT id FROM journal WHERE hash = ?1", error);
        if (!h)
            return false;
        const QByteArray head = e.runJournalHead.toLatin1();
        sqlite3_bind_text(h.get(), 1, head.constData(), int(head.size()), SQLITE_TRANSIENT);
        if (sqlite3_step(h.get()) == SQLITE_ROW)
            headId = sqlite3_column_int64(h.get(), 0);
    }
    const qint64 end = std::max(last, headId);
    for (qint64 after = first - 1; after < end;) {
        const auto page = store.journal(after, 1000);
        if (page.isEmpty())
            break;
        for (const auto &row : page) {
            if (row.id > end)
                break;
            e.journal << row;
        }
        after = page.last().id;
    }
    if (e.journal.isEmpty() || e.journal.first().id != first || e.journal.last().id != end
        || e.journal.last().id - e.journal.first().id + 1 != e.journal.size()) {
        *error = QStringLiteral("the workspace journal has a gap between rows %1 and %2").arg(first).arg(end);
        return false;
    }
    return true;
}

} // namespace dipwb::evidence
