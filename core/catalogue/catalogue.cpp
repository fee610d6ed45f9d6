// SPDX-License-Identifier: GPL-3.0-or-later
#include "catalogue/catalogue.h"

#include "common/json_util.h"
#include "common/log.h"

#include <QFile>

namespace dipwb::catalogue {

const EventDef *ChannelDef::event(const QString &code) const
{
    for (const EventDef &e : events)
        if (e.code == code)
            return &e;
    return nullptr;
}

QStringList ChannelDef::eventCodes() const
{
    QStringList out;
    out.reserve(events.size());
    for (const EventDef &e : events)
        out << e.code;
    return out;
}

const ChannelDef *Catalogue::channel(const QString &id) const
{
    const auto it = m_channels.constFind(id);
    return it == m_channels.constEnd() ? nullptr : &it.value();
}

QString Catalogue::channelForPublication(const QString &id) const
{
    QString upper = id.toUpper();
    if (upper.startsWith(QLatin1String("PUB-")))
        upper = QStringLiteral("IF-") + upper.mid(4);
    return m_channels.contains(upper) ? upper : QString();
}

QList<const ChannelDef *> Catalogue::channels() const
{
    QList<const ChannelDef *> out;
    out.reserve(m_order.size());
    for (const QString &id : m_order)
        out << &m_channels.find(id).value();
    return out;
}

namespace {

// Reads a list of strings at key; records an issue naming the path when it is not one.
QStringList stringList(const OJson &obj, const char *key, const QString &where, const QString &origin, Issues *issues)
{
    QStringList out;
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null())
        return out;
    if (!it->is_array()) {
        issues->append(Issue::error(QStringLiteral("CAT002"),
                                    QStringLiteral("%1.%2 must be an array of strings").arg(where, QLatin1String(key)), origin));
        return out;
    }
    for (const OJson &v : *it) {
        if (!v.is_string()) {
            issues->append(Issue::error(QStringLiteral("CAT002"),
                                        QStringLiteral("%1.%2 must contain only strings").arg(where, QLatin1String(key)), origin));
            continue;
        }
        out << qs(v.get<std::string>());
    }
    return out;
}

bool parseEffect(const OJson &e, const QString &where, const QString &origin, Issues *issues, AppointmentEffect *out)
{
    if (!e.is_object()) {
        issues->append(Issue::error(QStringLiteral("CAT003"), where + QStringLiteral(" must be an object"), origin));
        return false;
    }
    out->event = stringAt(e, "event");
    const QString action = stringAt(e, "action");
    if (action == QLatin1String("appoint"))
        out->action = AppointmentEffect::Action::Appoint;
    else if (action == QLatin1String("deappoint"))
        out->action = AppointmentEffect::Action::Deappoint;
    else {
        issues->append(Issue::error(QStringLiteral("CAT003"),
                                    QStringLiteral("%1.action: '%2' must be 'appoint' or 'deappoint'").arg(where, action), origin));
        return false;
    }
    out->roles = stringList(e, "roles", where, origin, issues);
    out->dipIdPath = stringAt(e, "dipIdPath");
    out->datePath = stringAt(e, "datePath");
    if (out->event.isEmpty() || out->roles.isEmpty() || out->dipIdPath.isEmpty() || out->datePath.isEmpty()) {
        issues->append(Issue::error(QStringLiteral("CAT003"),
                                    where + QStringLiteral(" needs event, roles, dipIdPath and datePath"), origin));
        return false;
    }
    return true;
}

} // namespace

std::shared_ptr<const Catalogue> Catalogue::fromJson(const QByteArray &json, const QString &origin, Issues *issues)
{
    Issues local;
    Issues *out = issues ? issues : &local;
    const OJson root = OJson::parse(json.constBegin(), json.constEnd(), nullptr, false);
    if (root.is_discarded() || !root.is_object()) {
        out->append(Issue::error(QStringLiteral("CAT001"), QStringLiteral("not a JSON object"), origin));
        return nullptr;
    }
    if (stringAt(root, "format") != QLatin1String("dipwb-catalogue/1")) {
        out->append(Issue::error(QStringLiteral("CAT001"),
                                 QStringLiteral("format must be \"dipwb-catalogue/1\""), origin));
        return nullptr;
    }
    auto cat = std::make_shared<Catalogue>();
    cat->m_version = stringAt(root, "version");
    cat->m_source = stringAt(root, "source");
    const auto channels = root.find("channels");
    if (channels == root.end() || !channels->is_array()) {
        out->append(Issue::error(QStringLiteral("CAT001"), QStringLiteral("channels must be an array"), origin));
        return nullptr;
    }
    const qsizetype before = out->size();
    int i = 0;
    for (const OJson &c : *channels) {
        const QString where = QStringLiteral("channels[%1]").arg(i++);
        if (!c.is_object()) {
            out->append(Issue::error(QStringLiteral("CAT002"), where + QStringLiteral(" must be an object"), origin));
            continue;
        }
        ChannelDef ch;
        ch.id = stringAt(c, "id");
        if (ch.id.isEmpty()) {
            out->append(Issue::error(QStringLiteral("CAT002"), where + QStringLiteral(".id is missing"), origin));
            continue;
        }
        if (cat->m_channels.contains(ch.id)) {
            out->append(Issue::error(QStringLiteral("CAT002"),
                                     QStringLiteral("%1.id: channel %2 is defined twice").arg(where, ch.id), origin));
            continue;
        }
        ch.publicationId = stringAt(c, "publicationId");
        if (ch.publicationId.isEmpty())
            ch.publicationId = ch.id.startsWith(QLatin1String("IF-")) ? QStringLiteral("PUB-") + ch.id.mid(3) : ch.id;
        ch.title = stringAt(c, "title");
        ch.mpanBlock = c.value("mpanBlock", true);
        ch.senderRoles = stringList(c, "senderRoles", where, origin, out);
        ch.receiverRoles = stringList(c, "receiverRoles", where, origin, out);
        ch.secondaryRoles = stringList(c, "secondaryRoles", where, origin, out);
        ch.alwaysDipIds = stringList(c, "always", where, origin, out);
        ch.businessDatePath = stringAt(c, "businessDatePath");
        if (const auto ev = c.find("events"); ev != c.end() && ev->is_array()) {
            for (const OJson &e : *ev)
                ch.events.append({stringAt(e, "code"), stringAt(e, "schemaVersion")});
        }
        if (ch.events.isEmpty())
            out->append(Issue::error(QStringLiteral("CAT002"),
                                     QStringLiteral("%1 (%2) has no events").arg(where, ch.id), origin));
        if (const auto ef = c.find("effects"); ef != c.end() && ef->is_array()) {
            int j = 0;
            for (const OJson &e : *ef) {
                AppointmentEffect effect;
                if (parseEffect(e, QStringLiteral("%1.effects[%2]").arg(where).arg(j++), origin, out, &effect))
                    ch.effects.append(effect);
            }
        }
        cat->m_order << ch.id;
        cat->m_channels.insert(ch.id, ch);
    }
    if (hasErrors(out->mid(before)))
        return nullptr;
    return cat;
}

std::shared_ptr<const Catalogue> Catalogue::builtIn()
{
    static const std::shared_ptr<const Catalogue> cat = [] {
        QFile f(QStringLiteral(":/dipwb/catalogue/builtin.json"));
        if (!f.open(QIODevice::ReadOnly))
            qFatal("built-in catalogue resource missing");
        Issues issues;
        auto c = fromJson(f.readAll(), f.fileName(), &issues);
        for (const Issue &i : issues)
            qCCritical(lcCatalogue) << i.toString();
        if (!c)
            qFatal("built-in catalogue does not parse");
        return c;
    }();
    return cat;
}

} // namespace dipwb::catalogue
