// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/log_sync.h"

#include <QFile>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace dipwb::store {

LogSync::LogSync(const QString &databasePath)
    : m_path(QFile::encodeName(databasePath + QStringLiteral("-wal")))
{
}

LogSync::~LogSync()
{
#ifdef Q_OS_UNIX
    if (m_fd >= 0)
        ::close(m_fd);
#endif
}

bool LogSync::available()
{
#ifdef Q_OS_UNIX
    return true;
#else
    return false;
#endif
}

bool LogSync::sync(QString *error)
{
#ifdef Q_OS_UNIX
    // The log keeps its file while the writer's connection is open; should SQLite ever make a new
    // one, the descriptor follows it (a sync of the old file would prove nothing).
    struct stat now{};
    if (::stat(m_path.constData(), &now) != 0) {
        *error = QStringLiteral("cannot find the database's log %1 to sync it: %2")
                     .arg(QFile::decodeName(m_path), QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    if (m_fd < 0 || quint64(now.st_ino) != m_inode) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = ::open(m_path.constData(), O_RDONLY | O_CLOEXEC);
        if (m_fd < 0) {
            *error = QStringLiteral("cannot open the database's log %1 to sync it: %2")
                         .arg(QFile::decodeName(m_path), QString::fromLocal8Bit(std::strerror(errno)));
            return false;
        }
        struct stat opened{};
        ::fstat(m_fd, &opened);
        m_inode = quint64(opened.st_ino);
    }
#ifdef Q_OS_LINUX
    const int rc = ::fdatasync(m_fd);
#else
    const int rc = ::fsync(m_fd);
#endif
    if (rc != 0) {
        *error = QStringLiteral("cannot sync the database's log %1 to the disk: %2")
                     .arg(QFile::decodeName(m_path), QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    return true;
#else
    *error = QStringLiteral("syncing the log on a thread of its own is not available here");
    return false;
#endif
}

} // namespace dipwb::store
