// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

#include "store/sqlite_db.h"
#include "store/store.h"
#include "store/writer_thread.h"

#include <QLockFile>

#include <mutex>
#include <vector>

namespace dipwb::store {

/// A read-only connection owned by one thread (through a thread_local map) and known to its store
/// (through a weak reference) so the store can close it when it is destroyed first.
struct ReaderSlot
{
    std::mutex mutex;                    // guards conn against the store closing it
    std::unique_ptr<SqlConnection> conn; // null once closed
};

struct Store::Private
{
    QString path;
    Options options;
    int schemaVersion = 0;
    quint64 serial = 0; // never reused, unlike the Store's address: keys the thread_local readers
    std::unique_ptr<QLockFile> lock;       // held while the writer is open; null when reading only
    std::unique_ptr<WriterThread> writer;  // null when reading only

    std::mutex readersMutex;
    std::vector<std::weak_ptr<ReaderSlot>> readers; // guarded by readersMutex

    /// This thread's read-only connection to the store, opened on first use; nullptr (logged) when
    /// it cannot be opened.
    SqlConnection *reader();
    void closeReaders();
};

using ReadBind = std::function<void(SqlStatement &)>;
using ReadRow = std::function<void(const SqlStatement &)>;

/// Runs sql on a reader connection: bind (may be empty), then row for each result row. False,
/// logged with the statement, on error (then *error says why when given). Every read uses it.
bool readQuery(SqlConnection *c, const QByteArray &sql, const ReadBind &bind, const ReadRow &row,
               QString *error = nullptr);

} // namespace dipwb::store
