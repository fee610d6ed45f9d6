// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/store.h"

#include <QPointer>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

struct sqlite3;

namespace dipwb::store {

class LogSync;
class SqlConnection;
class SqlWriteTxn;

/// The single writer: a std::thread that owns the only read-write connection and commits queued
/// batches in groups (one BEGIN IMMEDIATE ... COMMIT for many batches; see commitWhole() and
/// commitEach() for how a failing batch is undone alone). Everything under m_mutex is shared with
/// the threads calling enqueue()/flush(); the connection and the WriteTxn are touched only by the
/// writer thread once it runs.
///
/// With a LogSync, a second thread syncs the log after the COMMITs: the writer hands each
/// committed group over and goes on with the next, and the sync thread answers the groups (done
/// callbacks) once one sync that started after their COMMIT has returned. Acknowledged still means
/// on the disk; the writer no longer waits for the disk between groups.
class WriterThread final
{
public:
    /// logSync: null when each COMMIT syncs the log itself (PRAGMA synchronous=FULL, or not durable).
    WriterThread(std::unique_ptr<SqlConnection> db, std::unique_ptr<SqlWriteTxn> txn, const Store::Options &options,
                 std::unique_ptr<LogSync> logSync);
    /// Commits whatever is still queued, then stops the thread and closes the connection.
    ~WriterThread();
    WriterThread(const WriterThread &) = delete;
    WriterThread &operator=(const WriterThread &) = delete;

    void enqueue(Store::WriteFn work, QObject *context, Store::DoneFn done);
    /// Returns once every batch queued before the call has been committed or failed and its done
    /// has been called (no context) or posted (with a context).
    void flush();
    Store::WriterStats stats() const;

private:
    struct Batch
    {
        Store::WriteFn work;
        QPointer<QObject> context;
        bool hasContext = false;
        Store::DoneFn done;
        quint64 seq = 0;
        bool ok = false;
        QString error;
    };

    /// The log's size, in pages, at which a commit is followed by a checkpoint (SQLite's default).
    static constexpr int kCheckpointPages = 1000;
    static int walHook(void *self, sqlite3 *db, const char *name, int pages);
    /// COMMIT, timed into m_stats.commitTime without the checkpoint it may run.
    bool commit(QString *error);
    void run();
    void takeQueued(std::vector<Batch> &group);
    void commitGroup(std::vector<Batch> &group);
    bool commitWhole(std::vector<Batch> &group);
    void commitEach(std::vector<Batch> &group);
    QString runBatch(Batch &b);
    bool control(const char *sql, QString *error);
    void finish(std::vector<Batch> &group);
    /// Answers the group and marks it finished (for flush()).
    void answer(std::vector<Batch> &group);
    /// The sync thread: syncs the log for the groups handed over, then answers them.
    void runSync();
    bool isOwnThread() const;

    std::unique_ptr<SqlConnection> m_db;  // writer thread only
    std::unique_ptr<SqlWriteTxn> m_txn;   // writer thread only
    qint64 m_checkpointNsInCommit = 0;    // writer thread only: checkpoint time inside the current COMMIT
    const int m_windowMs;
    const size_t m_maxBatches;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;       // queue not empty, or stopping
    std::condition_variable m_finished;   // m_finishedSeq advanced
    std::deque<Batch> m_queue;            // guarded by m_mutex
    std::unique_ptr<LogSync> m_logSync;   // sync thread only
    std::condition_variable m_syncWake;   // m_unsynced not empty, or m_writerDone
    std::vector<std::vector<Batch>> m_unsynced;  // guarded by m_mutex: committed, waiting for a sync
    bool m_writerDone = false;            // guarded by m_mutex: the writer has stopped
    quint64 m_queuedSeq = 0;              // guarded by m_mutex: seq of the last queued batch
    quint64 m_finishedSeq = 0;            // guarded by m_mutex: every batch up to it is finished
    bool m_stopping = false;              // guarded by m_mutex
    Store::WriterStats m_stats;           // guarded by m_mutex

    std::thread m_thread;                 // starts after everything above exists
    std::thread m_syncThread;             // only with a LogSync
};

} // namespace dipwb::store
