// SPDX-License-Identifier: GPL-3.0-or-later
// What the HTTP layer's tests share (test_http for the server, test_http_client for the client): a
// raw socket for protocol edge cases, a parser for what it received, an echoing handler, curl.
#pragma once

#include "common/network_dispatcher.h"
#include "http/http_client.h"
#include "http/http_server.h"

#include <QAbstractEventDispatcher>
#include <QElapsedTimer>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QtTest>

#include <functional>
#include <optional>

/// The HTTP tests' main: the thread runs on the dispatcher the emulator's network thread uses
/// (epoll on Linux); ctest's *_qtloop variants set DIPWB_EVENT_DISPATCHER=qt to run the same tests
/// on Qt's own, which the desktop's other threads and other platforms use.
#define DIPWB_NETWORK_TEST_MAIN(TestObject)                                              \
    int main(int argc, char **argv)                                                      \
    {                                                                                    \
        if (QAbstractEventDispatcher *d = dipwb::createNetworkEventDispatcher())         \
            QCoreApplication::setEventDispatcher(d);                                     \
        QCoreApplication app(argc, argv);                                                \
        TestObject tc;                                                                   \
        QTEST_SET_MAIN_SOURCE_PATH                                                       \
        return QTest::qExec(&tc, argc, argv);                                            \
    }

namespace dipwb::http::testing {

struct RawResponse
{
    int status = 0;
    HeaderList headers;
    QByteArray body;
    QByteArray header(QByteArrayView name) const { return headerValue(headers, name); }
};

// Splits what a server sent into responses, framed by Content-Length (our server always sends it;
// interim 1xx answers have no body).
inline QList<RawResponse> parseResponses(QByteArray data)
{
    QList<RawResponse> out;
    while (true) {
        const qsizetype end = data.indexOf("\r\n\r\n");
        if (end < 0)
            break;
        RawResponse r;
        const QList<QByteArray> lines = data.left(end).split('\n');
        const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
        if (statusLine.size() < 2)
            break;
        r.status = statusLine.at(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            if (colon > 0)
                r.headers.append({lines.at(i).left(colon).trimmed(), lines.at(i).mid(colon + 1).trimmed()});
        }
        const qsizetype length = r.header("content-length").toLongLong();
        if (data.size() < end + 4 + length)
            break;
        r.body = data.mid(end + 4, length);
        data.remove(0, end + 4 + length);
        out.append(r);
    }
    return out;
}

// A plain socket for protocol edge cases: records everything the server sends and whether it closed.
class RawClient
{
public:
    explicit RawClient(quint16 port)
    {
        QObject::connect(&m_socket, &QIODevice::readyRead, [this] { m_received += m_socket.readAll(); });
        QObject::connect(&m_socket, &QAbstractSocket::disconnected, [this] { m_closed = true; });
        m_socket.connectToHost(QHostAddress::LocalHost, port);
    }
    bool waitConnected()
    {
        return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 3000);
    }
    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }
    QList<RawResponse> responses() const { return parseResponses(m_received); }
    bool waitResponses(int n, int ms = 3000)
    {
        return QTest::qWaitFor([&] { return responses().size() >= n; }, ms);
    }
    bool waitClosed(int ms = 3000)
    {
        return QTest::qWaitFor([this] { return m_closed; }, ms);
    }
    const QByteArray &received() const { return m_received; }
    bool closed() const { return m_closed; }
    quint16 localPort() const { return m_socket.localPort(); }
    void abort() { m_socket.abort(); }

private:
    QTcpSocket m_socket;
    QByteArray m_received;
    bool m_closed = false;
};

inline Handler echoHandler()
{
    return [](const HttpRequest &req, HttpResponder r) {
        QByteArray text = req.method + ' ' + req.path;
        if (!req.body.isEmpty())
            text += ' ' + req.body;
        r.send(HttpResponse::text(200, text));
    };
}

/// Counts the requests a server gets and the client ports they come from (one port for many
/// requests: one kept-alive connection), answering 200 with one part of each request.
struct PeerCounter
{
    QSet<quint16> peers;
    int requests = 0;
    Handler handler(QByteArray HttpRequest::*answer)
    {
        return [this, answer](const HttpRequest &req, HttpResponder r) {
            peers.insert(req.peerPort);
            ++requests;
            r.send(HttpResponse::text(200, req.*answer));
        };
    }
};

inline bool listenLocal(HttpServer &server)
{
    return server.listen(QHostAddress::LocalHost, 0);
}

// Runs curl without blocking the event loop the server under test needs.
inline bool runCurl(const QStringList &args, QByteArray *out)
{
    const QString curl = QStandardPaths::findExecutable(QStringLiteral("curl"));
    if (curl.isEmpty())
        return false;
    QProcess p;
    p.start(curl, args);
    if (!p.waitForStarted(5000))
        return false;
    if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 15000))
        return false;
    *out = p.readAllStandardOutput();
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

// Runs the event loop without pauses until pred holds (QTest::qWaitFor sleeps between rounds,
// which would dominate a throughput figure).
inline bool spinUntil(const std::function<bool()> &pred, int ms)
{
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (pred())
            loop.quit();
    });
    poll.start(1);
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    if (!pred())
        loop.exec();
    return pred();
}

inline QUrl localUrl(quint16 port, const QString &path)
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path));
}


/// Sends req and runs the event loop until its answer comes, for at most ms; nothing if none did.
inline std::optional<ClientResponse> answerOf(HttpClient &client, const ClientRequest &req, int ms = 5000)
{
    std::optional<ClientResponse> got;
    client.send(req, [&](const ClientResponse &r) { got = r; });
    if (!QTest::qWaitFor([&] { return got.has_value(); }, ms))
        return std::nullopt;
    return got;
}
} // namespace dipwb::http::testing
