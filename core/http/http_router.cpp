// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/http_router.h"

#include "common/log.h"

namespace dipwb::http {

namespace {

QByteArray jsonError(const QByteArray &text)
{
    QByteArray escaped;
    escaped.reserve(text.size());
    for (const char ch : text) {
        if (ch == '"' || ch == '\\')
            escaped.append('\\');
        if (uchar(ch) >= 0x20)
            escaped.append(ch);
    }
    return "{\"error\": \"" + escaped + "\"}";
}

// Calls f(segment) for each '/'-separated segment after the leading '/'; stops when f is false.
template<typename F>
bool forEachSegment(QByteArrayView path, F f)
{
    if (path.startsWith('/'))
        path = path.sliced(1);
    qsizetype start = 0;
    while (true) {
        const qsizetype slash = path.indexOf('/', start);
        const qsizetype end = slash < 0 ? path.size() : slash;
        if (!f(path.sliced(start, end - start)))
            return false;
        if (slash < 0)
            return true;
        start = slash + 1;
    }
}

} // namespace

void HttpRouter::add(const QByteArray &method, const QString &pattern, RouteHandler handler)
{
    Route route;
    route.method = method.toUpper();
    route.handler = std::move(handler);
    const QByteArray p = pattern.toUtf8();
    forEachSegment(p, [&](QByteArrayView s) {
        Segment seg;
        if (s.size() > 2 && s.startsWith('{') && s.endsWith('}')) {
            seg.param = QString::fromUtf8(s.sliced(1, s.size() - 2));
        } else {
            seg.literal = s.toByteArray();
            ++route.literals;
        }
        route.segments.append(std::move(seg));
        return true;
    });
    m_routes.append(std::move(route));
}

bool HttpRouter::matches(const Route &route, QByteArrayView path, RouteMatch *match)
{
    qsizetype i = 0;
    const bool ok = forEachSegment(path, [&](QByteArrayView s) {
        if (i >= route.segments.size())
            return false;
        const Segment &seg = route.segments.at(i++);
        if (seg.param.isEmpty())
            return s == seg.literal;
        if (s.isEmpty())
            return false;
        if (match)
            match->params.insert(seg.param, QString::fromUtf8(s));
        return true;
    });
    return ok && i == route.segments.size();
}

void HttpRouter::handle(const HttpRequest &request, HttpResponder responder) const
{
    const Route *best = nullptr;
    QList<QByteArray> allowed;
    const QByteArrayView method = request.method;
    for (const Route &route : m_routes) {
        if (!matches(route, request.path, nullptr))
            continue;
        if (!allowed.contains(route.method))
            allowed.append(route.method);
        const bool methodOk = route.method == method || (method == "HEAD" && route.method == "GET");
        if (methodOk && (!best || route.literals > best->literals))
            best = &route;
    }
    if (best) {
        RouteMatch match;
        matches(*best, request.path, &match);
        best->handler(request, match, std::move(responder));
        return;
    }
    if (allowed.isEmpty()) {
        responder.send(HttpResponse::json(404, jsonError("no such resource: " + request.path)));
        return;
    }
    if (allowed.contains("GET") && !allowed.contains("HEAD"))
        allowed.append("HEAD");
    HttpResponse r = HttpResponse::json(405, jsonError("method " + request.method + " not allowed on " + request.path));
    r.headers.append({QByteArrayLiteral("Allow"), allowed.join(", ")});
    responder.send(std::move(r));
}

Handler HttpRouter::asHandler() const
{
    return [this](const HttpRequest &request, HttpResponder responder) { handle(request, std::move(responder)); };
}

} // namespace dipwb::http
