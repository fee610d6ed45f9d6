// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "catalogue/catalogue.h"
#include "common/issue.h"
#include "common/json_util.h"
#include "routing/appointment_map.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace dipwb::routing {

/// Why a recipient gets a copy (DOMAIN.md 5).
enum class Reason { Primary, Secondary, Always };

/// One recipient of a publication and why.
struct RecipientEntry
{
    QString dipId;
    QString role;
    Reason reason = Reason::Primary;
    /// In words: "listed in A0.primaryRecipients", "appointed SUP for 1012345678903 from
    /// 2024-07-01T00:00:00+01:00 (row 12, source T-...)", "distributor in M0", "always subscriber of IF-021".
    QString detail;
    std::optional<qint64> appointmentId;   ///< the appointment row a Secondary copy came from, once stored
};

/// What the router needs from one accepted message.
struct RoutingInput
{
    const catalogue::ChannelDef *channel = nullptr;
    QString eventCode;
    QString senderDipId;
    QStringList primaryRecipients;   ///< from A0, as sent
    QString mpan;                    ///< empty when none
    QString distributorDipId;        ///< M0.distributorDIPID, may be empty
    qint64 businessMs = 0;           ///< the instant appointments are looked up at
};

/// The recipients of one message and the L2 addressing failures found on the way.
struct RoutingResult
{
    QList<RecipientEntry> recipients;   ///< one entry per distinct DIP id; precedence Primary > Secondary > Always
    Issues failures;                    ///< MSG1030..MSG1038, the text naming the id, role or MPAN

    /// The DIP ids of each kind, in recipient order: what A0 carries on egress.
    QStringList primaryIds() const;
    QStringList secondaryIds() const;
    QStringList alwaysIds() const;
    /// "Primary:[SUP:2300000185];Secondary:[LDSO:2500000033,SDS:...];Always:[MDS:1800000001]".
    QString explanation() const;
};

/// L2 addressing: primary (checked against the registry and the channel's receiver roles),
/// secondary (the MPAN appointment map at the business instant) and always (catalogue subscribers).
/// Failed recipients are left out and reported; the others still route, the caller decides.
/// Reads only: safe on any thread while the map and the lookup are.
class Router final
{
public:
    Router(const AppointmentMap &map, ParticipantLookup lookup);
    RoutingResult route(const RoutingInput &in) const;

private:
    const AppointmentMap &m_map;
    ParticipantLookup m_lookup;
};

/// The instant a message is routed at: the value at the channel's businessDatePath (a YYYY-MM-DD
/// settlement day is a UTC date, so 00:00:00Z of it; a DT-003 value is that instant), or receivedMs
/// when the channel has no such path. When the path is set but the value is absent or unreadable,
/// receivedMs is used and *warning (may be null) says why; otherwise *warning is left empty.
qint64 businessInstant(const catalogue::ChannelDef &channel, const OJson &payload, qint64 receivedMs, QString *warning);

} // namespace dipwb::routing
