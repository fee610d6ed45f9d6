// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/store.h"

#include "common/log.h"
#include "store/schema.h"
#include "store/store_private.h"
#include "store/log_sync.h"
#include "store/write_txn.h"

#include <QFileInfo>
#include <QMetaObject>

#include <atomic>
#include <unordered_map>

namespace dipwb::store {
namespace {

std::atomic<quint64> g_nextSerial{1};

// Each thread's reader connections, by store serial. The slots die with the thread (closing the
// connection) or are emptied by their store's destructor, whichever comes first.
thread_local std::unordered_map<quint64, std::shared_ptr<ReaderSlot>> t_readers;

constexpr int kBusyTimeoutMs = 5000;

Issue storeError(const QString &code, const QString &text, const QString &path)
{
    return Issue::error(code, text, path);
}

} // namespace

SqlConnection *Store::Private::reader()
{
    auto it = t_readers.find(serial);
    if (it != t_readers.end()) {
        std::lock_guard lock(it->second->mutex);
        if (it->second->conn)
            return it->second->conn.get();
    }
    // Drop slots of stores that are gone before adding one.
    for (auto i = t_readers.begin(); i != t_readers.end();) {
        bool closed = false;
        {
            std::lock_guard lock(i->second->mutex);
            closed = !i->second->conn;
        }
        i = closed ? t_readers.erase(i) : std::next(i);
    }
    QString error;
    auto conn = SqlConnection::open(path, SqlConnection::Mode::ReadOnly, &error);
    if (!conn) {
        qCWarning(lcStore) << "cannot open a read connection to" << path << ":" << error;
        return nullptr;
    }
    const QByteArray busy = "PRAGMA busy_timeout = " + QByteArray::number(kBusyTimeoutMs);
    conn->exec(busy.constData());
    auto slot = std::make_shared<ReaderSlot>();
    slot->conn = std::move(conn);
    SqlConnection *raw = slot->conn.get();
    {
        std::lock_guard lock(readersMutex);
        std::erase_if(readers, [](const std::weak_ptr<ReaderSlot> &w) { return w.expired(); });
        readers.push_back(slot);
    }
    t_readers[serial] = std::move(slot);
    return raw;
}

void Store::Private::closeReaders()
{
    std::lock_guard lock(readersMutex);
    for (const auto &weak : readers) {
        if (auto slot = weak.lock()) {
            std::lock_guard slotLock(slot->mutex);
            slot->conn.reset();
        }
    }
    readers.clear();
}

Store::Store(QObject *parent) : QObject(parent), d(std::make_unique<Private>())
{
}

Store::~Store()
{
    d->writer.reset(); // drains the queue, commits, stops the thread, closes the write connection
    d->closeReaders();
    d->lock.reset();   // last: another process may write only once this one has stopped
}

std::unique_ptr<Store> Store::open(const QString &path, Issues *issues)
{
    return open(path, Options{}, issues);
}

std::unique_ptr<Store> Store::open(const QString &path, const Options &options, Issues *issues)
{
    auto fail = [&](const QString &code, const QString &text) -> std::unique_ptr<Store> {
        if (issues)
            issues->append(storeError(code, text, path));
        return nullptr;
    };
    auto lock = std::make_unique<QLockFile>(path + QStringLiteral(".lock"));
    lock->setStaleLockTime(0); // stale only when its process is gone, however long a session lasts
    if (!lock->tryLock(0)) {
        if (lock->error() != QLockFile::LockFailedError) {
            const QFileInfo folder(QFileInfo(path).absolutePath());
            return fail(QStringLiteral("STORE001"),
                        QStringLiteral("cannot open the workspace database: cannot create its lock file %1.lock (%2)")
                            .arg(path, !folder.exists()       ? QStringLiteral("the folder does not exist")
                                       : !folder.isWritable() ? QStringLiteral("the folder is not writable")
                                                              : QStringLiteral("permission denied")));
        }
        qint64 pid = 0;
        QString host, app;
        lock->getLockInfo(&pid, &host, &app);
        return fail(QStringLiteral("STORE005"),
                    QStringLiteral("the workspace database is in use by another process (%1, pid %2 on %3); close it or "
                                   "choose another workspace (--workspace DIR)")
                        .arg(app.isEmpty() ? QStringLiteral("unknown") : app)
                        .arg(pid)
                        .arg(host.isEmpty() ? QStringLiteral("this machine") : host));
    }
    QString error;
    auto db = SqlConnection::open(path, SqlConnection::Mode::ReadWrite, &error);
    if (!db)
        return fail(QStringLiteral("STORE001"), QStringLiteral("cannot open the workspace database: ") + error);
    const QByteArray busy = "PRAGMA busy_timeout = " + QByteArray::number(kBusyTimeoutMs);
    if (!db->exec(busy.constData(), &error))
        return fail(QStringLiteral("STORE001"), QStringLiteral("cannot open the workspace database: ") + error);
    const QString mode = db->queryText("PRAGMA journal_mode = WAL");
    if (mode.compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
        return fail(QStringLiteral("STORE002"),
                    QStringLiteral("cannot switch the database to WAL mode (%1)")
                        .arg(mode.isEmpty() ? db->lastError() : QStringLiteral("journal mode stays ") + mode));
    const bool syncApart = options.synchronousFull && options.syncOnOwnThread && LogSync::available();
    const char *sync = options.synchronousFull && !syncApart ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
    // Each batch runs in a SAVEPOINT, whose undo copy of every page it touches goes to a
    // sub-journal: kept in memory (temp_store) instead of a temporary file, that is a memcpy
    // instead of a write() per page and batch.
    if (!db->exec("PRAGMA foreign_keys = ON", &error) || !db->exec(sync, &error)
        || !db->exec("PRAGMA temp_store = MEMORY", &error))
        return fail(QStringLiteral("STORE001"), QStringLiteral("cannot configure the database: ") + error);
    if (options.maxPageCount > 0) {
        const QByteArray limit = "PRAGMA max_page_count = " + QByteArray::number(options.maxPageCount);
        if (db->queryInt(limit.constData(), -1) <= 0)
            return fail(QStringLiteral("STORE001"), QStringLiteral("cannot limit the database size: ") + db->lastError());
    }

    int version = 0;
    if (!migrate(*db, &version, &error))
        return fail(QStringLiteral("STORE003"), error);
    auto txn = std::make_unique<SqlWriteTxn>(*db);
    if (!txn->loadJournalHead(&error))
        return fail(QStringLiteral("STORE004"), QStringLiteral("cannot read the journal: ") + error);

    std::unique_ptr<Store> store(new Store);
    store->d->path = path;
    store->d->options = options;
    store->d->schemaVersion = version;
    store->d->serial = g_nextSerial.fetch_add(1);
    store->d->writer = std::make_unique<WriterThread>(std::move(db), std::move(txn), options,
                                                      syncApart ? std::make_unique<LogSync>(path) : nullptr);
    store->d->lock = std::move(lock);
    return store;
}

std::unique_ptr<Store> Store::openForReading(const QString &path, Issues *issues)
{
    auto fail = [&](const QString &code, const QString &text) -> std::unique_ptr<Store> {
        if (issues)
            issues->append(storeError(code, text, path));
        return nullptr;
    };
    if (!QFileInfo::exists(path))
        return fail(QStringLiteral("STORE001"), QStringLiteral("no workspace database at this path"));
    QString error;
    auto db = SqlConnection::open(path, SqlConnection::Mode::ReadOnly, &error);
    if (!db)
        return fail(QStringLiteral("STORE001"), QStringLiteral("cannot open the workspace database: ") + error);
    const int version = int(db->queryInt("PRAGMA user_version", -1));
    if (version != latestSchemaVersion())
        return fail(QStringLiteral("STORE003"),
                    QStringLiteral("the workspace database has schema version %1, this program reads %2; open the "
                                   "workspace once with this version of the workbench to upgrade it")
                        .arg(version)
                        .arg(latestSchemaVersion()));
    std::unique_ptr<Store> store(new Store);
    store->d->path = path;
    store->d->schemaVersion = version;
    store->d->serial = g_nextSerial.fetch_add(1);
    return store;
}

QString Store::path() const
{
    return d->path;
}

int Store::schemaVersion() const
{
    return d->schemaVersion;
}

void Store::write(WriteFn work, QObject *context, DoneFn done)
{
    if (!d->writer) {
        if (done)
            QMetaObject::invokeMethod(context ? context : this,
                                      [done] { done(false, QStringLiteral("the workspace database is open for reading only")); },
                                      Qt::QueuedConnection);
        return;
    }
    d->writer->enqueue(std::move(work), context, std::move(done));
}

void Store::flush()
{
    if (d->writer)
        d->writer->flush();
}

Store::WriterStats Store::writerStats() const
{
    return d->writer ? d->writer->stats() : WriterStats{};
}

} // namespace dipwb::store
