#pragma once

#include "common/duration_histogram.h"
#include "common/issue.h"
#include "participants/participant.h"
#include "store/records.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QPair>
#include <QStringList>
#include <functional>
#include <memory>
#include <optional>

struct sqlite3;

namespace dipwb::tracker {
struct MessageFilter;
struct MessageSummary;
} // namespace dipwb::tracker

namespace dipwb::store {

class WriterThread;

/// The operations a write batch may do. Valid only inside Store::write's callback, on the writer
/// thread, inside the open transaction; the ids returned are final once the batch commits.
class WriteTxn
{
public:
    virtual ~WriteTxn() = default;
    virtual qint64 insertRequest(RequestRecord &r) = 0;          ///< fills r.id
    virtual qint64 insertMessage(MessageRecord &m) = 0;          ///< fills m.id
    virtual qint64 insertDelivery(DeliveryRecord &d) = 0;        ///< fills d.id
    /// Updates the state columns of a delivery (status, attempts, nextAttemptMs, deliveredMs,
    /// lastHttpStatus, lastError) from d, matched by d.id, and its last call when d has one.
    virtual void updateDeliveryState(const DeliveryRecord &d) = 0;
    /// Appends to the hash-chained journal; fills id, prevHash and hash.
    virtual qint64 journal(JournalEntry &e) = 0;
    virtual qint64 upsertAppointment(AppointmentRecord &a) = 0;  ///< insert when a.id == 0, else update
    /// Deletes every row of (mpan, role): with upserts after it, the history of one role replaced.
    virtual void deleteAppointmentsOf(const QString &mpan, const QString &role) = 0;
    virtual void upsertParticipant(const participants::Participant &p) = 0; ///< with its webhooks
    virtual void deleteParticipant(const QString &dipId) = 0;
    /// Any other statement the caller needs (scenario runs...): the open connection.
    virtual sqlite3 *db() = 0;
};

/// Filter for replay/requeue and reading publications of one recipient.
struct PublicationQuery
{
    QString recipientDipId;
    QString channel;                 ///< "IF-033"
    qint64 fromMs = 0;               ///< inclusive, on the delivery's creation time
    qint64 toMs = 0;                 ///< exclusive; 0: no upper bound
    QString eventCode;               ///< empty: any
    QString mpan;                    ///< empty: any
    QString schemaVersion;           ///< empty: any
    QStringList transactionIds;      ///< delivery transaction ids; empty: any
    int limit = 10000;
};

/// The workspace database: SQLite in WAL mode, one writer thread with group commit, readers on
/// their own connections. Acknowledged means committed and durable: write()'s done callback runs
/// only after the COMMIT returned and (synchronousFull) the log holding it was synced to the disk.
class Store final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Store)
public:
    struct Options
    {
        int groupCommitWindowMs = 2;  ///< how long the writer waits to gather more batches
        int maxBatchesPerCommit = 512;
        bool synchronousFull = true;  ///< durable on power loss: every answer waits for the log's sync
        /// With synchronousFull: the log is synced by a thread of its own after each COMMIT (which
        /// then only writes it, PRAGMA synchronous=NORMAL), so the writer goes on with the next
        /// group meanwhile; answers still wait for the sync (store/log_sync.h). false, or where
        /// that is not available: COMMIT syncs (PRAGMA synchronous=FULL).
        bool syncOnOwnThread = true;
        /// PRAGMA max_page_count of the writer: the database cannot grow beyond this many pages, and a
        /// write that needs more fails as on a full disk (SQLITE_FULL). 0: SQLite's own limit.
        qint64 maxPageCount = 0;
    };

    /// Counters of the writer since open (diagnostics, dashboard, tests of group commit).
    struct WriterStats
    {
        qint64 commits = 0;           ///< successful COMMITs
        qint64 batchesCommitted = 0;  ///< batches acknowledged with ok = true
        qint64 batchesFailed = 0;     ///< batches answered with ok = false
        qint64 groupsRedone = 0;      ///< groups undone and run again batch by batch after a failure
        /// Each successful COMMIT: writing the group to the log, and syncing it when the COMMIT
        /// syncs (not syncOnOwnThread). Checkpoints are not in it.
        DurationHistogram commitTime;
        /// Each sync of the log by the sync thread (syncOnOwnThread): the part of a durable answer
        /// that belongs to the disk. One sync covers every group committed before it started.
        DurationHistogram syncTime;
        bool syncsOnOwnThread = false;  ///< whether the log is synced apart from the COMMITs
        /// Each checkpoint (copying the log into the database file and syncing that), run by the
        /// writer after a commit once the log holds kCheckpointPages pages, as SQLite would.
        DurationHistogram checkpointTime;
    };

    /// Opens (creating and migrating as needed) the database file and starts the writer thread.
    /// Only one writer per file: a lock file beside it (<path>.lock) is held while the store is
    /// open, and a second open fails with STORE005 naming the process that holds it, because two
    /// writers would each extend the journal chain from their own head. Returns nullptr with a
    /// specific issue when the file cannot be opened, locked or migrated.
    static std::unique_ptr<Store> open(const QString &path, Issues *issues);
    static std::unique_ptr<Store> open(const QString &path, const Options &options, Issues *issues);
    /// Opens an existing database for reading only: no writer thread, no lock, no migration, so a
    /// report can be made while another process (or this one) writes. write() answers ok = false.
    static std::unique_ptr<Store> openForReading(const QString &path, Issues *issues);
    ~Store() override;

    QString path() const;
    int schemaVersion() const;

    using WriteFn = std::function<void(WriteTxn &)>;
    using DoneFn = std::function<void(bool ok, const QString &error)>;
    /// Queues a batch. Thread-safe. done (optional) runs on context's thread after the commit
    /// (ok = true) or after a rollback (ok = false, with SQLite's error, e.g. "database or disk is
    /// full"). Batches commit in the order they were queued. If context is destroyed, done is dropped.
    /// work may run twice: when a batch of a group commit fails, the group is undone and run again
    /// batch by batch, so work must set what it writes from its captures, never consume them.
    void write(WriteFn work, QObject *context = nullptr, DoneFn done = {});
    /// Blocks until everything queued so far is committed (tests, shutdown).
    void flush();
    WriterStats writerStats() const;

    // Reads. Thread-safe: each calling thread gets its own read-only connection.
    QList<participants::Participant> participants() const;
    QList<AppointmentRecord> appointments() const;
    /// The appointment history of one MPAN, by role then effective date.
    QList<AppointmentRecord> appointmentsOf(const QString &mpan) const;
    /// Deliveries not yet in a final state (Pending, Retrying), oldest first: what to resume.
    QList<DeliveryRecord> pendingDeliveries() const;
    /// (senderDipId, senderUniqueReference) pairs already accepted, to rebuild the duplicate check.
    QList<QPair<QString, QString>> senderReferences() const;
    std::optional<MessageRecord> message(qint64 id) const;
    std::optional<MessageRecord> messageByTransactionId(const QString &transactionId) const;
    std::optional<DeliveryRecord> delivery(qint64 id) const;
    /// The copy with this D0 transaction id; when several share it (replays, status messages about
    /// it), the original publication: publications before status messages, originals before
    /// replays, then the oldest.
    std::optional<DeliveryRecord> deliveryByTransactionId(const QString &transactionId) const;
    QList<DeliveryRecord> deliveriesOfMessage(qint64 messageId) const;
    /// The last webhook call made for a copy (nullopt: none was made yet, or before calls were kept).
    std::optional<DeliveryCall> deliveryCall(qint64 deliveryId) const;
    QList<JournalEntry> journalOfMessage(qint64 messageId) const;
    /// Pages in id order: rows with id > afterId, at most limit of them (limit < 0: all).
    QList<RequestRecord> requests(qint64 afterId, int limit) const;
    QList<MessageRecord> messages(qint64 afterId, int limit) const;
    QList<JournalEntry> journal(qint64 afterId, int limit) const;
    std::optional<RequestRecord> request(qint64 id) const;
    /// Original publication copies (not replays) matching q, with the message they belong to.
    QList<QPair<DeliveryRecord, MessageRecord>> publications(const PublicationQuery &q) const;
    qint64 messageCount() const;
    /// The newest request's id (0 when there is none): where a reader of new requests starts.
    qint64 lastRequestId() const;
    qint64 deliveryCount() const;
    /// Recomputes the hash chain; returns the id of the first bad row, or 0 when intact (-1 when
    /// the journal cannot be read). *why names the row and the reason.
    qint64 verifyJournal(QString *why = nullptr) const;
    /// Hash of the newest journal row (hex), empty when the journal is empty.
    QByteArray journalHead() const;

    // Message tracker reads (store_tracker_reads.cpp).
    /// Ids of messages matching filter with id > afterId, ascending, at most limit (< 0: all).
    QList<qint64> messageIds(const tracker::MessageFilter &filter, qint64 afterId, int limit) const;
    /// Summaries of those messages that exist, in id order; the payload only when asked.
    QList<tracker::MessageSummary> messageSummaries(const QList<qint64> &ids, bool withPayload = false) const;
    /// The messages (distinct, ascending) the given deliveries belong to.
    QList<qint64> messageIdsOfDeliveries(const QList<qint64> &deliveryIds) const;

private:
    explicit Store(QObject *parent = nullptr);
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace dipwb::store
