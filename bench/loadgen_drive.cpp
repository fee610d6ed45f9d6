// SPDX-License-Identifier: GPL-3.0-or-later
// The two ways the load generator sends and receives: its own epoll loop (the default for http)
// and the project's Qt HTTP layer (https, or --qt-client). Both feed the same LoadRun.
#include "http/http_client.h"
#include "http/http_server.h"
#include "loadgen_run.h"
#include "raw_http.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTextStream>
#include <QTimer>

namespace dipwb::bench {

namespace {

int indexOfReference(QByteArrayView body)
{
    // The reference ends "B<pid>X<8-digit index>"; find it without parsing the JSON.
    const qsizetype x = body.indexOf(QByteArrayView("-REGS-20240701-B"));
    if (x < 0)
        return -1;
    const qsizetype mark = body.indexOf('X', x + 16);
    if (mark < 0 || mark + 9 > body.size())
        return -1;
    bool ok = false;
    const int i = body.sliced(mark + 1, 8).toInt(&ok);
    return ok ? i : -1;
}

// A run ends when everything is answered and delivered, or 30 s after its last send was due.
qint64 graceUs(const LoadOptions &o)
{
    return qint64(o.seconds + 30) * 1000000;
}

} // namespace

LoadRun::LoadRun(int total, int rate)
    : total(total)
    , intervalUs(1e6 / rate)
    , scheduledUs(total, 0)
    , delivered(total, 0)
    , deliveredUs(total, -1)
{
    ackLatency.reserve(total);
    deliveryLatency.reserve(total);
}

void LoadRun::answered(int i, int status, qint64 nowUs)
{
    ++statuses[status];
    if (status == 201 || status == 202) {
        ++acked;
        lastAckUs = nowUs;
        ackLatency.add(nowUs - scheduledUs[i]);
    } else {
        ++failed;
    }
}

void LoadRun::arrived(QByteArrayView body, qint64 nowUs)
{
    const int i = indexOfReference(body);
    if (i < 0 || i >= total)
        return;
    if (delivered[i]) {
        ++duplicates;
        return;
    }
    delivered[i] = 1;
    ++deliveredCount;
    deliveryLatency.add(nowUs - scheduledUs[i]);
    deliveredUs[i] = nowUs - scheduledUs[i];
    lastDeliveryUs = nowUs;
}

bool driveRaw(const LoadOptions &o, const QList<QByteArray> &requests, LoadRun &run)
{
    RawHttpLoop loop;
    int64_t start = RawHttpLoop::nowUs();
    if (!o.bare) {
        std::string error;
        if (!loop.listen(o.receiverPort, [&](std::string_view body) {
                run.arrived(QByteArrayView(body.data(), qsizetype(body.size())), RawHttpLoop::nowUs() - start);
            }, &error)) {
            QTextStream(stderr) << QString::fromStdString(error) << Qt::endl;
            return false;
        }
        if (o.printReceiver) {
            QTextStream(stdout) << "receiver http://127.0.0.1:" << loop.port() << "/hook" << Qt::endl;
            const int64_t until = RawHttpLoop::nowUs() + 2000000;
            loop.run([&]() -> int64_t {
                if (RawHttpLoop::nowUs() >= until)
                    loop.stop();
                return until;
            });
        }
    }
    loop.setTarget(o.target.host().toStdString(), quint16(o.target.port(80)), o.connections);
    start = RawHttpLoop::nowUs();
    loop.run([&]() -> int64_t {
        const qint64 now = RawHttpLoop::nowUs() - start;
        while (run.next < run.total && run.dueUs(run.next) <= now) {
            const int i = run.next++;
            run.scheduledUs[i] = run.dueUs(i);
            const QByteArray &rq = requests.at(i);
            loop.send(std::string_view(rq.constData(), size_t(rq.size())), [&run, &loop, start, i](int status) {
                run.answered(i, status, RawHttpLoop::nowUs() - start);
                if (status == 0)
                    run.connectionError = QString::fromStdString(loop.lastError());
            });
        }
        if (run.next < run.total)
            return start + run.dueUs(run.next);
        if (run.complete(o.bare) || now > graceUs(o))
            loop.stop();
        return -1;  // the loop's own 50 ms wait checks again
    });
    return true;
}

bool driveQt(const LoadOptions &o, const QList<QByteArray> &bodies, const QList<http::HeaderList> &signatures,
             const std::optional<QSslConfiguration> &tls, LoadRun &run)
{
    QElapsedTimer clock;
    http::HttpServer receiver;
    receiver.setHandler([&](const http::HttpRequest &req, http::HttpResponder responder) {
        run.arrived(req.body, clock.nsecsElapsed() / 1000);
        responder.send(http::HttpResponse::json(201, QByteArrayLiteral("{}")));
    });
    if (!o.bare) {
        if (!receiver.listen(QHostAddress::LocalHost, o.receiverPort)) {
            QTextStream(stderr) << "cannot start the webhook receiver on port " << o.receiverPort << Qt::endl;
            return false;
        }
        if (o.printReceiver) {
            QTextStream(stdout) << "receiver http://127.0.0.1:" << receiver.port() << "/hook" << Qt::endl;
            QEventLoop wait;
            QTimer::singleShot(2000, &wait, &QEventLoop::quit);
            wait.exec();
        }
    }
    http::HttpClient::Options co;
    co.maxConnectionsPerHost = o.connections;
    http::HttpClient client(co);
    if (tls)
        client.setSslConfiguration(*tls);

    QUrl sendUrl = o.target;
    sendUrl.setPath(o.bare ? QStringLiteral("/bare") : QStringLiteral("/dip-channel/IF-033"));
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    ticker.setInterval(1);
    clock.start();
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed() / 1000;
        while (run.next < run.total && run.dueUs(run.next) <= now) {
            const int i = run.next++;
            run.scheduledUs[i] = run.dueUs(i);
            http::ClientRequest req;
            req.url = sendUrl;
            req.headers = {{"Content-Type", "application/json"}};
            req.body = bodies.at(i);
            req.timeoutMs = 60000;
            if (!signatures.isEmpty())
                req.headers << signatures.at(i);
            client.send(std::move(req), [&run, &clock, i](const http::ClientResponse &r) {
                run.answered(i, r.status, clock.nsecsElapsed() / 1000);
            });
        }
        if (run.next >= run.total)
            ticker.stop();
    });
    ticker.start();

    QEventLoop loop;
    QTimer done;
    done.setInterval(50);
    QObject::connect(&done, &QTimer::timeout, [&] {
        if (run.complete(o.bare) || clock.nsecsElapsed() / 1000 > graceUs(o))
            loop.quit();
    });
    done.start();
    loop.exec();
    return true;
}

} // namespace dipwb::bench
