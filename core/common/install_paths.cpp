// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/install_paths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace dipwb::install {

namespace {

QString existingDir(const QString &path)
{
    const QFileInfo info(path);
    return info.isDir() ? QDir::cleanPath(info.absoluteFilePath()) : QString();
}

} // namespace

QString sourceTreePacksDir()
{
    return QStringLiteral(DIPWB_SOURCE_PACKS_DIR);
}

QString bundledPacksDir(const QString &overrideDir, const QString &programDir, const QString &sourceTreePacksDir)
{
    if (!overrideDir.isEmpty())
        return QDir::cleanPath(QFileInfo(overrideDir).absoluteFilePath());
    // Relative to the program rather than to CMAKE_INSTALL_PREFIX, so that an installation that is
    // moved (a Windows folder chosen at setup, a dragged macOS bundle) still finds its packs.
    if (!programDir.isEmpty()) {
        for (const QString &relative : {QStringLiteral("/../share/dip-workbench/testpacks"), QStringLiteral("/../Resources/testpacks")}) {
            const QString dir = existingDir(programDir + relative);
            if (!dir.isEmpty())
                return dir;
        }
    }
    return sourceTreePacksDir.isEmpty() ? QString() : existingDir(sourceTreePacksDir);
}

QString bundledPacksDir()
{
    return bundledPacksDir(qEnvironmentVariable(kPacksDirVariable), QCoreApplication::applicationDirPath(), sourceTreePacksDir());
}

} // namespace dipwb::install
