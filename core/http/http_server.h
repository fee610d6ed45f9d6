// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/http_message.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <functional>
#include <memory>

class QTcpServer;

namespace dipwb::http {

namespace detail {
class ServerConnection;
}

/// A handle to answer one request, exactly once. Cheap to copy; handlers may keep it and answer
/// later (asynchronous handlers).
///
/// Thread: send() must be called on the thread the HttpServer lives on (it touches the socket).
/// It is a no-op when the connection has gone meanwhile, and when the request was already answered.
class HttpResponder
{
public:
    HttpResponder() = default;
    void send(HttpResponse r) const;
    /// True while the connection is open and the request still awaits its answer.
    bool isValid() const;

private:
    friend class detail::ServerConnection;
    HttpResponder(detail::ServerConnection *connection, quint64 sequence);
    QPointer<QObject> m_connection;  // a detail::ServerConnection; QPointer notices its deletion
    quint64 m_sequence = 0;
};

/// Called once per complete request, on the server's thread. It must answer through the
/// responder, now or later. An exception escaping it is caught and answered with 500.
using Handler = std::function<void(const HttpRequest &, HttpResponder)>;

/// HTTP/1.1 server on a QTcpServer (or a caller-supplied subclass such as QSslServer).
/// Keep-alive, pipelining (answered in order, one request at a time per connection),
/// Expect: 100-continue, chunked request bodies, size limits and timeouts.
///
/// Thread: lives on the thread that created it; every connection and every handler call runs
/// there. Timeouts are checked by one periodic sweep over the connections, not per request.
class HttpServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServer)

public:
    struct Limits
    {
        qint64 maxBodyBytes = 10 * 1024 * 1024;  ///< over it (announced or de-chunked): 413 and close
        int maxHeaderBytes = 64 * 1024;          ///< request line + header fields; over it: 431 and close
        int headerTimeoutMs = 10000;             ///< from the first byte to the end of the head: 408 and close
        int bodyTimeoutMs = 30000;               ///< from the end of the head to the end of the body: 408 and close
        int idleTimeoutMs = 60000;               ///< keep-alive connection without a request: closed silently
        int maxConnections = 2000;               ///< beyond: 503 and close at once
    };

    explicit HttpServer(QObject *parent = nullptr);
    HttpServer(const Limits &limits, QObject *parent = nullptr);
    ~HttpServer() override;

    void setHandler(Handler h);
    const Limits &limits() const { return m_limits; }
    /// Lets a caller supply a QTcpServer subclass (QSslServer for HTTPS/mTLS). Must be called before
    /// listen(). Takes ownership. Connections are taken when the server reports them pending, i.e.
    /// after a QSslServer's handshake.
    void setTcpServer(QTcpServer *server);
    bool listen(const QHostAddress &address, quint16 port, QString *error = nullptr);
    quint16 port() const;
    /// Stops listening and drops every open connection (pending answers become no-ops).
    void close();
    int connectionCount() const;

signals:
    void connectionCountChanged(int count);

private:
    friend class detail::ServerConnection;
    void acceptPending();
    void sweep();
    void connectionGone(detail::ServerConnection *c);
    qint64 nowMs() const { return m_clock.elapsed(); }

    Limits m_limits;
    std::shared_ptr<const Handler> m_handler;  // shared so a running handler survives setHandler()
    QTcpServer *m_tcpServer = nullptr;
    QSet<detail::ServerConnection *> m_connections;
    QTimer m_sweepTimer;
    QElapsedTimer m_clock;  // monotonic time base of every connection deadline
};

} // namespace dipwb::http
