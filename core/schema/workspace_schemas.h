// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/issue.h"
#include "common/workspace.h"
#include "schema/schema_set.h"

#include <memory>

/// Catalogue versions kept in a workspace: each imported specification version is one
/// catalogues/<specVersion>.json (SchemaSet::toJson) and one of them is pinned.
namespace dipwb::schema {

/// Writes set as catalogues/<specVersion>.json, replacing an older copy atomically. False with
/// the reason (file and OS error) otherwise.
bool storeSchemaSet(const Workspace &ws, const SchemaSet &set, QString *error);

/// What names the built-in payload schemas (SchemaSet::builtIn) besides their own version.
inline constexpr const char *kBuiltinCatalogueName = "builtin";

/// Reads a stored version; "builtin" or the built-in set's version gives the built-in set. nullptr
/// with errors in *issues when it is missing or unusable.
std::shared_ptr<const SchemaSet> loadSchemaSet(const Workspace &ws, const QString &specVersion, Issues *issues);

/// The pinned version, or the built-in set when nothing is pinned; nullptr with errors when the pin
/// names a version that cannot be read (callers must not quietly run without schemas then).
std::shared_ptr<const SchemaSet> loadPinnedSchemaSet(const Workspace &ws, Issues *issues);

/// True when version names the built-in set ("builtin" or its own version).
bool isBuiltinVersion(const QString &version);

} // namespace dipwb::schema
