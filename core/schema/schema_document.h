// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/json_util.h"

#include <QString>

#include <optional>
#include <string>

namespace dipwb::schema::doc {

// The persisted form of a SchemaSet (our own format, one JSON document):
// {"format": "dipwb-schema-set", "formatVersion": 1, "specVersion": "2.1.0", "source": "...",
//  "events": [{"channel", "eventCode", "schemaVersion", "schemaName"}...],
//  "schemas": {"IF-033-MSAppSPRequest": "#/definitions/Interfaces-EventCodes.IF-033-MSAppSPRequest", ...},
//  "definitions": {"<file stem>.<component>": <draft-07 schema with "#/definitions/..." $refs>, ...}}
inline constexpr const char *kFormat = "dipwb-schema-set";
inline constexpr int kFormatVersion = 1;
inline constexpr const char *kDefinitionsPrefix = "#/definitions/";

/// Replaces every {"$ref": "#/definitions/<key>"} under schema with a copy of that definition, so
/// validation is a plain tree walk. A definition brought in this way gets its component name as
/// "title" when it has none (the innermost name wins: a field typed DT-003-DateTime keeps that name,
/// which error texts and examples use). Fails with *error on a reference to nothing, a cycle, or any
/// other kind of $ref.
std::optional<OJson> inlineDefinitions(const OJson &schema, const OJson &definitions, QString *error);

/// "DT-003" for a title "DT-003-DateTime" or "DT-003N-DateTime"; empty when the title is not a data type.
QString dataTypeId(const OJson &schema);

} // namespace dipwb::schema::doc
