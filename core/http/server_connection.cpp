// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/server_connection.h"

#include "common/log.h"
#include "http/http_wire.h"

#include <QDateTime>
#include <QSslSocket>
#include <QTcpSocket>
#include <charconv>
#include <cstring>
#include <exception>

namespace dipwb::http::detail {

namespace {

ServerConnection *self(http_parser *p)
{
    return static_cast<ServerConnection *>(p->data);
}

void appendNumber(QByteArray &out, qint64 n)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, n);
    out.append(buf, r.ptr - buf);
}

QByteArray errorBody(int status)
{
    return "{\"error\": \"" + reasonPhrase(status) + "\"}";
}

// Handler calls in progress on this thread; a server deleted from inside a handler must not delete
// the connection whose handler is still on the stack.
thread_local int t_handlerDepth = 0;

} // namespace

const http_parser_settings &ServerConnection::settings()
{
    static const http_parser_settings s = [] {
        http_parser_settings v;
        http_parser_settings_init(&v);
        v.on_message_begin = &ServerConnection::onMessageBegin;
        v.on_url = &ServerConnection::onUrl;
        v.on_header_field = &ServerConnection::onHeaderField;
        v.on_header_value = &ServerConnection::onHeaderValue;
        v.on_headers_complete = &ServerConnection::onHeadersComplete;
        v.on_body = &ServerConnection::onBody;
        v.on_message_complete = &ServerConnection::onMessageComplete;
        return v;
    }();
    return s;
}

ServerConnection::ServerConnection(HttpServer *server, QTcpSocket *socket)
    : m_server(server)
    , m_socket(socket)
{
    socket->setParent(this);
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    http_parser_init(&m_parser, HTTP_REQUEST);
    m_parser.data = this;
    m_readBuf.resize(wire::kReadChunk);
    m_request.tls = qobject_cast<QSslSocket *>(socket) != nullptr;
    // A QSslServer hands the socket over after the handshake: the client certificate is known now.
    if (auto *ssl = qobject_cast<QSslSocket *>(socket))
        m_request.peerCertificate = ssl->peerCertificate();
    m_request.peerAddress = socket->peerAddress();
    m_request.peerPort = socket->peerPort();
    m_request.localPort = socket->localPort();
    // A connection that never sends anything is held no longer than a slow request head would be.
    const auto &limits = server->limits();
    m_deadline = now() + std::min(limits.idleTimeoutMs, limits.headerTimeoutMs);

    connect(socket, &QIODevice::readyRead, this, [this] {
        if (m_phase == Phase::Closing)
            m_socket->skip(m_socket->bytesAvailable());
        else
            processIncoming();
    });
    connect(socket, &QIODevice::bytesWritten, this, &ServerConnection::onBytesWritten);
    connect(socket, &QAbstractSocket::disconnected, this, &ServerConnection::finish);
    if (socket->state() != QAbstractSocket::ConnectedState)
        QMetaObject::invokeMethod(this, &ServerConnection::finish, Qt::QueuedConnection);
    else if (socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &ServerConnection::processIncoming, Qt::QueuedConnection);
}

ServerConnection::~ServerConnection() = default;

qint64 ServerConnection::now() const
{
    return m_server ? m_server->nowMs() : 0;
}

int ServerConnection::onMessageBegin(http_parser *p)
{
    ServerConnection *c = self(p);
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
    c->m_phase = Phase::Head;
    c->m_deadline = c->now() + c->m_server->limits().headerTimeoutMs;
    return 0;
}

bool ServerConnection::countHeadBytes(size_t len)
{
    m_headBytes += qint64(len) + 4;  // plus separators and line ends, roughly
    if (m_headBytes <= m_server->limits().maxHeaderBytes)
        return true;
    m_errorStatus = 431;
    return false;
}

int ServerConnection::onUrl(http_parser *p, const char *at, size_t len)
{
    ServerConnection *c = self(p);
    if (!c->countHeadBytes(len))
        return -1;
    c->m_request.target.append(at, qsizetype(len));
    return 0;
}

int ServerConnection::onHeaderField(http_parser *p, const char *at, size_t len)
{
    ServerConnection *c = self(p);
    if (!c->countHeadBytes(len))
        return -1;
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

int ServerConnection::onHeaderValue(http_parser *p, const char *at, size_t len)
{
    ServerConnection *c = self(p);
    if (!c->countHeadBytes(len))
        return -1;
    if (c->m_request.headers.isEmpty())
        return -1;
    c->m_request.headers.last().second.append(at, qsizetype(len));
    c->m_lastWasValue = true;
    return 0;
}

int ServerConnection::onHeadersComplete(http_parser *p)
{
    return self(p)->finishHead() ? 0 : -1;
}

bool ServerConnection::finishHead()
{
    HttpRequest &r = m_request;
    const auto &limits = m_server->limits();
    if (m_parser.http_major != 1 || m_parser.http_minor > 1) {
        m_errorStatus = 505;
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
    if (hasLength && !chunked && m_parser.content_length > quint64(limits.maxBodyBytes)) {
        m_errorStatus = 413;  // refused before reading the body, and instead of 100 Continue
        return false;
    }
    const bool bodyFollows = chunked || (hasLength && m_parser.content_length > 0);
    if (const QByteArray expect = r.header("expect"); !expect.isEmpty()) {
        if (!wire::nameIs(expect.trimmed(), "100-continue")) {
            m_errorStatus = 417;
            return false;
        }
        // Answered here, at once: a client waiting for it would otherwise stall before sending.
        if (bodyFollows && r.httpMinor >= 1)
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n", 25);
    }
    if (hasLength && !chunked && m_parser.content_length > 0)
        r.body.reserve(qsizetype(m_parser.content_length));
    m_phase = Phase::Body;
    m_deadline = now() + limits.bodyTimeoutMs;
    return true;
}

int ServerConnection::onBody(http_parser *p, const char *at, size_t len)
{
    ServerConnection *c = self(p);
    QByteArray &body = c->m_request.body;
    if (body.size() + qint64(len) > c->m_server->limits().maxBodyBytes) {
        c->m_errorStatus = 413;
        return -1;
    }
    body.append(at, qsizetype(len));
    return 0;
}

int ServerConnection::onMessageComplete(http_parser *p)
{
    ServerConnection *c = self(p);
    c->m_request.keepAlive = http_should_keep_alive(p) != 0;
    c->m_request.receivedAtMs = QDateTime::currentMSecsSinceEpoch();
    // Stop here: pipelined bytes after this request stay in the buffer until it is answered.
    http_parser_pause(p, 1);
    return 0;
}

void ServerConnection::processIncoming()
{
    if (m_processing || m_gone || !m_server)
        return;
    m_processing = true;
    while (!m_gone && m_server && m_phase != Phase::Busy && m_phase != Phase::Closing) {
        if (m_readPos == m_readLen) {
            if (m_socket->bytesToWrite() > kMaxPendingWrite) {
                m_readThrottled = true;  // resumed from onBytesWritten()
                break;
            }
            const qint64 n = m_socket->read(m_readBuf.data(), m_readBuf.size());
            if (n <= 0)
                break;
            m_readPos = 0;
            m_readLen = n;
        }
        const size_t parsed = http_parser_execute(&m_parser, &settings(), m_readBuf.constData() + m_readPos,
                                                  size_t(m_readLen - m_readPos));
        m_readPos += qsizetype(parsed);
        const http_errno err = HTTP_PARSER_ERRNO(&m_parser);
        if (err == HPE_PAUSED) {
            http_parser_pause(&m_parser, 0);
            dispatch();
        } else if (err != HPE_OK) {
            int status = m_errorStatus ? m_errorStatus : 400;
            if (err == HPE_HEADER_OVERFLOW)
                status = 431;
            qCDebug(lcHttp) << "request rejected with" << status << http_errno_name(err)
                            << m_request.peerAddress.toString() << m_request.peerPort;
            fail(status);
        }
    }
    m_processing = false;
}

void ServerConnection::dispatch()
{
    m_phase = Phase::Busy;
    m_deadline = kNoDeadline;
    const quint64 sequence = ++m_sequence;
    // Held for the call: the handler may replace itself or delete the server while it runs.
    const std::shared_ptr<const Handler> handler = m_server->m_handler;
    ++t_handlerDepth;
    try {
        if (handler && *handler)
            (*handler)(m_request, HttpResponder(this, sequence));
        else
            send(sequence, HttpResponse::json(500, errorBody(500)));
    } catch (const std::exception &e) {
        qCWarning(lcHttp) << "request handler failed:" << e.what() << m_request.method << m_request.target;
        send(sequence, HttpResponse::json(500, errorBody(500)));
    } catch (...) {
        qCWarning(lcHttp) << "request handler failed with an unknown exception" << m_request.method << m_request.target;
        send(sequence, HttpResponse::json(500, errorBody(500)));
    }
    --t_handlerDepth;
}

void ServerConnection::send(quint64 sequence, HttpResponse &&r)
{
    if (!awaits(sequence)) {
        qCDebug(lcHttp) << "answer dropped: connection gone or request already answered";
        return;
    }
    bool close = !m_request.keepAlive || r.closeAfter;
    for (const auto &h : std::as_const(r.headers)) {
        if (wire::nameIs(h.first, "connection") && wire::hasToken(h.second, "close"))
            close = true;
    }
    writeResponse(r, close, m_request.method != "HEAD");
    if (close) {
        beginClose();
        return;
    }
    m_phase = Phase::Idle;
    m_deadline = now() + m_server->limits().idleTimeoutMs;
    if (!m_processing)
        processIncoming();
}

void ServerConnection::writeResponse(const HttpResponse &r, bool close, bool withBody)
{
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    QByteArray &out = m_out;
    out.resize(0);
    out.append("HTTP/1.1 ");
    appendNumber(out, r.status);
    out.append(' ').append(reasonPhrase(r.status)).append("\r\n");
    for (const auto &h : r.headers) {
        if (wire::nameIs(h.first, "content-length") || wire::nameIs(h.first, "date")
            || wire::nameIs(h.first, "connection") || wire::nameIs(h.first, "transfer-encoding"))
            continue;
        out.append(h.first).append(": ").append(h.second).append("\r\n");
    }
    out.append("Date: ").append(wire::httpDate()).append("\r\n");
    const bool bodyAllowed = r.status >= 200 && r.status != 204 && r.status != 304;
    if (bodyAllowed) {
        out.append("Content-Length: ");
        appendNumber(out, r.body.size());
        out.append("\r\n");
    }
    if (close)
        out.append("Connection: close\r\n");
    else if (m_request.httpMinor == 0)
        out.append("Connection: keep-alive\r\n");
    out.append("\r\n");
    if (!withBody || !bodyAllowed || r.body.isEmpty()) {
        m_socket->write(out);
    } else if (r.body.size() <= 8192) {
        out.append(r.body);  // one small write: one segment, one send call
        m_socket->write(out);
    } else {
        m_socket->write(out);
        m_socket->write(r.body);  // large bodies are shared with the socket's buffer, not copied
    }
}

void ServerConnection::fail(int status)
{
    m_errorStatus = 0;
    writeResponse(HttpResponse::json(status, errorBody(status)), true, true);
    beginClose();
}

void ServerConnection::beginClose()
{
    m_phase = Phase::Closing;
    m_deadline = now() + kLingerMs;
    m_readPos = m_readLen = 0;
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    if (m_socket->bytesToWrite() == 0)
        wire::halfClose(m_socket);
    else
        m_closeWhenWritten = true;
}

void ServerConnection::onBytesWritten()
{
    if (m_socket->bytesToWrite() > 0)
        return;
    if (m_phase == Phase::Closing) {
        if (m_closeWhenWritten) {
            m_closeWhenWritten = false;
            wire::halfClose(m_socket);
        }
    } else if (m_readThrottled && m_phase != Phase::Busy) {
        m_readThrottled = false;
        processIncoming();
    }
}

void ServerConnection::deadlinePassed()
{
    switch (m_phase) {
    case Phase::Head:
    case Phase::Body:
        qCDebug(lcHttp) << "request timed out" << m_request.peerAddress.toString() << m_request.peerPort;
        fail(408);
        break;
    case Phase::Idle:
    case Phase::Closing:
        m_socket->abort();  // emits disconnected -> finish()
        finish();
        break;
    case Phase::Busy:
        break;
    }
}

void ServerConnection::finish()
{
    if (m_gone)
        return;
    m_gone = true;
    m_phase = Phase::Closing;
    m_deadline = kNoDeadline;
    disconnect(m_socket, nullptr, this, nullptr);
    if (m_server) {
        m_server->connectionGone(this);
        m_server = nullptr;
    }
    deleteLater();
}

void ServerConnection::drop()
{
    m_gone = true;
    m_server = nullptr;
    disconnect(m_socket, nullptr, this, nullptr);
    m_socket->abort();
    // A handler may still be running on this thread's stack (possibly this connection's own).
    if (t_handlerDepth > 0)
        deleteLater();
    else
        delete this;
}

} // namespace dipwb::http::detail
