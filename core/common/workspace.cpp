// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/workspace.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>

namespace dipwb {

QString Workspace::defaultDir()
{
    // Not AppDataLocation: it inserts the organisation name when one is set, and the desktop sets
    // one (for QSettings) while dipwb does not, so the two programs opened different workspaces
    // (~/.local/share/dip-workbench/dip-workbench and ~/.local/share/dip-workbench).
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return QDir::cleanPath(base + QLatin1Char('/') + QCoreApplication::applicationName());
}

Workspace::Workspace(QString dir)
    : m_dir(QDir::cleanPath(QFileInfo(dir).absoluteFilePath()))
{
}

bool Workspace::ensure(QString *error) const
{
    for (const QString &path : {m_dir, certificatesDir(), reportsDir(), cataloguesDir()}) {
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

QString Workspace::cataloguesDir() const
{
    return m_dir + QStringLiteral("/catalogues");
}

bool Workspace::isSpecVersionName(const QString &specVersion)
{
    // The version becomes a file name: nothing that could climb out of the folder or hide a file.
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    return re.match(specVersion).hasMatch();
}

QString Workspace::cataloguePath(const QString &specVersion) const
{
    return isSpecVersionName(specVersion) ? cataloguesDir() + QLatin1Char('/') + specVersion + QStringLiteral(".json")
                                          : QString();
}

QStringList Workspace::catalogueVersions() const
{
    QStringList versions;
    const QStringList files = QDir(cataloguesDir()).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString &f : files) {
        const QString v = f.chopped(5);
        if (isSpecVersionName(v))
            versions << v;
    }
    return versions;
}

QString Workspace::pinnedCatalogue() const
{
    QFile f(cataloguesDir() + QStringLiteral("/pinned"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll()).trimmed();
}

bool Workspace::pinCatalogue(const QString &specVersion, QString *error) const
{
    const QString pinPath = cataloguesDir() + QStringLiteral("/pinned");
    if (specVersion.isEmpty()) {
        if (QFile::exists(pinPath) && !QFile::remove(pinPath)) {
            if (error)
                *error = QStringLiteral("cannot remove %1").arg(pinPath);
            return false;
        }
        return true;
    }
    const QString path = cataloguePath(specVersion);
    if (path.isEmpty() || !QFileInfo::exists(path)) {
        if (error)
            *error = QStringLiteral("catalogue version '%1' is not stored in %2").arg(specVersion, cataloguesDir());
        return false;
    }
    QSaveFile f(pinPath);
    if (!f.open(QIODevice::WriteOnly) || f.write(specVersion.toUtf8() + '\n') < 0 || !f.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(pinPath, f.errorString());
        return false;
    }
    return true;
}

} // namespace dipwb
