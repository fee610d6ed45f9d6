// SPDX-License-Identifier: GPL-3.0-or-later
// Open-loop load generator: sends IF-033 messages at a fixed rate to a DIP (each to one primary
// recipient) and measures, at a real webhook receiver in this process, the time from each message's
// *scheduled* send time to its delivery (so a stalled server cannot hide its queueing: no
// coordinated omission). With --bare it measures a bare HTTP server's request-to-answer time instead.
// How it sends and receives is in loadgen_drive.cpp; this file prepares the messages and reports.
#include "common/json_util.h"
#include "http/http_client.h"
#include "loadgen_run.h"
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

// The 1.5 KB IF-033 bodies, prepared before the clock starts so generating them costs nothing.
QList<QByteArray> prepareBodies(const bench::LoadOptions &o, int n)
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

// The whole HTTP request of each message for the epoll client: made before the clock starts, as
// the bodies are, so the generator's work during the run is only the sockets'.
QList<QByteArray> wholeRequests(const QUrl &url, const QList<QByteArray> &bodies, const QList<http::HeaderList> &signatures)
{
    QByteArray head = "POST " + url.path(QUrl::FullyEncoded).toLatin1() + " HTTP/1.1\r\nHost: " + url.host().toLatin1() + ':'
        + QByteArray::number(url.port(80)) + "\r\nContent-Type: application/json\r\n";
    QList<QByteArray> requests;
    requests.reserve(bodies.size());
    for (qsizetype i = 0; i < bodies.size(); ++i) {
        QByteArray r = head;
        if (!signatures.isEmpty())
            for (const auto &h : signatures.at(i))
                r += h.first + ": " + h.second + "\r\n";
        r += "Content-Length: " + QByteArray::number(bodies.at(i).size()) + "\r\n\r\n" + bodies.at(i);
        requests << r;
    }
    return requests;
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
        {QStringLiteral("qt-client"), QStringLiteral("Send and receive with the project's own Qt HTTP layer instead of the generator's "
                                                     "epoll loop (which costs the shared cores less); https always uses it.")},
    });
    p.process(app);
    bench::LoadOptions o;
    o.target = QUrl(p.value(QStringLiteral("url")));
    o.rate = p.value(QStringLiteral("rate")).toInt();
    o.seconds = p.value(QStringLiteral("seconds")).toInt();
    o.connections = p.value(QStringLiteral("connections")).toInt();
    o.payloadBytes = p.value(QStringLiteral("bytes")).toInt();
    o.bare = p.isSet(QStringLiteral("bare"));
    o.recipient = p.value(QStringLiteral("recipient"));
    o.sender = p.value(QStringLiteral("sender"));
    o.receiverPort = quint16(p.value(QStringLiteral("receiver-port")).toUInt());
    o.printReceiver = p.isSet(QStringLiteral("print-receiver"));
    o.qtClient = p.isSet(QStringLiteral("qt-client")) || o.target.scheme() == QStringLiteral("https");
    QTextStream out(stdout);
    if (o.rate <= 0 || o.seconds <= 0 || o.connections <= 0) {
        out << "--rate, --seconds and --connections must be positive\n";
        return 2;
    }

    const int total = o.rate * o.seconds;
    QList<QByteArray> bodies = prepareBodies(o, total);
    QUrl sendUrl = o.target;
    sendUrl.setPath(o.bare ? QStringLiteral("/bare") : QStringLiteral("/dip-channel/IF-033"));

    std::optional<QSslConfiguration> tls;
    QList<http::HeaderList> signatures;
    if (p.isSet(QStringLiteral("sign-workspace"))) {
        const security::WorkspaceCa ca(p.value(QStringLiteral("sign-workspace")) + QStringLiteral("/certificates"));
        QString error;
        const security::IdentityPtr signer = ca.participantIdentity(o.sender, &error);
        if (!signer) {
            out << "cannot sign: " << error << "\n";
            return 1;
        }
        QFile caFile(ca.caCertPath()), keyFile(ca.participantKeyPath(o.sender));
        caFile.open(QIODevice::ReadOnly);
        keyFile.open(QIODevice::ReadOnly);
        tls = QSslConfiguration::defaultConfiguration();
        tls->setCaCertificates(QSslCertificate::fromData(caFile.readAll()));
        tls->setLocalCertificate(QSslCertificate(signer->certificatePem()));
        tls->setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
        // Signed before the clock starts: the figure is the server's cost of verifying, not this
        // client's RSA signing competing with the server for the same cores. The dates stay well
        // inside the 5-minute skew for any run shorter than that.
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

    bench::LoadRun run(total, o.rate);
    QList<QByteArray> requests;
    if (!o.qtClient) {
        requests = wholeRequests(sendUrl, bodies, signatures);
        bodies.clear();
    }
    const double preparingCpu = cpuSeconds();
    QElapsedTimer wall;
    wall.start();
    const bool started = o.qtClient ? bench::driveQt(o, bodies, signatures, tls, run) : bench::driveRaw(o, requests, run);
    if (!started)
        return 1;
    const double elapsed = double(wall.nsecsElapsed()) / 1e9;

    out << "target " << sendUrl.toString() << (o.bare ? " (bare HTTP baseline)" : "") << " with the "
        << (o.qtClient ? "Qt" : "epoll") << " client\n";
    out << "offered " << o.rate << " msg/s for " << o.seconds << " s: sent " << run.next << ", answered 2xx " << run.acked
        << ", other " << run.failed;
    for (auto it = run.statuses.cbegin(); it != run.statuses.cend(); ++it)
        if (it.key() != 201 && it.key() != 202)
            out << " [HTTP " << it.key() << " x" << it.value() << "]";
    out << "\n";
    if (!run.connectionError.isEmpty())
        out << "last connection failure: " << run.connectionError << "\n";
    // Throughput over the time it really took: a server that falls behind shows a lower figure.
    const double ackSpan = std::max(double(o.seconds), run.lastAckUs / 1e6);
    out << "achieved " << QString::number(run.acked / ackSpan, 'f', 0) << " msg/s acknowledged";
    if (!o.bare)
        out << ", " << QString::number(run.deliveredCount / std::max(double(o.seconds), run.lastDeliveryUs / 1e6), 'f', 0)
            << " msg/s delivered";
    out << "; run took " << QString::number(elapsed, 'f', 1) << " s\n";
    out << "ack latency (scheduled send -> answer): " << run.ackLatency.summary() << "\n";
    if (!o.bare)
        out << "ingest-to-delivery (scheduled send -> webhook): " << run.deliveryLatency.summary() << "; delivered "
            << run.deliveredCount << "/" << run.acked << ", duplicates " << run.duplicates << "\n";
    if (const int windowMs = p.value(QStringLiteral("timeline")).toInt(); windowMs > 0 && !o.bare)
        printTimeline(out, run.scheduledUs, run.deliveredUs, run.next, qint64(windowMs) * 1000);
    // The share of the 2 cores the generator took from the server while the clock ran.
    out << "load generator peak RSS " << peakRssKb() / 1024 << " MiB, CPU " << QString::number(cpuSeconds() - preparingCpu, 'f', 1)
        << " s during the run (" << QString::number(preparingCpu, 'f', 1) << " s making the messages before it)" << Qt::endl;
    const bool ok = run.failed == 0 && run.acked == total && (o.bare || run.deliveredCount == run.acked);
    return ok ? 0 : 1;
}
