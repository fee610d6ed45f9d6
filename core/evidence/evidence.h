// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/run_result.h"
#include "store/records.h"

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace dipwb {
class Workspace;
}
namespace dipwb::store {
class Store;
}

namespace dipwb::evidence {

/// One request a run sent, with the messages it carried and every copy delivered of them.
/// A rejected request has no messages: only its body and our answer.
struct MessageEvidence
{
    int number = 0;                          ///< 1-based, in the order the DIP received them
    store::RequestRecord request;            ///< body exactly as received
    QList<store::MessageRecord> messages;    ///< empty when the request was rejected
    QList<store::DeliveryRecord> deliveries; ///< each copy with the exact body POSTed
    QStringList caseIds;                     ///< the test cases whose steps named it
    QStringList references() const;
};

struct ParticipantEvidence
{
    QString dipId, role, name;
    bool underTest = false;       ///< as the pack says; in self-test mode played by its stand-in
    QByteArray certificateSha256; ///< hex, when the workspace CA issued a certificate to this DIP id
};

/// One line of the traceability matrix: requirement -> case -> step -> messages -> verdict.
struct TraceRow
{
    QString requirement, caseId, caseTitle;
    int step = -1;                ///< 0-based step index; -1: the case has no steps
    QString stepKind, stepLabel, verdict;
    QStringList references, transactionIds;
    QList<int> messageNumbers;    ///< MessageEvidence::number of each message involved
};

/// Delivery-latency figures of the run's copies (receipt by the DIP to the recipient's 2xx).
struct LatencyStats
{
    QList<qint64> latenciesMs;    ///< delivered copies, ascending
    int undelivered = 0;          ///< copies that never got a 2xx
    qint64 p50 = 0, p95 = 0, p99 = 0, max = 0;
    double within3s = 0, within30s = 0; ///< fractions of delivered copies
    qint64 target90Ms = 3000, target100Ms = 30000; ///< DOMAIN.md 11 (pack settings may differ)
};

/// What a report of messages picked in the tracker (rather than a run) is about.
struct SelectionInfo
{
    bool isSelection = false;
    QString description;          ///< e.g. "12 messages selected in the tracker (MPAN 1434200696280)"
};

/// Everything a report or a bundle shows of one stored run, read once from the workspace.
struct EvidenceData
{
    scenario::RunResult run;
    QString runJournalHead;                  ///< recorded when the run was stored
    QString workspaceJournalHead;            ///< at the time of the export
    QList<MessageEvidence> messages;
    QList<store::JournalEntry> journal;      ///< contiguous rows, first involved row to the run's head
    QSet<qint64> involvedJournalIds;         ///< of those, the rows about the run's messages
    QList<ParticipantEvidence> participants;
    QString workbenchVersion, host, workspaceDir;
    qint64 generatedMs = 0;
    SelectionInfo selection;                 ///< set when the evidence is of a message selection
    LatencyStats latency;

    QList<TraceRow> traceability() const;
    /// The MessageEvidence a step's transaction id or reference names; -1 when none.
    int messageNumberOf(const QString &transactionIdOrReference) const;
};

struct GatherOptions
{
    QString run = QStringLiteral("latest"); ///< a run id or "latest"
    QString packPath;                       ///< to tell which participants are under test; empty: the bundled pack of that id, if any
};

/// Reads a stored run and everything it involved from the workspace database (read-only).
/// nullopt with a specific reason: no such run, unreadable database, journal gap...
std::optional<EvidenceData> gatherEvidence(const Workspace &workspace, const GatherOptions &options, QString *error);

/// Evidence of stored messages picked in the tracker (by message id), in the shape of a run: each
/// message is a "case" named by its transaction id, under its interface as requirement, passed when
/// every copy of it was delivered and failed (with each undelivered copy and why) otherwise. The
/// journal extract runs from the first to the last row about them. nullopt when an id is unknown.
std::optional<EvidenceData> gatherSelectionEvidence(const Workspace &workspace, const QList<qint64> &messageIds,
                                                    const QString &description, QString *error);

/// The part shared by both: journal extract, participants and their certificates, latency figures
/// and the export's metadata, from the messages already in e.
bool completeEvidence(const Workspace &workspace, const store::Store &store, const GatherOptions &options, EvidenceData &e,
                      QString *error);

/// Percentile (nearest rank) of an ascending list; 0 when empty.
qint64 percentile(const QList<qint64> &ascending, double p);

} // namespace dipwb::evidence
