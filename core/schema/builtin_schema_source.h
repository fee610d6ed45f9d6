// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/issue.h"
#include "common/json_util.h"

#include <QString>

#include <optional>

namespace dipwb::schema {

// The source of the built-in payload schemas (resources/catalogue/builtin-schemas.json) is a compact
// form of our own, so the data stays short enough to read and review:
// {"format": "dipwb-builtin-schemas", "formatVersion": 1, "specVersion": "builtin-2.1.0", "source": "...",
//  "values": {"dateTime": {"dataType": "DT-003", "type": "string", "minLength": 25, ...}, ...},
//  "blocks": {"B002": {"fields": {"incomingSupplierDIPID": "dipId", "note?": {...}}, "open": false}, ...},
//  "payloads": [{"name": "...", "channel": "IF-033", "schemaVersion": "011", "events": ["[MSAppSPRequest]"],
//                "openS0": false, "commonBlock": ["S0", "S1", "M0", "A0?"], "customBlock": ["B070", "B905List?"]}]}
// Wherever a schema is expected, a string names a value or a block. A field or block name ending in
// "?" is optional; "BnnnList" is an array of block Bnnn (an entry may be an object
// {"field": "B065List?", "maxItems": 48} to add array keywords). S0 is made from the payload's
// channel, schema version and events. A block is closed (additionalProperties: false) unless it
// says "open": true. A value's dataType becomes its title ("DT-003-dateTime"), which error texts
// and examples use.

inline constexpr const char *kBuiltinSourceFormat = "dipwb-builtin-schemas";

/// Expands the compact source into a schema set document (the persisted SchemaSet format). nullopt,
/// with errors naming origin and the place in the source, when it is not usable.
std::optional<OJson> expandBuiltinSource(const OJson &source, const QString &origin, Issues *issues);

} // namespace dipwb::schema
