// SPDX-License-Identifier: GPL-3.0-or-later
// Records and reads: every field round trip, participants and appointments, deliveries, publications, the journal chain, readers beside the writer.
#include "store/store.h"
#include "store_test_support.h"
#include "store/schema.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QSysInfo>
#include <QElapsedTimer>
#include <QSemaphore>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <sqlite3.h>

#include <atomic>
#include <stdexcept>
#include <thread>

using namespace dipwb;
using namespace dipwb::store;

using namespace dipwb::store::testing;

class TestStore final : public StoreTestBase
{
    Q_OBJECT

    // publications() fixture, built once for the data-driven test.
    std::unique_ptr<QTemporaryDir> m_pubDir;
    std::unique_ptr<Store> m_pubStore;
    void buildPublicationFixture();

private slots:
    void init()
    {
        freshDir();
        QVERIFY(m_dir->isValid());
    }
    void cleanupTestCase() { m_pubStore.reset(); }

    void oneWriterPerDatabaseAndReadersBeside();
    void roundTripsEveryField();
    void participantsAndAppointments();
    void pendingDeliveriesAndStateUpdates();
    void publications_data();
    void publications();
    void journalChainVerifiesAndNamesTamperedRows();
    void readersOnManyThreads();
};

void TestStore::oneWriterPerDatabaseAndReadersBeside()
{
    auto writer = openStore();
    QVERIFY(writer);
    Outcome o;
    writer->write(
        [](WriteTxn &txn) {
            MessageRecord m = makeMessage(QStringLiteral("TX-LOCK"));
            txn.insertMessage(m);
        },
        nullptr, record(&o));
    writer->flush();
    QVERIFY2(o.ok, qPrintable(o.error));

    // A second writer would extend the journal from its own head: refused, naming who holds it.
    Issues issues;
    QVERIFY(!Store::open(dbPath(), &issues));
    QCOMPARE(issues.size(), 1);
    QCOMPARE(issues.first().code, QStringLiteral("STORE005"));
    QVERIFY2(issues.first().text.contains(QStringLiteral("pid %1").arg(QCoreApplication::applicationPid()))
                 && issues.first().text.contains(QLatin1String("--workspace")),
             qPrintable(issues.first().text));

    // Reading beside the writer works, and a reader cannot write.
    auto reader = Store::openForReading(dbPath(), &issues);
    QVERIFY(reader);
    QVERIFY(reader->messageByTransactionId(QStringLiteral("TX-LOCK")));
    QCOMPARE(reader->journalHead(), writer->journalHead());
    bool called = false, readOk = true;
    QString readError;
    reader->write([](WriteTxn &) {}, nullptr, [&](bool ok, const QString &error) {
        called = true;
        readOk = ok;
        readError = error;
    });
    QTRY_VERIFY(called);
    QVERIFY(!readOk);
    QVERIFY2(readError.contains(QLatin1String("reading only")), qPrintable(readError));

    // Closing the writer frees the file for the next one.
    writer.reset();
    QVERIFY(!QFileInfo::exists(dbPath() + QStringLiteral(".lock")));
    auto next = openStore();
    QVERIFY(next);
    next.reset();

    // A lock left by a process that died (SIGKILL, power cut) does not keep the workspace closed.
    {
        QFile stale(dbPath() + QStringLiteral(".lock"));
        QVERIFY(stale.open(QIODevice::WriteOnly));
        stale.write("999999999\ndip-workbench\n" + QSysInfo::machineHostName().toUtf8() + "\n");
    }
    QVERIFY(openStore());

    QVERIFY(!Store::openForReading(m_dir->filePath(QStringLiteral("absent.db")), &issues));
    QCOMPARE(issues.last().code, QStringLiteral("STORE001"));
}

void TestStore::roundTripsEveryField()
{
    auto store = openStore();
    QVERIFY(store);
    RequestRecord req;
    req.receivedMs = 1700000000001;
    req.method = QStringLiteral("POST");
    req.path = QStringLiteral("/IF-033/Send");
    req.remote = QStringLiteral("127.0.0.1:50000");
    req.senderDipId = QStringLiteral("2300000185");
    req.httpStatus = 201;
    req.outcome = QStringLiteral("MSG0000");
    req.signature = QStringLiteral("valid");
    req.headers = "Content-Type: application/json\nX-API-Key: k";
    req.body = QByteArray("[{\"a\":1}]\0binary", 16);
    req.response = "{\"ok\":true}";
    MessageRecord msg = makeMessage(QStringLiteral("TX-é"), QStringLiteral("2300000185"), QStringLiteral("ref-1"));
    msg.indexInRequest = 3;
    DeliveryRecord d1 = makeDelivery(0, QStringLiteral("PUB-TX-1"));
    DeliveryRecord d2 = makeDelivery(0, QStringLiteral("PUB-TX-2"), QStringLiteral("2200000002"));
    d2.kind = DeliveryRecord::Kind::StatusMessage;
    d2.reason = QStringLiteral("Status");
    d2.status = QStringLiteral("Delivered");
    d2.attempts = 2;
    d2.deliveredMs = 1700000009000;
    d2.lastHttpStatus = 200;
    d2.lastError = QStringLiteral("none | really");
    d2.replay = true;
    JournalEntry e1 = makeJournal(QStringLiteral("GoodToGo"), QStringLiteral("accepted | ünïcode"));
    JournalEntry e2 = makeJournal(QStringLiteral("SentToTopic"));
    e2.stage = QStringLiteral("Outbound");

    Outcome o;
    store->write(
        [&](WriteTxn &txn) {
            txn.insertRequest(req);
            msg.requestId = req.id;
            txn.insertMessage(msg);
            d1.messageId = d2.messageId = msg.id;
            txn.insertDelivery(d1);
            txn.insertDelivery(d2);
            e1.requestId = e2.requestId = req.id;
            e1.messageId = e2.messageId = msg.id;
            e2.deliveryId = d1.id;
            txn.journal(e1);
            txn.journal(e2);
        },
        this, record(&o));
    store->flush();
    QTRY_COMPARE(o.calls, 1);
    QVERIFY2(o.ok, qPrintable(o.error));
    QVERIFY(req.id > 0 && msg.id > 0 && d1.id > 0 && d2.id > d1.id && e2.id == e1.id + 1);

    const auto r = store->request(req.id);
    QVERIFY(r);
    QCOMPARE(r->id, req.id);
    QCOMPARE(r->receivedMs, req.receivedMs);
    QCOMPARE(r->method, req.method);
    QCOMPARE(r->path, req.path);
    QCOMPARE(r->remote, req.remote);
    QCOMPARE(r->senderDipId, req.senderDipId);
    QCOMPARE(r->httpStatus, req.httpStatus);
    QCOMPARE(r->outcome, req.outcome);
    QCOMPARE(r->signature, req.signature);
    QCOMPARE(r->headers, req.headers);
    QCOMPARE(r->body, req.body);
    QCOMPARE(r->response, req.response);
    QCOMPARE(store->requests(0, 10).size(), 1);
    QCOMPARE(store->requests(req.id, 10).size(), 0);

    for (const auto &m : {store->message(msg.id), store->messageByTransactionId(msg.transactionId)}) {
        QVERIFY(m);
        QCOMPARE(m->id, msg.id);
        QCOMPARE(m->requestId, req.id);
        QCOMPARE(m->indexInRequest, 3);
        QCOMPARE(m->transactionId, msg.transactionId);
        QCOMPARE(m->senderUniqueReference, msg.senderUniqueReference);
        QCOMPARE(m->channel, msg.channel);
        QCOMPARE(m->eventCode, msg.eventCode);
        QCOMPARE(m->schemaVersion, msg.schemaVersion);
        QCOMPARE(m->senderDipId, msg.senderDipId);
        QCOMPARE(m->senderRole, msg.senderRole);
        QCOMPARE(m->mpan, msg.mpan);
        QCOMPARE(m->correlationId, msg.correlationId);
        QCOMPARE(m->environment, msg.environment);
        QCOMPARE(m->receivedMs, msg.receivedMs);
        QCOMPARE(m->businessMs, msg.businessMs);
        QCOMPARE(m->status, msg.status);
        QCOMPARE(m->routing, msg.routing);
        QCOMPARE(m->payload, msg.payload);
    }
    QCOMPARE(store->messages(0, -1).size(), 1);
    QVERIFY(!store->message(msg.id + 1));
    QVERIFY(!store->messageByTransactionId(QStringLiteral("nope")));

    const auto ds = store->deliveriesOfMessage(msg.id);
    QCOMPARE(ds.size(), 2);
    const DeliveryRecord *want[] = {&d1, &d2};
    for (int i = 0; i < 2; ++i) {
        const DeliveryRecord &g = ds[i];
        const DeliveryRecord &w = *want[i];
        QCOMPARE(g.id, w.id);
        QCOMPARE(g.messageId, msg.id);
        QCOMPARE(int(g.kind), int(w.kind));
        QCOMPARE(g.recipientDipId, w.recipientDipId);
        QCOMPARE(g.recipientRole, w.recipientRole);
        QCOMPARE(g.reason, w.reason);
        QCOMPARE(g.transactionId, w.transactionId);
        QCOMPARE(g.publicationId, w.publicationId);
        QCOMPARE(g.status, w.status);
        QCOMPARE(g.attempts, w.attempts);
        QCOMPARE(g.createdMs, w.createdMs);
        QCOMPARE(g.nextAttemptMs, w.nextAttemptMs);
        QCOMPARE(g.deliveredMs, w.deliveredMs);
        QCOMPARE(g.lastHttpStatus, w.lastHttpStatus);
        QCOMPARE(g.lastError, w.lastError);
        QCOMPARE(g.replay, w.replay);
        QCOMPARE(g.body, w.body);
    }
    QCOMPARE(store->delivery(d2.id)->transactionId, d2.transactionId);
    QCOMPARE(store->deliveryByTransactionId(d1.transactionId)->id, d1.id);
    QCOMPARE(store->deliveryCount(), 2);

    const auto js = store->journalOfMessage(msg.id);
    QCOMPARE(js.size(), 2);
    const JournalEntry *wantJ[] = {&e1, &e2};
    for (int i = 0; i < 2; ++i) {
        const JournalEntry &g = js[i];
        const JournalEntry &w = *wantJ[i];
        QCOMPARE(g.id, w.id);
        QCOMPARE(g.atMs, w.atMs);
        QCOMPARE(g.requestId, req.id);
        QCOMPARE(g.messageId, msg.id);
        QCOMPARE(g.deliveryId, w.deliveryId);
        QCOMPARE(g.stage, w.stage);
        QCOMPARE(g.status, w.status);
        QCOMPARE(g.detail, w.detail);
        QCOMPARE(g.prevHash, w.prevHash);
        QCOMPARE(g.hash, w.hash);
        QCOMPARE(g.hash, expectedHash(g));
    }
    QVERIFY(js[0].prevHash.isEmpty());
    QCOMPARE(js[1].prevHash, js[0].hash);
    QCOMPARE(store->journalHead(), js[1].hash);
    QCOMPARE(store->journal(0, 1).size(), 1);
    QCOMPARE(store->journal(e1.id, -1).first().id, e2.id);
}

void TestStore::participantsAndAppointments()
{
    auto store = openStore();
    QVERIFY(store);
    participants::Participant a;
    a.dipId = QStringLiteral("2300000185");
    a.role = QStringLiteral("SUP");
    a.mpid = QStringLiteral("ABCD");
    a.name = QStringLiteral("Supplier A");
    a.simulated = true;
    a.apiKey = QStringLiteral("key-a");
    a.statusWebhook = QStringLiteral("http://127.0.0.1:9/status");
    a.webhooks = {{QStringLiteral("IF-033"), QStringLiteral("http://127.0.0.1:9/33")},
                  {QStringLiteral("IF-021"), QStringLiteral("http://127.0.0.1:9/21")}};
    participants::Participant b = a;
    b.dipId = QStringLiteral("2100000001");
    b.role = QStringLiteral("MSA");
    b.simulated = false;
    b.webhooks.clear();

    AppointmentRecord open;
    open.mpan = QStringLiteral("1012345678901");
    open.role = QStringLiteral("MSA");
    open.dipId = b.dipId;
    open.fromMs = 1000;
    open.recordedMs = 1001;
    open.source = QStringLiteral("seed");
    AppointmentRecord closed = open;
    closed.fromMs = 500;
    closed.toMs = 1000;
    store->write([&](WriteTxn &txn) {
        txn.upsertParticipant(a);
        txn.upsertParticipant(b);
        txn.upsertAppointment(open);
        txn.upsertAppointment(closed);
    });
    store->flush();
    QVERIFY(open.id > 0 && closed.id > open.id);
    auto ps = store->participants();
    QCOMPARE(ps.size(), 2);
    QCOMPARE(ps[0], b); // ordered by DIP id
    QCOMPARE(ps[1], a);

    // Upsert replaces fields and the whole webhook set; delete cascades to webhooks.
    a.name = QStringLiteral("Renamed");
    a.webhooks = {{QStringLiteral("IF-036"), QStringLiteral("http://127.0.0.1:9/36")}};
    open.toMs = 2000;
    open.source = QStringLiteral("TX-END");
    const qint64 openId = open.id;
    store->write([&](WriteTxn &txn) {
        txn.upsertParticipant(a);
        txn.deleteParticipant(b.dipId);
        txn.upsertAppointment(open);
    });
    store->flush();
    QCOMPARE(open.id, openId);
    ps = store->participants();
    QCOMPARE(ps.size(), 1);
    QCOMPARE(ps[0], a);
    QCOMPARE(RawDb(dbPath(), true).number("SELECT count(*) FROM webhooks"), 1);

    const auto apps = store->appointments();
    QCOMPARE(apps.size(), 2);
    QCOMPARE(apps[0].id, open.id);
    QCOMPARE(apps[0].toMs, std::optional<qint64>(2000));
    QCOMPARE(apps[0].source, QStringLiteral("TX-END"));
    QCOMPARE(apps[0].mpan, open.mpan);
    QCOMPARE(apps[0].role, open.role);
    QCOMPARE(apps[0].dipId, open.dipId);
    QCOMPARE(apps[0].fromMs, 1000);
    QCOMPARE(apps[0].recordedMs, 1001);
    QCOMPARE(apps[1].toMs, std::optional<qint64>(1000));
    closed.toMs.reset();
    store->write([&](WriteTxn &txn) { txn.upsertAppointment(closed); });
    store->flush();
    QVERIFY(!store->appointments()[1].toMs.has_value());
}

void TestStore::pendingDeliveriesAndStateUpdates()
{
    auto store = openStore();
    QVERIFY(store);
    QList<DeliveryRecord> ds;
    store->write([&](WriteTxn &txn) {
        MessageRecord m = makeMessage(QStringLiteral("P"));
        txn.insertMessage(m);
        for (int i = 0; i < 4; ++i) {
            DeliveryRecord d = makeDelivery(m.id, QStringLiteral("P-%1").arg(i), QStringLiteral("210000000%1").arg(i));
            txn.insertDelivery(d);
            ds << d;
        }
    });
    store->flush();
    QCOMPARE(store->pendingDeliveries().size(), 4);

    ds[0].status = QStringLiteral("Delivered");
    ds[0].attempts = 1;
    ds[0].deliveredMs = 1700000002000;
    ds[0].lastHttpStatus = 200;
    ds[1].status = QStringLiteral("Retrying");
    ds[1].attempts = 2;
    ds[1].nextAttemptMs = 1700000005000;
    ds[1].lastHttpStatus = 503;
    ds[1].lastError = QStringLiteral("HTTP 503 from webhook");
    ds[3].status = QStringLiteral("RetriesExhausted");
    ds[3].attempts = 5;
    store->write([&](WriteTxn &txn) {
        txn.updateDeliveryState(ds[0]);
        txn.updateDeliveryState(ds[1]);
        txn.updateDeliveryState(ds[3]);
    });
    Outcome missingRow;
    DeliveryRecord ghost = ds[2];
    ghost.id = 987654;
    store->write([ghost](WriteTxn &txn) { txn.updateDeliveryState(ghost); }, nullptr, record(&missingRow));
    store->flush();
    QVERIFY(!missingRow.ok);
    QVERIFY2(missingRow.error.contains(QLatin1String("987654")), qPrintable(missingRow.error));

    const auto pending = store->pendingDeliveries();
    QCOMPARE(pending.size(), 2);
    QCOMPARE(pending[0].id, ds[1].id); // oldest first
    QCOMPARE(pending[0].status, QStringLiteral("Retrying"));
    QCOMPARE(pending[1].id, ds[2].id);
    QCOMPARE(pending[1].status, QStringLiteral("Pending"));
    const auto retrying = store->delivery(ds[1].id);
    QCOMPARE(retrying->attempts, 2);
    QCOMPARE(retrying->nextAttemptMs, 1700000005000);
    QCOMPARE(retrying->lastHttpStatus, 503);
    QCOMPARE(retrying->lastError, QStringLiteral("HTTP 503 from webhook"));
    const auto delivered = store->delivery(ds[0].id);
    QCOMPARE(delivered->status, QStringLiteral("Delivered"));
    QCOMPARE(delivered->deliveredMs, 1700000002000);
    QCOMPARE(delivered->body, ds[0].body); // state updates leave the rest alone
    QCOMPARE(delivered->recipientDipId, ds[0].recipientDipId);
}

void TestStore::buildPublicationFixture()
{
    if (m_pubStore)
        return;
    m_pubDir = std::make_unique<QTemporaryDir>();
    m_pubStore = Store::open(m_pubDir->filePath(QStringLiteral("pub.db")), nullptr);
    QVERIFY(m_pubStore);
    struct M { const char *tx, *channel, *event, *mpan, *schema; };
    const M messages[] = {{"M1", "IF-033", "[EvA]", "1000000000001", "011"},
                          {"M2", "IF-033", "[EvB]", "1000000000002", "011"},
                          {"M3", "IF-033", "[EvA]", "1000000000002", "012"},
                          {"M4", "IF-021", "[EvA]", "1000000000001", "011"}};
    struct D { int message; const char *tx, *recipient; qint64 created; bool replay; bool status; };
    const D deliveries[] = {{0, "T1", "R", 1000, false, false}, {1, "T2", "R", 2000, false, false},
                            {2, "T3", "R", 3000, false, false}, {3, "T4", "R", 1500, false, false},
                            {0, "T5", "OTHER", 1000, false, false}, {0, "T6", "R", 4000, true, false},
                            {1, "T7", "R", 2500, false, true}};
    m_pubStore->write([&](WriteTxn &txn) {
        QList<qint64> ids;
        for (const M &x : messages) {
            MessageRecord m = makeMessage(QLatin1String(x.tx));
            m.channel = QLatin1String(x.channel);
            m.eventCode = QLatin1String(x.event);
            m.mpan = QLatin1String(x.mpan);
            m.schemaVersion = QLatin1String(x.schema);
            ids << txn.insertMessage(m);
        }
        for (const D &x : deliveries) {
            DeliveryRecord d = makeDelivery(ids[x.message], QLatin1String(x.tx), QLatin1String(x.recipient));
            d.createdMs = x.created;
            d.replay = x.replay;
            if (x.status)
                d.kind = DeliveryRecord::Kind::StatusMessage;
            txn.insertDelivery(d);
        }
    });
    m_pubStore->flush();
}

void TestStore::publications_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QStringList>("expected");
    const auto l = [](std::initializer_list<const char *> s) {
        QStringList out;
        for (const char *x : s)
            out << QLatin1String(x);
        return out;
    };
    // Base query: recipient R, channel IF-033. Replays (T6), status messages (T7), other recipients
    // (T5) and other channels (T4) never appear unless the base is changed.
    QTest::newRow("base") << QString() << QString() << l({"T1", "T2", "T3"});
    QTest::newRow("fromMs inclusive") << "fromMs" << "2000" << l({"T2", "T3"});
    QTest::newRow("toMs exclusive") << "toMs" << "3000" << l({"T1", "T2"});
    QTest::newRow("event code") << "eventCode" << "[EvA]" << l({"T1", "T3"});
    QTest::newRow("mpan") << "mpan" << "1000000000002" << l({"T2", "T3"});
    QTest::newRow("schema version") << "schemaVersion" << "012" << l({"T3"});
    QTest::newRow("transaction ids") << "transactionIds" << "T1,T3,T5,T6,T7" << l({"T1", "T3"});
    QTest::newRow("limit") << "limit" << "2" << l({"T1", "T2"});
    QTest::newRow("channel") << "channel" << "IF-021" << l({"T4"});
    QTest::newRow("recipient") << "recipientDipId" << "OTHER" << l({"T5"});
    QTest::newRow("no match") << "eventCode" << "[EvZ]" << QStringList();
}

void TestStore::publications()
{
    buildPublicationFixture();
    QVERIFY(m_pubStore);
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QStringList, expected);
    PublicationQuery q;
    q.recipientDipId = QStringLiteral("R");
    q.channel = QStringLiteral("IF-033");
    if (field == QLatin1String("fromMs"))
        q.fromMs = value.toLongLong();
    else if (field == QLatin1String("toMs"))
        q.toMs = value.toLongLong();
    else if (field == QLatin1String("eventCode"))
        q.eventCode = value;
    else if (field == QLatin1String("mpan"))
        q.mpan = value;
    else if (field == QLatin1String("schemaVersion"))
        q.schemaVersion = value;
    else if (field == QLatin1String("transactionIds"))
        q.transactionIds = value.split(QLatin1Char(','));
    else if (field == QLatin1String("limit"))
        q.limit = value.toInt();
    else if (field == QLatin1String("channel"))
        q.channel = value;
    else if (field == QLatin1String("recipientDipId"))
        q.recipientDipId = value;

    QStringList got;
    for (const auto &[d, m] : m_pubStore->publications(q)) {
        got << d.transactionId;
        QCOMPARE(m.id, d.messageId); // each copy comes with its own message
        QVERIFY(!d.replay);
        QCOMPARE(int(d.kind), int(DeliveryRecord::Kind::Publication));
        QCOMPARE(d.recipientDipId, q.recipientDipId);
        QCOMPARE(m.channel, q.channel);
    }
    QCOMPARE(got, expected);
}

void TestStore::journalChainVerifiesAndNamesTamperedRows()
{
    {
        auto store = openStore();
        QVERIFY(store);
        for (int b = 0; b < 10; ++b)
            store->write([b](WriteTxn &txn) {
                for (int i = 0; i < 5; ++i) {
                    JournalEntry e = makeJournal(QStringLiteral("S%1").arg(i), QStringLiteral("batch %1 row %2").arg(b).arg(i));
                    txn.journal(e);
                }
            });
        store->flush();
        QString why = QStringLiteral("unset");
        QCOMPARE(store->verifyJournal(&why), 0);
        QVERIFY(why.isEmpty());
        const auto rows = store->journal(0, -1);
        QCOMPARE(rows.size(), 50);
        QByteArray prev;
        for (const JournalEntry &e : rows) {
            QCOMPARE(e.prevHash, prev);
            QCOMPARE(e.hash, expectedHash(e));
            prev = e.hash;
        }
        QCOMPARE(store->journalHead(), prev);
    }
    // Reopening continues the chain from the stored head.
    auto store = openStore();
    QVERIFY(store);
    JournalEntry next = makeJournal(QStringLiteral("After"));
    store->write([&](WriteTxn &txn) { txn.journal(next); });
    store->flush();
    QCOMPARE(next.id, 51);
    QCOMPARE(next.prevHash, store->journal(49, 1).first().hash);
    QCOMPARE(store->verifyJournal(), 0);

    RawDb raw(dbPath());
    QVERIFY(raw.exec("UPDATE journal SET detail = 'edited afterwards' WHERE id = 42"));
    QString why;
    QCOMPARE(store->verifyJournal(&why), 42);
    QCOMPARE(why, QStringLiteral("journal row 42: hash does not match its content"));
    QVERIFY(raw.exec("UPDATE journal SET detail = 'batch 8 row 1' WHERE id = 42"));
    QCOMPARE(store->verifyJournal(&why), 0);

    QVERIFY(raw.exec("DELETE FROM journal WHERE id = 20"));
    QCOMPARE(store->verifyJournal(&why), 21);
    QCOMPARE(why, QStringLiteral("journal row 21: prev_hash does not match row 19"));
}

void TestStore::readersOnManyThreads()
{
    auto store = openStore();
    QVERIFY(store);
    std::atomic<bool> stop{false};
    std::atomic<int> regressions{0}, reads{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 3; ++t)
        readers.emplace_back([&] {
            qint64 last = 0;
            while (!stop) {
                const qint64 n = store->messageCount();
                if (n < last)
                    ++regressions;
                last = n;
                ++reads;
            }
        });
    for (int i = 0; i < 300; ++i)
        store->write([i](WriteTxn &txn) {
            MessageRecord m = makeMessage(QStringLiteral("C%1").arg(i));
            txn.insertMessage(m);
        });
    store->flush();
    QTRY_VERIFY(reads.load() > 30);
    stop = true;
    for (auto &t : readers)
        t.join();
    QCOMPARE(regressions.load(), 0);
    QCOMPARE(store->messageCount(), 300);
}

QTEST_GUILESS_MAIN(TestStore)

#include "test_store.moc"
