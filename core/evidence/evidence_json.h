// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/json_util.h"
#include "evidence/evidence.h"

namespace dipwb::evidence {

/// The results JSON of a report: RunResult::toJson() with what the report adds under "evidence":
/// cover (versions, host, times in UTC and Europe/London), participants with certificate
/// fingerprints, the traceability matrix, the message index and the delivery-latency figures.
OJson resultsJson(const EvidenceData &e);

/// A short excerpt of a message for people: the envelope ids and the first data group.
QString messageExcerpt(const QByteArray &payload, int maxChars = 240);

} // namespace dipwb::evidence
