// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/http_client.h"

#include <QObject>
#include <QTimer>
#include <deque>
#include <http_parser.h>

class QTcpSocket;

namespace dipwb::http::detail {

class ClientConnection;

/// A request travelling through an HttpClient.
struct ClientJob
{
    ClientRequest request;
    std::function<void(const ClientResponse &)> done;
    qint64 startedMs = 0;   // HttpClient clock
    qint64 deadlineMs = 0;  // HttpClient clock; max when there is no timeout
    bool retried = false;   // already sent again once after a stale keep-alive connection
    bool needsFresh = false;
};

/// The connections and waiting requests of one scheme://host:port.
struct ClientPool
{
    QString host;
    quint16 port = 0;
    bool tls = false;
    QByteArray hostHeader;                  // "host:port" as sent in Host
    QList<ClientConnection *> idle;         // most recently used last
    int busy = 0;                           // connections carrying a request (connecting included)
    std::deque<std::unique_ptr<ClientJob>> queue;
    bool dirty = false;                     // listed in HttpClient::m_dirtyPools
};

/// One connection of an HttpClient pool: writes a request, parses the answer with http_parser,
/// then either goes back to the pool's idle list or closes. Internal to core/http.
///
/// Thread: the client's thread. A child of the client; deleted with deleteLater() once closed.
class ClientConnection final : public QObject
{
public:
    ClientConnection(HttpClient *client, ClientPool *pool);
    ~ClientConnection() override;

    ClientPool *pool() const { return m_pool; }
    /// Carries `job` (connecting first when needed).
    void start(std::unique_ptr<ClientJob> job);
    /// Back in the idle list: closed when unused for idleTimeoutMs.
    void park(int idleTimeoutMs) { m_timer.start(idleTimeoutMs); }
    /// Closes at once; a request it carries is not answered (the caller owns that decision).
    void close();

private:
    static int onHeaderField(http_parser *p, const char *at, size_t len);
    static int onHeaderValue(http_parser *p, const char *at, size_t len);
    static int onHeadersComplete(http_parser *p);
    static int onBody(http_parser *p, const char *at, size_t len);
    static int onMessageComplete(http_parser *p);
    static const http_parser_settings &settings();

    void writeRequest();
    void onReadyRead();
    bool feed(const char *data, qsizetype len);
    void onSocketError();
    void onTimeout();
    void complete();
    void fail(bool connectionFailed, bool timedOut, const QString &error);

    HttpClient *m_client;
    ClientPool *m_pool;
    QTcpSocket *m_socket = nullptr;  // child of this object
    QTimer m_timer;                  // the request's deadline while busy, the idle timeout while idle
    http_parser m_parser;
    std::unique_ptr<ClientJob> m_job;
    ClientResponse m_response;
    QByteArray m_readBuf;            // fixed size, reused for every read
    QByteArray m_out;                // request head scratch buffer, reused
    QString m_parseError;
    bool m_lastWasValue = false;
    bool m_reused = false;    // has answered a request before
    bool m_received = false;  // a byte of the current answer arrived
    bool m_complete = false;
    bool m_keepAlive = false;
    bool m_closed = false;
};

} // namespace dipwb::http::detail
