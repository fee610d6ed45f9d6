// SPDX-License-Identifier: GPL-3.0-or-later
#include "routing/router.h"

#include "common/dip_time.h"
#include "routing/json_path.h"

#include <QSet>
#include <QTimeZone>

namespace dipwb::routing {

namespace {

QStringList idsOf(const QList<RecipientEntry> &list, Reason reason)
{
    QStringList out;
    for (const RecipientEntry &r : list)
        if (r.reason == reason)
            out << r.dipId;
    return out;
}

QString listOf(const QList<RecipientEntry> &list, Reason reason)
{
    QStringList parts;
    for (const RecipientEntry &r : list)
        if (r.reason == reason)
            parts << r.role + QLatin1Char(':') + r.dipId;
    return QLatin1Char('[') + parts.join(QLatin1Char(',')) + QLatin1Char(']');
}

Issue failure(const char *code, const QString &text, const RoutingInput &in)
{
    return Issue::error(QLatin1String(code), text, in.channel->id + QLatin1Char(' ') + in.eventCode);
}

} // namespace

QStringList RoutingResult::primaryIds() const { return idsOf(recipients, Reason::Primary); }
QStringList RoutingResult::secondaryIds() const { return idsOf(recipients, Reason::Secondary); }
QStringList RoutingResult::alwaysIds() const { return idsOf(recipients, Reason::Always); }

QString RoutingResult::explanation() const
{
    return QStringLiteral("Primary:") + listOf(recipients, Reason::Primary) + QStringLiteral(";Secondary:")
           + listOf(recipients, Reason::Secondary) + QStringLiteral(";Always:") + listOf(recipients, Reason::Always);
}

Router::Router(const AppointmentMap &map, ParticipantLookup lookup)
    : m_map(map)
    , m_lookup(std::move(lookup))
{
}

RoutingResult Router::route(const RoutingInput &in) const
{
    RoutingResult result;
    if (!in.channel) {
        result.failures << Issue::error(QStringLiteral("MSG1030"), QStringLiteral("addressing error: no channel to route"));
        return result;
    }
    const catalogue::ChannelDef &ch = *in.channel;
    const auto lookup = [this](const QString &id) { return m_lookup ? m_lookup(id) : std::nullopt; };
    QSet<QString> taken;
    const auto add = [&](RecipientEntry e) {
        taken.insert(e.dipId);
        result.recipients << std::move(e);
    };

    QSet<QString> listed;
    for (const QString &id : in.primaryRecipients) {
        if (listed.contains(id))
            continue;
        listed.insert(id);
        const auto party = lookup(id);
        if (!party) {
            result.failures << failure("MSG1031", QStringLiteral("primary recipient %1 is not a registered DIP id").arg(id), in);
            continue;
        }
        if (!ch.receiverRoles.isEmpty() && !ch.receiverRoles.contains(party->role)) {
            result.failures << failure("MSG1032",
                                       QStringLiteral("primary recipient %1 holds role %2, which may not receive %3 (allowed: %4)")
                                           .arg(id, party->role, ch.publicationId, ch.receiverRoles.join(QLatin1Char(','))),
                                       in);
            continue;
        }
        add({id, party->role, Reason::Primary, QStringLiteral("listed in A0.primaryRecipients"), std::nullopt});
    }

    if (!ch.secondaryRoles.isEmpty()) {
        const QString roles = ch.secondaryRoles.join(QLatin1Char(','));
        if (in.mpan.isEmpty()) {
            result.failures << failure("MSG1037",
                                       QStringLiteral("%1 routes to the parties appointed for %2 but the message has no MPAN")
                                           .arg(ch.id, roles),
                                       in);
        } else {
            int found = 0;
            for (const QString &role : ch.secondaryRoles) {
                QString id, detail;
                std::optional<qint64> rowId;
                if (const auto row = m_map.at(in.mpan, role, in.businessMs)) {
                    id = row->dipId;
                    detail = QStringLiteral("appointed %1 for %2 from %3 (%4source %5)")
                                 .arg(role, in.mpan, dt::formatDt003London(row->fromMs),
                                      row->id > 0 ? QStringLiteral("row %1, ").arg(row->id) : QString(), row->source);
                    if (row->id > 0)
                        rowId = row->id;
                } else if (role == QLatin1String("LDSO") && !in.distributorDipId.isEmpty()) {
                    id = in.distributorDipId;
                    detail = QStringLiteral("distributor in M0");
                }
                if (id.isEmpty())
                    continue;
                ++found;
                if (id == in.senderDipId || taken.contains(id))
                    continue;
                const auto party = lookup(id);
                if (!party) {
                    result.failures << failure("MSG1033",
                                               QStringLiteral("secondary recipient %1 (%2) is not a registered DIP id").arg(id, detail),
                                               in);
                    continue;
                }
                if (party->role != role) {
                    result.failures << failure("MSG1034",
                                               QStringLiteral("secondary recipient %1 (%2) is registered as %3, not %4")
                                                   .arg(id, detail, party->role, role),
                                               in);
                    continue;
                }
                add({id, role, Reason::Secondary, detail, rowId});
            }
            if (found == 0)
                result.failures << failure("MSG1038",
                                           QStringLiteral("nobody is appointed to MPAN %1 for %2 on %3")
                                               .arg(in.mpan, roles, dt::humanBoth(in.businessMs)),
                                           in);
        }
    }

    for (const QString &id : ch.alwaysDipIds) {
        if (id == in.senderDipId || taken.contains(id))
            continue;
        const auto party = lookup(id);
        if (!party) {
            result.failures << failure("MSG1035",
                                       QStringLiteral("always subscriber %1 of %2 is not a registered DIP id").arg(id, ch.id), in);
            continue;
        }
        if (!ch.receiverRoles.isEmpty() && !ch.receiverRoles.contains(party->role)) {
            result.failures << failure("MSG1036",
                                       QStringLiteral("always subscriber %1 of %2 holds role %3, which may not receive %4 (allowed: %5)")
                                           .arg(id, ch.id, party->role, ch.publicationId, ch.receiverRoles.join(QLatin1Char(','))),
                                       in);
            continue;
        }
        add({id, party->role, Reason::Always, QStringLiteral("always subscriber of %1").arg(ch.id), std::nullopt});
    }

    if (result.recipients.isEmpty())
        result.failures << failure("MSG1030", QStringLiteral("addressing error: %1 %2 from %3 has no recipient")
                                                  .arg(ch.id, in.eventCode, in.senderDipId),
                                   in);
    return result;
}

qint64 businessInstant(const catalogue::ChannelDef &channel, const OJson &payload, qint64 receivedMs, QString *warning)
{
    if (warning)
        warning->clear();
    if (channel.businessDatePath.isEmpty())
        return receivedMs;
    const auto fallBack = [&](const QString &why) {
        if (warning)
            *warning = QStringLiteral("business date %1 %2; routed at the time of receipt %3")
                           .arg(channel.businessDatePath, why, dt::formatDt003Utc(receivedMs));
        return receivedMs;
    };
    const QString text = stringAtPath(payload, channel.businessDatePath);
    if (text.isEmpty())
        return fallBack(QStringLiteral("is absent"));
    QString why;
    if (text.contains(QLatin1Char('T'))) {
        if (const auto instant = dt::parseDt003(text, &why))
            return instant->toMSecsSinceEpoch();
    } else if (const auto day = dt::parseDate(text, &why)) {
        // A settlement day is a UTC date (DOMAIN.md 9).
        return QDateTime(*day, QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
    }
    return fallBack(QStringLiteral("is unreadable: ") + why);
}

} // namespace dipwb::routing
