// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/json_util.h"
#include "scenario/pack.h"

#include <QStringList>

namespace dipwb::scenario {

class Values;

/// Checks field assertions on a payload object; expected values are evaluated in `values` first.
/// Returns one line per failed assertion, in a tester's words:
/// "CustomBlock.B007.responseCode: expected 'A', got 'R'"; empty when all hold.
QStringList failedAssertions(const QList<Assertion> &assertions, const OJson &payload, Values &values);

} // namespace dipwb::scenario
