// SPDX-License-Identifier: GPL-3.0-or-later
// The tracker at scale: fills a workspace database to N messages (one copy each), then measures
// opening the tracker (first page formatted), a filter by MPAN, and a live tail at a given rate
// with the view on screen, reporting the longest stall of the GUI thread's event loop.
// Usage: dipwb-tracker-bench [--db FILE] [--messages N] [--rate R] [--seconds S]
#include "sample_messages.h"
#include "store/store.h"
#include "tracker/message_table_model.h"
#include "tracker/tracker_view.h"
#include "catalogue/catalogue.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>
#include <QTableView>
#include <cstdio>

using namespace dipwb;

namespace {

store::MessageRecord makeMessage(qint64 n, qint64 atMs)
{
    store::MessageRecord m;
    m.transactionId = QStringLiteral("T-IF-021-1400000001-SDS-20240701-%1").arg(n, 16, 10, QLatin1Char('0'));
    m.senderUniqueReference = QStringLiteral("S-IF-021-3134303030-SDS-20240701-%1").arg(n);
    m.channel = n % 4 ? QStringLiteral("IF-021") : QStringLiteral("IF-033");
    m.eventCode = n % 4 ? QStringLiteral("[ActivePower]") : QStringLiteral("[MSAppSPRequest]");
    m.schemaVersion = QStringLiteral("011");
    m.senderDipId = n % 4 ? QStringLiteral("1400000001") : QStringLiteral("1100000001");
    m.senderRole = n % 4 ? QStringLiteral("SDS") : QStringLiteral("REGS");
    m.mpan = testsupport::mpanFor(200000000000 + n % 50000);
    m.correlationId = QStringLiteral("CI-20240701-%1").arg(n / 3, 8, 16, QLatin1Char('0'));
    m.environment = QStringLiteral("SIT");
    m.receivedMs = atMs;
    m.businessMs = atMs;
    m.status = QStringLiteral("GoodToGo");
    m.routing = QStringLiteral("Primary:[];Secondary:[SUP:2300000185,LDSO:2500000033];Always:[MDS:1800000001]");
    m.payload = QByteArrayLiteral("{\"payload\":{\"CommonBlock\":{},\"CustomBlock\":{\"B044\":{\"issuingDataServiceDIPID\":\"1400000001\"}}}}");
    return m;
}

void insertBatch(store::WriteTxn &t, qint64 from, int count, qint64 atMs, QList<qint64> *ids)
{
    for (int i = 0; i < count; ++i) {
        store::MessageRecord m = makeMessage(from + i, atMs);
        const qint64 id = t.insertMessage(m);
        if (ids)
            ids->append(id);
        store::DeliveryRecord d;
        d.messageId = id;
        d.recipientDipId = QStringLiteral("2300000185");
        d.recipientRole = QStringLiteral("SUP");
        d.reason = QStringLiteral("Secondary");
        d.transactionId = m.transactionId + QStringLiteral("-1");
        d.publicationId = QStringLiteral("PUB-021");
        d.status = QStringLiteral("Delivered");
        d.attempts = 1;
        d.createdMs = atMs;
        d.deliveredMs = atMs + 25;
        d.lastHttpStatus = 201;
        t.insertDelivery(d);
    }
}

void waitUntil(const std::function<bool()> &done)
{
    while (!done())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser p;
    p.addOptions({{QStringLiteral("db"), QStringLiteral("Database file (default: a temporary one)."), QStringLiteral("file")},
                  {QStringLiteral("messages"), QStringLiteral("Messages to store first (default 1000000)."), QStringLiteral("n"), QStringLiteral("1000000")},
                  {QStringLiteral("rate"), QStringLiteral("Live tail rate, messages/s (default 2000)."), QStringLiteral("r"), QStringLiteral("2000")},
                  {QStringLiteral("seconds"), QStringLiteral("Live tail duration (default 10)."), QStringLiteral("s"), QStringLiteral("10")}});
    p.process(app);
    QTemporaryDir tmp;
    const QString path = p.isSet(QStringLiteral("db")) ? p.value(QStringLiteral("db")) : tmp.filePath(QStringLiteral("workbench.db"));
    const qint64 target = p.value(QStringLiteral("messages")).toLongLong();
    const int rate = p.value(QStringLiteral("rate")).toInt();
    const int seconds = p.value(QStringLiteral("seconds")).toInt();

    Issues issues;
    store::Store::Options options;
    options.synchronousFull = false;
    auto store = store::Store::open(path, options, &issues);
    if (!store)
        return 1;
    qint64 have = store->messageCount();
    QElapsedTimer fill;
    fill.start();
    const qint64 base = 1719792000000;
    while (have < target) {
        const int n = int(std::min<qint64>(5000, target - have));
        const qint64 from = have;
        store->write([=](store::WriteTxn &t) { insertBatch(t, from, n, base + from * 10, nullptr); });
        have += n;
        if (have % 100000 == 0)
            store->flush();
    }
    store->flush();
    std::printf("store: %lld messages (%lld ms to fill)\n", static_cast<long long>(store->messageCount()),
                static_cast<long long>(fill.elapsed()));

    // Opening: the model exists, its first chunk of ids arrives, the first screen of rows is formatted.
    QElapsedTimer t;
    t.start();
    ui::TrackerView view(store.get(), *catalogue::Catalogue::builtIn());
    ui::MessageTableModel *model = view.model();
    waitUntil([&] { return model->rowCount() > 0; });
    for (int r = 0; r < 50; ++r)
        for (int c = 0; c < ui::MessageTableModel::ColumnCount; ++c)
            model->index(r, c).data();
    const qint64 firstPage = t.elapsed();
    waitUntil([&] { return !model->isLoading(); });
    const qint64 allIds = t.elapsed();
    std::printf("open: first page in %lld ms; all %d row ids in %lld ms\n", static_cast<long long>(firstPage),
                model->rowCount(), static_cast<long long>(allIds));

    tracker::MessageFilter byMpan;
    byMpan.mpan = testsupport::mpanFor(200000000000 + 12345);
    t.restart();
    model->setFilter(byMpan);
    waitUntil([&] { return !model->isLoading(); });
    for (int r = 0; r < std::min(50, model->rowCount()); ++r)
        model->index(r, ui::MessageTableModel::Mpan).data();
    std::printf("filter by MPAN: %d rows in %lld ms\n", model->rowCount(), static_cast<long long>(t.elapsed()));
    model->setFilter({});
    waitUntil([&] { return !model->isLoading(); });

    // Live tail with the view on screen: batches every 100 ms, as the emulator signals them.
    view.resize(1400, 900);
    view.show();
    view.view()->scrollToBottom();
    // The first layout of a million rows happens once, on show; the tail is measured after it.
    QElapsedTimer settle;
    settle.start();
    waitUntil([&] { return settle.elapsed() >= 1000; });
    qint64 next = store->messageCount();
    QTimer feed;
    feed.setInterval(100);
    QObject::connect(&feed, &QTimer::timeout, [&] {
        const int n = rate / 10;
        const qint64 from = next;
        next += n;
        auto ids = std::make_shared<QList<qint64>>();
        store->write([=](store::WriteTxn &tx) { insertBatch(tx, from, n, QDateTime::currentMSecsSinceEpoch(), ids.get()); },
                     model, [=](bool ok, const QString &) {
                         if (ok)
                             model->onMessagesStored(*ids);
                     });
    });
    QElapsedTimer gap;
    qint64 maxStall = 0;
    QList<qint64> stalls;
    QTimer tick;
    tick.setInterval(5);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 late = gap.restart() - 5;
        stalls.append(late);
        maxStall = std::max(maxStall, late);
    });
    const int before = model->rowCount();
    feed.start();
    tick.start();
    gap.start();
    t.restart();
    waitUntil([&] { return t.elapsed() >= seconds * 1000; });
    feed.stop();
    tick.stop();
    store->flush();
    QCoreApplication::processEvents();
    std::sort(stalls.begin(), stalls.end());
    const qint64 p99 = stalls.isEmpty() ? 0 : stalls.at(qsizetype(double(stalls.size() - 1) * 0.99));
    std::printf("live tail: %d rows added in %d s at %d/s; event-loop stall p99 %lld ms, longest %lld ms\n",
                model->rowCount() - before, seconds, rate, static_cast<long long>(p99), static_cast<long long>(maxStall));
    return 0;
}
