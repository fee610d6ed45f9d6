// SPDX-License-Identifier: GPL-3.0-or-later
// Open-loop load generator: sends IF-033 messages at a fixed rate to a DIP (each to one primary
// recipient) and measures, at a real webhook receiver in this process, the time from each message's
// *scheduled* send time to its delivery (so a stalled server cannot hide its queueing: no
// coordinated omission). With --bare it measures a bare HTTP server's request-to-answer time instead.
#include "common/json_util.h"
#include "http/http_client.h"
#include "http/http_server.h"
#include "latency_recorder.h"
#include "security/signature.h"
#include "security/test_ca.h"
#include "sample_messages.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QSslKey>
#include <QTimer>
#include <QTextStream>

#include <sys/resource.h>

using namespace dipwb;

namespace {

struct Options
{
    QUrl target;
    int rate = 1000;
    int seconds = 10;
    int connections = 16;
    int payloadBytes = 1500;
    bool bare = false;
    QString sender = QStringLiteral("1100000001");
    QString recipient = QStringLiteral("1300000001");
    quint16 receiverPort = 0;
};

// The 1.5 KB IF-033 bodies, prepared before the clock starts so generating them costs nothing.
QList<QByteArray> prepareBodies(const Options &o, int n)
{
    QList<QByteArray> bodies;
    bodies.reserve(n);
    for (int i = 0; i < n; ++i) {
        testsupport::Header h;
        h.interfaceId = QStringLiteral("IF-033");
        h.eventCode = QStringLiteral("[MSAppSPRequest]");
        h.senderDipId = o.sender;
        h.senderRole = QStringLiteral("REGS");
        h.primaryRecipients = {o.recipient};
        h.mpan = testsupport::mpanFor(1000000000 + i);
        h.reference = QStringLiteral("S-IF-033-3131303030-REGS-20240701-B%1X%2")
                          .arg(QCoreApplication::applicationPid()).arg(i, 8, 10, QLatin1Char('0'));
        OJson msg = testsupport::if033(h, o.recipient);
        QByteArray b = testsupport::body({msg});
        // subText (free text, 1 to 500 characters) brings the message up to the wanted size.
        const qsizetype pad = std::min<qsizetype>(500, o.payloadBytes - b.size() - 2);
        if (pad >= 1) {
            msg["payload"]["CommonBlock"]["S1"]["subText"] = std::string(size_t(pad), 'x');
            b = testsupport::body({msg});
        }
        bodies << b;
    }
    return bodies;
}

int indexOfReference(const QByteArray &body)
{
    // The reference ends "B<pid>X<8-digit index>"; find it without parsing the JSON.
    const int x = int(body.indexOf("-REGS-20240701-B"));
    if (x < 0)
        return -1;
    const int mark = int(body.indexOf('X', x + 16));
    return mark < 0 ? -1 : body.mid(mark + 1, 8).toInt();
}

qint64 peakRssKb()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

// User plus system CPU seconds so far: on a 2-core machine the generator's share of the CPU is
// part of the reading.
double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// "0.0-0.5 s: worst 12.3 ms" per window of scheduled send time; undelivered messages are counted.
void printTimeline(QTextStream &out, const QList<qint64> &scheduledUs, const QList<qint64> &latencyUs, int sent,
                   qint64 windowUs)
{
    out << "worst ingest-to-delivery per " << windowUs / 1000 << " ms of send time:";
    qint64 windowEnd = windowUs, worst = 0;
    int missing = 0;
    auto flush = [&] {
        out << QStringLiteral(" %1").arg(double(worst) / 1000.0, 0, 'f', 1);
        if (missing)
            out << "(+" << missing << " lost)";
        worst = 0;
        missing = 0;
        windowEnd += windowUs;
    };
    for (int i = 0; i < sent; ++i) {
        while (scheduledUs[i] >= windowEnd)
            flush();
        if (latencyUs[i] < 0)
            ++missing;
        else
            worst = std::max(worst, latencyUs[i]);
    }
    flush();
    out << " ms\n";
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Fixed-rate load generator for the DIP emulator."));
    p.addHelpOption();
    p.addOptions({
        {QStringLiteral("url"), QStringLiteral("Base URL of the DIP or bare server."), QStringLiteral("url"), QStringLiteral("http://127.0.0.1:7070")},
        {QStringLiteral("rate"), QStringLiteral("Messages per second."), QStringLiteral("n"), QStringLiteral("1000")},
        {QStringLiteral("seconds"), QStringLiteral("Duration of the run."), QStringLiteral("s"), QStringLiteral("10")},
        {QStringLiteral("connections"), QStringLiteral("Keep-alive connections to the target."), QStringLiteral("n"), QStringLiteral("16")},
        {QStringLiteral("bytes"), QStringLiteral("Size of each request body."), QStringLiteral("n"), QStringLiteral("1500")},
        {QStringLiteral("receiver-port"), QStringLiteral("Port of the webhook receiver (0: any)."), QStringLiteral("port"), QStringLiteral("0")},
        {QStringLiteral("recipient"), QStringLiteral("DIP id of the primary recipient."), QStringLiteral("id"), QStringLiteral("1300000001")},
        {QStringLiteral("sender"), QStringLiteral("DIP id of the sender (role REGS)."), QStringLiteral("id"), QStringLiteral("1100000001")},
        {QStringLiteral("bare"), QStringLiteral("Target is a bare HTTP server: measure request-to-answer only.")},
        {QStringLiteral("timeline"), QStringLiteral("Also print the worst ingest-to-delivery latency of each window of this many "
                                                    "milliseconds of scheduled send time (0: none), to tell steady queueing from stalls."),
         QStringLiteral("ms"), QStringLiteral("0")},
        {QStringLiteral("print-receiver"), QStringLiteral("Start the receiver, print its URL and wait 2 s before sending.")},
        {QStringLiteral("sign-workspace"), QStringLiteral("Sign every request as the sender with this workspace's certificate; "
                                                          "for https also present it (mutual TLS) and trust the workspace CA."), QStringLiteral("dir")},
    });
    p.process(app);
    Options o;
    o.target = QUrl(p.value(QStringLiteral("url")));
    o.rate = p.value(QStringLiteral("rate")).toInt();
    o.seconds = p.value(QStringLiteral("seconds")).toInt();
    o.connections = p.value(QStringLiteral("connections")).toInt();
    o.payloadBytes = p.value(QStringLiteral("bytes")).toInt();
    o.bare = p.isSet(QStringLiteral("bare"));
    o.recipient = p.value(QStringLiteral("recipient"));
    o.sender = p.value(QStringLiteral("sender"));
    o.receiverPort = quint16(p.value(QStringLiteral("receiver-port")).toUInt());
    QTextStream out(stdout);

    const int total = o.rate * o.seconds;
    const QList<QByteArray> bodies = prepareBodies(o, total);
    QList<qint64> scheduledUs(total, 0);
    QList<char> delivered(total, 0);
    QList<qint64> deliveredUs(total, -1);  // per message, for --timeline
    dipwb::bench::LatencyRecorder ackLatency, deliveryLatency;
    ackLatency.reserve(total);
    deliveryLatency.reserve(total);
    int acked = 0, failed = 0, deliveredCount = 0, duplicates = 0;
    qint64 lastAckUs = 0, lastDeliveryUs = 0;
    QHash<int, int> statuses;

    QElapsedTimer clock;
    http::HttpServer receiver;
    receiver.setHandler([&](const http::HttpRequest &req, http::HttpResponder responder) {
        const qint64 now = clock.nsecsElapsed() / 1000;
        const int i = indexOfReference(req.body);
        if (i >= 0 && i < total) {
            if (delivered[i])
                ++duplicates;
            else {
                delivered[i] = 1;
                ++deliveredCount;
                deliveryLatency.add(now - scheduledUs[i]);
                deliveredUs[i] = now - scheduledUs[i];
                lastDeliveryUs = now;
            }
        }
        responder.send(http::HttpResponse::json(201, QByteArrayLiteral("{}")));
    });
    if (!o.bare) {
        if (!receiver.listen(QHostAddress::LocalHost, o.receiverPort)) {
            out << "cannot start the webhook receiver\n";
            return 1;
        }
        if (p.isSet(QStringLiteral("print-receiver"))) {
            out << "receiver http://127.0.0.1:" << receiver.port() << "/hook" << Qt::endl;
            QEventLoop wait;
            QTimer::singleShot(2000, &wait, &QEventLoop::quit);
            wait.exec();
        }
    }

    http::HttpClient::Options co;
    co.maxConnectionsPerHost = o.connections;
    http::HttpClient client(co);
    security::IdentityPtr signer;
    if (p.isSet(QStringLiteral("sign-workspace"))) {
        const security::WorkspaceCa ca(p.value(QStringLiteral("sign-workspace")) + QStringLiteral("/certificates"));
        QString error;
        signer = ca.participantIdentity(o.sender, &error);
        if (!signer) {
            out << "cannot sign: " << error << "\n";
            return 1;
        }
        QFile caFile(ca.caCertPath()), keyFile(ca.participantKeyPath(o.sender));
        caFile.open(QIODevice::ReadOnly);
        keyFile.open(QIODevice::ReadOnly);
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(QSslCertificate::fromData(caFile.readAll()));
        tls.setLocalCertificate(QSslCertificate(signer->certificatePem()));
        tls.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
        client.setSslConfiguration(tls);
    }
    QUrl sendUrl = o.target;
    sendUrl.setPath(o.bare ? QStringLiteral("/bare") : QStringLiteral("/dip-channel/IF-033"));
    // Signed before the clock starts: the figure is the server's cost of verifying, not this
    // client's RSA signing competing with the server for the same cores. The dates stay well
    // inside the 5-minute skew for any run shorter than that.
    QList<http::HeaderList> signatures;
    if (signer) {
        QElapsedTimer signing;
        signing.start();
        signatures.reserve(total);
        http::ClientRequest probe;
        probe.url = sendUrl;
        const QString url = security::signedUrl(probe);
        for (int i = 0; i < total; ++i)
            signatures << security::signRequest(*signer, "POST", url, bodies.at(i), QDateTime::currentDateTimeUtc()).toHeaders();
        out << "signed " << total << " requests in " << signing.elapsed() << " ms before the run" << Qt::endl;
    }

    int next = 0;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(1);
    clock.start();
    const double intervalUs = 1e6 / o.rate;
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed() / 1000;
        while (next < total && qint64(next * intervalUs) <= now) {
            const int i = next++;
            scheduledUs[i] = qint64(i * intervalUs);
            http::ClientRequest req;
            req.url = sendUrl;
            req.headers = {{"Content-Type", "application/json"}};
            req.body = bodies.at(i);
            req.timeoutMs = 60000;
            if (signer)
                req.headers << signatures.at(i);
            client.send(std::move(req), [&, i](const http::ClientResponse &r) {
                ++statuses[r.status];
                if (r.status == 201 || r.status == 202) {
                    ++acked;
                    lastAckUs = clock.nsecsElapsed() / 1000;
                    ackLatency.add(lastAckUs - scheduledUs[i]);
                } else {
                    ++failed;
                }
            });
        }
        if (next >= total)
            ticker.stop();
    });
    ticker.start();

    QEventLoop loop;
    QTimer done;
    done.setInterval(50);
    const qint64 graceUs = qint64(o.seconds + 30) * 1000000;
    QObject::connect(&done, &QTimer::timeout, [&] {
        const bool answered = acked + failed >= total;
        const bool allDelivered = o.bare || deliveredCount >= acked;
        if ((next >= total && answered && allDelivered) || clock.nsecsElapsed() / 1000 > graceUs)
            loop.quit();
    });
    done.start();
    loop.exec();
    const double elapsed = double(clock.nsecsElapsed()) / 1e9;

    out << "target " << sendUrl.toString() << (o.bare ? " (bare HTTP baseline)" : "") << "\n";
    out << "offered " << o.rate << " msg/s for " << o.seconds << " s: sent " << next << ", answered 2xx " << acked
        << ", other " << failed;
    for (auto it = statuses.cbegin(); it != statuses.cend(); ++it)
        if (it.key() != 201 && it.key() != 202)
            out << " [HTTP " << it.key() << " x" << it.value() << "]";
    out << "\n";
    // Throughput over the time it really took: a server that falls behind shows a lower figure.
    const double ackSpan = std::max(double(o.seconds), lastAckUs / 1e6);
    out << "achieved " << QString::number(acked / ackSpan, 'f', 0) << " msg/s acknowledged";
    if (!o.bare)
        out << ", " << QString::number(deliveredCount / std::max(double(o.seconds), lastDeliveryUs / 1e6), 'f', 0)
            << " msg/s delivered";
    out << "; run took "
        << QString::number(elapsed, 'f', 1) << " s\n";
    out << "ack latency (scheduled send -> answer): " << ackLatency.summary() << "\n";
    if (!o.bare)
        out << "ingest-to-delivery (scheduled send -> webhook): " << deliveryLatency.summary() << "; delivered "
            << deliveredCount << "/" << acked << ", duplicates " << duplicates << "\n";
    if (const int windowMs = p.value(QStringLiteral("timeline")).toInt(); windowMs > 0 && !o.bare)
        printTimeline(out, scheduledUs, deliveredUs, next, qint64(windowMs) * 1000);
    out << "load generator peak RSS " << peakRssKb() / 1024 << " MiB, CPU " << QString::number(cpuSeconds(), 'f', 1)
        << " s" << Qt::endl;
    const bool ok = failed == 0 && acked == total && (o.bare || deliveredCount == acked);
    return ok ? 0 : 1;
}
