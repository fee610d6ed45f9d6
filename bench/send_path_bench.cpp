// SPDX-License-Identifier: GPL-3.0-or-later
// Where the CPU of one accepted send goes, stage by stage, on the load generator's 1.5 KB IF-033
// bodies: parsing, the L1 checks with and without payload schemas, all of prepareSend (route and
// render the copy), and the durable commit of its rows through the store's writer thread.
// Usage: dipwb-send-bench [messages]   (default 20000)
// Each figure is CPU microseconds per message of this process (all threads), so the stages add up
// to what the emulator spends before its HTTP layer; docs/performance.md explains the budget.
#include "catalogue/catalogue.h"
#include "common/clock.h"
#include "common/untrusted_json.h"
#include "dip/emulator_context.h"
#include "dip/send_preparation.h"
#include "envelope/l1_checks.h"
#include "sample_messages.h"
#include "schema/schema_set.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTextStream>

#include <sys/resource.h>

#include <functional>

using namespace dipwb;

namespace {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// CPU microseconds per item of work(i) for i in [0, n).
double perItem(int n, const std::function<void(int)> &work)
{
    const double start = cpuSeconds();
    for (int i = 0; i < n; ++i)
        work(i);
    return (cpuSeconds() - start) * 1e6 / n;
}

void report(const QString &stage, double us)
{
    out() << QStringLiteral("%1 %2 us/msg\n").arg(stage, -46).arg(us, 8, 'f', 1);
    out().flush();
}

QList<QByteArray> bodies(int n)
{
    QList<QByteArray> list;
    for (int i = 0; i < n; ++i) {
        testsupport::Header h;
        h.interfaceId = QStringLiteral("IF-033");
        h.eventCode = QStringLiteral("[MSAppSPRequest]");
        h.senderDipId = QStringLiteral("1100000001");
        h.senderRole = QStringLiteral("REGS");
        h.primaryRecipients = {QStringLiteral("1300000001")};
        h.mpan = testsupport::mpanFor(1000000000 + i);
        h.reference = QStringLiteral("S-IF-033-3131303030-REGS-20240701-B%1").arg(i, 8, 10, QLatin1Char('0'));
        OJson msg = testsupport::if033(h, QStringLiteral("1300000001"));
        QByteArray b = testsupport::body({msg});
        const qsizetype pad = std::min<qsizetype>(500, 1500 - b.size() - 2);
        if (pad >= 1) {
            msg["payload"]["CommonBlock"]["S1"]["subText"] = std::string(size_t(pad), 'x');
            b = testsupport::body({msg});
        }
        list << b;
    }
    return list;
}

void market(dip::EmulatorContext &ctx)
{
    participants::Participant regs;
    regs.dipId = QStringLiteral("1100000001");
    regs.role = QStringLiteral("REGS");
    regs.mpid = QStringLiteral("REGA");
    regs.name = QStringLiteral("Registration");
    participants::Participant mss;
    mss.dipId = QStringLiteral("1300000001");
    mss.role = QStringLiteral("MSS");
    mss.mpid = QStringLiteral("MSSA");
    mss.name = QStringLiteral("Metering service");
    ctx.registry.replaceAll({regs, mss});
}

// The rows SendController::commit writes for one accepted request.
void writeBatch(store::WriteTxn &txn, dip::AcceptedBatch &batch)
{
    txn.insertRequest(batch.request);
    for (qsizetype i = 0; i < batch.messages.size(); ++i) {
        store::MessageRecord &m = batch.messages[i];
        m.requestId = batch.request.id;
        txn.insertMessage(m);
        for (store::JournalEntry &e : batch.journal[i]) {
            e.requestId = batch.request.id;
            e.messageId = m.id;
            txn.journal(e);
        }
        for (store::DeliveryRecord &d : batch.deliveries[i]) {
            d.messageId = m.id;
            txn.insertDelivery(d);
        }
    }
}

// What the dispatcher writes once a copy was delivered: its state, its call, an Outbound row.
void writeDelivered(store::WriteTxn &txn, dip::AcceptedBatch &batch)
{
    for (auto &copies : batch.deliveries)
        for (store::DeliveryRecord &d : copies) {
            d.status = QStringLiteral("Delivered");
            d.attempts = 1;
            d.deliveredMs = Clock::nowMs();
            d.lastHttpStatus = 201;
            d.lastCall = "POST http://127.0.0.1:40000/hook HTTP/1.1\nContent-Type: application/json\n"
                         "Content-Length: 1650\nX-DIP-Transaction: " + d.transactionId.toUtf8() + '\n';
            d.lastCallMs = d.deliveredMs;
            txn.updateDeliveryState(d);
            store::JournalEntry e;
            e.atMs = d.deliveredMs;
            e.messageId = d.messageId;
            e.deliveryId = d.id;
            e.stage = QStringLiteral("Outbound");
            e.status = QStringLiteral("Delivered");
            e.detail = QStringLiteral("to %1 (Primary) HTTP 201 in 3 ms, attempt 1").arg(d.recipientDipId);
            txn.journal(e);
        }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? std::max(100, atoi(argv[1])) : 20000;
    const QList<QByteArray> list = bodies(n);
    out() << "send path, " << n << " IF-033 bodies of " << list.first().size() << " bytes, CPU per message\n";

    dip::EmulatorContext ctx;
    ctx.catalogue = catalogue::Catalogue::builtIn();
    ctx.schemas = schema::SchemaSet::builtIn();
    market(ctx);

    report(QStringLiteral("parse (parseUntrustedJson)"), perItem(n, [&](int i) {
        QString why;
        OJson v = parseUntrustedJson(list.at(i), &why);
        Q_ASSERT(v.is_array());
    }));
    envelope::L1Context l1;
    l1.catalogue = ctx.catalogue.get();
    l1.pathChannelId = QStringLiteral("IF-033");
    l1.participant = [&ctx](const QString &id) { return ctx.participant(id); };
    l1.nowMs = Clock::nowMs();
    report(QStringLiteral("L1 checks without payload schemas"), perItem(n, [&](int i) {
        if (!envelope::checkRequest(list.at(i), l1).ok)
            qFatal("an L1 failure in the bench's own message");
    }));
    l1.schemas = ctx.schemas.get();
    report(QStringLiteral("L1 checks with payload schemas"), perItem(n, [&](int i) {
        if (!envelope::checkRequest(list.at(i), l1).ok)
            qFatal("an L1 failure in the bench's own message");
    }));

    QList<std::shared_ptr<dip::AcceptedBatch>> batches;
    batches.reserve(n);
    http::HttpRequest request;
    request.method = "POST";
    request.path = request.target = "/dip-channel/IF-033";
    request.headers = {{"Content-Type", "application/json"}, {"Host", "127.0.0.1:40000"}};
    report(QStringLiteral("prepareSend (checks, route, render the copy)"), perItem(n, [&](int i) {
        request.body = list.at(i);
        dip::PreparedSend p = dip::prepareSend(ctx, request, QStringLiteral("IF-033"), Clock::nowMs());
        if (!p.batch)
            qFatal("prepareSend rejected the bench's own message: %s", p.rejectionBody.constData());
        batches << std::move(p.batch);
    }));

    QTemporaryDir dir;
    Issues issues;
    auto store = store::Store::open(dir.filePath(QStringLiteral("bench.db")), &issues);
    if (!store) {
        out() << "cannot open the store: " << issues.value(0).toString() << '\n';
        return 1;
    }
    // Group commit as under load: batches arrive faster than one commit, so many share one.
    auto commitAll = [&](const std::function<void(store::WriteTxn &, dip::AcceptedBatch &)> &rows) {
        int pending = n;
        QEventLoop loop;
        for (int i = 0; i < n; ++i)
            store->write([&rows, b = batches.at(i)](store::WriteTxn &txn) { rows(txn, *b); }, &app,
                         [&](bool ok, const QString &error) {
                             if (!ok)
                                 qFatal("commit failed: %s", qPrintable(error));
                             if (--pending == 0)
                                 loop.quit();
                         });
        loop.exec();
    };
    double start = cpuSeconds();
    commitAll(writeBatch);
    report(QStringLiteral("commit the accepted rows"), (cpuSeconds() - start) * 1e6 / n);
    start = cpuSeconds();
    commitAll(writeDelivered);
    report(QStringLiteral("commit the delivered state"), (cpuSeconds() - start) * 1e6 / n);
    const store::Store::WriterStats stats = store->writerStats();
    out() << "writer: " << stats.batchesCommitted << " batches in " << stats.commits << " commits; database "
          << QFileInfo(dir.filePath(QStringLiteral("bench.db"))).size() / 1024 << " KiB\n";
    return 0;
}
