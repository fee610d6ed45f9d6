// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/records.h"

#include <QByteArray>
#include <QList>
#include <QSet>
#include <QString>

namespace dipwb::evidence {

/// The journal extract of a bundle: one JSON object a line, in id order, each row with the fields
/// its hash covers, its prevHash and hash, and whether it is about the run's messages.
QByteArray journalExtractJsonl(const QList<store::JournalEntry> &rows, const QSet<qint64> &involved);

/// One finding of re-hashing an extract, naming the row.
struct JournalProblem
{
    qint64 rowId = 0;   ///< 0: the extract as a whole (unreadable line, wrong head)
    int line = 0;       ///< 1-based line of the extract
    QString detail;
};

/// Re-hashes every row from its own fields and prevHash, checks each row links to the one before
/// (prevHash equals the previous row's hash, ids consecutive) and that the last hash is head.
/// Empty when the extract is intact.
QList<JournalProblem> verifyJournalExtract(const QByteArray &jsonl, const QString &head, int expectedRows);

} // namespace dipwb::evidence
