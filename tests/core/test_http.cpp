// SPDX-License-Identifier: GPL-3.0-or-later
// The HTTP server: keep-alive, pipelining, Expect, chunking, limits, timeouts, routing, bad requests.
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

class TestHttp final : public QObject
{
    Q_OBJECT

private slots:
    void keepAliveServesTwoRequestsOnOneConnection();
    void peerCloseEndsTheConnectionAtOnce_data();
    void peerCloseEndsTheConnectionAtOnce();
    void pipelinedRequestsAreAnsweredInOrder();
    void headAnswerHasLengthButNoBody();
    void expectContinueIsAnsweredAtOnce();
    void expectContinueWithCurlDoesNotStall();
    void expectContinueOverLimitGets413();
    void chunkedBodyIsReassembled();
    void bodyOverLimitGets413_data();
    void bodyOverLimitGets413();
    void slowHeadGets408();
    void slowBodyGets408();
    void idleConnectionIsClosedSilently();
    void routerAnswers404And405();
    void routerPassesParams();
    void connectionPersistence_data();
    void connectionPersistence();
    void badRequestsAreRejected_data();
    void badRequestsAreRejected();
    void handlerExceptionGives500();
    void lateAnswerAfterDisconnectIsHarmless();
    void connectionLimitIsEnforced();
    void curlReusesConnection();
};

void TestHttp::keepAliveServesTwoRequestsOnOneConnection()
{
    HttpServer server;
    server.setHandler(echoHandler());
    QVERIFY(listenLocal(server));
    RawClient c(server.port());
    QVERIFY(c.waitConnected());
    c.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(c.waitResponses(1));
    c.send("POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
    QVERIFY(c.waitResponses(2));
    const auto rs = c.responses();
    QCOMPARE(rs.at(0).status, 200);
    QCOMPARE(rs.at(0).body, QByteArray("GET /a"));
    QCOMPARE(rs.at(1).body, QByteArray("POST /b abc"));
    QVERIFY(!rs.at(0).header("date").isEmpty());
    QVERIFY(rs.at(0).header("date").endsWith("GMT"));
    QCOMPARE(rs.at(0).header("content-length"), QByteArray("6"));
    QVERIFY(rs.at(0).header("connection").isEmpty());
    QTest::qWait(50);
    QVERIFY(!c.closed());
    QCOMPARE(server.connectionCount(), 1);
}

void TestHttp::peerCloseEndsTheConnectionAtOnce_data()
{
    QTest::addColumn<QByteArray>("sent");
    QTest::addColumn<int>("answers");
    QTest::newRow("idle after an answer") << QByteArray("GET /a HTTP/1.1\r\nHost: x\r\n\r\n") << 1;
    QTest::newRow("inside a head") << QByteArray("GET /a HTTP/1.1\r\nHo") << 0;
    QTest::newRow("inside a body") << QByteArray("POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\nabc") << 0;
    QTest::newRow("after a closing answer") << QByteArray("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n") << 1;
}

// Plain connections are unbuffered, so a peer's close shows only as a failed read: the connection
// must still end then, not when a timeout (a minute here, or the 2 s linger) runs out.
void TestHttp::peerCloseEndsTheConnectionAtOnce()
{
    QFETCH(QByteArray, sent);
    QFETCH(int, answers);
    HttpServer::Limits limits;
    limits.idleTimeoutMs = limits.headerTimeoutMs = limits.bodyTimeoutMs = 60000;
    HttpServer server(limits);
    server.setHandler(echoHandler());
    QVERIFY(listenLocal(server));
    RawClient c(server.port());
    QVERIFY(c.waitConnected());
    c.send(sent);
    if (answers)
        QVERIFY(c.waitResponses(answers));
    else
        QTest::qWait(50);
    QCOMPARE(server.connectionCount(), 1);
    c.abort();
    QVERIFY(QTest::qWaitFor([&] { return server.connectionCount() == 0; }, 1000));
}

void TestHttp::pipelinedRequestsAreAnsweredInOrder()
{
    HttpServer server;
    QStringList calls;
    server.setHandler([&](const HttpRequest &req, HttpResponder r) {
        calls << QString::fromLatin1(req.path);
        if (req.path == "/slow")
            QTimer::singleShot(150, [r] { r.send(HttpResponse::text(200, "slow")); });
        else
            r.send(HttpResponse::text(200, req.path.mid(1) + req.body));
    });
    QVERIFY(listenLocal(server));
    RawClient c(server.port());
    QVERIFY(c.waitConnected());
    c.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
           "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n"
           "POST /last HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n!!");
    QTest::qWait(60);
    QCOMPARE(calls, QStringList{QStringLiteral("/slow")});  // the next waits for the answer
    QVERIFY(c.waitResponses(3));
    const auto rs = c.responses();
    QCOMPARE(rs.at(0).body, QByteArray("slow"));
    QCOMPARE(rs.at(1).body, QByteArray("fast"));
    QCOMPARE(rs.at(2).body, QByteArray("last!!"));
    QCOMPARE(calls, (QStringList{QStringLiteral("/slow"), QStringLiteral("/fast"), QStringLiteral("/last")}));
}

void TestHttp::headAnswerHasLengthButNoBody()
{
    HttpServer server;
    server.setHandler([](const HttpRequest &, HttpResponder r) { r.send(HttpResponse::text(200, "0123456789")); });
    QVERIFY(listenLocal(server));
    RawClient c(server.port());
    QVERIFY(c.waitConnected());
    c.send("HEAD /x HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(QTest::qWaitFor([&] { return c.received().contains("\r\n\r\n"); }, 3000));
    QTest::qWait(50);
    QVERIFY(c.received().endsWith("\r\n\r\n"));
    QVERIFY(c.received().contains("Content-Length: 10\r\n"));
    c.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(QTest::qWaitFor([&] { return c.received().endsWith("0123456789"); }, 3000));
}

void TestHttp::expectContinueIsAnsweredAtOnce()
{
    HttpServer server;
    server.setHandler(echoHandler());
    QVERIFY(listenLocal(server));
    RawClient c(server.port());
    QVERIFY(c.waitConnected());
    QElapsedTimer t;
    t.start();
    c.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    QVERIFY(QTest::qWaitFor([&] { return c.received() == "HTTP/1.1 100 Continue\r\n\r\n"; }, 2000));
    QVERIFY2(t.elapsed() < 500, qPrintable(QString::number(t.elapsed())));
    c.send("hello");
    QVERIFY(c.waitResponses(2));
    QCOMPARE(c.responses().at(0).status, 100);
    QCOMPARE(c.responses().at(1).status, 200);
    QCOMPARE(c.responses().at(1).body, QByteArray("POST /up hello"));
}

void TestHttp::expectContinueWithCurlDoesNotStall()
{
    if (QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty())
        QSKIP("curl is not installed");
    HttpServer server;
    qsizetype seenBytes = -1;
    QByteArray seenExpect;
    server.setHandler([&](const HttpRequest &req, HttpResponder r) {
        seenBytes = req.body.size();
        seenExpect = req.header("expect");
        r.send(HttpResponse::json(201, "{}"));
    });
    QVERIFY(listenLocal(server));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile f(dir.filePath(QStringLiteral("body.bin")));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(5 * 1024, 'x'));
    f.close();
    QByteArray out;
    QVERIFY(runCurl({QStringLiteral("-s"), QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-w"),
                     QStringLiteral("%{http_code} %{time_total}"), QStringLiteral("-H"),
                     QStringLiteral("Expect: 100-continue"), QStringLiteral("--data-binary"), QLatin1Char('@') + f.fileName(),
                     localUrl(server.port(), QStringLiteral("/up")).toString()},
                    &out));
    const QList<QByteArray> parts = out.split(' ');
    QCOMPARE(parts.size(), 2);
    QCOMPARE(parts.at(0), QByteArray("201"));
    const double seconds = parts.at(1).toDouble();
    QVERIFY2(seconds < 0.5, out.constData());
    QCOMPARE(seenBytes, 5 * 1024);
    QCOMPARE(seenExpect, QByteArray("100-continue"));
}

void TestHttp::expectContinueOverLimitGets413()
{
    HttpServer::Limits limits;
    limits.maxBodyBytes = 1000;
    HttpServer server(limits);
    bool called = false;
    server.setHandler([&](const HttpRequest &, HttpResponder r) {
        called = true;
        r.send(HttpResponse::text(200, "no"));
    });
    QVERIFY(listenLocal(server));
    RawClient c(server.port());
    QVERIFY(c.waitConnected());
    c.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
    QVERIFY(c.waitResponses(1));
    QCOMPARE(c.responses().at(0).status, 413);
    QVERIFY(!c.received().contains("100 Continue"));
    QCOMPARE(c.responses().at(0).header("connection"), QByteArray("close"));
    QVERIFY(c.waitClosed());
    QVERIFY(!called);
}

void TestHttp::chunkedBodyIsReassembled()
{
    HttpServer server;
    server.setHandler(echoHandler());
    QVERIFY(listenLocal(server));
    RawClient c(server.port());
    QVERIFY(c.waitConnected());
    // In pieces, cut inside the head and inside a chunk, as a network may deliver it.
    c.send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-En");
    QTest::qWait(20);
    c.send("coding: chunked\r\n\r\n5\r\nhel");
    QTest::qWait(20);
    c.send("lo\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
    QVERIFY(c.waitResponses(1));
    QCOMPARE(c.responses().at(0).body, QByteArray("POST /c hello world"));
    QVERIFY(!c.closed());
}

void TestHttp::bodyOverLimitGets413_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("announced by Content-Length") << QByteArray("Content-Length: 1001\r\n") << QByteArray();
    QTest::newRow("chunked, counted after de-chunking")
        << QByteArray("Transfer-Encoding: chunked\r\n")
        << QByteArray("258\r\n" + QByteArray(600, 'a') + "\r\n258\r\n" + QByteArray(600, 'b') + "\r\n0\r\n\r\n");
}

void TestHttp::bodyOverLimitGets413()
{
    QFETCH(QByteArray, head);
    QFETCH(QByteArray, body);
    HttpServer::Limits limits;
    limits.maxBodyBytes = 1000;
    HttpServer server(limits);
    bool called = false;
    server.setHandler([&](const HttpRequest &, HttpResponder r) {
        called = true;
        r.send(HttpResponse::text(200, "no"));
    });
    QVERIFY(listenLocal(server));
    RawClient c(server.port());
    QVERIFY(c.waitConnected());
    c.send("POST /up HTTP/1.1\r\nHost: x\r\n" + head + "\r\n" + body);
    QVERIFY(c.waitResponses(1));
    QCOMPARE(c.responses().at(0).status, 413);
    QVERIFY(c.waitClosed());
    QVERIFY(!called);
    QVERIFY(QTest::qWaitFor([&] { return server.connectionCount() == 0; }, 3000));
}

void TestHttp::slowHeadGets408()
{
    HttpServer::Limits limits;
    limits.headerTimeoutMs = 300;
    HttpServer server(limits);
    server.setHandler(echoHandler());
    QVERIFY(listenLocal(server));
    RawClient c(server.port());
    QVERIFY(c.waitConnected());
    QElapsedTimer t;
    t.start();
    c.send("GET / HTTP/1.1\r\nHost: x\r\n");
    QVERIFY(c.waitResponses(1, 3000));
    QCOMPARE(c.responses().at(0).status, 408);
    QVERIFY2(t.elapsed() >= 250, qPrintable(QString::number(t.elapsed())));
    QVERIFY(c.waitClosed());
}

void TestHttp::slowBodyGets408()
{
    HttpServer::Limits limits;
    limits.bodyTimeoutMs = 300;
    HttpServer server(limits);
    server.setHandler(echoHandler());
    QVERIFY(listenLocal(server));
    RawClient c(server.port());
    QVERIFY(c.waitConnected());
    c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
    QVERIFY(c.waitResponses(1, 3000));
    QCOMPARE(c.responses().at(0).status, 408);
    QVERIFY(c.waitClosed());
}

void TestHttp::idleConnectionIsClosedSilently()
{
    HttpServer::Limits limits;
    limits.idleTimeoutMs = 300;
    HttpServer server(limits);
    server.setHandler(echoHandler());
    QVERIFY(listenLocal(server));
    RawClient c(server.port());
    QVERIFY(c.waitConnected());
    c.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(c.waitResponses(1));
    QElapsedTimer t;
    t.start();
    QVERIFY(c.waitClosed(3000));
    QVERIFY2(t.elapsed() >= 200, qPrintable(QString::number(t.elapsed())));
    QCOMPARE(c.responses().size(), 1);  // no 408 for an idle connection
    QVERIFY(QTest::qWaitFor([&] { return server.connectionCount() == 0; }, 3000));
}

void TestHttp::routerAnswers404And405()
{
    HttpRouter router;
    auto ok = [](const HttpRequest &, const RouteMatch &, HttpResponder r) { r.send(HttpResponse::text(200, "ok")); };
    router.add("POST", QStringLiteral("/dip-channel/{id}"), ok);
    router.add("POST", QStringLiteral("/dip-channel/{id}/pubconfig/{dipId}"), ok);
    router.add("DELETE", QStringLiteral("/dip-channel/{id}/pubconfig/{dipId}"), ok);
    HttpServer server;
    server.setHandler(router.asHandler());
    QVERIFY(listenLocal(server));
    RawClient c(server.port());
    QVERIFY(c.waitConnected());
    c.send("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n");
    c.send("GET /dip-channel/IF-033/pubconfig/DIP-1 HTTP/1.1\r\nHost: x\r\n\r\n");
    c.send("POST /dip-channel//pubconfig/DIP-1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    QVERIFY(c.waitResponses(3));
    const auto rs = c.responses();
    QCOMPARE(rs.at(0).status, 404);
    QCOMPARE(rs.at(0).header("content-type"), QByteArray("application/json"));
    QVERIFY(rs.at(0).body.startsWith("{\"error\": \""));
    QCOMPARE(rs.at(1).status, 405);
    const QList<QByteArray> allow = rs.at(1).header("allow").split(',');
    QSet<QByteArray> methods;
    for (const QByteArray &m : allow)
        methods.insert(m.trimmed());
    QCOMPARE(methods, (QSet<QByteArray>{"POST", "DELETE"}));
    QCOMPARE(rs.at(2).status, 404);  // a placeholder needs a non-empty segment
    QVERIFY(!c.closed());
}

void TestHttp::routerPassesParams()
{
    HttpRouter router;
    RouteMatch seen;
    QByteArray which;
    router.add("POST", QStringLiteral("/dip-channel/{id}/pubconfig/{dipId}"),
               [&](const HttpRequest &, const RouteMatch &m, HttpResponder r) {
                   seen = m;
                   which = "param";
                   r.send(HttpResponse::text(200, "ok"));
               });
    router.add("POST", QStringLiteral("/dip-channel/{id}/pubconfig/fixed"),
               [&](const HttpRequest &, const RouteMatch &m, HttpResponder r) {
                   seen = m;
                   which = "literal";
                   r.send(HttpResponse::text(200, "ok"));
               });
    HttpServer server;
    server.setHandler(router.asHandler());
    QVERIFY(listenLocal(server));
    RawClient c(server.port());
    QVERIFY(c.waitConnected());
    c.send("POST /dip-channel/IF-033/pubconfig/DIP%201?x=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    QVERIFY(c.waitResponses(1));
    QCOMPARE(which, QByteArray("param"));
    QCOMPARE(seen.params.value(QStringLiteral("id")), QStringLiteral("IF-033"));
    QCOMPARE(seen.params.value(QStringLiteral("dipId")), QStringLiteral("DIP 1"));
    c.send("POST /dip-channel/IF-033/pubconfig/fixed HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    QVERIFY(c.waitResponses(2));
    QCOMPARE(which, QByteArray("literal"));  // more literal segments win
}

void TestHttp::connectionPersistence_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<bool>("closes");
    QTest::addColumn<QByteArray>("connectionHeader");
    QTest::newRow("HTTP/1.0 closes") << QByteArray("GET / HTTP/1.0\r\n\r\n") << true << QByteArray("close");
    QTest::newRow("HTTP/1.0 keep-alive stays") << QByteArray("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                                               << false << QByteArray("keep-alive");
    QTest::newRow("HTTP/1.1 Connection: close closes") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                                                       << true << QByteArray("close");
    QTest::newRow("HTTP/1.1 stays") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n") << false << QByteArray();
}

void TestHttp::connectionPersistence()
{
    QFETCH(QByteArray, request);
    QFETCH(bool, closes);
    QFETCH(QByteArray, connectionHeader);
    HttpServer server;
    server.setHandler(echoHandler());
    QVERIFY(listenLocal(server));
    RawClient c(server.port());
    QVERIFY(c.waitConnected());
    c.send(request);
    QVERIFY(c.waitResponses(1));
    QCOMPARE(c.responses().at(0).status, 200);
    QCOMPARE(c.responses().at(0).header("connection"), connectionHeader);
    if (closes) {
        QVERIFY(c.waitClosed());
    } else {
        QTest::qWait(100);
        QVERIFY(!c.closed());
    }
}

void TestHttp::badRequestsAreRejected_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("garbage") << QByteArray("HELLO THERE\r\n\r\n") << 400;
    QTest::newRow("header without colon") << QByteArray("GET / HTTP/1.1\r\nHost x\r\n\r\n") << 400;
    QTest::newRow("bad chunk size") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") << 400;
    QTest::newRow("bad content length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n") << 400;
    QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\nHost: x\r\n\r\n") << 505;
    QTest::newRow("HTTP/1.2") << QByteArray("GET / HTTP/1.2\r\nHost: x\r\n\r\n") << 505;
    QTest::newRow("head over the limit") << QByteArray("GET / HTTP/1.1\r\nX-Big: " + QByteArray(3000, 'a') + "\r\n\r\n")
                                         << 431;
    QTest::newRow("unknown expectation") << QByteArray("POST / HTTP/1.1\r\nExpect: fast\r\nContent-Length: 1\r\n\r\n")
                                         << 417;
}

void TestHttp::badRequestsAreRejected()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    HttpServer::Limits limits;
    limits.maxHeaderBytes = 2048;
    HttpServer server(limits);
    server.setHandler(echoHandler());
    QVERIFY(listenLocal(server));
    RawClient c(server.port());
    QVERIFY(c.waitConnected());
    c.send(request);
    QVERIFY(c.waitResponses(1));
    QCOMPARE(c.responses().at(0).status, status);
    QCOMPARE(c.responses().at(0).header("connection"), QByteArray("close"));
    QVERIFY(c.waitClosed());
}

void TestHttp::handlerExceptionGives500()
{
    HttpServer server;
    server.setHandler([](const HttpRequest &req, HttpResponder r) {
        if (req.path == "/boom")
            throw std::runtime_error("boom");
        r.send(HttpResponse::text(200, "fine"));
    });
    QVERIFY(listenLocal(server));
    RawClient c(server.port());
    QVERIFY(c.waitConnected());
    c.send("GET /boom HTTP/1.1\r\nHost: x\r\n\r\nGET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(c.waitResponses(2));
    QCOMPARE(c.responses().at(0).status, 500);
    QCOMPARE(c.responses().at(1).status, 200);
}

void TestHttp::lateAnswerAfterDisconnectIsHarmless()
{
    HttpServer server;
    QList<HttpResponder> held;
    server.setHandler([&](const HttpRequest &, HttpResponder r) { held << r; });
    QVERIFY(listenLocal(server));
    {
        RawClient c(server.port());
        QVERIFY(c.waitConnected());
        c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(QTest::qWaitFor([&] { return held.size() == 1; }, 3000));
        QVERIFY(held.first().isValid());
        c.abort();
    }
    QVERIFY(QTest::qWaitFor([&] { return server.connectionCount() == 0; }, 3000));
    QTest::qWait(20);  // lets the connection object go
    QVERIFY(!held.first().isValid());
    held.first().send(HttpResponse::text(200, "too late"));

    RawClient c2(server.port());
    QVERIFY(c2.waitConnected());
    c2.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(QTest::qWaitFor([&] { return held.size() == 2; }, 3000));
    held.last().send(HttpResponse::text(200, "first"));
    QVERIFY(!held.last().isValid());
    held.last().send(HttpResponse::text(200, "second"));  // exactly once: ignored
    QVERIFY(c2.waitResponses(1));
    QTest::qWait(50);
    QCOMPARE(c2.responses().size(), 1);
    QCOMPARE(c2.responses().at(0).body, QByteArray("first"));
}

void TestHttp::connectionLimitIsEnforced()
{
    HttpServer::Limits limits;
    limits.maxConnections = 2;
    HttpServer server(limits);
    server.setHandler(echoHandler());
    QVERIFY(listenLocal(server));
    RawClient a(server.port()), b(server.port());
    QVERIFY(a.waitConnected());
    QVERIFY(b.waitConnected());
    QVERIFY(QTest::qWaitFor([&] { return server.connectionCount() == 2; }, 3000));
    RawClient third(server.port());
    QVERIFY(third.waitClosed());
    QVERIFY(third.received().startsWith("HTTP/1.1 503"));
    a.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY(a.waitResponses(1));
    QCOMPARE(a.responses().at(0).status, 200);
    QCOMPARE(server.connectionCount(), 2);
}

void TestHttp::curlReusesConnection()
{
    if (QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty())
        QSKIP("curl is not installed");
    HttpServer server;
    PeerCounter counter;
    server.setHandler(counter.handler(&HttpRequest::path));
    QVERIFY(listenLocal(server));
    QByteArray out;
    QVERIFY(runCurl({QStringLiteral("-s"), localUrl(server.port(), QStringLiteral("/one")).toString(),
                     localUrl(server.port(), QStringLiteral("/two")).toString()},
                    &out));
    QCOMPARE(out, QByteArray("/one/two"));
    QCOMPARE(counter.requests, 2);
    QCOMPARE(counter.peers.size(), 1);
}

DIPWB_NETWORK_TEST_MAIN(TestHttp)
#include "test_http.moc"
