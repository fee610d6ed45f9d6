// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/run_result.h"

#include <QHash>
#include <QList>
#include <QPair>
#include <QString>

namespace dipwb::store {
class Store;
}

namespace dipwb::evidence {

struct EvidenceData;

/// The requests and messages the DIP received while a run was going, read once on a read-only
/// connection, so that a step's sender unique reference finds its message (or, for a rejected
/// request, the request whose body carries it) without a query per reference.
class RunWindow
{
public:
    bool read(const QString &databasePath, const scenario::RunResult &run, QString *error);
    /// The request that carried this reference or inbound transaction id; 0 when none did.
    qint64 requestOfKey(const QString &key) const;
    /// The stored messages of one request, in array order.
    QList<qint64> messagesOfRequest(qint64 requestId, const QString &databasePath, QString *error) const;

private:
    QHash<QString, qint64> m_requestOfKey;
    QList<QPair<qint64, QByteArray>> m_rejectedBodies;   ///< requests without stored messages
};

/// Fills e.journal with the contiguous journal rows from the first one about a request, message or
/// copy of e.messages to the run's recorded head (or the last involved row, if later), and
/// e.involvedJournalIds with the rows about them. Contiguous so that the extract can be re-hashed
/// link by link.
bool readJournalExtract(const store::Store &store, const QString &databasePath, EvidenceData &e, QString *error);

} // namespace dipwb::evidence
