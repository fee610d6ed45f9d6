// SPDX-License-Identifier: GPL-3.0-or-later
// The HTTP client: answers, keep-alive pools, limits, refusals, timeouts, stale connections, framing.
#include "http/http_client.h"
#include "http/http_router.h"
#include "http/http_server.h"
#include "http_test_support.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <stdexcept>

using namespace dipwb::http;
using namespace dipwb::http::testing;

class TestHttpClient final : public QObject
{
    Q_OBJECT

private slots:
    void clientPostGetsAnswer();
    void clientReusesKeepAliveConnections();
    void clientRespectsConnectionLimit();
    void clientReportsConnectionRefused();
    void clientTimesOut();
    void clientRetriesStaleConnectionOnce();
    void clientReadsResponseFraming_data();
    void clientReadsResponseFraming();
    void slowHostDoesNotDelayFastHost();
    void manyRequestsOverKeepAlive();
};

void TestHttpClient::clientPostGetsAnswer()
{
    HttpServer server;
    HttpRequest seen;
    server.setHandler([&](const HttpRequest &req, HttpResponder r) {
        seen = req;
        HttpResponse resp = HttpResponse::json(201, "{\"got\":" + QByteArray::number(req.body.size()) + '}');
        resp.headers.append({QByteArrayLiteral("X-Test"), QByteArrayLiteral("yes")});
        r.send(resp);
    });
    QVERIFY(listenLocal(server));
    HttpClient client;
    ClientRequest req;
    req.url = localUrl(server.port(), QStringLiteral("/hook?a=1"));
    req.headers = {{"Content-Type", "application/json"}};
    req.body = "{\"x\":1}";
    ClientResponse got;
    bool done = false;
    client.send(req, [&](const ClientResponse &r) {
        got = r;
        done = true;
    });
    QCOMPARE(client.pendingCount(), 1);
    QVERIFY(!done);  // never called from inside send()
    QVERIFY(QTest::qWaitFor([&] { return done; }, 5000));
    QCOMPARE(got.status, 201);
    QCOMPARE(got.body, QByteArray("{\"got\":7}"));
    QCOMPARE(got.header("x-test"), QByteArray("yes"));
    QVERIFY(!got.connectionFailed);
    QVERIFY(!got.timedOut);
    QCOMPARE(client.pendingCount(), 0);
    QCOMPARE(seen.method, QByteArray("POST"));
    QCOMPARE(seen.path, QByteArray("/hook"));
    QCOMPARE(seen.query, QByteArray("a=1"));
    QCOMPARE(seen.body, QByteArray("{\"x\":1}"));
    QCOMPARE(seen.header("host"), QByteArray("127.0.0.1:") + QByteArray::number(server.port()));
    QCOMPARE(seen.fullUrl(), QStringLiteral("http://127.0.0.1:%1/hook?a=1").arg(server.port()));
    QVERIFY(seen.receivedAtMs > 0);
}

void TestHttpClient::clientReusesKeepAliveConnections()
{
    HttpServer server;
    PeerCounter counter;
    server.setHandler(counter.handler(&HttpRequest::body));
    QVERIFY(listenLocal(server));
    HttpClient client;
    int answered = 0;
    std::function<void()> next = [&] {
        ClientRequest req;
        req.url = localUrl(server.port(), QStringLiteral("/k"));
        req.body = QByteArray::number(answered);
        client.send(req, [&](const ClientResponse &r) {
            QCOMPARE(r.body, QByteArray::number(answered));
            if (++answered < 10)
                next();
        });
    };
    next();
    QVERIFY(QTest::qWaitFor([&] { return answered == 10; }, 5000));
    QCOMPARE(counter.requests, 10);
    QCOMPARE(counter.peers.size(), 1);
}

void TestHttpClient::clientRespectsConnectionLimit()
{
    HttpServer server;
    QSet<quint16> peers;
    server.setHandler([&](const HttpRequest &req, HttpResponder r) {
        peers.insert(req.peerPort);
        QTimer::singleShot(10, [r] { r.send(HttpResponse::text(200, "ok")); });
    });
    QVERIFY(listenLocal(server));
    HttpClient::Options options;
    options.maxConnectionsPerHost = 3;
    HttpClient client(options);
    int ok = 0;
    for (int i = 0; i < 20; ++i) {
        ClientRequest req;
        req.url = localUrl(server.port(), QStringLiteral("/p"));
        client.send(req, [&](const ClientResponse &r) { ok += r.status == 200; });
    }
    QCOMPARE(client.pendingCount(), 20);
    QVERIFY(QTest::qWaitFor([&] { return client.pendingCount() == 0; }, 10000));
    QCOMPARE(ok, 20);
    QCOMPARE(peers.size(), 3);
}

void TestHttpClient::clientReportsConnectionRefused()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    HttpClient client;
    ClientRequest req;
    req.url = localUrl(port, QStringLiteral("/x"));
    const std::optional<ClientResponse> reply = answerOf(client, req);
    QVERIFY(reply);
    const ClientResponse &got = *reply;
    QCOMPARE(got.status, 0);
    QVERIFY(got.connectionFailed);
    QVERIFY(!got.timedOut);
    QVERIFY(!got.error.isEmpty());
}

void TestHttpClient::clientTimesOut()
{
    HttpServer server;
    QList<HttpResponder> never;
    server.setHandler([&](const HttpRequest &, HttpResponder r) { never << r; });
    QVERIFY(listenLocal(server));
    HttpClient client;
    ClientRequest req;
    req.url = localUrl(server.port(), QStringLiteral("/x"));
    req.timeoutMs = 300;
    const std::optional<ClientResponse> reply = answerOf(client, req);
    QVERIFY(reply);
    const ClientResponse &got = *reply;
    QVERIFY(got.timedOut);
    QCOMPARE(got.status, 0);
    QVERIFY(got.elapsedMs >= 250);
    QVERIFY2(got.elapsedMs < 2000, qPrintable(QString::number(got.elapsedMs)));
    QVERIFY(QTest::qWaitFor([&] { return server.connectionCount() == 0; }, 3000));  // connection dropped
}

void TestHttpClient::clientRetriesStaleConnectionOnce()
{
    // A keep-alive server that drops its first connection when a second request arrives on it,
    // as a server whose idle timeout fires just as the request is sent.
    QTcpServer raw;
    QVERIFY(raw.listen(QHostAddress::LocalHost, 0));
    int accepted = 0;
    connect(&raw, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *s = raw.nextPendingConnection()) {
            const int index = ++accepted;
            auto answered = std::make_shared<int>(0);
            auto buffer = std::make_shared<QByteArray>();
            connect(s, &QIODevice::readyRead, s, [s, index, answered, buffer] {
                *buffer += s->readAll();
                while (buffer->contains("\r\n\r\n")) {
                    buffer->remove(0, buffer->indexOf("\r\n\r\n") + 4);
                    if (index == 1 && *answered == 1) {
                        s->abort();
                        return;
                    }
                    ++*answered;
                    s->write("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n" + QByteArray::number(index));
                }
            });
        }
    });
    HttpClient client;
    QList<ClientResponse> got;
    auto get = [&] {
        ClientRequest req;
        req.method = "GET";
        req.url = localUrl(raw.serverPort(), QStringLiteral("/r"));
        client.send(req, [&](const ClientResponse &r) { got << r; });
    };
    get();
    QVERIFY(QTest::qWaitFor([&] { return got.size() == 1; }, 5000));
    get();
    QVERIFY(QTest::qWaitFor([&] { return got.size() == 2; }, 5000));
    QCOMPARE(got.at(0).body, QByteArray("1"));
    QCOMPARE(got.at(1).status, 200);
    QCOMPARE(got.at(1).body, QByteArray("2"));
    QCOMPARE(accepted, 2);
}

void TestHttpClient::clientReadsResponseFraming_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<bool>("closeAfter");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("content-length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello") << false
                                    << QByteArray("hello");
    QTest::newRow("chunked") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
                             << false << QByteArray("hello world");
    QTest::newRow("close-delimited") << QByteArray("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end") << true
                                     << QByteArray("until the end");
    QTest::newRow("interim 100 first") << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\nok")
                                       << false << QByteArray("ok");
}

void TestHttpClient::clientReadsResponseFraming()
{
    QFETCH(QByteArray, answer);
    QFETCH(bool, closeAfter);
    QFETCH(QByteArray, body);
    QTcpServer raw;
    QVERIFY(raw.listen(QHostAddress::LocalHost, 0));
    connect(&raw, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *s = raw.nextPendingConnection()) {
            auto buffer = std::make_shared<QByteArray>();
            connect(s, &QIODevice::readyRead, s, [s, buffer, answer, closeAfter] {
                *buffer += s->readAll();
                if (!buffer->contains("\r\n\r\n"))
                    return;
                // Written in two parts, so the client also reassembles across reads.
                s->write(answer.left(answer.size() / 2));
                s->flush();
                QTimer::singleShot(20, s, [s, answer, closeAfter] {
                    s->write(answer.mid(answer.size() / 2));
                    if (closeAfter)
                        s->disconnectFromHost();
                });
            });
        }
    });
    HttpClient client;
    ClientRequest req;
    req.url = localUrl(raw.serverPort(), QStringLiteral("/f"));
    const std::optional<ClientResponse> reply = answerOf(client, req);
    QVERIFY(reply);
    const ClientResponse &got = *reply;
    QVERIFY2(got.error.isEmpty(), qPrintable(got.error));
    QVERIFY(got.status == 200 || got.status == 202);
    QCOMPARE(got.body, body);
}

void TestHttpClient::slowHostDoesNotDelayFastHost()
{
    HttpServer slow, fast;
    QList<HttpResponder> held;
    bool release = false;
    slow.setHandler([&](const HttpRequest &, HttpResponder r) {
        if (release)
            r.send(HttpResponse::text(200, "slow"));
        else
            held << r;
    });
    fast.setHandler([](const HttpRequest &, HttpResponder r) { r.send(HttpResponse::text(200, "fast")); });
    QVERIFY(listenLocal(slow));
    QVERIFY(listenLocal(fast));
    HttpClient::Options options;
    options.maxConnectionsPerHost = 2;
    HttpClient client(options);
    int slowDone = 0, fastDone = 0;
    qint64 fastWorst = 0;
    for (int i = 0; i < 6; ++i) {
        ClientRequest req;
        req.url = localUrl(slow.port(), QStringLiteral("/slow"));
        req.timeoutMs = 10000;
        client.send(req, [&](const ClientResponse &) { ++slowDone; });
    }
    QVERIFY(QTest::qWaitFor([&] { return held.size() == 2; }, 3000));  // both slow connections busy
    for (int i = 0; i < 5; ++i) {
        ClientRequest req;
        req.url = localUrl(fast.port(), QStringLiteral("/fast"));
        client.send(req, [&](const ClientResponse &r) {
            QCOMPARE(r.status, 200);
            fastWorst = std::max(fastWorst, r.elapsedMs);
            ++fastDone;
        });
    }
    QVERIFY(QTest::qWaitFor([&] { return fastDone == 5; }, 3000));
    QCOMPARE(slowDone, 0);
    QVERIFY2(fastWorst < 500, qPrintable(QString::number(fastWorst)));
    release = true;
    for (const HttpResponder &r : std::as_const(held))
        r.send(HttpResponse::text(200, "slow"));
    QVERIFY(QTest::qWaitFor([&] { return slowDone == 6; }, 5000));
}

void TestHttpClient::manyRequestsOverKeepAlive()
{
    HttpServer server;
    QSet<quint16> peers;
    server.setHandler([&](const HttpRequest &req, HttpResponder r) {
        peers.insert(req.peerPort);
        r.send(HttpResponse::json(201, QByteArray::number(req.body.size())));
    });
    QVERIFY(listenLocal(server));
    HttpClient client;  // 8 connections per host
    const QByteArray body(1536, 'j');
    const int total = 3000;
    int ok = 0;
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < total; ++i) {
        ClientRequest req;
        req.url = localUrl(server.port(), QStringLiteral("/dip-channel/IF-033"));
        req.body = body;
        client.send(std::move(req), [&](const ClientResponse &r) { ok += r.status == 201 && r.body == "1536"; });
    }
    QVERIFY(spinUntil([&] { return client.pendingCount() == 0; }, 30000));
    const qint64 ms = std::max<qint64>(1, t.elapsed());
    qInfo("%d requests of 1.5 KB, client and server on one thread: %lld ms, %lld requests/s", total, ms,
          total * 1000 / ms);
    QCOMPARE(ok, total);
    QVERIFY(peers.size() <= 8);
}

DIPWB_NETWORK_TEST_MAIN(TestHttpClient)
#include "test_http_client.moc"
