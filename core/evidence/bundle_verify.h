// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace dipwb::evidence {

/// One thing verification found wrong, naming its culprit: a file of the bundle or a journal row.
struct BundleProblem
{
    enum class Kind { Unreadable, Manifest, FileAltered, FileMissing, FileUnlisted, JournalRow, Journal, Signature };
    Kind kind = Kind::Unreadable;
    QString subject;   ///< the file's path in the bundle, or "journal row 17"
    QString detail;
};

struct BundleVerification
{
    QList<BundleProblem> problems;
    int filesChecked = 0;
    int journalRows = 0;
    QString journalHead;
    enum class Signature { Absent, Valid, Invalid } signature = Signature::Absent;
    QString signatureDetail;   ///< who signed and what was checked
    QString runSummary;        ///< "run 3 of sit-functional 1.0.0"
    bool intact() const { return problems.isEmpty(); }
    /// The lines `dipwb verify` prints.
    QString text() const;
};

/// Opens an evidence bundle and recomputes everything: the SHA-256 of every file against the
/// manifest, files missing or not listed, the journal extract re-hashed link by link up to the
/// manifest's head, and the signature over the manifest (with the certificate in the bundle,
/// and against trustedCaPem when given). Never needs the workspace.
BundleVerification verifyBundle(const QString &zipPath, const QByteArray &trustedCaPem = {});

} // namespace dipwb::evidence
