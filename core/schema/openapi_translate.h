// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/json_util.h"

namespace dipwb::schema {

/// Translates one OpenAPI 3.0 schema object (and everything nested in it) into JSON Schema draft-07:
/// - `nullable: true` adds "null" to `type` (and null to `enum` when there is one); `nullable: false`
///   is dropped;
/// - boolean `exclusiveMinimum`/`exclusiveMaximum` become the numeric draft-07 form (the bound moves
///   from minimum/maximum into them);
/// - the OpenAPI-only keywords example, xml, discriminator, readOnly, writeOnly, deprecated,
///   externalDocs and `x-` extensions are dropped;
/// - everything else (format, additionalProperties: false, $ref, description...) is kept as it is.
/// $refs are not followed: resolving them is the importer's job.
nlohmann::json translateOpenApiSchema(const nlohmann::json &openApiSchema);
/// The same for an ordered document (keeps the key order of the source).
OJson translateOpenApiSchema(const OJson &openApiSchema);

} // namespace dipwb::schema
