#pragma once

#include "http/http_router.h"
#include "store/store.h"

namespace dipwb::dip {

struct EmulatorContext;

/// POST /dip-channel/{id}/replay/{dipId} returns past publications of one channel for one recipient in
/// the response; POST .../requeue/{dipId} pushes them to the webhook again. Both filter by time range,
/// event code, MPAN, schema version and up to 100 transaction ids; copies carry replayIndicator true.
class ReplayController final
{
public:
    explicit ReplayController(EmulatorContext &ctx);
    void replay(const http::HttpRequest &request, const http::RouteMatch &match, http::HttpResponder responder);
    void requeue(const http::HttpRequest &request, const http::RouteMatch &match, http::HttpResponder responder);

private:
    /// Reads the MessageRequest body into a query; false with the reason (naming the field) when bad.
    bool parseQuery(const http::HttpRequest &request, const http::RouteMatch &match, store::PublicationQuery *q,
                    QString *error) const;
    /// parseQuery, answering 400 itself when the body is bad.
    bool readQuery(const http::HttpRequest &request, const http::RouteMatch &match, const http::HttpResponder &responder,
                   store::PublicationQuery *q, qint64 nowMs) const;
    EmulatorContext &m_ctx;
};

} // namespace dipwb::dip
