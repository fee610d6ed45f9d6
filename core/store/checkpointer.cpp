// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/checkpointer.h"

#include "common/log.h"
#include "store/sqlite_db.h"

#include <sqlite3.h>

#include <chrono>

namespace dipwb::store {

namespace {

constexpr int kWakeAtFrames = 1000;      // SQLite's own threshold: about 4 MB of log
// Should the checkpoints never catch up (a reader holding an old snapshot for minutes), the
// writer checkpoints itself beyond this, as SQLite would, so the log stays bounded.
constexpr int kWriterTakesOverAtFrames = 100000;
constexpr auto kAtLeastEvery = std::chrono::seconds(1);

} // namespace

std::unique_ptr<Checkpointer> Checkpointer::start(const QString &path, sqlite3 *writerDb, QString *error)
{
    auto db = SqlConnection::open(path, SqlConnection::Mode::ReadWrite, error);
    if (!db)
        return nullptr;
    return std::unique_ptr<Checkpointer>(new Checkpointer(std::move(db), writerDb));
}

Checkpointer::Checkpointer(std::unique_ptr<SqlConnection> db, sqlite3 *writerDb)
    : m_db(std::move(db))
    , m_writerDb(writerDb)
{
    sqlite3_wal_hook(m_writerDb, &Checkpointer::onWalCommit, this);
    m_thread = std::thread([this] { run(); });
}

Checkpointer::~Checkpointer()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
    sqlite3_wal_hook(m_writerDb, nullptr, nullptr);
}

int Checkpointer::checkpoints() const
{
    std::lock_guard lock(m_mutex);
    return m_checkpoints;
}

// Runs on the writer thread after each commit, with the number of frames in the log.
int Checkpointer::onWalCommit(void *self, sqlite3 *db, const char *name, int frames)
{
    if (frames >= kWriterTakesOverAtFrames)
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (frames < kWakeAtFrames)
        return SQLITE_OK;
    auto *c = static_cast<Checkpointer *>(self);
    {
        std::lock_guard lock(c->m_mutex);
        c->m_wanted = true;
    }
    c->m_wake.notify_one();
    return SQLITE_OK;
}

void Checkpointer::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        m_wake.wait_for(lock, kAtLeastEvery, [&] { return m_stopping || m_wanted; });
        if (m_stopping)
            break;
        m_wanted = false;
        lock.unlock();
        int logFrames = 0, copied = 0;
        const int rc = sqlite3_wal_checkpoint_v2(m_db->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copied);
        // Busy or a full disk: the log keeps everything, and the next attempt copies it.
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            qCDebug(lcStore) << "checkpoint deferred:" << sqlite3_errstr(rc);
        lock.lock();
        ++m_checkpoints;
    }
}

} // namespace dipwb::store
