// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

struct sqlite3;

namespace dipwb::store {

class SqlConnection;

/// Copies the write-ahead log back into the database on a thread of its own. SQLite would do it
/// inside whichever commit crossed 1,000 pages, holding up every write queued behind it (several
/// megabytes written and synced: the slowest commits of a busy emulator). Here the writer's commit
/// only wakes this thread, whose passive checkpoint runs beside the writer without blocking it.
class Checkpointer final
{
public:
    /// Opens its own connection to path and takes over checkpointing from writerDb (installs its
    /// WAL hook). Construct before the writer thread uses writerDb; destroy after it stopped.
    /// Returns nullptr (and *error) when the connection cannot be opened; SQLite's own
    /// checkpointing then stays in place.
    static std::unique_ptr<Checkpointer> start(const QString &path, sqlite3 *writerDb, QString *error);
    ~Checkpointer();

    /// Passive checkpoints run so far (tests, diagnostics).
    int checkpoints() const;

private:
    Checkpointer(std::unique_ptr<SqlConnection> db, sqlite3 *writerDb);
    static int onWalCommit(void *self, sqlite3 *db, const char *name, int frames);
    void run();

    std::unique_ptr<SqlConnection> m_db;  // this thread's connection
    sqlite3 *const m_writerDb;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_wanted = false;    // guarded by m_mutex
    bool m_stopping = false;  // guarded by m_mutex
    int m_checkpoints = 0;    // guarded by m_mutex
    std::thread m_thread;
};

} // namespace dipwb::store
