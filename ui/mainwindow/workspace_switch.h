// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace dipwb::ui {

/// Opens (or, when the folder is new or empty, creates) a workspace in a new window of the
/// application: program is started with --workspace dir and extraArgs. One process keeps one workspace: its
/// database has a single writer, so switching is a new process rather than a reload.
/// False with the reason (the folder, the OS error) otherwise; *pid is the new process's id.
bool launchWorkspace(const QString &program, const QString &dir, const QStringList &extraArgs, qint64 *pid, QString *error);

/// The folder can be a workspace (it is one, or is created as one now); false with the reason.
bool prepareWorkspaceFolder(const QString &dir, QString *error);

/// The workspaces opened last, newest first (QSettings Workspaces/recent, at most 8).
QStringList recentWorkspaces();
void rememberWorkspace(const QString &dir);

} // namespace dipwb::ui
