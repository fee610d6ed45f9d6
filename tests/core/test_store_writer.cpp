// SPDX-License-Identifier: GPL-3.0-or-later
// The writer thread: group commit, the order of answers, a failing write alone, a failed commit, a full disk, shutdown.
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

class TestStoreWriter final : public StoreTestBase
{
    Q_OBJECT

private slots:
    void init()
    {
        freshDir();
        QVERIFY(m_dir->isValid());
    }

    void groupCommitGroupsConcurrentWriters();
    void queuedWhileBusyCommitsInOneGroup();
    void answersOfAGroupKeepTheirOrder();
    void failingBatchFailsAlone();
    void failedCommitFailsTheWholeGroup();
    void doneOnlyAfterVisibleToANewReader();
    void answersWaitForTheLogSync();
    void diskFullFailsWithoutAckAndRecovers();
    void destructorDrainsTheQueue();
    void commitsAndCheckpointsAreTimedAndTheLogStaysBounded();
    void throughput();
};

void TestStoreWriter::groupCommitGroupsConcurrentWriters()
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

void TestStoreWriter::queuedWhileBusyCommitsInOneGroup()
{
    auto store = openStore();
    QVERIFY(store);
    Gate gate;
    gate.hold(*store);
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
void TestStoreWriter::answersOfAGroupKeepTheirOrder()
{
    auto store = openStore();
    QVERIFY(store);
    Gate gate;
    gate.hold(*store);
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

void TestStoreWriter::failingBatchFailsAlone()
{
    auto store = openStore();
    QVERIFY(store);
    Gate gate;
    gate.hold(*store);
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

void TestStoreWriter::failedCommitFailsTheWholeGroup()
{
    auto store = openStore();
    QVERIFY(store);
    Gate gate;
    gate.hold(*store);
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

void TestStoreWriter::doneOnlyAfterVisibleToANewReader()
{
    auto store = openStore();
    QVERIFY(store);
    const QString path = dbPath();
    std::atomic<int> seen{0}, missing{0};
    for (int i = 0; i < 200; ++i) {
        const QString tx = QStringLiteral("V%1").arg(i);
        // Without context: done runs on the store's own thread once the commit is durable.
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

void TestStoreWriter::answersWaitForTheLogSync()
{
    // By default the COMMIT only writes the log and a thread of the store syncs it: an answer must
    // come after a sync that started after its commit. One write at a time, each answer sees one
    // more finished sync than the last (an answer sent before its sync would see one fewer).
    auto store = openStore();
    QVERIFY(store);
    QVERIFY(store->writerStats().syncsOnOwnThread);
    const qint64 before = store->writerStats().syncTime.count();
    QList<qint64> syncsAtAnswer;
    for (int i = 0; i < 5; ++i) {
        const QString tx = QStringLiteral("S%1").arg(i);
        store->write([tx](WriteTxn &txn) {
            MessageRecord m = makeMessage(tx);
            txn.insertMessage(m);
        }, nullptr, [&](bool ok, const QString &) {
            syncsAtAnswer << (ok ? store->writerStats().syncTime.count() - before : -1);
        });
        store->flush();
    }
    QCOMPARE(syncsAtAnswer, (QList<qint64>{1, 2, 3, 4, 5}));
    // A write that stores nothing (it failed) needs no sync and still gets its answer.
    Outcome failed;
    store->write([](WriteTxn &) { throw std::runtime_error("no"); }, nullptr, record(&failed));
    store->flush();
    QCOMPARE(failed.calls, 1);
    QVERIFY(!failed.ok);
    QCOMPARE(store->writerStats().syncTime.count() - before, 5);

    // Each COMMIT syncing itself: nothing is synced apart.
    store.reset();
    Store::Options inCommit;
    inCommit.syncOnOwnThread = false;
    store = openStore(inCommit);
    QVERIFY(store);
    Outcome o;
    store->write([](WriteTxn &txn) {
        MessageRecord m = makeMessage(QStringLiteral("S-full"));
        txn.insertMessage(m);
    }, nullptr, record(&o));
    store->flush();
    QVERIFY(o.ok);
    QCOMPARE(store->writerStats().syncTime.count(), 0);
    QVERIFY(store->writerStats().commitTime.count() >= 1);
}

void TestStoreWriter::diskFullFailsWithoutAckAndRecovers()
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

void TestStoreWriter::destructorDrainsTheQueue()
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

// The writer runs SQLite's automatic checkpoint itself, to time it apart from the commits. If it
// did not checkpoint, the log would keep every round and the database file would not grow.
void TestStoreWriter::commitsAndCheckpointsAreTimedAndTheLogStaysBounded()
{
    auto store = openStore();
    QVERIFY(store);
    const auto before = store->writerStats();
    constexpr int kRounds = 6;
    constexpr int kPerRound = 600; // 600 x 8 KB: more than the 1000 pages (4 MB) that call for a checkpoint
    for (int round = 0; round < kRounds; ++round) {
        Outcome o;
        store->write(
            [round](WriteTxn &txn) {
                for (int i = 0; i < kPerRound; ++i) {
                    MessageRecord m = makeMessage(QStringLiteral("CK%1-%2").arg(round).arg(i), QStringLiteral("2300000185"),
                                                  {}, 8000);
                    txn.insertMessage(m);
                }
            },
            nullptr, record(&o));
        store->flush();
        QVERIFY2(o.ok, qPrintable(o.error));
    }
    const auto stats = store->writerStats();
    const qint64 commits = stats.commits - before.commits;
    QCOMPARE(commits, kRounds);
    QCOMPARE(stats.commitTime.count() - before.commitTime.count(), commits); // every commit timed once
    // Each round's commit crosses the threshold, so each is followed by one checkpoint.
    QCOMPARE(stats.checkpointTime.count() - before.checkpointTime.count(), kRounds);
    QVERIFY(stats.commitTime.maxMs() > 0);
    QVERIFY(stats.commitTime.quantileMs(0.5) <= stats.commitTime.maxMs());
    QVERIFY(stats.checkpointTime.maxMs() > 0);

    const qint64 dbBytes = QFileInfo(dbPath()).size();
    const qint64 walBytes = QFileInfo(dbPath() + QStringLiteral("-wal")).size();
    const qint64 roundBytes = qint64(kPerRound) * 8000;
    qInfo("after %d rounds of %lld KiB: database %lld KiB, log %lld KiB; commits %s; checkpoints %s", kRounds,
          roundBytes / 1024, dbBytes / 1024, walBytes / 1024, qPrintable(stats.commitTime.summary()),
          qPrintable(stats.checkpointTime.summary()));
    QVERIFY2(dbBytes >= kRounds * roundBytes, "the rounds were not copied into the database file");
    QVERIFY2(walBytes < 2 * roundBytes, "the log was not restarted after its checkpoints");
    QCOMPARE(store->messageCount(), kRounds * kPerRound);
}

void TestStoreWriter::throughput()
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

QTEST_GUILESS_MAIN(TestStoreWriter)

#include "test_store_writer.moc"
