// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/http_server.h"

#include "common/log.h"
#include "http/http_wire.h"
#include "http/server_connection.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

namespace dipwb::http {

namespace {

// Plain connections are opened unbuffered. A buffered QTcpSocket copies each answer into its
// write buffer and switches the socket's write notifier on and off again to send it, which costs
// two walks of the event loop's list of sockets per answer; unbuffered, write() hands the bytes
// to the kernel at once and only what the kernel does not take is kept.
class PlainTcpServer final : public QTcpServer
{
protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor, QAbstractSocket::ConnectedState,
                                         QIODevice::ReadWrite | QIODevice::Unbuffered)) {
            qCWarning(lcHttp) << "cannot take an accepted connection:" << socket->errorString();
            delete socket;
            wire::closeDescriptor(descriptor);
            return;
        }
        addPendingConnection(socket);
    }
};

} // namespace

HttpResponder::HttpResponder(detail::ServerConnection *connection, quint64 sequence)
    : m_connection(connection)
    , m_sequence(sequence)
{
}

void HttpResponder::send(HttpResponse r) const
{
    auto *c = static_cast<detail::ServerConnection *>(m_connection.data());
    if (!c)
        return;
    Q_ASSERT_X(c->thread() == QThread::currentThread(), "HttpResponder::send",
               "must be called on the thread of the HttpServer");
    c->send(m_sequence, std::move(r));
}

bool HttpResponder::isValid() const
{
    auto *c = static_cast<detail::ServerConnection *>(m_connection.data());
    return c && c->awaits(m_sequence);
}

HttpServer::HttpServer(QObject *parent)
    : HttpServer(Limits{}, parent)
{
}

HttpServer::HttpServer(const Limits &limits, QObject *parent)
    : QObject(parent)
    , m_limits(limits)
{
    m_clock.start();
    // One sweep for every deadline (head, body, idle, lingering close): a few times per shortest
    // timeout, never more than 100 times a second; it only runs while connections are open.
    const int shortest = std::min({m_limits.headerTimeoutMs, m_limits.bodyTimeoutMs, m_limits.idleTimeoutMs});
    m_sweepTimer.setInterval(std::clamp(shortest / 5, 10, 1000));
    connect(&m_sweepTimer, &QTimer::timeout, this, &HttpServer::sweep);
}

HttpServer::~HttpServer()
{
    close();
}

void HttpServer::setHandler(Handler h)
{
    m_handler = std::make_shared<const Handler>(std::move(h));
}

void HttpServer::setTcpServer(QTcpServer *server)
{
    if (m_tcpServer && m_tcpServer->isListening()) {
        qCWarning(lcHttp) << "setTcpServer ignored: already listening";
        delete server;
        return;
    }
    delete m_tcpServer;
    m_tcpServer = server;
    m_tcpServer->setParent(this);
    // Not newConnection: a QSslServer reports a connection pending only after its handshake.
    connect(m_tcpServer, &QTcpServer::pendingConnectionAvailable, this, &HttpServer::acceptPending);
}

bool HttpServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (!m_tcpServer)
        setTcpServer(new PlainTcpServer);
    m_tcpServer->setMaxPendingConnections(std::max(30, m_limits.maxConnections));
    // Qt's default backlog of 50 made a burst of more simultaneous connects lose SYNs and wait a
    // second for the retry; the kernel caps this at its somaxconn.
    m_tcpServer->setListenBacklogSize(std::max(50, m_limits.maxConnections));
    if (!m_tcpServer->listen(address, port)) {
        if (error)
            *error = m_tcpServer->errorString();
        return false;
    }
    qCDebug(lcHttp) << "listening on" << address.toString() << m_tcpServer->serverPort();
    return true;
}

quint16 HttpServer::port() const
{
    return m_tcpServer ? m_tcpServer->serverPort() : 0;
}

void HttpServer::close()
{
    if (m_tcpServer)
        m_tcpServer->close();
    m_sweepTimer.stop();
    if (m_connections.isEmpty())
        return;
    const auto connections = m_connections;
    m_connections.clear();
    for (detail::ServerConnection *c : connections)
        c->drop();
    emit connectionCountChanged(0);
}

int HttpServer::connectionCount() const
{
    return int(m_connections.size());
}

void HttpServer::acceptPending()
{
    while (m_tcpServer->hasPendingConnections()) {
        QTcpSocket *socket = m_tcpServer->nextPendingConnection();
        if (!socket)
            break;
        if (m_connections.size() >= m_limits.maxConnections) {
            qCWarning(lcHttp) << "connection refused: limit of" << m_limits.maxConnections << "reached";
            socket->write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n"
                          "Date: " + wire::httpDate() + "\r\n\r\n");
            connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
            socket->disconnectFromHost();
            continue;
        }
        m_connections.insert(new detail::ServerConnection(this, socket));
        if (!m_sweepTimer.isActive())
            m_sweepTimer.start();
        emit connectionCountChanged(int(m_connections.size()));
    }
}

void HttpServer::sweep()
{
    const qint64 now = nowMs();
    QVarLengthArray<detail::ServerConnection *, 16> expired;
    for (detail::ServerConnection *c : std::as_const(m_connections)) {
        if (c->deadline() <= now)
            expired.append(c);
    }
    // Handled after the walk: closing a connection removes it from the set.
    for (detail::ServerConnection *c : expired) {
        if (m_connections.contains(c))
            c->deadlinePassed();
    }
}

void HttpServer::connectionGone(detail::ServerConnection *c)
{
    if (!m_connections.remove(c))
        return;
    if (m_connections.isEmpty())
        m_sweepTimer.stop();
    emit connectionCountChanged(int(m_connections.size()));
}

} // namespace dipwb::http
