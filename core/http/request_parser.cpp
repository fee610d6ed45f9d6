// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/request_parser.h"

#include "http/http_wire.h"

#include <QDateTime>
#include <cstring>
#include <utility>

namespace dipwb::http {

namespace {

RequestParser *self(http_parser *p)
{
    return static_cast<RequestParser *>(p->data);
}

} // namespace

const http_parser_settings &RequestParser::settings()
{
    static const http_parser_settings s = [] {
        http_parser_settings v;
        http_parser_settings_init(&v);
        v.on_message_begin = &RequestParser::onMessageBegin;
        v.on_url = &RequestParser::onUrl;
        v.on_header_field = &RequestParser::onHeaderField;
        v.on_header_value = &RequestParser::onHeaderValue;
        v.on_headers_complete = &RequestParser::onHeadersComplete;
        v.on_body = &RequestParser::onBody;
        v.on_message_complete = &RequestParser::onMessageComplete;
        return v;
    }();
    return s;
}

RequestParser::RequestParser(const Limits &limits)
    : m_limits(limits)
{
    http_parser_init(&m_parser, HTTP_REQUEST);
    m_parser.data = this;
}

const char *RequestParser::errorName() const
{
    return http_errno_name(HTTP_PARSER_ERRNO(&m_parser));
}

bool RequestParser::takeContinueRequest()
{
    return std::exchange(m_continueRequested, false);
}

void RequestParser::next()
{
    if (m_state != State::Complete)
        return;
    m_state = State::Idle;
    http_parser_pause(&m_parser, 0);
}

qsizetype RequestParser::feed(const char *data, qsizetype len)
{
    if (m_state == State::Complete || m_state == State::Failed || len <= 0)
        return 0;
    const size_t parsed = http_parser_execute(&m_parser, &settings(), data, size_t(len));
    const http_errno err = HTTP_PARSER_ERRNO(&m_parser);
    if (err == HPE_PAUSED) {
        m_state = State::Complete;  // only onMessageComplete pauses
    } else if (err != HPE_OK) {
        int status = m_errorStatus ? m_errorStatus : 400;
        if (err == HPE_HEADER_OVERFLOW)
            status = 431;
        fail(status);
    }
    return qsizetype(parsed);
}

int RequestParser::fail(int status)
{
    m_errorStatus = status;
    m_state = State::Failed;
    m_continueRequested = false;
    return -1;
}

int RequestParser::onMessageBegin(http_parser *p)
{
    RequestParser *c = self(p);
    HttpRequest &r = c->m_request;
    // Field by field, so the per-connection parts (peer address) are not rebuilt per request.
    r.method.clear();
    r.target.clear();
    r.path.clear();
    r.query.clear();
    r.headers.clear();
    r.body.clear();
    r.httpMinor = 1;
    r.keepAlive = true;
    r.receivedAtMs = 0;
    c->m_headBytes = 0;
    c->m_lastWasValue = false;
    c->m_continueRequested = false;
    c->m_state = State::Head;
    return 0;
}

bool RequestParser::countHeadBytes(size_t len)
{
    m_headBytes += qint64(len) + 4;  // plus separators and line ends, roughly
    if (m_headBytes <= m_limits.maxHeaderBytes)
        return true;
    fail(431);
    return false;
}

int RequestParser::onUrl(http_parser *p, const char *at, size_t len)
{
    RequestParser *c = self(p);
    if (!c->countHeadBytes(len))
        return -1;
    c->m_request.target.append(at, qsizetype(len));
    return 0;
}

int RequestParser::onHeaderField(http_parser *p, const char *at, size_t len)
{
    RequestParser *c = self(p);
    if (!c->countHeadBytes(len))
        return -1;
    // libhttp-parser reports the trailer fields of a chunked body like header fields. They are
    // dropped (RFC 9110 6.5.1): merged, a Host or a signature header could arrive after the body.
    if (c->m_state == State::Body)
        return 0;
    // A name may arrive in pieces when a read ends inside it.
    HeaderList &h = c->m_request.headers;
    if (c->m_lastWasValue || h.isEmpty()) {
        if (h.isEmpty())
            h.reserve(16);
        h.append({QByteArray(at, qsizetype(len)), QByteArray()});
    } else {
        h.last().first.append(at, qsizetype(len));
    }
    c->m_lastWasValue = false;
    return 0;
}

int RequestParser::onHeaderValue(http_parser *p, const char *at, size_t len)
{
    RequestParser *c = self(p);
    if (!c->countHeadBytes(len))
        return -1;
    if (c->m_state == State::Body)
        return 0;  // a trailer field, see onHeaderField()
    if (c->m_request.headers.isEmpty())
        return c->fail(400);
    c->m_request.headers.last().second.append(at, qsizetype(len));
    c->m_lastWasValue = true;
    return 0;
}

int RequestParser::onHeadersComplete(http_parser *p)
{
    return self(p)->finishHead() ? 0 : -1;
}

bool RequestParser::finishHead()
{
    HttpRequest &r = m_request;
    if (m_parser.http_major != 1 || m_parser.http_minor > 1) {
        fail(505);
        return false;
    }
    r.httpMinor = m_parser.http_minor;
    const char *method = http_method_str(http_method(m_parser.method));
    r.method = QByteArray::fromRawData(method, qsizetype(std::strlen(method)));

    QByteArrayView t = r.target;
    if (t.startsWith("http://") || t.startsWith("https://")) {
        // absolute-form: the path starts after the authority
        const qsizetype authority = t.indexOf("//") + 2;
        const qsizetype slash = t.indexOf('/', authority);
        t = slash < 0 ? QByteArrayView("/") : t.sliced(slash);
    }
    if (const qsizetype hash = t.indexOf('#'); hash >= 0)
        t = t.first(hash);
    const qsizetype q = t.indexOf('?');
    const QByteArrayView path = q < 0 ? t : t.first(q);
    if (q >= 0)
        r.query = t.sliced(q + 1).toByteArray();
    if (path.contains('%'))
        r.path = QByteArray::fromPercentEncoding(path.toByteArray());
    else if (path.size() == r.target.size())
        r.path = r.target;  // shared, no copy
    else
        r.path = path.toByteArray();

    const bool chunked = (m_parser.flags & F_CHUNKED) != 0;
    const bool hasLength = (m_parser.flags & F_CONTENTLENGTH) != 0;
    if (hasLength && !chunked && m_parser.content_length > quint64(m_limits.maxBodyBytes)) {
        fail(413);  // refused before reading the body, and instead of 100 Continue
        return false;
    }
    const bool bodyFollows = chunked || (hasLength && m_parser.content_length > 0);
    if (const QByteArray expect = r.header("expect"); !expect.isEmpty()) {
        if (!wire::nameIs(expect.trimmed(), "100-continue")) {
            fail(417);
            return false;
        }
        m_continueRequested = bodyFollows && r.httpMinor >= 1;
    }
    // RFC 9112 3.2: exactly one Host in HTTP/1.1. The signed URL is rebuilt from it, so a request
    // without one could only fail later for a reason the sender would not see.
    if (r.httpMinor >= 1) {
        int hosts = 0;
        for (const auto &h : std::as_const(r.headers))
            hosts += wire::nameIs(h.first, "host") ? 1 : 0;
        if (hosts != 1) {
            fail(400);
            return false;
        }
    }
    if (hasLength && !chunked && m_parser.content_length > 0)
        r.body.reserve(qsizetype(m_parser.content_length));
    m_state = State::Body;
    return true;
}

int RequestParser::onBody(http_parser *p, const char *at, size_t len)
{
    RequestParser *c = self(p);
    QByteArray &body = c->m_request.body;
    if (body.size() + qint64(len) > c->m_limits.maxBodyBytes)
        return c->fail(413);
    body.append(at, qsizetype(len));
    return 0;
}

int RequestParser::onMessageComplete(http_parser *p)
{
    RequestParser *c = self(p);
    c->m_request.keepAlive = http_should_keep_alive(p) != 0;
    c->m_request.receivedAtMs = QDateTime::currentMSecsSinceEpoch();
    // Stop here: pipelined bytes after this request stay with the caller until it is answered.
    http_parser_pause(p, 1);
    return 0;
}

} // namespace dipwb::http
