#pragma once

#include "http/http_router.h"
#include "participants/participant.h"

namespace dipwb::dip {

struct EmulatorContext;

/// Webhook registration: POST/DELETE /dip-channel/{id}/pubconfig/{dipId} and
/// POST/DELETE /statusmessage/config/{dipId}. Registrations are stored with the participant.
class ConfigController final
{
public:
    explicit ConfigController(EmulatorContext &ctx);
    void pubConfig(const http::HttpRequest &request, const http::RouteMatch &match, http::HttpResponder responder);
    void statusConfig(const http::HttpRequest &request, const http::RouteMatch &match, http::HttpResponder responder);

private:
    void store(const http::HttpRequest &request, const http::HttpResponder &responder,
               const participants::Participant &saved, bool removing, const QString &detail, qint64 nowMs);

    EmulatorContext &m_ctx;
};

/// Reads {"callbackURL": "..."} (also {"config": {"callbackURL": ...}}); returns the URL or an error text.
QString callbackUrlFromBody(const QByteArray &body, QString *error);

/// A 400/404 answer as a StandardResponse with one item naming the problem.
http::HttpResponse errorResponse(int status, const QString &code, const QString &help, const QString &recipient,
                                 const QString &dipId, qint64 nowMs);

} // namespace dipwb::dip
