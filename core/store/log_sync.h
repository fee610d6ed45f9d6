// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace dipwb::store {

/// Syncs the database's write-ahead log (<database>-wal) to the disk from a thread of its own.
///
/// Why: with PRAGMA synchronous=FULL every COMMIT waits for the log's sync, and the writer can do
/// nothing else meanwhile; at thousands of messages a second that wait was a quarter of its time.
/// With synchronous=NORMAL the COMMIT only writes the log (SQLite still syncs around every
/// checkpoint), and this sync, run after the COMMIT returned, makes everything it wrote durable:
/// fdatasync covers all the file's data written before the call, whichever descriptor wrote it.
/// The writer goes on with the next group while the sync runs, and answers wait for it.
/// Available where the file can be synced by path (Unix); elsewhere COMMIT syncs (FULL).
class LogSync
{
public:
    explicit LogSync(const QString &databasePath);
    ~LogSync();
    LogSync(const LogSync &) = delete;
    LogSync &operator=(const LogSync &) = delete;

    /// Whether this platform can do it; otherwise the writer keeps synchronous=FULL.
    static bool available();
    /// Everything written to the log so far is on the disk once this returns true.
    bool sync(QString *error);

private:
    QByteArray m_path;
    int m_fd = -1;
    quint64 m_inode = 0;
};

} // namespace dipwb::store
