// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/store.h"

namespace dipwb::store {

class SqlConnection;
class StatementUse;

/// Thrown by SqlWriteTxn when a statement fails, to stop the batch at its first error. It never
/// leaves the store: the writer catches it around each batch.
struct SqlFailure
{
    QString message;
};

/// WriteTxn over the writer connection. Lives on the writer thread for the store's lifetime; keeps
/// the journal head (last id and hash) in memory and rewinds it when a batch or commit is undone.
class SqlWriteTxn final : public WriteTxn
{
public:
    explicit SqlWriteTxn(SqlConnection &db) : m_db(db) {}

    /// Reads the newest journal row (call once, before the writer starts).
    bool loadJournalHead(QString *error);

    void transactionStarted();  ///< BEGIN succeeded: remember the head to rewind to
    void batchStarted();        ///< a SAVEPOINT was opened: clear the error, remember the head
    void batchRolledBack();     ///< ROLLBACK TO: rewind the head to batchStarted()
    void transactionRolledBack(); ///< the whole transaction is gone: rewind to transactionStarted()
    /// The first failure of the current batch, empty when every statement succeeded (also set when
    /// the batch caught our SqlFailure and carried on).
    const QString &batchError() const { return m_error; }

    qint64 insertRequest(RequestRecord &r) override;
    qint64 insertMessage(MessageRecord &m) override;
    qint64 insertDelivery(DeliveryRecord &d) override;
    void updateDeliveryState(const DeliveryRecord &d) override;
    qint64 journal(JournalEntry &e) override;
    qint64 upsertAppointment(AppointmentRecord &a) override;
    void upsertParticipant(const participants::Participant &p) override;
    void deleteParticipant(const QString &dipId) override;
    void deleteAppointmentsOf(const QString &mpan, const QString &role) override;
    sqlite3 *db() override;

private:
    StatementUse statement(const char *sql);
    /// Steps s; on failure throws with SQLite's message and what() (built only then: it is the
    /// hot path of every insert).
    template <typename What>
    void run(StatementUse &s, What &&what)
    {
        if (!stepDone(s))
            fail(what());
    }
    bool stepDone(StatementUse &s);
    [[noreturn]] void fail(const QString &what);

    SqlConnection &m_db;
    QString m_error;
    qint64 m_lastJournalId = 0;
    QByteArray m_head;
    qint64 m_batchLastId = 0;
    QByteArray m_batchHead;
    qint64 m_txnLastId = 0;
    QByteArray m_txnHead;
};

} // namespace dipwb::store
