// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/http_server.h"

#include <QHash>
#include <QList>
#include <QString>
#include <functional>

namespace dipwb::http {

/// The values of a pattern's {name} placeholders for one request.
struct RouteMatch
{
    QHash<QString, QString> params;  ///< "id" -> "IF-033" (percent-decoded, UTF-8)
};

using RouteHandler = std::function<void(const HttpRequest &, const RouteMatch &, HttpResponder)>;

/// Method + path-pattern dispatch for an HttpServer. Routes are added before the server starts;
/// handle() only reads them (the server's thread).
class HttpRouter
{
public:
    /// pattern like "/dip-channel/{id}/pubconfig/{dipId}"; {name} matches one non-empty path
    /// segment. When several patterns match, the one with more literal segments wins, then the
    /// first added. A GET route also answers HEAD (the server leaves the body out).
    void add(const QByteArray &method, const QString &pattern, RouteHandler handler);
    /// Dispatches; unknown path -> 404 (JSON body {"error": "..."}), known path but other method
    /// -> 405 with an Allow header listing the methods.
    void handle(const HttpRequest &request, HttpResponder responder) const;
    /// [this](req, resp){ handle(req, resp); } — the router must outlive the server using it.
    Handler asHandler() const;

private:
    struct Segment
    {
        QByteArray literal;  // empty for a placeholder
        QString param;       // placeholder name
    };
    struct Route
    {
        QByteArray method;
        QList<Segment> segments;
        int literals = 0;
        RouteHandler handler;
    };
    static bool matches(const Route &route, QByteArrayView path, RouteMatch *match);

    QList<Route> m_routes;
};

} // namespace dipwb::http
