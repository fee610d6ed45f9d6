// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/run_result.h"

#include <QObject>
#include <functional>

namespace dipwb::store {
class Store;
}

namespace dipwb::scenario {

/// Stores a finished run and its results in the workspace (tables runs and results), with the
/// journal head at the end of the run so evidence can later be tied to the journal. done runs on
/// context's thread with the run's id, or 0 and SQLite's error.
void storeRun(store::Store *store, const RunResult &run, QObject *context, std::function<void(qint64, QString)> done);

/// The stored runs, newest first (id, pack, verdict counts; cases not filled).
QList<RunResult> storedRuns(const QString &databasePath, int limit, QString *error);
/// One stored run with its cases; runId 0 when there is none.
RunResult storedRun(const QString &databasePath, qint64 runId, QString *error);
/// The journal head (hex) recorded when the run was stored; empty when none was (empty journal).
QString storedRunJournalHead(const QString &databasePath, qint64 runId, QString *error);

} // namespace dipwb::scenario
