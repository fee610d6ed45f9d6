// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/workspace.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace dipwb {

QString Workspace::defaultDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

Workspace::Workspace(QString dir)
    : m_dir(QDir::cleanPath(QFileInfo(dir).absoluteFilePath()))
{
}

bool Workspace::ensure(QString *error) const
{
    for (const QString &path : {m_dir, certificatesDir(), reportsDir()}) {
        QFileInfo info(path);
        if (info.exists() && !info.isDir()) {
            if (error)
                *error = QStringLiteral("%1 exists but is not a folder").arg(path);
            return false;
        }
        if (!QDir().mkpath(path)) {
            if (error)
                *error = QStringLiteral("cannot create the folder %1 (check permissions and free space)").arg(path);
            return false;
        }
    }
    return true;
}

QString Workspace::databasePath() const
{
    return m_dir + QStringLiteral("/workbench.db");
}

QString Workspace::certificatesDir() const
{
    return m_dir + QStringLiteral("/certificates");
}

QString Workspace::reportsDir() const
{
    return m_dir + QStringLiteral("/reports");
}

} // namespace dipwb
