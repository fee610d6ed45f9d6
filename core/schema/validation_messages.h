// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "schema/json_schema_validator.h"
#include "schema/schema_set.h"

namespace dipwb::schema {

/// Puts engine errors into a tester's words, using the (fully resolved) schema and the payload for
/// the figures: "payload.CommonBlock.S1.senderTimestamp: 20 characters, must be exactly 25 (DT-003)".
/// A missing field is reported on its object, an unknown field on its own path.
QList<ValidationError> describeErrors(const std::vector<RawSchemaError> &raw, const OJson &schema,
                                      const OJson &payload, const QString &root = QStringLiteral("payload"));

/// "payload.CustomBlock.B900.settlementDayConsumptionPeriods[0].consumptionPeriods[3].v"
QString pathText(const QString &root, const std::vector<PathStep> &path);

} // namespace dipwb::schema
