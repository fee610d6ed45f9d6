// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/http_message.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrl>
#include <functional>
#include <map>
#include <memory>

namespace dipwb::http {

namespace detail {
class ClientConnection;
struct ClientJob;
struct ClientPool;
} // namespace detail

/// One outgoing request. Host and Content-Length are set by the client (a Host given here wins).
struct ClientRequest
{
    QUrl url;
    QByteArray method = "POST";
    HeaderList headers;
    QByteArray body;
    int timeoutMs = 30000;  ///< from send() to the last byte of the answer, queueing included; <= 0: none
};

struct ClientResponse
{
    int status = 0;                 ///< 0 when no HTTP answer
    HeaderList headers;
    QByteArray body;
    bool connectionFailed = false;  ///< refused, reset, closed early, DNS, TLS handshake failure
    bool timedOut = false;
    QString error;                  ///< human-readable when status == 0
    qint64 elapsedMs = 0;           ///< from send() to the callback

    QByteArray header(QByteArrayView name) const { return headerValue(headers, name); }
};

/// Asynchronous HTTP/1.1 client with a keep-alive connection pool per scheme://host:port.
///
/// Each host gets up to maxConnectionsPerHost connections, each carrying one request at a time;
/// further requests to that host wait in its queue, so a slow host never holds up another. A
/// request that fails on a reused connection before any byte of the answer arrived (the server
/// closed it while idle) is sent once more on a fresh connection.
///
/// Thread: lives on the thread that created it; send() and the callbacks run there. Callbacks are
/// never called from inside send(). Requests still pending when the client is destroyed are dropped
/// without a callback.
class HttpClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpClient)

public:
    struct Options
    {
        int maxConnectionsPerHost = 8;
        int idleTimeoutMs = 30000;  ///< an unused keep-alive connection is closed after this
    };

    explicit HttpClient(QObject *parent = nullptr);
    HttpClient(const Options &options, QObject *parent = nullptr);
    ~HttpClient() override;

    /// Queues the request; `done` runs exactly once, on the client's thread, with the answer or the
    /// failure. http:// and https:// URLs (https uses QSslSocket with sslConfiguration()).
    void send(ClientRequest request, std::function<void(const ClientResponse &)> done);
    /// TLS settings of new https connections (CA certificates, client certificate and key for mTLS).
    void setSslConfiguration(const QSslConfiguration &config);
    QSslConfiguration sslConfiguration() const { return m_sslConfig; }
    /// Requests sent and not yet answered (queued or in flight).
    int pendingCount() const { return m_pending; }

private:
    friend class detail::ClientConnection;
    void schedulePump(detail::ClientPool *pool);
    void pumpScheduled();
    void pump(detail::ClientPool *pool);
    void sweepQueues();
    void connectionReleased(detail::ClientConnection *c, bool reusable);
    void retry(detail::ClientPool *pool, std::unique_ptr<detail::ClientJob> job);
    void deliver(detail::ClientJob &job, ClientResponse &&r);
    qint64 nowMs() const { return m_clock.elapsed(); }

    Options m_options;
    QSslConfiguration m_sslConfig;
    std::map<QString, std::unique_ptr<detail::ClientPool>> m_pools;  // key "scheme://host:port"
    QList<detail::ClientPool *> m_dirtyPools;  // pools with new work, pumped once per event-loop turn
    QTimer m_queueSweep;    // times out requests still waiting for a connection; runs while any wait
    QElapsedTimer m_clock;  // monotonic time base of every deadline
    int m_pending = 0;
    bool m_pumpPosted = false;
};

} // namespace dipwb::http
