// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/server_connection.h"

#include "common/log.h"
#include "http/http_wire.h"

#include <QDateTime>
#include <QSslSocket>
#include <QTcpSocket>
#include <charconv>
#include <exception>

namespace dipwb::http::detail {

namespace {

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

ServerConnection::ServerConnection(HttpServer *server, QTcpSocket *socket)
    : m_server(server)
    , m_socket(socket)
    , m_parser(RequestParser::Limits{server->limits().maxBodyBytes, server->limits().maxHeaderBytes})
{
    socket->setParent(this);
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_readBuf.resize(wire::kReadChunk);
    HttpRequest &request = m_parser.request();
    request.tls = qobject_cast<QSslSocket *>(socket) != nullptr;
    // A QSslServer hands the socket over after the handshake: the client certificate is known now.
    if (auto *ssl = qobject_cast<QSslSocket *>(socket))
        request.peerCertificate = ssl->peerCertificate();
    request.peerAddress = socket->peerAddress();
    request.peerPort = socket->peerPort();
    request.localPort = socket->localPort();
    // A connection that never sends anything is held no longer than a slow request head would be.
    const auto &limits = server->limits();
    m_deadline = now() + std::min(limits.idleTimeoutMs, limits.headerTimeoutMs);

    connect(socket, &QIODevice::readyRead, this, [this] {
        if (m_phase == Phase::Closing)
            discardIncoming();
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

void ServerConnection::parsed(RequestParser::State before)
{
    const auto &limits = m_server->limits();
    switch (m_parser.state()) {
    case RequestParser::State::Idle:
        break;
    case RequestParser::State::Head:
        // The head deadline runs from its first byte: a head trickling in slowly still ends.
        if (before == RequestParser::State::Idle) {
            m_phase = Phase::Head;
            m_deadline = now() + limits.headerTimeoutMs;
        }
        break;
    case RequestParser::State::Body:
        if (before != RequestParser::State::Body) {
            // Answered at once: a client waiting for it would otherwise stall before sending.
            if (m_parser.takeContinueRequest())
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n", 25);
            m_phase = Phase::Body;
            m_deadline = now() + limits.bodyTimeoutMs;
        }
        break;
    case RequestParser::State::Complete:
        // A body that came with its head needs no 100 Continue any more.
        m_parser.takeContinueRequest();
        m_parser.next();
        dispatch();
        break;
    case RequestParser::State::Failed:
        qCDebug(lcHttp) << "request rejected with" << m_parser.errorStatus() << m_parser.errorName()
                        << m_parser.request().peerAddress.toString() << m_parser.request().peerPort;
        fail(m_parser.errorStatus());
        break;
    }
}

void ServerConnection::processIncoming()
{
    if (m_processing || m_gone || !m_server)
        return;
    m_processing = true;
    bool peerGone = false;
    while (!m_gone && m_server && m_phase != Phase::Busy && m_phase != Phase::Closing) {
        if (m_readPos == m_readLen) {
            if (m_socket->bytesToWrite() > kMaxPendingWrite) {
                m_readThrottled = true;  // resumed from onBytesWritten()
                break;
            }
            const qint64 n = m_socket->read(m_readBuf.data(), m_readBuf.size());
            if (n < 0)
                peerGone = true;
            if (n <= 0)
                break;
            m_readPos = 0;
            m_readLen = n;
        }
        const RequestParser::State before = m_parser.state();
        m_readPos += m_parser.feed(m_readBuf.constData() + m_readPos, m_readLen - m_readPos);
        parsed(before);
    }
    m_processing = false;
    // An unbuffered socket's read() reports the peer's close (or an error) by failing, and emits no
    // signal of its own for it.
    if (peerGone)
        finish();
}

void ServerConnection::discardIncoming()
{
    qint64 n;
    while ((n = m_socket->read(m_readBuf.data(), m_readBuf.size())) > 0) {
    }
    if (n < 0)
        finish();
}

void ServerConnection::dispatch()
{
    m_phase = Phase::Busy;
    m_deadline = kNoDeadline;
    const quint64 sequence = ++m_sequence;
    // Held for the call: the handler may replace itself or delete the server while it runs.
    const std::shared_ptr<const Handler> handler = m_server->m_handler;
    const HttpRequest &request = m_parser.request();
    ++t_handlerDepth;
    try {
        if (handler && *handler)
            (*handler)(request, HttpResponder(this, sequence));
        else
            send(sequence, HttpResponse::json(500, errorBody(500)));
    } catch (const std::exception &e) {
        qCWarning(lcHttp) << "request handler failed:" << e.what() << request.method << request.target;
        send(sequence, HttpResponse::json(500, errorBody(500)));
    } catch (...) {
        qCWarning(lcHttp) << "request handler failed with an unknown exception" << request.method
                           << request.target;
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
    bool close = !m_parser.request().keepAlive || r.closeAfter;
    for (const auto &h : std::as_const(r.headers)) {
        if (wire::nameIs(h.first, "connection") && wire::hasToken(h.second, "close"))
            close = true;
    }
    writeResponse(r, close, m_parser.request().method != "HEAD");
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
    m_writing = true;
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
    else if (m_parser.request().httpMinor == 0)
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
    // Sent now rather than on the event loop's next turn, which a buffered socket waits for. The
    // callers look at what is left to write themselves afterwards (send(), beginClose()).
    m_socket->flush();
    m_writing = false;
}

void ServerConnection::fail(int status)
{
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
    if (m_writing || m_socket->bytesToWrite() > 0)
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
        qCDebug(lcHttp) << "request timed out" << m_parser.request().peerAddress.toString()
                        << m_parser.request().peerPort;
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
