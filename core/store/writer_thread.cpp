// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/writer_thread.h"

#include "common/log.h"
#include "store/log_sync.h"
#include "store/sqlite_db.h"
#include "store/write_txn.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <exception>

namespace dipwb::store {

WriterThread::WriterThread(std::unique_ptr<SqlConnection> db, std::unique_ptr<SqlWriteTxn> txn,
                           const Store::Options &options, std::unique_ptr<LogSync> logSync)
    : m_db(std::move(db))
    , m_txn(std::move(txn))
    , m_windowMs(qMax(0, options.groupCommitWindowMs))
    , m_maxBatches(size_t(qMax(1, options.maxBatchesPerCommit)))
    , m_logSync(std::move(logSync))
    , m_thread([this] { run(); })
{
    {
        std::lock_guard lock(m_mutex);  // the writer thread is already running
        m_stats.syncsOnOwnThread = m_logSync != nullptr;
    }
    if (m_logSync)
        m_syncThread = std::thread([this] { runSync(); });
}

WriterThread::~WriterThread()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
    if (m_syncThread.joinable()) {
        {
            std::lock_guard lock(m_mutex);
            m_writerDone = true;
        }
        m_syncWake.notify_all();
        m_syncThread.join();  // after answering what the writer handed over last
    }
    m_txn.reset();
    m_db.reset();
}

bool WriterThread::isOwnThread() const
{
    const auto self = std::this_thread::get_id();
    return self == m_thread.get_id() || (m_syncThread.joinable() && self == m_syncThread.get_id());
}

void WriterThread::enqueue(Store::WriteFn work, QObject *context, Store::DoneFn done)
{
    {
        std::lock_guard lock(m_mutex);
        Batch b;
        b.work = std::move(work);
        b.context = context;
        b.hasContext = context != nullptr;
        b.done = std::move(done);
        b.seq = ++m_queuedSeq;
        m_queue.push_back(std::move(b));
    }
    m_wake.notify_one();
}

void WriterThread::flush()
{
    if (isOwnThread()) {
        // Waiting here would wait for ourselves: a done callback without context runs on these threads.
        qCWarning(lcStore) << "Store::flush() called on the store's own thread; ignored";
        return;
    }
    std::unique_lock lock(m_mutex);
    const quint64 target = m_queuedSeq;
    m_finished.wait(lock, [&] { return m_finishedSeq >= target; });
}

Store::WriterStats WriterThread::stats() const
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

void WriterThread::takeQueued(std::vector<Batch> &group)
{
    while (group.size() < m_maxBatches && !m_queue.empty()) {
        group.push_back(std::move(m_queue.front()));
        m_queue.pop_front();
    }
}

// SQLite's own automatic checkpoint, done here instead so that its time is measured apart from the
// commits': the same trigger (kCheckpointPages pages in the log), the same passive mode, the same
// moment (right after the commit that crossed it, inside that COMMIT's step).
int WriterThread::walHook(void *self, sqlite3 *db, const char *name, int pages)
{
    auto *writer = static_cast<WriterThread *>(self);
    if (pages < kCheckpointPages)
        return SQLITE_OK;
    const auto start = std::chrono::steady_clock::now();
    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    const qint64 ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
    writer->m_checkpointNsInCommit += ns;
    std::lock_guard lock(writer->m_mutex);
    writer->m_stats.checkpointTime.add(ns);
    return SQLITE_OK;
}

bool WriterThread::commit(QString *error)
{
    m_checkpointNsInCommit = 0;
    const auto start = std::chrono::steady_clock::now();
    if (!control("COMMIT", error))
        return false;
    const qint64 ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
    std::lock_guard lock(m_mutex);
    ++m_stats.commits;
    m_stats.commitTime.add(ns - m_checkpointNsInCommit);
    return true;
}

void WriterThread::run()
{
    sqlite3_wal_hook(m_db->handle(), &WriterThread::walHook, this);
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
        if (m_queue.empty())
            break; // stopping, and everything queued has been committed
        std::vector<Batch> group;
        takeQueued(group);
        // Group commit: one fsync for many batches. While the group is small, give other writers a
        // few milliseconds to join it (not when shutting down: then just drain).
        if (group.size() < m_maxBatches && m_windowMs > 0 && !m_stopping) {
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(m_windowMs);
            while (group.size() < m_maxBatches && !m_stopping
                   && m_wake.wait_until(lock, deadline, [&] { return m_stopping || !m_queue.empty(); }))
                takeQueued(group);
        }
        lock.unlock();
        commitGroup(group);
        lock.lock();
        if (m_logSync) {
            m_unsynced.push_back(std::move(group));
            m_syncWake.notify_one();
        } else {
            lock.unlock();
            answer(group);
            lock.lock();
        }
    }
}

void WriterThread::answer(std::vector<Batch> &group)
{
    finish(group);
    std::lock_guard lock(m_mutex);
    m_finishedSeq = group.back().seq;
    m_finished.notify_all();
}

void WriterThread::runSync()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_syncWake.wait(lock, [&] { return m_writerDone || !m_unsynced.empty(); });
        if (m_unsynced.empty())
            break;  // the writer has stopped and everything it committed is answered
        // One sync for every group committed so far: all of them were written before it starts.
        std::vector<std::vector<Batch>> groups = std::move(m_unsynced);
        m_unsynced.clear();
        lock.unlock();
        const bool anyCommitted = std::any_of(groups.begin(), groups.end(), [](const std::vector<Batch> &g) {
            return std::any_of(g.begin(), g.end(), [](const Batch &b) { return b.ok; });
        });
        QString error;
        bool synced = true;
        if (anyCommitted) {
            const auto start = std::chrono::steady_clock::now();
            synced = m_logSync->sync(&error);
            const qint64 ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
            std::lock_guard statsLock(m_mutex);
            m_stats.syncTime.add(ns);
        }
        for (std::vector<Batch> &g : groups) {
            if (!synced) {
                // Stored and readable, but not known to be on the disk: it is not acknowledged as
                // durable, and the reason says what happened to it.
                qCCritical(lcStore) << "the log could not be synced:" << error;
                for (Batch &b : g)
                    if (b.ok) {
                        b.ok = false;
                        b.error = QStringLiteral("written to the database but not confirmed on the disk: ") + error;
                    }
            }
            answer(g);
        }
        lock.lock();
    }
}

bool WriterThread::control(const char *sql, QString *error)
{
    StatementUse s = m_db->cached(QByteArray::fromRawData(sql, qsizetype(qstrlen(sql))));
    if (s && s->step() == SQLITE_DONE)
        return true;
    *error = m_db->lastError();
    return false;
}

QString WriterThread::runBatch(Batch &b)
{
    if (!b.work)
        return {};
    try {
        b.work(*m_txn);
    } catch (const SqlFailure &f) {
        return m_txn->batchError().isEmpty() ? f.message : m_txn->batchError();
    } catch (const std::exception &e) {
        return QStringLiteral("the write batch threw: ") + QString::fromLocal8Bit(e.what());
    } catch (...) {
        return QStringLiteral("the write batch threw an exception");
    }
    // A batch may have caught our SqlFailure and carried on: it still failed.
    return m_txn->batchError();
}

void WriterThread::commitGroup(std::vector<Batch> &group)
{
    if (commitWhole(group))
        return;
    {
        std::lock_guard lock(m_mutex);
        ++m_stats.groupsRedone;
    }
    commitEach(group);
}

// The common case, every batch sound: the whole group in one transaction without a savepoint per
// batch (a savepoint copies each page a batch touches, about a fifth of the writer's time). Any
// failure undoes everything, and commitEach() runs the group again with savepoints so that only
// the failing batch fails. Returns false when that is needed.
bool WriterThread::commitWhole(std::vector<Batch> &group)
{
    QString error;
    if (!control("BEGIN IMMEDIATE", &error))
        return false;
    m_txn->transactionStarted();
    auto undo = [this] {
        if (m_db->inTransaction())
            m_db->exec("ROLLBACK");
        m_txn->transactionRolledBack();
        return false;
    };
    for (Batch &b : group) {
        m_txn->batchStarted();
        if (!runBatch(b).isEmpty() || !m_db->inTransaction())
            return undo();
    }
    if (!commit(&error))
        return undo();
    for (Batch &b : group)
        b.ok = true;
    return true;
}

void WriterThread::commitEach(std::vector<Batch> &group)
{
    std::vector<Batch *> applied; // released into the open transaction, not yet committed
    bool inTxn = false;
    // The whole transaction is lost: every batch applied in it fails with the reason.
    auto abandon = [&](const QString &why) {
        for (Batch *b : applied) {
            b->ok = false;
            b->error = why;
        }
        applied.clear();
        if (m_db->inTransaction())
            m_db->exec("ROLLBACK");
        m_txn->transactionRolledBack();
        inTxn = false;
    };

    for (Batch &b : group) {
        QString error;
        if (!inTxn) {
            if (!control("BEGIN IMMEDIATE", &error)) {
                b.error = QStringLiteral("cannot start a write transaction: ") + error;
                continue;
            }
            inTxn = true;
            m_txn->transactionStarted();
        }
        if (!control("SAVEPOINT batch", &error)) {
            b.error = QStringLiteral("cannot open a savepoint: ") + error;
            abandon(QStringLiteral("rolled back with its transaction: ") + b.error);
            continue;
        }
        m_txn->batchStarted();
        error = runBatch(b);
        if (error.isEmpty() && !m_db->inTransaction())
            error = QStringLiteral("the write batch ended the transaction itself");
        if (error.isEmpty()) {
            if (control("RELEASE batch", &error)) {
                applied.push_back(&b);
            } else {
                b.error = QStringLiteral("cannot release the savepoint: ") + error;
                abandon(QStringLiteral("rolled back with its transaction: ") + b.error);
            }
            continue;
        }
        b.error = error;
        if (!m_db->inTransaction()) {
            // Some errors (SQLITE_FULL, SQLITE_IOERR...) make SQLite roll back the whole transaction.
            abandon(QStringLiteral("rolled back with its transaction after another batch failed: ") + error);
            continue;
        }
        QString why;
        if (control("ROLLBACK TO batch", &why) && control("RELEASE batch", &why))
            m_txn->batchRolledBack();
        else
            abandon(QStringLiteral("rolled back with its transaction: cannot undo a failed batch: ") + why);
    }
    if (!inTxn)
        return;
    QString error;
    if (!commit(&error)) {
        abandon(QStringLiteral("commit failed, nothing of this group was stored: ") + error);
        return;
    }
    for (Batch *b : applied)
        b->ok = true;
}

void WriterThread::finish(std::vector<Batch> &group)
{
    qint64 committed = 0;
    // The answers of neighbouring batches for one context go in one queued call: a group of a
    // hundred sends wakes the emulator's thread once, not a hundred times.
    struct Answer
    {
        Store::DoneFn done;
        bool ok;
        QString error;
    };
    std::vector<std::pair<QObject *, std::vector<Answer>>> posts;
    for (Batch &b : group) {
        if (b.ok)
            ++committed;
        else
            qCWarning(lcStore) << "write batch failed:" << b.error;
        if (!b.done)
            continue;
        if (b.hasContext) {
            // The context lives on another thread; a queued call runs done there and is discarded
            // by Qt if the context is destroyed before it runs. Contexts must outlive the post itself.
            QObject *context = b.context.data();
            if (!context)
                continue;
            // Only neighbours share a call, so answers keep the order of their batches.
            if (posts.empty() || posts.back().first != context)
                posts.push_back({context, {}});
            posts.back().second.push_back({std::move(b.done), b.ok, b.error});
        } else {
            try {
                b.done(b.ok, b.error);
            } catch (...) {
                qCWarning(lcStore) << "a write done callback threw; ignored";
            }
        }
    }
    for (auto &[context, answers] : posts)
        QMetaObject::invokeMethod(
            context, [answers = std::make_shared<std::vector<Answer>>(std::move(answers))] {
                for (Answer &a : *answers)
                    a.done(a.ok, a.error);
            },
            Qt::QueuedConnection);
    std::lock_guard lock(m_mutex);
    m_stats.batchesCommitted += committed;
    m_stats.batchesFailed += qint64(group.size()) - committed;
}

} // namespace dipwb::store
