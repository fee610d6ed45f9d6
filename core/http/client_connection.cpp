// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/client_connection.h"

#include "common/log.h"
#include "http/http_wire.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <charconv>
#include <climits>

namespace dipwb::http::detail {

namespace {

ClientConnection *self(http_parser *p)
{
    return static_cast<ClientConnection *>(p->data);
}

// An answer larger than this is refused rather than held in memory.
constexpr qint64 kMaxResponseBody = 64 * 1024 * 1024;

} // namespace

const http_parser_settings &ClientConnection::settings()
{
    static const http_parser_settings s = [] {
        http_parser_settings v;
        http_parser_settings_init(&v);
        v.on_header_field = &ClientConnection::onHeaderField;
        v.on_header_value = &ClientConnection::onHeaderValue;
        v.on_headers_complete = &ClientConnection::onHeadersComplete;
        v.on_body = &ClientConnection::onBody;
        v.on_message_complete = &ClientConnection::onMessageComplete;
        return v;
    }();
    return s;
}

ClientConnection::ClientConnection(HttpClient *client, ClientPool *pool)
    : QObject(client)
    , m_client(client)
    , m_pool(pool)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ClientConnection::onTimeout);
    m_readBuf.resize(wire::kReadChunk);
}

ClientConnection::~ClientConnection()
{
    // The client (and its pools) may already be gone: touch neither.
    if (m_socket)
        disconnect(m_socket, nullptr, this, nullptr);
}

void ClientConnection::start(std::unique_ptr<ClientJob> job)
{
    m_job = std::move(job);
    m_response = ClientResponse{};
    m_parseError.clear();
    m_received = m_complete = m_keepAlive = m_lastWasValue = false;
    http_parser_init(&m_parser, HTTP_RESPONSE);
    m_parser.data = this;
    const qint64 remaining = m_job->deadlineMs - m_client->nowMs();
    m_timer.start(int(std::clamp<qint64>(remaining, 0, INT_MAX)));

    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState) {
        writeRequest();
        return;
    }
    if (m_pool->tls) {
        auto *ssl = new QSslSocket(this);
        ssl->setSslConfiguration(m_client->m_sslConfig);
        connect(ssl, &QSslSocket::encrypted, this, &ClientConnection::writeRequest);
        m_socket = ssl;
    } else {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QAbstractSocket::connected, this, &ClientConnection::writeRequest);
    }
    connect(m_socket, &QAbstractSocket::connected, this,
            [this] { m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1); });
    connect(m_socket, &QIODevice::readyRead, this, &ClientConnection::onReadyRead);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, &ClientConnection::onSocketError);
    connect(m_socket, &QAbstractSocket::disconnected, this, &ClientConnection::onSocketError);
    // Last: for an address literal, a refusal may be reported from inside this call.
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket))
        ssl->connectToHostEncrypted(m_pool->host, m_pool->port);
    else  // unbuffered for the reason given in http_server.cpp (PlainTcpServer)
        m_socket->connectToHost(m_pool->host, m_pool->port, QIODevice::ReadWrite | QIODevice::Unbuffered);
}

void ClientConnection::writeRequest()
{
    if (!m_job)
        return;
    const ClientRequest &rq = m_job->request;
    QByteArray &out = m_out;
    out.resize(0);
    out.append(rq.method).append(' ');
    const QByteArray target = rq.url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    if (!target.startsWith('/'))
        out.append('/');
    out.append(target).append(" HTTP/1.1\r\n");
    bool hostGiven = false;
    for (const auto &h : rq.headers) {
        if (wire::nameIs(h.first, "content-length") || wire::nameIs(h.first, "transfer-encoding"))
            continue;
        hostGiven = hostGiven || wire::nameIs(h.first, "host");
        out.append(h.first).append(": ").append(h.second).append("\r\n");
    }
    if (!hostGiven)
        out.append("Host: ").append(m_pool->hostHeader).append("\r\n");
    const bool bodyMethod = rq.method == "POST" || rq.method == "PUT" || rq.method == "PATCH";
    if (bodyMethod || !rq.body.isEmpty()) {
        char buf[24];
        const auto r = std::to_chars(buf, buf + sizeof buf, rq.body.size());
        out.append("Content-Length: ").append(buf, r.ptr - buf).append("\r\n");
    }
    out.append("\r\n");
    if (rq.body.size() <= 8192) {
        out.append(rq.body);
        m_socket->write(out);
    } else {
        m_socket->write(out);
        m_socket->write(rq.body);
    }
    // Sent now rather than on the event loop's next turn, which a buffered socket waits for.
    m_socket->flush();
}

int ClientConnection::onHeaderField(http_parser *p, const char *at, size_t len)
{
    ClientConnection *c = self(p);
    HeaderList &h = c->m_response.headers;
    if (c->m_lastWasValue || h.isEmpty())
        h.append({QByteArray(at, qsizetype(len)), QByteArray()});
    else
        h.last().first.append(at, qsizetype(len));
    c->m_lastWasValue = false;
    return 0;
}

int ClientConnection::onHeaderValue(http_parser *p, const char *at, size_t len)
{
    ClientConnection *c = self(p);
    if (c->m_response.headers.isEmpty())
        return -1;
    c->m_response.headers.last().second.append(at, qsizetype(len));
    c->m_lastWasValue = true;
    return 0;
}

int ClientConnection::onHeadersComplete(http_parser *p)
{
    ClientConnection *c = self(p);
    c->m_response.status = int(p->status_code);
    if ((p->flags & F_CONTENTLENGTH) && !(p->flags & F_CHUNKED)) {
        if (p->content_length > quint64(kMaxResponseBody)) {
            c->m_parseError = QStringLiteral("response body too large");
            return -1;
        }
        c->m_response.body.reserve(qsizetype(p->content_length));
    }
    return c->m_job && c->m_job->request.method == "HEAD" ? 1 : 0;  // 1: no body follows
}

int ClientConnection::onBody(http_parser *p, const char *at, size_t len)
{
    ClientConnection *c = self(p);
    if (c->m_response.body.size() + qint64(len) > kMaxResponseBody) {
        c->m_parseError = QStringLiteral("response body too large");
        return -1;
    }
    c->m_response.body.append(at, qsizetype(len));
    return 0;
}

int ClientConnection::onMessageComplete(http_parser *p)
{
    ClientConnection *c = self(p);
    const int status = int(p->status_code);
    if (status >= 100 && status < 200 && status != 101) {
        // An interim answer (100 Continue, 103 Early Hints): the final one follows.
        c->m_response.status = 0;
        c->m_response.headers.clear();
        c->m_lastWasValue = false;
        return 0;
    }
    c->m_keepAlive = http_should_keep_alive(p) != 0;
    c->m_complete = true;
    http_parser_pause(p, 1);  // bytes after the answer are not ours to parse
    return 0;
}

bool ClientConnection::feed(const char *data, qsizetype len)
{
    const size_t parsed = http_parser_execute(&m_parser, &settings(), data, size_t(len));
    if (m_complete) {
        if (qsizetype(parsed) < len || m_socket->bytesAvailable() > 0)
            m_keepAlive = false;  // unexpected extra bytes: the connection cannot be trusted again
        complete();
        return false;
    }
    const http_errno err = HTTP_PARSER_ERRNO(&m_parser);
    if (err != HPE_OK) {
        const QString why = m_parseError.isEmpty() ? QString::fromLatin1(http_errno_description(err)) : m_parseError;
        fail(false, false, QStringLiteral("malformed response: ") + why);
        return false;
    }
    return true;
}

void ClientConnection::onReadyRead()
{
    if (m_closed)
        return;
    if (!m_job) {
        // Data on an idle connection: nothing can be waiting for it.
        m_pool->idle.removeOne(this);
        close();
        return;
    }
    qint64 n;
    while ((n = m_socket->read(m_readBuf.data(), m_readBuf.size())) > 0) {
        m_received = true;
        if (!feed(m_readBuf.constData(), n))
            return;
    }
    // An unbuffered socket's read() reports the peer's close (or an error) by failing, and emits no
    // signal of its own for it.
    if (n < 0)
        onSocketError();
}

void ClientConnection::onSocketError()
{
    if (m_closed)
        return;
    if (!m_job) {
        m_pool->idle.removeOne(this);  // the server closed an unused connection
        close();
        return;
    }
    qint64 n;
    while ((n = m_socket->read(m_readBuf.data(), m_readBuf.size())) > 0) {
        m_received = true;
        if (!feed(m_readBuf.constData(), n))
            return;
    }
    if (m_received) {
        // End of stream completes an answer whose body runs until the connection closes.
        http_parser_execute(&m_parser, &settings(), nullptr, 0);
        if (m_complete) {
            m_keepAlive = false;
            complete();
            return;
        }
    }
    QString why = m_socket->errorString();
    if (m_socket->error() == QAbstractSocket::RemoteHostClosedError || why.isEmpty())
        why = m_received ? QStringLiteral("connection closed before the answer was complete")
                         : QStringLiteral("connection closed without an answer");
    fail(true, false, why);
}

void ClientConnection::onTimeout()
{
    if (m_closed)
        return;
    if (!m_job) {
        m_pool->idle.removeOne(this);
        close();
        return;
    }
    const qint64 allowed = m_job->deadlineMs - m_job->startedMs;
    fail(false, true, QStringLiteral("no answer within %1 ms").arg(allowed));
}

void ClientConnection::complete()
{
    m_timer.stop();
    std::unique_ptr<ClientJob> job = std::move(m_job);
    ClientResponse r = std::move(m_response);
    const bool reusable = m_keepAlive && m_socket->state() == QAbstractSocket::ConnectedState;
    if (reusable)
        m_reused = true;
    HttpClient *client = m_client;
    client->connectionReleased(this, reusable);
    client->deliver(*job, std::move(r));
}

void ClientConnection::fail(bool connectionFailed, bool timedOut, const QString &error)
{
    m_timer.stop();
    std::unique_ptr<ClientJob> job = std::move(m_job);
    // A keep-alive connection the server closed just as we reused it: nothing was processed.
    const bool retry = connectionFailed && m_reused && !m_received && !job->retried;
    HttpClient *client = m_client;
    ClientPool *pool = m_pool;
    client->connectionReleased(this, false);
    if (retry) {
        qCDebug(lcHttp) << "retrying on a fresh connection to" << pool->hostHeader << "after:" << error;
        job->retried = true;
        job->needsFresh = true;
        client->retry(pool, std::move(job));
        return;
    }
    ClientResponse r;
    r.connectionFailed = connectionFailed;
    r.timedOut = timedOut;
    r.error = error;
    client->deliver(*job, std::move(r));
}

void ClientConnection::close()
{
    if (m_closed)
        return;
    m_closed = true;
    m_timer.stop();
    if (m_socket) {
        disconnect(m_socket, nullptr, this, nullptr);
        m_socket->abort();
    }
    deleteLater();
}

} // namespace dipwb::http::detail
