// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/workspace_switch.h"

#include "common/workspace.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QSettings>

namespace dipwb::ui {

namespace {
const QString kRecent = QStringLiteral("Workspaces/recent");
constexpr int kMaxRecent = 8;
} // namespace

bool prepareWorkspaceFolder(const QString &dir, QString *error)
{
    const QFileInfo info(dir);
    if (info.exists() && !info.isDir()) {
        *error = QObject::tr("%1 is a file, not a workspace folder").arg(dir);
        return false;
    }
    return Workspace(info.absoluteFilePath()).ensure(error);
}

bool launchWorkspace(const QString &program, const QString &dir, const QStringList &extraArgs, qint64 *pid, QString *error)
{
    if (!prepareWorkspaceFolder(dir, error))
        return false;
    const Workspace ws(QFileInfo(dir).absoluteFilePath());
    if (!QProcess::startDetached(program, QStringList{QStringLiteral("--workspace"), ws.dir()} + extraArgs, QString(), pid)) {
        *error = QObject::tr("cannot start %1").arg(program);
        return false;
    }
    rememberWorkspace(ws.dir());
    return true;
}

QStringList recentWorkspaces()
{
    QStringList out;
    for (const QString &d : QSettings().value(kRecent).toStringList())
        if (QFileInfo(d).isDir())
            out << d;
    return out;
}

void rememberWorkspace(const QString &dir)
{
    const QString abs = QDir(dir).absolutePath();
    QStringList list = QSettings().value(kRecent).toStringList();
    list.removeAll(abs);
    list.prepend(abs);
    QSettings().setValue(kRecent, list.mid(0, kMaxRecent));
}

} // namespace dipwb::ui
