// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/json_util.h"

#include <string>

namespace dipwb::schema {

/// Rewrites a draft-07 schema into the form valijson 1.0 gets right, without changing its meaning:
/// - `$ref`s are resolved against the base URI that `$id`s set up (valijson ignores `$id` scoping);
///   a reference to a resource embedded in the same document becomes an in-document JSON pointer,
///   any other becomes an absolute URI for the document loader; the `$id`s are then removed;
/// - boolean subschemas become `{}` (true) and `{"not": {}}` (false), which valijson 1.0 otherwise
///   accepts everything for (additionalProperties/additionalItems keep their booleans).
/// documentUri is the address the schema was loaded from ("" for one built in memory).
OJson prepareForEngine(const OJson &schema, const std::string &documentUri);

} // namespace dipwb::schema
