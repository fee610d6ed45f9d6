// SPDX-License-Identifier: GPL-3.0-or-later
// The schema and its migrations: a new database, each step from an older one, and a newer one refused.
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

class TestStoreMigrations final : public StoreTestBase
{
    Q_OBJECT

private slots:
    void init()
    {
        freshDir();
        QVERIFY(m_dir->isValid());
    }

    void migrationsCreateTheSchemaAndReopenKeepsData();
    void refusesANewerSchema();
    void migrationTwoMovesDeliveryBodies();
};

void TestStoreMigrations::migrationsCreateTheSchemaAndReopenKeepsData()
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
    auto pragmaSynchronous = [&sync](WriteTxn &txn) {
        sqlite3_stmt *s = nullptr;
        sqlite3_prepare_v2(txn.db(), "PRAGMA synchronous", -1, &s, nullptr);
        if (sqlite3_step(s) == SQLITE_ROW)
            sync = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    };
    store->write(
        [&pragmaSynchronous](WriteTxn &txn) {
            pragmaSynchronous(txn);
            DeliveryRecord d = makeDelivery(424242, QStringLiteral("TX-orphan"));
            txn.insertDelivery(d);
        },
        nullptr, record(&fk));
    store->flush();
    // Durable by default: COMMIT only writes the log (NORMAL) and the sync thread syncs it.
    QCOMPARE(sync, 1);
    QVERIFY(store->writerStats().syncsOnOwnThread);
    QVERIFY(!fk.ok);
    QVERIFY2(fk.error.contains(QLatin1String("FOREIGN KEY constraint failed")), qPrintable(fk.error));
    store.reset();

    Store::Options inCommit;
    inCommit.syncOnOwnThread = false;
    store = openStore(inCommit);
    QVERIFY(store);
    store->write(pragmaSynchronous);
    store->flush();
    QCOMPARE(sync, 2); // FULL: each COMMIT syncs
    QVERIFY(!store->writerStats().syncsOnOwnThread);
    store.reset();

    Store::Options fast;
    fast.synchronousFull = false;
    store = openStore(fast);
    QVERIFY(store);
    store->write(pragmaSynchronous);
    store->flush();
    QCOMPARE(sync, 1); // NORMAL, and nothing syncs the log after the commits
    QVERIFY(!store->writerStats().syncsOnOwnThread);
}

void TestStoreMigrations::migrationTwoMovesDeliveryBodies()
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

void TestStoreMigrations::refusesANewerSchema()
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

QTEST_GUILESS_MAIN(TestStoreMigrations)

#include "test_store_migrations.moc"
