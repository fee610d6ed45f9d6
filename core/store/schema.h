// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace dipwb::store {

class SqlConnection;

/// The schema version this build creates and understands (PRAGMA user_version).
int latestSchemaVersion();

/// Brings the database up to latestSchemaVersion(), one numbered migration per transaction.
/// Refuses a database made by a newer build. On success *version is the resulting version.
bool migrate(SqlConnection &db, int *version, QString *error);

} // namespace dipwb::store
