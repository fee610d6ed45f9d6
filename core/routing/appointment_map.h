// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "catalogue/catalogue.h"
#include "common/issue.h"
#include "common/json_util.h"
#include "participants/participant.h"
#include "store/records.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QReadWriteLock>
#include <QString>
#include <functional>
#include <optional>

namespace dipwb::routing {

/// Finds a registered participant by DIP id; nullopt when the id is not registered.
using ParticipantLookup = std::function<std::optional<participants::Participant>(const QString &dipId)>;

/// The DIP's MPAN appointment map with history: for each (MPAN, role) a list of rows
/// [fromMs, toMs) -> DIP id, kept ordered by fromMs and never overlapping.
///
/// Row identity: within one (MPAN, role) no two rows share a fromMs, and a row's fromMs never
/// changes once made (only its toMs, and on a correction its DIP id). So (mpan, role, fromMs) is a
/// stable key: every change method returns the rows it created (id 0) or changed (their id), the
/// caller persists them and hands the store's ids back with setId(). A caller batching several
/// changes before persisting should keep only the last returned version of each key.
///
/// Thread-safe: written on the emulator thread, read by routing workers and UI threads.
class AppointmentMap final
{
public:
    AppointmentMap() = default;
    Q_DISABLE_COPY_MOVE(AppointmentMap)

    /// Replaces the whole map with rows from the store (at start-up, or after a failed commit).
    void load(const QList<store::AppointmentRecord> &rows);

    /// A new appointment effective from fromMs. The appointment of (mpan, role) current at fromMs is
    /// closed at fromMs; if a later appointment already exists, the new one ends where that one
    /// starts (late-arriving history). Re-stating the party already appointed at fromMs changes
    /// nothing; a different party at exactly the fromMs of an existing row corrects that row.
    /// Returns every row created (id 0) or changed, for the caller to persist.
    QList<store::AppointmentRecord> appoint(const QString &mpan, const QString &role, const QString &dipId,
                                            qint64 fromMs, qint64 recordedMs, const QString &source);

    /// The party's appointment covering toMs (or the latest one starting before it) ends at toMs,
    /// but never later than the start of the next row. Returns the changed row, or nothing when
    /// the party has no appointment starting before toMs or it already ends there.
    /// A row's recordedMs and source always name the statement that made the appointment; ending
    /// it (here or by a successor's appoint) changes only toMs.
    QList<store::AppointmentRecord> deappoint(const QString &mpan, const QString &role, const QString &dipId,
                                              qint64 toMs, qint64 recordedMs, const QString &source);

    /// The rows of one (mpan, role), ordered by fromMs.
    QList<store::AppointmentRecord> rowsOf(const QString &mpan, const QString &role) const;
    /// Makes the rows of (mpan, role) exactly these (any order; rows of other roles must not be
    /// among them): an edit of the workbench undone or redone.
    void replaceRows(const QString &mpan, const QString &role, QList<store::AppointmentRecord> rows);

    /// The row of (mpan, role) whose [fromMs, toMs) contains instantMs.
    std::optional<store::AppointmentRecord> at(const QString &mpan, const QString &role, qint64 instantMs) const;
    /// Every row of the MPAN, all roles, ordered by role then fromMs.
    QList<store::AppointmentRecord> history(const QString &mpan) const;
    /// Records the id the store gave the row keyed (mpan, role, fromMs); unknown keys are ignored.
    void setId(const QString &mpan, const QString &role, qint64 fromMs, qint64 id);

    /// Applies the channel's appointment effects for one accepted registration publication:
    /// reads the DIP id and date at each matching effect's paths, takes the party's registered role
    /// when it is among effect.roles (else the first of them), and converts the date: a DT-003
    /// date-time is taken as written (with a warning when its offset is not the UK offset at that
    /// instant, DOMAIN.md 9); a plain YYYY-MM-DD date means UK clock midnight of that date.
    /// Missing or invalid fields become warnings in *warnings (may be null); nothing throws.
    QList<store::AppointmentRecord> applyEffects(const catalogue::ChannelDef &channel, const QString &eventCode,
                                                 const OJson &payload, const QString &mpan,
                                                 const ParticipantLookup &lookup, qint64 recordedMs,
                                                 const QString &source, Issues *warnings);

private:
    using Rows = QList<store::AppointmentRecord>;   // one (mpan, role), ordered by fromMs

    QList<store::AppointmentRecord> appointLocked(const QString &mpan, const QString &role, const QString &dipId,
                                                  qint64 fromMs, qint64 recordedMs, const QString &source);
    QList<store::AppointmentRecord> deappointLocked(const QString &mpan, const QString &role, const QString &dipId,
                                                    qint64 toMs, qint64 recordedMs, const QString &source,
                                                    QString *why);
    bool holdsRoleLocked(const QString &mpan, const QString &role, const QString &dipId) const;

    mutable QReadWriteLock m_lock;
    QHash<QString, QMap<QString, Rows>> m_rows;   ///< MPAN -> role -> rows; guarded by m_lock
};

} // namespace dipwb::routing
