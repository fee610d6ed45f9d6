// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/sim_host.h"

#include "dip/dip_client.h"
#include "http/http_server.h"
#include "participants/participant.h"
#include "routing/json_path.h"
#include "scenario/assertions.h"
#include "scenario/values.h"

#include <QTimer>

namespace dipwb::scenario {

namespace {

/// The trigger as rules see it: the publication's payload plus short names for what a reply
/// usually needs (${trigger.sender}, ${trigger.mpan}...).
OJson triggerOf(const OJson &payload)
{
    OJson t = payload;
    t["sender"] = ss(routing::stringAtPath(payload, QStringLiteral("CommonBlock.S1.senderDIPID")));
    t["senderRole"] = ss(routing::stringAtPath(payload, QStringLiteral("CommonBlock.S1.senderRoleID")));
    t["mpan"] = ss(routing::stringAtPath(payload, QStringLiteral("CommonBlock.M0.MPANCore")));
    t["correlationId"] = ss(routing::stringAtPath(payload, QStringLiteral("CommonBlock.S1.senderCorrelationID")));
    t["transactionId"] = ss(routing::stringAtPath(payload, QStringLiteral("CommonBlock.D0.transactionID")));
    t["reference"] = ss(routing::stringAtPath(payload, QStringLiteral("CommonBlock.S1.senderUniqueReference")));
    return t;
}

} // namespace

SimHost::SimHost(const Pack &pack, const catalogue::Catalogue &catalogue, const schema::SchemaSet *schemas,
                 const QUrl &dipBaseUrl, QObject *parent)
    : QObject(parent), m_pack(pack), m_catalogue(catalogue), m_schemas(schemas),
      m_server(std::make_unique<http::HttpServer>()), m_client(std::make_unique<dip::DipClient>(dipBaseUrl))
{
    m_server->setHandler([this](const http::HttpRequest &req, http::HttpResponder responder) {
        handle(req.path, req.body, [responder](int status) {
            responder.send(http::HttpResponse::json(status, status < 300 ? QByteArray("{}")
                                                                         : QByteArray("{\"message\":\"rejected by the simulated participant\"}")));
        });
    });
}

SimHost::~SimHost() = default;

bool SimHost::listen(QString *error)
{
    return m_server->listen(QHostAddress::LocalHost, 0, error);
}

QString SimHost::webhookUrl(const QString &dipId) const
{
    return QStringLiteral("http://127.0.0.1:%1/p/%2/pub").arg(m_server->port()).arg(dipId);
}

QString SimHost::statusUrl(const QString &dipId) const
{
    return QStringLiteral("http://127.0.0.1:%1/p/%2/status").arg(m_server->port()).arg(dipId);
}

void SimHost::setRules(const QString &participantId, QList<Rule> rules)
{
    m_rules.insert(participantId, std::move(rules));
}

void SimHost::handle(const QByteArray &path, const QByteArray &body, std::function<void(int)> reply)
{
    const QList<QByteArray> parts = path.split('/'); // "", "p", dipId, "pub"|"status"
    const PackParticipant *who = parts.size() == 4 ? m_pack.participantByDipId(QString::fromLatin1(parts[2])) : nullptr;
    if (!who) {
        reply(404);
        return;
    }
    if (parts[3] == "status") {
        // A status message tells the sender of a failure after its 201 (L2: no recipient found,
        // delivery given up...): a problem of the case whose message it is about.
        SimEvent e{who->id, {}, QStringLiteral("%1 received a status message: %2").arg(who->id, QString::fromUtf8(body.left(600))), false, {}};
        const OJson items = OJson::parse(body.constData(), body.constData() + body.size(), nullptr, false);
        if (items.is_array())
            for (const auto &item : items) {
                if (!item.is_object())
                    continue;
                const QString tx = stringAt(item, "transactionID");
                if (!tx.isEmpty())
                    e.transactionIds << tx;
                if (!stringAt(item, "message").startsWith(QLatin1String("MSG0000")))
                    e.problem = true;
            }
        emit event(e);
        reply(201);
        return;
    }
    OJson array;
    try {
        array = OJson::parse(body.constData(), body.constData() + body.size());
    } catch (const std::exception &) {
        reply(400);
        return;
    }
    int status = 201;
    if (array.is_array())
        for (const auto &element : array)
            if (element.is_object() && element.contains("payload")) {
                const int s = answer(*who, element["payload"]);
                if (s >= 300 && status < 300)
                    status = s;
            }
    reply(status);
}

int SimHost::answer(const PackParticipant &who, const OJson &payload)
{
    const OJson trigger = triggerOf(payload);
    const QString channel = routing::stringAtPath(payload, QStringLiteral("CommonBlock.S0.interfaceID"));
    const QString eventCode = routing::stringAtPath(payload, QStringLiteral("CommonBlock.S0.eventCode"));
    const QString mpan = qs(trigger["mpan"].get<std::string>());
    QList<const Rule *> matched;
    Values values(m_pack);
    for (const auto &[name, value] : m_pack.variables)
        values.bind(name, values.evaluate(value));
    values.bind(QStringLiteral("trigger"), trigger);
    // Iterate the stored list itself: `matched` keeps pointers to its rules, which a copy (what
    // QHash::value returns) would leave dangling once the loop ends.
    const auto stored = m_rules.constFind(who.id);
    static const QList<Rule> none;
    for (const Rule &rule : stored != m_rules.cend() ? *stored : none) {
        if (participants::normaliseChannelId(rule.channel) != channel || (!rule.event.isEmpty() && rule.event != eventCode))
            continue;
        if (failedAssertions(rule.where, payload, values).isEmpty())
            matched << &rule;
    }
    // The first match answers the webhook call. A refused publication triggers nothing at all:
    // the DIP retries it (or gives up), and each retry is answered the same way.
    const int status = matched.isEmpty() ? 201 : matched.first()->reply;
    for (const Rule *r : std::as_const(matched)) {
        if (status >= 300)
            break;
        const Rule &rule = *r;
        if (rule.send.isEmpty())
            continue;
        ++m_pendingSends;
        QTimer::singleShot(int(rule.afterMs), this, [this, who, rule, trigger] {
            --m_pendingSends;
            fire(who, rule, trigger);
        });
    }
    emit event({who.id, mpan,
                QStringLiteral("%1 answered PUB-%2 %3 (%4) with %5")
                    .arg(who.id, channel.mid(3), eventCode, qs(trigger["transactionId"].get<std::string>()))
                    .arg(status),
                false});
    return status;
}

void SimHost::fire(const PackParticipant &who, const Rule &rule, const OJson &trigger)
{
    Values values(m_pack);
    for (const auto &[name, value] : m_pack.variables)
        values.bind(name, values.evaluate(value));
    values.bind(QStringLiteral("trigger"), trigger);
    BuildContext ctx;
    ctx.pack = &m_pack;
    ctx.catalogue = &m_catalogue;
    ctx.schemas = m_schemas;
    ctx.values = &values;
    ctx.defaultFrom = who.id;
    ctx.defaultTo = {qs(trigger["sender"].get<std::string>())};
    ctx.mpan.core = qs(trigger["mpan"].get<std::string>());
    ctx.mpan.gsp = routing::stringAtPath(trigger, QStringLiteral("CommonBlock.M0.GSPGroupID"));
    ctx.mpan.distributorDipId = routing::stringAtPath(trigger, QStringLiteral("CommonBlock.M0.distributorDIPID"));
    ctx.correlationId = qs(trigger["correlationId"].get<std::string>());
    for (const MessageSpec &spec : rule.send) {
        const BuiltMessage m = buildMessage(spec, ctx);
        if (!m.problems.isEmpty()) {
            emit event({who.id, ctx.mpan.core,
                         QStringLiteral("%1 could not build %2 %3 (rule at %4): %5")
                             .arg(who.id, m.channel, m.event, rule.pos.toString(), m.problems.join(QStringLiteral("; "))),
                         true});
            continue;
        }
        send(who, m);
    }
}

void SimHost::send(const PackParticipant &who, const BuiltMessage &m)
{
    OJson body = OJson::array();
    body.push_back(OJson{{"payload", m.payload}});
    const QString whoId = who.id;
    const QString what = QStringLiteral("%1 %2 %3").arg(m.channel, m.event, m.reference);
    const QString mpan = m.mpan;
    m_client->send(m.channel, qb(body.dump()), [this, whoId, what, mpan](const http::ClientResponse &r) {
        const bool ok = r.status == 201;
        emit event({whoId, mpan,
                    ok ? QStringLiteral("%1 sent %2: 201").arg(whoId, what)
                       : QStringLiteral("%1 sent %2 and the DIP answered %3: %4")
                             .arg(whoId, what, r.status ? QString::number(r.status) : r.error, QString::fromUtf8(r.body.left(400))),
                    !ok});
    });
}

} // namespace dipwb::scenario
