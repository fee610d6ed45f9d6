// SPDX-License-Identifier: GPL-3.0-or-later
// What the store's tests share (test_store, test_store_migrations, test_store_writer): a raw
// connection to look behind the store's back, record makers, the journal hash computed on its own,
// and a fixture with a fresh workspace folder per test.
#pragma once

#include "store/store.h"

#include <QCryptographicHash>
#include <QObject>
#include <QSemaphore>
#include <QTemporaryDir>
#include <sqlite3.h>

#include <memory>

namespace dipwb::store::testing {

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
    /// Queues the holding batch and waits until the writer is inside it.
    void hold(Store &store)
    {
        store.write(batch());
        entered.acquire();
    }
};

struct Outcome
{
    int calls = 0;
    bool ok = false;
    QString error;
};

inline Store::DoneFn record(Outcome *o)
{
    return [o](bool ok, const QString &error) {
        ++o->calls;
        o->ok = ok;
        o->error = error;
    };
}

inline MessageRecord makeMessage(const QString &tx, const QString &sender = QStringLiteral("2300000185"),
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

inline DeliveryRecord makeDelivery(qint64 messageId, const QString &tx, const QString &recipient = QStringLiteral("2100000001"))
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

inline JournalEntry makeJournal(const QString &status, const QString &detail = QStringLiteral("detail"))
{
    JournalEntry e;
    e.atMs = 1700000000123;
    e.stage = QStringLiteral("Inbound");
    e.status = status;
    e.detail = detail;
    return e;
}

/// The chain as documented, computed independently of the store's code.
inline QByteArray expectedHash(const JournalEntry &e)
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


/// A fresh folder per test (init()) and a store opened in it.
class StoreTestBase : public QObject
{
protected:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString dbPath() const { return m_dir->filePath(QStringLiteral("workbench.db")); }
    void freshDir() { m_dir = std::make_unique<QTemporaryDir>(); }

    std::unique_ptr<Store> openStore(const Store::Options &options = {})
    {
        Issues issues;
        auto store = Store::open(dbPath(), options, &issues);
        if (!store)
            qWarning() << "open failed:" << (issues.isEmpty() ? QString() : issues.first().toString());
        return store;
    }
};

} // namespace dipwb::store::testing
