// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/store.h"
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

namespace {

/// A plain sqlite3 connection of the test's own, to look at the file behind the store's back.
class RawDb final
{
public:
    explicit RawDb(const QString &path, bool readOnly = false)
    {
        sqlite3_open_v2(path.toUtf8().constData(), &m_db, readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE,
                        nullptr);
        sqlite3_busy_timeout(m_db, 5000);
    }
    ~RawDb() { sqlite3_close_v2(m_db); }
    RawDb(const RawDb &) = delete;
    RawDb &operator=(const RawDb &) = delete;

    bool exec(const QByteArray &sql) { return sqlite3_exec(m_db, sql.constData(), nullptr, nullptr, nullptr) == SQLITE_OK; }
    QString text(const QByteArray &sql, const QString &arg = {})
    {
        sqlite3_stmt *s = nullptr;
        QString out;
        if (sqlite3_prepare_v2(m_db, sql.constData(), -1, &s, nullptr) == SQLITE_OK) {
            const QByteArray a = arg.toUtf8();
            if (!arg.isNull())
                sqlite3_bind_text(s, 1, a.constData(), int(a.size()), SQLITE_TRANSIENT);
            if (sqlite3_step(s) == SQLITE_ROW)
                out = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(s, 0)));
        } else {
            out = QStringLiteral("error: ") + QString::fromUtf8(sqlite3_errmsg(m_db));
        }
        sqlite3_finalize(s);
        return out;
    }
    qint64 number(const QByteArray &sql, const QString &arg = {}) { return text(sql, arg).toLongLong(); }

private:
    sqlite3 *m_db = nullptr;
};

/// Holds the writer inside one batch until released, so the batches queued meanwhile are known to
/// go into one group commit together.
struct Gate
{
    QSemaphore entered;
    QSemaphore release;
    Store::WriteFn batch()
    {
        return [this](WriteTxn &) {
            entered.release();
            release.acquire();
        };
    }
};

struct Outcome
{
    int calls = 0;
    bool ok = false;
    QString error;
};

Store::DoneFn record(Outcome *o)
{
    return [o](bool ok, const QString &error) {
        ++o->calls;
        o->ok = ok;
        o->error = error;
    };
}

MessageRecord makeMessage(const QString &tx, const QString &sender = QStringLiteral("2300000185"),
                          const QString &reference = {}, int payloadBytes = 200)
{
    MessageRecord m;
    m.indexInRequest = 0;
    m.transactionId = tx;
    m.senderUniqueReference = reference.isEmpty() ? QStringLiteral("ref-") + tx : reference;
    m.channel = QStringLiteral("IF-033");
    m.eventCode = QStringLiteral("[MSAppSPRequest]");
    m.schemaVersion = QStringLiteral("011");
    m.senderDipId = sender;
    m.senderRole = QStringLiteral("SUP");
    m.mpan = QStringLiteral("1012345678901");
    m.correlationId = QStringLiteral("corr-") + tx;
    m.environment = QStringLiteral("SIT-A");
    m.receivedMs = 1700000000000;
    m.businessMs = 1700000000500;
    m.status = QStringLiteral("GoodToGo");
    m.routing = QStringLiteral("Primary:[SUP:2300000185];Secondary:[];Always:[]");
    m.payload = "{\"payload\":{\"x\":\"" + QByteArray(payloadBytes, 'p') + "\"}}";
    return m;
}

DeliveryRecord makeDelivery(qint64 messageId, const QString &tx, const QString &recipient = QStringLiteral("2100000001"))
{
    DeliveryRecord d;
    d.messageId = messageId;
    d.recipientDipId = recipient;
    d.recipientRole = QStringLiteral("MSA");
    d.reason = QStringLiteral("Primary");
    d.transactionId = tx;
    d.publicationId = QStringLiteral("PUB-033");
    d.status = QStringLiteral("Pending");
    d.createdMs = 1700000001000;
    d.nextAttemptMs = 1700000001000;
    d.body = "[{\"copy\":\"" + tx.toUtf8() + "\"}]";
    return d;
}

JournalEntry makeJournal(const QString &status, const QString &detail = QStringLiteral("detail"))
{
    JournalEntry e;
    e.atMs = 1700000000123;
    e.stage = QStringLiteral("Inbound");
    e.status = status;
    e.detail = detail;
    return e;
}

/// The chain as documented, computed independently of the store's code.
QByteArray expectedHash(const JournalEntry &e)
{
    const QString text = QStringLiteral("%1|%2|%3|%4|%5|%6|%7|%8")
                             .arg(e.id)
                             .arg(e.atMs)
                             .arg(e.requestId)
                             .arg(e.messageId)
                             .arg(e.deliveryId)
                             .arg(e.stage, e.status, e.detail);
    return QCryptographicHash::hash(QByteArray(e.prevHash + "|" + text.toUtf8()), QCryptographicHash::Sha256).toHex();
}

} // namespace

class TestStore final : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    QString dbPath() const { return m_dir->filePath(QStringLiteral("workbench.db")); }

    std::unique_ptr<Store> openStore(const Store::Options &options = {})
    {
        Issues issues;
        auto store = Store::open(dbPath(), options, &issues);
        if (!store)
            qWarning() << "open failed:" << (issues.isEmpty() ? QString() : issues.first().toString());
        return store;
    }

    // publications() fixture, built once for the data-driven test.
    std::unique_ptr<QTemporaryDir> m_pubDir;
    std::unique_ptr<Store> m_pubStore;
    void buildPublicationFixture();

private slots:
    void init() { m_dir = std::make_unique<QTemporaryDir>(); QVERIFY(m_dir->isValid()); }
    void cleanupTestCase() { m_pubStore.reset(); }

    void migrationsCreateTheSchemaAndReopenKeepsData();
    void refusesANewerSchema();
    void oneWriterPerDatabaseAndReadersBeside();
    void migrationTwoMovesDeliveryBodies();
    void roundTripsEveryField();
    void participantsAndAppointments();
    void groupCommitGroupsConcurrentWriters();
    void queuedWhileBusyCommitsInOneGroup();
    void answersOfAGroupKeepTheirOrder();
    void failingBatchFailsAlone();
    void failedCommitFailsTheWholeGroup();
    void doneOnlyAfterVisibleToANewReader();
    void pendingDeliveriesAndStateUpdates();
    void publications_data();
    void publications();
    void journalChainVerifiesAndNamesTamperedRows();
    void diskFullFailsWithoutAckAndRecovers();
    void destructorDrainsTheQueue();
    void readersOnManyThreads();
    void throughput();
};

void TestStore::migrationsCreateTheSchemaAndReopenKeepsData()
{
    QByteArray head;
    {
        auto store = openStore();
        QVERIFY(store);
        QCOMPARE(store->schemaVersion(), latestSchemaVersion());
        QCOMPARE(store->path(), dbPath());
        Outcome o;
        store->write(
            [](WriteTxn &txn) {
                MessageRecord m = makeMessage(QStringLiteral("TX1"));
                txn.insertMessage(m);
                JournalEntry e = makeJournal(QStringLiteral("GoodToGo"));
                e.messageId = m.id;
                txn.journal(e);
            },
            nullptr, record(&o));
        store->flush();
        QVERIFY2(o.ok, qPrintable(o.error));
        head = store->journalHead();
        QCOMPARE(head.size(), 64);
    }
    {
        RawDb raw(dbPath(), true);
        QCOMPARE(raw.number("PRAGMA user_version"), latestSchemaVersion());
        QCOMPARE(raw.text("PRAGMA journal_mode"), QStringLiteral("wal"));
        for (const char *table : {"requests", "messages", "deliveries", "delivery_bodies", "journal", "appointments", "participants", "webhooks"})
            QVERIFY2(raw.number("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", QLatin1String(table)) == 1, table);
        const QString indexSql = raw.text("SELECT group_concat(sql, ';') FROM sqlite_master WHERE type = 'index'");
        for (const char *index : {"ON messages(received_ms)", "ON messages(mpan)", "ON messages(channel)",
                                  "UNIQUE INDEX messages_transaction ON messages(transaction_id)",
                                  "ON messages(correlation_id)",
                                  "UNIQUE INDEX messages_sender_reference ON messages(sender_dip_id, sender_unique_reference)",
                                  "ON deliveries(message_id)", "ON deliveries(recipient_dip_id, created_ms)",
                                  "ON deliveries(id) WHERE status IN ('Pending', 'Retrying')",
                                  "ON deliveries(transaction_id)", "ON journal(message_id) WHERE message_id IS NOT NULL",
                                  "ON journal(request_id) WHERE request_id IS NOT NULL",
                                  "ON journal(delivery_id) WHERE message_id IS NULL", "ON appointments(mpan, role)"})
            QVERIFY2(indexSql.contains(QLatin1String(index)), index);
        // Gone: a prefix of messages_sender_reference, and the status of every copy ever made.
        for (const char *index : {"ON messages(sender_dip_id)", "ON deliveries(status)"})
            QVERIFY2(!indexSql.contains(QLatin1String(index)), index);
    }
    auto store = openStore();
    QVERIFY(store);
    QCOMPARE(store->schemaVersion(), latestSchemaVersion());
    QCOMPARE(store->messageCount(), 1);
    QCOMPARE(store->messageByTransactionId(QStringLiteral("TX1"))->senderUniqueReference, QStringLiteral("ref-TX1"));
    QCOMPARE(store->journalHead(), head);

    // The writer connection enforces foreign keys and uses the requested durability.
    Outcome fk;
    qint64 sync = -1;
    store->write(
        [&sync](WriteTxn &txn) {
            sqlite3_stmt *s = nullptr;
            sqlite3_prepare_v2(txn.db(), "PRAGMA synchronous", -1, &s, nullptr);
            if (sqlite3_step(s) == SQLITE_ROW)
                sync = sqlite3_column_int64(s, 0);
            sqlite3_finalize(s);
            DeliveryRecord d = makeDelivery(424242, QStringLiteral("TX-orphan"));
            txn.insertDelivery(d);
        },
        nullptr, record(&fk));
    store->flush();
    QCOMPARE(sync, 2); // FULL
    QVERIFY(!fk.ok);
    QVERIFY2(fk.error.contains(QLatin1String("FOREIGN KEY constraint failed")), qPrintable(fk.error));
    store.reset();

    Store::Options fast;
    fast.synchronousFull = false;
    store = openStore(fast);
    QVERIFY(store);
    store->write([&sync](WriteTxn &txn) {
        sqlite3_stmt *s = nullptr;
        sqlite3_prepare_v2(txn.db(), "PRAGMA synchronous", -1, &s, nullptr);
        if (sqlite3_step(s) == SQLITE_ROW)
            sync = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    });
    store->flush();
    QCOMPARE(sync, 1); // NORMAL
}

void TestStore::migrationTwoMovesDeliveryBodies()
{
    qint64 id = 0;
    {
        auto store = openStore();
        QVERIFY(store);
        Outcome o;
        store->write(
            [&id](WriteTxn &txn) {
                MessageRecord m = makeMessage(QStringLiteral("TX-M2"));
                txn.insertMessage(m);
                DeliveryRecord d = makeDelivery(m.id, QStringLiteral("TX-M2-PUB"));
                d.body = QByteArrayLiteral("[{\"payload\":\"as delivered\"}]");
                id = txn.insertDelivery(d);
            },
            nullptr, record(&o));
        store->flush();
        QVERIFY2(o.ok, qPrintable(o.error));
    }
    {
        // Make it what a version-1 database holds: the body in the deliveries row.
        RawDb raw(dbPath());
        QVERIFY(raw.exec("UPDATE deliveries SET body = (SELECT body FROM delivery_bodies WHERE delivery_id = deliveries.id)"));
        QVERIFY(raw.exec("DROP TABLE delivery_bodies"));
        QVERIFY(raw.exec("DROP TABLE results"));
        QVERIFY(raw.exec("DROP TABLE runs"));
        QVERIFY(raw.exec("DROP TABLE delivery_calls"));
        QVERIFY(raw.exec("ALTER TABLE requests DROP COLUMN body_is_message"));
        // And the indexes of version 1 (migration 5 replaced some).
        QVERIFY(raw.exec("DROP INDEX deliveries_unfinished"));
        QVERIFY(raw.exec("CREATE INDEX deliveries_status ON deliveries(status)"));
        QVERIFY(raw.exec("CREATE INDEX messages_sender ON messages(sender_dip_id)"));
        for (const char *column : {"message", "request", "delivery"}) {
            const QByteArray name = QByteArray("journal_") + column;
            QVERIFY(raw.exec("DROP INDEX " + name));
            QVERIFY(raw.exec("CREATE INDEX " + name + " ON journal(" + column + "_id)"));
        }
        QVERIFY(raw.exec("PRAGMA user_version = 1"));
        QCOMPARE(raw.number("SELECT count(*) FROM deliveries WHERE body IS NOT NULL"), 1);
    }
    auto store = openStore();
    QVERIFY(store);
    QCOMPARE(store->schemaVersion(), latestSchemaVersion());
    QCOMPARE(store->delivery(id)->body, QByteArrayLiteral("[{\"payload\":\"as delivered\"}]"));
    QCOMPARE(store->deliveryByTransactionId(QStringLiteral("TX-M2-PUB"))->body, store->delivery(id)->body);
    RawDb raw(dbPath(), true);
    QCOMPARE(raw.number("SELECT count(*) FROM deliveries WHERE body IS NOT NULL"), 0);
    QCOMPARE(raw.number("SELECT count(*) FROM delivery_bodies"), 1);
    // Migration 5 replaced the indexes of version 1.
    const QString indexSql = raw.text("SELECT group_concat(sql, ';') FROM sqlite_master WHERE type = 'index'");
    QVERIFY2(indexSql.contains(QLatin1String("ON deliveries(id) WHERE status IN ('Pending', 'Retrying')")), qPrintable(indexSql));
    QVERIFY2(indexSql.contains(QLatin1String("ON journal(delivery_id) WHERE message_id IS NULL")), qPrintable(indexSql));
    QVERIFY2(!indexSql.contains(QLatin1String("ON messages(sender_dip_id)")), qPrintable(indexSql));
}

void TestStore::refusesANewerSchema()
{
    QVERIFY(openStore());
    {
        RawDb raw(dbPath());
        QVERIFY(raw.exec("PRAGMA user_version = 99"));
    }
    Issues issues;
    QVERIFY(!Store::open(dbPath(), &issues));
    QCOMPARE(issues.size(), 1);
    QCOMPARE(issues.first().code, QStringLiteral("STORE003"));
    QVERIFY2(issues.first().text.contains(QLatin1String("99")) && issues.first().text.contains(QLatin1String("newer")),
             qPrintable(issues.first().text));

    QVERIFY(!Store::open(m_dir->filePath(QStringLiteral("no/such/dir/x.db")), &issues));
    QCOMPARE(issues.last().code, QStringLiteral("STORE001"));
}

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

void TestStore::groupCommitGroupsConcurrentWriters()
{
    auto store = openStore();
    QVERIFY(store);
    constexpr int kThreads = 4;
    constexpr int kPerThread = 250;
    struct Producer
    {
        QThread thread;
        QObject receiver;      // lives on thread: done callbacks run there
        QList<int> seen;       // touched only on thread until it has finished
        bool wrongThread = false;
    };
    std::vector<std::unique_ptr<Producer>> producers;
    std::atomic<int> dones{0};
    for (int t = 0; t < kThreads; ++t) {
        auto p = std::make_unique<Producer>();
        p->receiver.moveToThread(&p->thread);
        p->thread.start();
        producers.push_back(std::move(p));
    }
    for (int t = 0; t < kThreads; ++t) {
        Producer *p = producers[size_t(t)].get();
        QMetaObject::invokeMethod(&p->receiver, [&, p, t] {
            for (int i = 0; i < kPerThread; ++i) {
                const QString tx = QStringLiteral("T%1-%2").arg(t).arg(i);
                store->write(
                    [tx](WriteTxn &txn) {
                        MessageRecord m = makeMessage(tx);
                        txn.insertMessage(m);
                    },
                    &p->receiver,
                    [p, i, &dones](bool ok, const QString &) {
                        if (QThread::currentThread() != &p->thread)
                            p->wrongThread = true;
                        p->seen.append(ok ? i : -1 - i);
                        ++dones;
                    });
            }
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(dones.load(), kThreads * kPerThread, 30000);
    for (auto &p : producers) {
        p->thread.quit();
        p->thread.wait();
    }
    QTest::qWait(50);
    QCOMPARE(dones.load(), kThreads * kPerThread); // exactly once each
    for (auto &p : producers) {
        QVERIFY(!p->wrongThread);
        QCOMPARE(p->seen.size(), kPerThread);
        for (int i = 0; i < kPerThread; ++i)
            QCOMPARE(p->seen[i], i); // ok, and in queue order
    }
    QCOMPARE(store->messageCount(), kThreads * kPerThread);
    const auto stats = store->writerStats();
    QCOMPARE(stats.batchesCommitted, kThreads * kPerThread);
    QCOMPARE(stats.batchesFailed, 0);
    qInfo() << kThreads * kPerThread << "batches from" << kThreads << "threads in" << stats.commits << "commits";
    QVERIFY2(stats.commits <= kThreads * kPerThread / 2, "batches were not grouped");
}

void TestStore::queuedWhileBusyCommitsInOneGroup()
{
    auto store = openStore();
    QVERIFY(store);
    Gate gate;
    store->write(gate.batch());
    gate.entered.acquire();
    const auto before = store->writerStats();
    int done = 0;
    for (int i = 0; i < 300; ++i) {
        store->write(
            [i](WriteTxn &txn) {
                MessageRecord m = makeMessage(QStringLiteral("G%1").arg(i));
                txn.insertMessage(m);
            },
            nullptr, [&done](bool ok, const QString &) { done += ok ? 1 : 0; });
    }
    gate.release.release();
    store->flush();
    QCOMPARE(done, 300);
    QCOMPARE(store->writerStats().commits - before.commits, 2); // the gate's commit, then one for all 300
    QCOMPARE(store->writerStats().groupsRedone, 0);
}

// The answers of a group reach their contexts in the order of the batches, also when two contexts
// on one thread take turns (neighbours for one context share a queued call).
void TestStore::answersOfAGroupKeepTheirOrder()
{
    auto store = openStore();
    QVERIFY(store);
    Gate gate;
    store->write(gate.batch());
    gate.entered.acquire();
    QObject other;
    QList<int> order;
    for (int i = 0; i < 60; ++i) {
        QObject *context = (i / 7) % 2 ? &other : this;
        store->write(
            [i](WriteTxn &txn) {
                MessageRecord m = makeMessage(QStringLiteral("ORD%1").arg(i));
                txn.insertMessage(m);
            },
            context, [&order, i](bool ok, const QString &) { order << (ok ? i : -1 - i); });
    }
    const auto before = store->writerStats();
    gate.release.release();
    store->flush();
    QTRY_COMPARE(order.size(), 60);
    QList<int> expected;
    for (int i = 0; i < 60; ++i)
        expected << i;
    QCOMPARE(order, expected);
    QCOMPARE(store->writerStats().commits - before.commits, 2);  // the gate's, then one for all 60
}

void TestStore::failingBatchFailsAlone()
{
    auto store = openStore();
    QVERIFY(store);
    Gate gate;
    store->write(gate.batch());
    gate.entered.acquire();
    const auto before = store->writerStats();
    auto messageBatch = [](QString tx, QString reference) {
        return [tx, reference](WriteTxn &txn) {
            RequestRecord r;
            r.method = QStringLiteral("POST");
            r.path = QStringLiteral("/send/") + tx;
            txn.insertRequest(r);
            JournalEntry e = makeJournal(QStringLiteral("Received"), tx);
            e.requestId = r.id;
            txn.journal(e);
            MessageRecord m = makeMessage(tx, QStringLiteral("2300000185"), reference);
            m.requestId = r.id;
            txn.insertMessage(m);
        };
    };
    Outcome a, dup, c, thrower, swallower;
    store->write(messageBatch(QStringLiteral("A"), QStringLiteral("R1")), this, record(&a));
    store->write(messageBatch(QStringLiteral("B"), QStringLiteral("R1")), this, record(&dup));
    store->write([](WriteTxn &) { throw std::runtime_error("scenario bug"); }, this, record(&thrower));
    store->write(
        [&](WriteTxn &txn) {
            MessageRecord m = makeMessage(QStringLiteral("D"), QStringLiteral("2300000185"), QStringLiteral("R1"));
            try {
                txn.insertMessage(m);
            } catch (...) {
                // A careless batch that swallows the error is still failed.
            }
        },
        this, record(&swallower));
    store->write(messageBatch(QStringLiteral("C"), QStringLiteral("R2")), this, record(&c));
    gate.release.release();
    store->flush();
    QTRY_COMPARE(c.calls, 1);
    QCOMPARE(store->writerStats().commits - before.commits, 2); // all five were in one commit

    QCOMPARE(a.calls, 1);
    QVERIFY2(a.ok, qPrintable(a.error));
    QVERIFY(c.ok);
    QCOMPARE(dup.calls, 1);
    QVERIFY(!dup.ok);
    QVERIFY2(dup.error.contains(QLatin1String(
                 "UNIQUE constraint failed: messages.sender_dip_id, messages.sender_unique_reference")),
             qPrintable(dup.error));
    QVERIFY(!thrower.ok);
    QVERIFY2(thrower.error.contains(QLatin1String("scenario bug")), qPrintable(thrower.error));
    QVERIFY(!swallower.ok);
    QVERIFY2(swallower.error.contains(QLatin1String("UNIQUE constraint failed")), qPrintable(swallower.error));

    // Nothing of the failed batches remains, not even their request and journal rows.
    const auto reqs = store->requests(0, -1);
    QCOMPARE(reqs.size(), 2);
    QCOMPARE(reqs[0].path, QStringLiteral("/send/A"));
    QCOMPARE(reqs[1].path, QStringLiteral("/send/C"));
    QCOMPARE(store->messageCount(), 2);
    const auto journal = store->journal(0, -1);
    QCOMPARE(journal.size(), 2);
    QCOMPARE(journal[1].id, journal[0].id + 1);
    QCOMPARE(journal[1].detail, QStringLiteral("C"));
    QString why;
    QCOMPARE(store->verifyJournal(&why), 0);
    const auto stats = store->writerStats();
    QCOMPARE(stats.batchesFailed - before.batchesFailed, 3);
    QCOMPARE(stats.groupsRedone - before.groupsRedone, 1); // undone whole, then run batch by batch
}

void TestStore::failedCommitFailsTheWholeGroup()
{
    auto store = openStore();
    QVERIFY(store);
    Gate gate;
    store->write(gate.batch());
    gate.entered.acquire();
    Outcome a, poison, c;
    auto ok = [](QString tx) {
        return [tx](WriteTxn &txn) {
            MessageRecord m = makeMessage(tx);
            txn.insertMessage(m);
            JournalEntry e = makeJournal(QStringLiteral("GoodToGo"), tx);
            e.messageId = m.id;
            txn.journal(e);
        };
    };
    store->write(ok(QStringLiteral("A")), this, record(&a));
    // A deferred constraint only fails at COMMIT: the whole group is lost, so none may be acknowledged.
    store->write(
        [](WriteTxn &txn) {
            sqlite3_exec(txn.db(), "PRAGMA defer_foreign_keys = ON", nullptr, nullptr, nullptr);
            DeliveryRecord d = makeDelivery(999999, QStringLiteral("orphan"));
            txn.insertDelivery(d);
        },
        this, record(&poison));
    store->write(ok(QStringLiteral("C")), this, record(&c));
    gate.release.release();
    store->flush();
    QTRY_COMPARE(c.calls, 1);
    for (const Outcome *o : {&a, &poison, &c}) {
        QCOMPARE(o->calls, 1);
        QVERIFY(!o->ok);
        QVERIFY2(o->error.contains(QLatin1String("FOREIGN KEY constraint failed")), qPrintable(o->error));
    }
    QCOMPARE(store->messageCount(), 0);
    QCOMPARE(store->deliveryCount(), 0);
    QVERIFY(store->journalHead().isEmpty());

    Outcome later;
    store->write(ok(QStringLiteral("later")), this, record(&later));
    store->flush();
    QTRY_COMPARE(later.calls, 1);
    QVERIFY2(later.ok, qPrintable(later.error));
    QCOMPARE(store->journal(0, -1).first().id, 1);
    QCOMPARE(store->verifyJournal(), 0);
}

void TestStore::doneOnlyAfterVisibleToANewReader()
{
    auto store = openStore();
    QVERIFY(store);
    const QString path = dbPath();
    std::atomic<int> seen{0}, missing{0};
    for (int i = 0; i < 200; ++i) {
        const QString tx = QStringLiteral("V%1").arg(i);
        // Without context: done runs on the writer thread right after COMMIT.
        store->write(
            [tx](WriteTxn &txn) {
                MessageRecord m = makeMessage(tx);
                txn.insertMessage(m);
            },
            nullptr,
            [&, tx](bool ok, const QString &) {
                RawDb fresh(path, true);
                if (ok && fresh.number("SELECT count(*) FROM messages WHERE transaction_id = ?", tx) == 1)
                    ++seen;
                else
                    ++missing;
            });
    }
    // With a context: done runs here and the store's own reader sees the row.
    int seenHere = 0;
    for (int i = 0; i < 50; ++i) {
        auto m = std::make_shared<MessageRecord>(makeMessage(QStringLiteral("W%1").arg(i)));
        store->write([m](WriteTxn &txn) { txn.insertMessage(*m); }, this, [&, m](bool ok, const QString &) {
            RawDb fresh(path, true);
            if (ok && store->message(m->id) && fresh.number("SELECT count(*) FROM messages WHERE id = ?", QString::number(m->id)) == 1)
                ++seenHere;
            else
                ++missing;
        });
    }
    store->flush();
    QCOMPARE(seen.load(), 200);
    QTRY_COMPARE(seenHere, 50);
    QCOMPARE(missing.load(), 0);
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

void TestStore::diskFullFailsWithoutAckAndRecovers()
{
    auto store = openStore();
    QVERIFY(store);
    // Cap the file at its current size, as a full disk would.
    Outcome capped;
    store->write(
        [](WriteTxn &txn) {
            sqlite3_stmt *s = nullptr;
            sqlite3_prepare_v2(txn.db(), "PRAGMA page_count", -1, &s, nullptr);
            sqlite3_step(s);
            const QByteArray cap = "PRAGMA max_page_count = " + QByteArray::number(sqlite3_column_int64(s, 0));
            sqlite3_finalize(s);
            sqlite3_exec(txn.db(), cap.constData(), nullptr, nullptr, nullptr);
        },
        nullptr, record(&capped));
    store->flush();
    QVERIFY(capped.ok);

    auto bigMessage = [](QString tx) {
        return [tx](WriteTxn &txn) {
            MessageRecord m = makeMessage(tx, QStringLiteral("2300000185"), {}, 256 * 1024);
            txn.insertMessage(m);
            JournalEntry e = makeJournal(QStringLiteral("GoodToGo"), tx);
            e.messageId = m.id;
            txn.journal(e);
        };
    };
    Outcome full[5];
    for (int i = 0; i < 5; ++i)
        store->write(bigMessage(QStringLiteral("F%1").arg(i)), nullptr, record(&full[i]));
    store->flush();
    for (const Outcome &o : full) {
        QCOMPARE(o.calls, 1);
        QVERIFY(!o.ok);
        QVERIFY2(o.error.contains(QLatin1String("database or disk is full")), qPrintable(o.error));
    }
    QCOMPARE(store->messageCount(), 0);
    QVERIFY(store->journalHead().isEmpty());

    // Space returns: the same store carries on.
    store->write([](WriteTxn &txn) {
        sqlite3_exec(txn.db(), "PRAGMA max_page_count = 1073741823", nullptr, nullptr, nullptr);
    });
    Outcome again[5];
    for (int i = 0; i < 5; ++i)
        store->write(bigMessage(QStringLiteral("F%1").arg(i)), nullptr, record(&again[i]));
    store->flush();
    for (const Outcome &o : again)
        QVERIFY2(o.ok, qPrintable(o.error));
    QCOMPARE(store->messageCount(), 5);
    QCOMPARE(store->journal(0, -1).first().id, 1);
    QCOMPARE(store->verifyJournal(), 0);
}

void TestStore::destructorDrainsTheQueue()
{
    std::atomic<int> ok{0};
    {
        auto store = openStore();
        QVERIFY(store);
        for (int i = 0; i < 500; ++i)
            store->write(
                [i](WriteTxn &txn) {
                    MessageRecord m = makeMessage(QStringLiteral("Q%1").arg(i));
                    txn.insertMessage(m);
                },
                nullptr, [&ok](bool success, const QString &) { ok += success ? 1 : 0; });
        (void)store->messageCount(); // leaves a reader connection open on this thread
    }
    QCOMPARE(ok.load(), 500);
    auto store = openStore();
    QVERIFY(store);
    QCOMPARE(store->messageCount(), 500);
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

void TestStore::throughput()
{
    auto store = openStore();
    QVERIFY(store);
    constexpr int kMessages = 20000;
    const QByteArray payload = "{\"payload\":{\"data\":\"" + QByteArray(1500, 'x') + "\"}}";
    std::atomic<int> acknowledged{0};
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < kMessages; ++i) {
        store->write(
            [i, payload](WriteTxn &txn) {
                MessageRecord m = makeMessage(QStringLiteral("TP%1").arg(i));
                m.payload = payload;
                txn.insertMessage(m);
                DeliveryRecord d = makeDelivery(m.id, QStringLiteral("TP%1-PUB").arg(i));
                txn.insertDelivery(d);
                JournalEntry in = makeJournal(QStringLiteral("GoodToGo"));
                in.messageId = m.id;
                txn.journal(in);
                JournalEntry out = makeJournal(QStringLiteral("SentToTopic"));
                out.stage = QStringLiteral("Addressing");
                out.messageId = m.id;
                out.deliveryId = d.id;
                txn.journal(out);
            },
            nullptr, [&acknowledged](bool ok, const QString &) { acknowledged += ok ? 1 : 0; });
    }
    store->flush();
    const qint64 ms = qMax<qint64>(1, timer.elapsed());
    QCOMPARE(acknowledged.load(), kMessages);
    QCOMPARE(store->messageCount(), kMessages);
    const auto stats = store->writerStats();
    qInfo("store throughput: %d messages (1.5 KB payload, 1 delivery, 2 journal rows each) in %lld ms = %lld msgs/s, "
          "%lld commits, synchronous=FULL",
          kMessages, ms, kMessages * 1000LL / ms, stats.commits);
    QCOMPARE(store->verifyJournal(), 0);

    // The other extreme: one client that waits for each acknowledgement (no one to group with).
    constexpr int kSequential = 300;
    timer.restart();
    for (int i = 0; i < kSequential; ++i) {
        store->write([i, payload](WriteTxn &txn) {
            MessageRecord m = makeMessage(QStringLiteral("SQ%1").arg(i));
            m.payload = payload;
            txn.insertMessage(m);
        });
        store->flush();
    }
    const qint64 seqMs = qMax<qint64>(1, timer.elapsed());
    qInfo("store latency: %d acknowledged one at a time in %lld ms = %lld msgs/s (%.2f ms each)", kSequential, seqMs,
          kSequential * 1000LL / seqMs, double(seqMs) / kSequential);
}

QTEST_GUILESS_MAIN(TestStore)
#include "test_store.moc"
