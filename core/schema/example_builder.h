// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "schema/schema_set.h"

#include <optional>
#include <string>

namespace dipwb::schema {

/// Builds the smallest payload a fully resolved schema accepts: required members only, with values a
/// tester would recognise (DT-003 timestamps, YYYY-MM-DD dates, MPANs with a valid check digit, the
/// first enum member, null for nullable fields, minItems array items). S0 gets the key's channel,
/// event code and schema version.
OJson buildExample(const OJson &schema, const SchemaKey &key);

/// The MPAN check digit of DOMAIN.md section 3 for the first 12 digits ("200001234567" -> 3).
int mpanCheckDigit(const QString &first12);

/// A short string matching a simple regular expression (literals, \d, classes, groups with |,
/// ? * + {m,n}); nullopt when the pattern uses anything else.
std::optional<std::string> sampleForPattern(const std::string &pattern);

} // namespace dipwb::schema
