// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "evidence/evidence.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace dipwb {
class Workspace;
}

namespace dipwb::report {

/// What to export of a stored run: what `dipwb report` takes, and what a reports panel would.
struct ExportOptions
{
    QString run = QStringLiteral("latest");  ///< a run id or "latest"
    /// Any of "html", "pdf", "junit", "json", "bundle".
    QStringList formats{QStringLiteral("html"), QStringLiteral("pdf"), QStringLiteral("junit"), QStringLiteral("json"), QStringLiteral("bundle")};
    QString outDir;                          ///< empty: <workspace>/reports/run-<id>
    QString signDipId;                       ///< sign the bundle with this workspace identity; empty: unsigned
    QString packPath;                        ///< to mark the participants under test; empty: the bundled pack
    /// When not empty: a report of these stored messages (tracker ids) instead of a run.
    QList<qint64> messageIds;
    QString selectionDescription;            ///< what the selection was, for the cover
};

struct ExportResult
{
    qint64 runId = 0;
    QStringList files;   ///< written, absolute paths, in the order of the formats
};

/// The known format names.
QStringList exportFormats();

/// Gathers the run from the workspace and writes each format asked for into the output folder.
/// False with a specific reason (unknown format, no such run, no identity to sign with, a file
/// that cannot be written). Needs a QApplication for html, pdf and bundle (the plots).
bool exportReport(const Workspace &workspace, const ExportOptions &options, ExportResult *result, QString *error);

/// The two halves of exportReport, for a caller that gathers off the GUI thread: gathering reads
/// the workspace only (any thread); writing draws the plots (GUI thread).
std::optional<evidence::EvidenceData> gatherForExport(const Workspace &workspace, const ExportOptions &options, QString *error);
bool writeExport(const Workspace &workspace, const evidence::EvidenceData &e, const ExportOptions &options, ExportResult *result,
                 QString *error);

} // namespace dipwb::report
