#pragma once

#include "http/http_message.h"
#include "http/http_server.h"
#include "store/records.h"

#include <functional>
#include <memory>

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

/// Stores new outbox copies with one journal row each (stage/status, detail per copy), then on
/// the emulator thread either answers 503 naming what could not be stored, or calls stored() and
/// hands the copies to the dispatcher. Shared by requeue and status messages.
void storeCopies(EmulatorContext &ctx, std::shared_ptr<QList<store::DeliveryRecord>> copies, const QString &stage,
                 const QString &status, std::function<QString(const store::DeliveryRecord &)> detail,
                 const QString &what, const http::HttpResponder &responder, qint64 nowMs, std::function<void()> stored);

} // namespace dipwb::dip
