// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/json_util.h"

#include <QString>

namespace dipwb::routing {

/// The value at a dotted path from a payload object, e.g. "CustomBlock.B014.incomingMeteringServiceDIPID"
/// or "CustomBlock.B900.settlementDayConsumptionPeriods.0.settlementDay.settlementDayDate".
/// Object keys match case-insensitively (an exact match wins, since ingress does not enforce key
/// case); numeric segments index arrays. nullptr when any step is absent.
const OJson *jsonAtPath(const OJson &root, const QString &path);

/// The string at path, or an empty string when absent or not a string.
QString stringAtPath(const OJson &root, const QString &path);

} // namespace dipwb::routing
