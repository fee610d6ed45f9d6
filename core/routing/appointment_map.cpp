// SPDX-License-Identifier: GPL-3.0-or-later
#include "routing/appointment_map.h"

#include "common/dip_time.h"
#include "common/log.h"
#include "routing/json_path.h"

#include <QReadLocker>
#include <QTimeZone>
#include <QWriteLocker>
#include <algorithm>

namespace dipwb::routing {

using store::AppointmentRecord;

namespace {

const QTimeZone &london()
{
    static const QTimeZone tz("Europe/London");
    return tz;
}

QString offsetText(int seconds)
{
    const int a = std::abs(seconds);
    return QStringLiteral("%1%2:%3")
        .arg(seconds < 0 ? QLatin1Char('-') : QLatin1Char('+'))
        .arg(a / 3600, 2, 10, QLatin1Char('0'))
        .arg((a % 3600) / 60, 2, 10, QLatin1Char('0'));
}

/// An effective date as an instant: DT-003 as written, YYYY-MM-DD as UK clock midnight.
/// *offsetNote is set when a DT-003 value's offset is not the UK offset of that instant.
std::optional<qint64> effectiveInstant(const QString &text, QString *why, QString *offsetNote)
{
    if (text.contains(QLatin1Char('T'))) {
        const auto parsed = dt::parseDt003(text, why);
        if (!parsed)
            return std::nullopt;
        const qint64 ms = parsed->toMSecsSinceEpoch();
        const int ukOffset = london().offsetFromUtc(QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()));
        if (parsed->offsetFromUtc() != ukOffset)
            *offsetNote = QStringLiteral("%1 is written with offset %2, but the UK offset at that instant is %3 "
                                         "(UK clock %4); taken as written")
                              .arg(text, offsetText(parsed->offsetFromUtc()), offsetText(ukOffset),
                                   dt::formatDt003London(ms));
        return ms;
    }
    const auto date = dt::parseDate(text, why);
    if (!date)
        return std::nullopt;
    return dt::ukMidnightMs(*date);
}

/// One effect of a publication, with its inputs read and checked, ready to apply under the lock.
struct PlannedChange
{
    catalogue::AppointmentEffect::Action action;
    QStringList roles;
    QString registeredRole;   ///< empty when the party is not registered
    QString dipId;
    qint64 atMs = 0;
};

} // namespace

void AppointmentMap::load(const QList<AppointmentRecord> &rows)
{
    QHash<QString, QMap<QString, Rows>> fresh;
    for (const AppointmentRecord &r : rows)
        fresh[r.mpan][r.role].append(r);
    for (auto &byRole : fresh)
        for (Rows &list : byRole)
            std::stable_sort(list.begin(), list.end(),
                             [](const AppointmentRecord &a, const AppointmentRecord &b) { return a.fromMs < b.fromMs; });
    QWriteLocker lock(&m_lock);
    m_rows = std::move(fresh);
}

QList<AppointmentRecord> AppointmentMap::appoint(const QString &mpan, const QString &role, const QString &dipId,
                                                 qint64 fromMs, qint64 recordedMs, const QString &source)
{
    QWriteLocker lock(&m_lock);
    return appointLocked(mpan, role, dipId, fromMs, recordedMs, source);
}

QList<AppointmentRecord> AppointmentMap::deappoint(const QString &mpan, const QString &role, const QString &dipId,
                                                   qint64 toMs, qint64 recordedMs, const QString &source)
{
    QWriteLocker lock(&m_lock);
    QString why;
    return deappointLocked(mpan, role, dipId, toMs, recordedMs, source, &why);
}

QList<AppointmentRecord> AppointmentMap::appointLocked(const QString &mpan, const QString &role, const QString &dipId,
                                                       qint64 fromMs, qint64 recordedMs, const QString &source)
{
    Rows &rows = m_rows[mpan][role];
    const auto pos = std::upper_bound(rows.begin(), rows.end(), fromMs,
                                      [](qint64 v, const AppointmentRecord &r) { return v < r.fromMs; });
    const qsizetype next = pos - rows.begin();   // first row starting after fromMs
    const std::optional<qint64> nextFrom = next < rows.size() ? std::optional<qint64>(rows[next].fromMs) : std::nullopt;

    if (next > 0) {
        AppointmentRecord &prev = rows[next - 1];
        if (prev.fromMs == fromMs) {
            if (prev.dipId == dipId)
                return {};
            // A different party from the same instant: a correction of who is appointed.
            prev.dipId = dipId;
            prev.toMs = nextFrom;
            prev.recordedMs = recordedMs;
            prev.source = source;
            return {prev};
        }
        const bool covers = !prev.toMs || *prev.toMs > fromMs;
        if (covers && prev.dipId == dipId)
            return {};
        QList<AppointmentRecord> out;
        if (covers) {
            prev.toMs = fromMs;
            out << prev;
        }
        AppointmentRecord row{0, mpan, role, dipId, fromMs, nextFrom, recordedMs, source};
        rows.insert(next, row);
        out << row;
        return out;
    }
    AppointmentRecord row{0, mpan, role, dipId, fromMs, nextFrom, recordedMs, source};
    rows.insert(0, row);
    return {row};
}

QList<AppointmentRecord> AppointmentMap::deappointLocked(const QString &mpan, const QString &role,
                                                         const QString &dipId, qint64 toMs, qint64 recordedMs,
                                                         const QString &source, QString *why)
{
    const auto noRow = [&] {
        *why = QStringLiteral("%1 has no %2 appointment to MPAN %3 starting before %4, so there is nothing to end")
                   .arg(dipId, role, mpan, dt::formatDt003London(toMs));
        return QList<AppointmentRecord>();
    };
    const auto byMpan = m_rows.find(mpan);
    if (byMpan == m_rows.end())
        return noRow();
    const auto byRole = byMpan->find(role);
    if (byRole == byMpan->end())
        return noRow();
    Rows &rows = *byRole;
    qsizetype best = -1;
    for (qsizetype i = 0; i < rows.size() && rows[i].fromMs < toMs; ++i)
        if (rows[i].dipId == dipId)
            best = i;
    if (best < 0)
        return noRow();
    // Never past the start of the next row: that one was appointed by a later statement.
    qint64 end = toMs;
    if (best + 1 < rows.size())
        end = std::min(end, rows[best + 1].fromMs);
    AppointmentRecord &row = rows[best];
    if (row.toMs == end)
        return {};
    // recordedMs and source keep naming the statement that made the appointment (what a tester asks
    // about when a copy went to this party); the de-appointing message's journal records the end.
    row.toMs = end;
    qCDebug(lcRouter).noquote() << mpan << role << dipId << "ends at" << dt::formatDt003London(end) << "by" << source
                                << "recorded" << dt::formatIsoMsZ(recordedMs);
    return {row};
}

bool AppointmentMap::holdsRoleLocked(const QString &mpan, const QString &role, const QString &dipId) const
{
    const auto byMpan = m_rows.constFind(mpan);
    if (byMpan == m_rows.cend())
        return false;
    const Rows rows = byMpan->value(role);
    return std::any_of(rows.cbegin(), rows.cend(), [&](const AppointmentRecord &r) { return r.dipId == dipId; });
}

std::optional<AppointmentRecord> AppointmentMap::at(const QString &mpan, const QString &role, qint64 instantMs) const
{
    QReadLocker lock(&m_lock);
    const auto byMpan = m_rows.constFind(mpan);
    if (byMpan == m_rows.cend())
        return std::nullopt;
    const auto byRole = byMpan->constFind(role);
    if (byRole == byMpan->cend())
        return std::nullopt;
    const Rows &rows = *byRole;
    auto pos = std::upper_bound(rows.cbegin(), rows.cend(), instantMs,
                                [](qint64 v, const AppointmentRecord &r) { return v < r.fromMs; });
    if (pos == rows.cbegin())
        return std::nullopt;
    --pos;
    if (pos->toMs && *pos->toMs <= instantMs)
        return std::nullopt;
    return *pos;
}

QList<AppointmentRecord> AppointmentMap::history(const QString &mpan) const
{
    QReadLocker lock(&m_lock);
    QList<AppointmentRecord> out;
    const auto byMpan = m_rows.constFind(mpan);
    if (byMpan == m_rows.cend())
        return out;
    for (const Rows &rows : *byMpan)
        out << rows;
    return out;
}

QList<AppointmentRecord> AppointmentMap::rowsOf(const QString &mpan, const QString &role) const
{
    QReadLocker lock(&m_lock);
    const auto byMpan = m_rows.constFind(mpan);
    return byMpan == m_rows.cend() ? QList<AppointmentRecord>() : byMpan->value(role);
}

void AppointmentMap::replaceRows(const QString &mpan, const QString &role, QList<AppointmentRecord> rows)
{
    std::stable_sort(rows.begin(), rows.end(),
                     [](const AppointmentRecord &a, const AppointmentRecord &b) { return a.fromMs < b.fromMs; });
    QWriteLocker lock(&m_lock);
    if (rows.isEmpty()) {
        const auto byMpan = m_rows.find(mpan);
        if (byMpan != m_rows.end()) {
            byMpan->remove(role);
            if (byMpan->isEmpty())
                m_rows.erase(byMpan);
        }
        return;
    }
    m_rows[mpan][role] = std::move(rows);
}

void AppointmentMap::setId(const QString &mpan, const QString &role, qint64 fromMs, qint64 id)
{
    QWriteLocker lock(&m_lock);
    const auto byMpan = m_rows.find(mpan);
    if (byMpan == m_rows.end())
        return;
    const auto byRole = byMpan->find(role);
    if (byRole == byMpan->end())
        return;
    for (AppointmentRecord &r : *byRole)
        if (r.fromMs == fromMs) {
            r.id = id;
            return;
        }
}

QList<AppointmentRecord> AppointmentMap::applyEffects(const catalogue::ChannelDef &channel, const QString &eventCode,
                                                      const OJson &payload, const QString &mpan,
                                                      const ParticipantLookup &lookup, qint64 recordedMs,
                                                      const QString &source, Issues *warnings)
{
    const QString context = channel.id + QLatin1Char(' ') + eventCode;
    const auto warn = [&](const char *code, const QString &text) {
        qCInfo(lcRouter).noquote() << context << text;
        if (warnings)
            warnings->append(Issue::warning(QLatin1String(code), text, context));
    };

    // Read and check everything first; the participant lookup takes the registry's own lock, so it
    // runs before ours is held.
    QList<PlannedChange> planned;
    for (const catalogue::AppointmentEffect &effect : channel.effects) {
        if (effect.event != QLatin1String("*") && effect.event != eventCode)
            continue;
        const bool appointing = effect.action == catalogue::AppointmentEffect::Action::Appoint;
        const QString what = appointing ? QStringLiteral("appointment") : QStringLiteral("de-appointment");
        if (mpan.isEmpty()) {
            warn("RTG001", QStringLiteral("%1 not applied: the message has no MPAN").arg(what));
            continue;
        }
        if (effect.roles.isEmpty()) {
            warn("RTG005", QStringLiteral("%1 not applied: the catalogue effect names no role").arg(what));
            continue;
        }
        const QString dipId = stringAtPath(payload, effect.dipIdPath);
        if (dipId.isEmpty()) {
            warn("RTG002", QStringLiteral("%1 for MPAN %2 not applied: no DIP id at %3").arg(what, mpan, effect.dipIdPath));
            continue;
        }
        const QString dateText = stringAtPath(payload, effect.datePath);
        if (dateText.isEmpty()) {
            warn("RTG003", QStringLiteral("%1 of %2 for MPAN %3 not applied: no date at %4")
                               .arg(what, dipId, mpan, effect.datePath));
            continue;
        }
        QString why, offsetNote;
        const auto instant = effectiveInstant(dateText, &why, &offsetNote);
        if (!instant) {
            warn("RTG003", QStringLiteral("%1 of %2 for MPAN %3 not applied: %4 at %5")
                               .arg(what, dipId, mpan, why, effect.datePath));
            continue;
        }
        if (!offsetNote.isEmpty())
            warn("RTG004", QStringLiteral("%1 at %2: %3").arg(what, effect.datePath, offsetNote));

        PlannedChange change{effect.action, effect.roles, QString(), dipId, *instant};
        const auto party = lookup ? lookup(dipId) : std::nullopt;
        if (!party)
            warn("RTG005", QStringLiteral("%1 %2 is not a registered DIP id; %3 recorded for role %4")
                               .arg(appointing ? QStringLiteral("appointed party") : QStringLiteral("de-appointed party"),
                                    dipId, what, effect.roles.first()));
        else if (!effect.roles.contains(party->role))
            warn("RTG005", QStringLiteral("%1 is registered as %2, not one of %3; %4 recorded for role %5")
                               .arg(dipId, party->role, effect.roles.join(QLatin1Char(',')), what, effect.roles.first()));
        else
            change.registeredRole = party->role;
        planned << change;
    }
    if (planned.isEmpty())
        return {};

    QList<AppointmentRecord> out;
    QWriteLocker lock(&m_lock);
    for (const PlannedChange &c : std::as_const(planned)) {
        if (c.action == catalogue::AppointmentEffect::Action::Appoint) {
            const QString role = c.registeredRole.isEmpty() ? c.roles.first() : c.registeredRole;
            out << appointLocked(mpan, role, c.dipId, c.atMs, recordedMs, source);
            continue;
        }
        // An unregistered de-appointed party: end it in whichever candidate role the map holds it.
        QString role = c.registeredRole;
        if (role.isEmpty()) {
            const auto held = std::find_if(c.roles.cbegin(), c.roles.cend(),
                                           [&](const QString &r) { return holdsRoleLocked(mpan, r, c.dipId); });
            role = held != c.roles.cend() ? *held : c.roles.first();
        }
        QString why;
        const auto changed = deappointLocked(mpan, role, c.dipId, c.atMs, recordedMs, source, &why);
        if (changed.isEmpty() && !why.isEmpty()) {
            const QString text = QStringLiteral("de-appointment not applied: ") + why;
            qCInfo(lcRouter).noquote() << context << text;
            if (warnings)
                warnings->append(Issue::warning(QStringLiteral("RTG006"), text, context));
        }
        out << changed;
    }
    return out;
}

} // namespace dipwb::routing
