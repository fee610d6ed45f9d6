#pragma once

#include "common/issue.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>

namespace dipwb::catalogue {

/// One event code of a channel, with the schema version a sender must state in S0.
struct EventDef
{
    QString code;          ///< with brackets, "[MSAppSPRequest]"
    QString schemaVersion; ///< "011"
};

/// What a registration publication does to the MPAN appointment map. Paths are dotted paths from
/// the payload ("CustomBlock.B014.incomingMeteringServiceDIPID"), matched case-insensitively, with
/// numeric segments for array items.
struct AppointmentEffect
{
    enum class Action { Appoint, Deappoint };
    QString event;       ///< the event code it applies to; "*" for every event of the channel
    Action action = Action::Appoint;
    QStringList roles;   ///< candidate roles; the party's registered role picks one of them
    QString dipIdPath;   ///< where the appointed (or de-appointed) party's DIP id is
    QString datePath;    ///< its effective-from (appoint) or effective-to (de-appoint) date
};

/// A channel: an interface IF-nnn (or report REP-nnn) and the routing rules of its publication.
/// Catalogue data, never code: the router and the checks only read these fields.
struct ChannelDef
{
    QString id;             ///< "IF-033", "REP-002A"
    QString publicationId;  ///< "PUB-033"; REPs keep their own id
    QString title;
    QList<EventDef> events;
    bool mpanBlock = true;          ///< M0 present (false for IF-022/023/047 and REPs)
    QStringList senderRoles;        ///< roles that may send it; empty: any
    QStringList receiverRoles;      ///< roles that may be primary recipients; empty: any
    QStringList secondaryRoles;     ///< roles resolved from the MPAN appointment map
    QStringList alwaysDipIds;       ///< fixed subscribers
    /// Dotted path to the business date that picks the appointments (e.g. the settlement day of
    /// IF-021); empty: the time of receipt.
    QString businessDatePath;
    QList<AppointmentEffect> effects;

    const EventDef *event(const QString &code) const;
    QStringList eventCodes() const;
};

/// A version of the catalogue: the built-in one or one imported from the official specification.
class Catalogue
{
public:
    QString version() const { return m_version; }
    QString source() const { return m_source; }
    const ChannelDef *channel(const QString &id) const;
    /// PUB-033 -> IF-033; IF-033 -> IF-033; unknown -> empty.
    QString channelForPublication(const QString &id) const;
    QList<const ChannelDef *> channels() const;

    /// Parses the catalogue JSON format (docs/catalogue-format.md); origin names the file in errors.
    static std::shared_ptr<const Catalogue> fromJson(const QByteArray &json, const QString &origin, Issues *issues);
    /// The catalogue compiled into the program.
    static std::shared_ptr<const Catalogue> builtIn();

private:
    QString m_version;
    QString m_source;
    QHash<QString, ChannelDef> m_channels;
    QStringList m_order;
};

using CataloguePtr = std::shared_ptr<const Catalogue>;

} // namespace dipwb::catalogue
