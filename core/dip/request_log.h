#pragma once

#include "http/http_message.h"
#include "store/records.h"

namespace dipwb::dip {

struct EmulatorContext;

/// The request row for an incoming request: headers, raw body and who sent it.
store::RequestRecord requestRecord(const http::HttpRequest &request, qint64 nowMs);

/// Journals a request the emulator refused (every request is journaled, accepted or not):
/// a request row and one Inbound/InboundRuleFailure journal row carrying the reason.
void logRejectedRequest(EmulatorContext &ctx, const http::HttpRequest &request, int httpStatus, const QString &code,
                        const QString &detail, const QByteArray &responseBody, qint64 nowMs);

/// Journals an accepted request that is not a message (configuration, replay, status message).
void logServiceRequest(EmulatorContext &ctx, const http::HttpRequest &request, int httpStatus, const QString &stage,
                       const QString &status, const QString &detail, const QByteArray &responseBody, qint64 nowMs);

} // namespace dipwb::dip
