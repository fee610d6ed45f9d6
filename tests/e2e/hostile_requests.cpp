// SPDX-License-Identifier: GPL-3.0-or-later
#include "hostile_requests.h"

#include "raw_connection.h"
#include "request_signer.h"
#include "sample_messages.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QTcpSocket>
#include <QThread>

namespace dipwb::testsupport::hostile {

namespace {

const QString kRegs = QStringLiteral("1100000001");
const QString kMss = QStringLiteral("1300000001");

} // namespace

OJson validMessage()
{
    Header h;
    h.interfaceId = QStringLiteral("IF-033");
    h.eventCode = QStringLiteral("[MSAppSPRequest]");
    h.senderDipId = kRegs;
    h.senderRole = QStringLiteral("REGS");
    h.mpan = mpanFor(1012345678);
    h.primaryRecipients = {kMss};
    return if033(h, kMss);
}

QByteArray validBody()
{
    return body({validMessage()});
}

// A valid message whose S1.subText is `text` (raw bytes spliced into the serialised JSON).
QByteArray withSubText(const QByteArray &rawJsonValue)
{
    OJson m = validMessage();
    m["payload"]["CommonBlock"]["S1"]["subText"] = "@@SUBTEXT@@";
    QByteArray b = body({m});
    return b.replace("\"@@SUBTEXT@@\"", rawJsonValue);
}

QByteArray withS1(const char *key, const OJson &value)
{
    OJson m = validMessage();
    m["payload"]["CommonBlock"]["S1"][key] = value;
    return body({m});
}

QByteArray withCustomBlock(const QByteArray &rawJsonValue)
{
    OJson m = validMessage();
    m["payload"]["CustomBlock"] = "@@CUSTOM@@";
    QByteArray b = body({m});
    return b.replace("\"@@CUSTOM@@\"", rawJsonValue);
}

QByteArray nestedArrays(int depth)
{
    return QByteArray(depth, '[') + QByteArray(depth, ']');
}

QByteArray nestedObjects(int depth)
{
    QByteArray b;
    b.reserve(depth * 6 + 2);
    for (int i = 0; i < depth; ++i)
        b += "{\"a\":";
    b += '1';
    b += QByteArray(depth, '}');
    return b;
}

QByteArray repeatedArray(const QByteArray &element, int count)
{
    QByteArray b;
    b.reserve((element.size() + 1) * count + 2);
    b += '[';
    for (int i = 0; i < count; ++i) {
        if (i)
            b += ',';
        b += element;
    }
    b += ']';
    return b;
}

QByteArray manyValidMessages(int count)
{
    QList<OJson> messages;
    messages.reserve(count);
    for (int i = 0; i < count; ++i)
        messages << validMessage();
    return body(messages);
}


QByteArray head(const HostileTarget &t, const Req &r)
{
    QByteArray out = r.method + ' ' + r.target + ' ' + r.version + "\r\n";
    if (r.host)
        out += "Host: 127.0.0.1:" + QByteArray::number(t.port) + "\r\n";
    if (!r.contentType.isEmpty())
        out += "Content-Type: " + r.contentType + "\r\n";
    if (r.length)
        out += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\n";
    if (r.sign) {
        const QString url = r.target.startsWith("http") ? QString::fromLatin1(r.target) : t.baseUrl + QString::fromLatin1(r.target);
        for (const QString &h : t.signer->curlHeaders(r.method, url, r.body))
            out += h.toLatin1() + "\r\n";
    }
    for (const QByteArray &h : r.headers)
        out += h + "\r\n";
    return out + "\r\n";
}

QByteArray request(const HostileTarget &t, const Req &r)
{
    return head(t, r) + r.body;
}

QByteArray post(const HostileTarget &t, const QByteArray &body)
{
    Req r;
    r.body = body;
    return request(t, r);
}

QByteArray chunked(const QByteArray &body, qsizetype chunk)
{
    QByteArray out;
    for (qsizetype at = 0; at < body.size(); at += chunk) {
        const QByteArray part = body.mid(at, chunk);
        out += QByteArray::number(part.size(), 16) + "\r\n" + part + "\r\n";
    }
    return out + "0\r\n\r\n";
}

QByteArray chunkedHead(const HostileTarget &t, const QByteArray &signedBody)
{
    Req r;
    r.body = signedBody;
    r.length = false;
    r.headers = {"Transfer-Encoding: chunked"};
    return head(t, r);
}

// Sends, then reads the expected number of answers and anything that follows them.
HostileOutcome exchange(const HostileTarget &t, const QByteArray &bytes, int answers, bool bodyless)
{
    QElapsedTimer timer;
    timer.start();
    HostileOutcome o;
    RawConnection c(t.port);
    c.send(bytes);
    bool closing = false;
    for (int i = 0; i < answers && !closing; ++i) {
        const auto r = c.read(60000, bodyless);
        if (!r)
            break;
        o.statuses << r->status;
        o.lastBody = r->body.left(400);
        closing = r->closes();
    }
    o.elapsedMs = timer.elapsed();
    // Unexpected extra answers would show here.
    while (!closing) {
        const auto r = c.read(100, bodyless);
        if (!r)
            break;
        o.statuses << r->status;
        closing = r->closes();
    }
    o.closed = c.waitClosed(closing || o.statuses.isEmpty() ? 5000 : 50);
    o.interim = c.interim();
    return o;
}

// Sends `first`, then `more` every intervalMs until the server answers or gives up.
HostileOutcome trickle(const HostileTarget &t, const QByteArray &first, const QByteArray &more, int intervalMs, int maxMs)
{
    QElapsedTimer timer;
    timer.start();
    HostileOutcome o;
    RawConnection c(t.port);
    c.send(first);
    while (timer.elapsed() < maxMs && !c.waitReadable(intervalMs)) {
        if (!c.send(more))
            break;
    }
    if (const auto r = c.read(2000)) {
        o.statuses << r->status;
        o.lastBody = r->body.left(400);
    }
    o.elapsedMs = timer.elapsed();
    o.closed = c.waitClosed(5000);
    return o;
}

// Sends chunks of `chunkBytes` as fast as the server takes them, forever, until it answers.
HostileOutcome endlessChunks(const HostileTarget &t, qsizetype chunkBytes, int maxMs)
{
    QElapsedTimer timer;
    timer.start();
    HostileOutcome o;
    RawConnection c(t.port);
    c.send(chunkedHead(t, validBody()));
    const QByteArray chunk = QByteArray::number(chunkBytes, 16) + "\r\n" + QByteArray(chunkBytes, ' ') + "\r\n";
    while (timer.elapsed() < maxMs && c.send(chunk, 5000) && !c.waitReadable(0)) {
    }
    if (const auto r = c.read(5000)) {
        o.statuses << r->status;
        o.lastBody = r->body.left(400);
    }
    o.elapsedMs = timer.elapsed();
    o.closed = c.waitClosed(5000);
    return o;
}

namespace {

// Connected all at once, not one after the other: the server closes a connection that sends
// nothing after its header timeout, and a slow sequence would lose the first before the last.
std::vector<std::unique_ptr<QTcpSocket>> openIdle(const HostileTarget &t, int count)
{
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    for (int i = 0; i < count; ++i) {
        sockets.push_back(std::make_unique<QTcpSocket>());
        sockets.back()->connectToHost(QHostAddress::LocalHost, t.port);
    }
    for (auto &s : sockets)
        s->waitForConnected(5000);
    return sockets;
}

// Connections the server has certainly accepted and keeps: each has had one answer and now waits
// under the idle timeout (5 s, from its answer). (A connection that never sent a byte is closed at the header timeout,
// which on a busy machine can come before the last of many is opened, freeing a slot.)
std::vector<std::unique_ptr<QTcpSocket>> openAnswered(const HostileTarget &t, int count)
{
    auto sockets = openIdle(t, count);
    const QByteArray ask = "POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
    // All asked at once (flushed now, not in each socket's own wait below): the server then
    // journals them in a few group commits, not in one synced commit per connection, which on a
    // slow disk took longer than the idle timeout and freed the first slots again.
    for (auto &s : sockets) {
        s->write(ask);
        s->flush();
    }
    for (auto &s : sockets) {
        QByteArray got;
        while (!got.contains("\r\n\r\n") && s->waitForReadyRead(10000))
            got += s->readAll();
    }
    return sockets;
}

} // namespace

HostileOutcome besideIdle(const HostileTarget &t, int count)
{
    const auto idle = openIdle(t, count);
    HostileOutcome o = exchange(t, validRequest(t));
    for (const auto &s : idle)
        s->abort();
    return o;
}

HostileOutcome overConnectionLimit(const HostileTarget &t)
{
    const auto held = openAnswered(t, t.maxConnections);
    HostileOutcome o;
    RawConnection extra(t.port);
    extra.send(validRequest(t));
    if (const auto r = extra.read(10000)) {
        o.statuses << r->status;
        o.closed = extra.waitClosed(5000);
    }
    for (const auto &s : held)
        s->abort();
    // The slots are free once the server has seen the resets, which takes a moment under load.
    QElapsedTimer freed;
    freed.start();
    while (freed.elapsed() < 10000) {
        RawConnection probe(t.port);
        probe.send("POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        const auto r = probe.read(5000);
        if (r && r->status != 503)
            break;
        QThread::msleep(50);
    }
    return o;
}

// Connections that send half a request and vanish; what matters is the check after the case.
HostileOutcome abandoned(const HostileTarget &t, int count)
{
    const QByteArray full = validRequest(t);
    for (int i = 0; i < count; ++i) {
        RawConnection c(t.port);
        c.send(full.left(full.size() * (i % 10 + 1) / 12));
        c.abort();
    }
    return exchange(t, validRequest(t));
}

HostileOutcome afterHalfClose(const HostileTarget &t)
{
    HostileOutcome o;
    RawConnection c(t.port);
    c.send(validRequest(t));
    c.shutdownWrite();
    if (const auto r = c.read(10000))
        o.statuses << r->status;
    o.closed = c.waitClosed(5000);
    return o;
}

} // namespace dipwb::testsupport::hostile
