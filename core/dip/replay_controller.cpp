// SPDX-License-Identifier: GPL-3.0-or-later
#include "dip/replay_controller.h"

#include "common/clock.h"
#include "common/dip_time.h"
#include "common/json_util.h"
#include "common/untrusted_json.h"
#include "dip/config_controller.h"
#include "dip/delivery_dispatcher.h"
#include "dip/egress.h"
#include "dip/emulator_context.h"
#include "dip/request_log.h"

namespace dipwb::dip {

ReplayController::ReplayController(EmulatorContext &ctx)
    : m_ctx(ctx)
{
}

bool ReplayController::parseQuery(const http::HttpRequest &request, const http::RouteMatch &match,
                                  store::PublicationQuery *q, QString *error) const
{
    q->channel = m_ctx.catalogue->channelForPublication(match.params.value(QStringLiteral("id")));
    q->recipientDipId = match.params.value(QStringLiteral("dipId"));
    if (q->channel.isEmpty()) {
        *error = QStringLiteral("channel %1 is not in the catalogue").arg(match.params.value(QStringLiteral("id")));
        return false;
    }
    if (!m_ctx.registry.find(q->recipientDipId)) {
        *error = QStringLiteral("DIP id %1 is not a registered participant").arg(q->recipientDipId);
        return false;
    }
    const OJson root = parseUntrustedJson(request.body);
    if (root.is_discarded() || !root.is_object()) {
        *error = QStringLiteral("the body must be a JSON object (MessageRequest: datetimeFrom, datetimeTo, eventCode, MPAN, version, transactionIDs)");
        return false;
    }
    // Keys are matched without regard to case, as on every DIP ingress.
    auto field = [&root](const char *name) -> const OJson * {
        for (auto it = root.begin(); it != root.end(); ++it)
            if (QString::fromStdString(it.key()).compare(QLatin1String(name), Qt::CaseInsensitive) == 0)
                return &it.value();
        return nullptr;
    };
    auto text = [&](const char *name, QString *out) -> bool {
        const OJson *v = field(name);
        if (!v || v->is_null())
            return true;
        if (!v->is_string()) {
            *error = QStringLiteral("%1 must be a string or null").arg(QLatin1String(name));
            return false;
        }
        *out = qs(v->get<std::string>());
        return true;
    };
    QString from, to;
    if (!text("datetimeFrom", &from) || !text("datetimeTo", &to) || !text("eventCode", &q->eventCode)
        || !text("MPAN", &q->mpan) || !text("version", &q->schemaVersion))
        return false;
    for (auto [value, target, name] : {std::tuple{from, &q->fromMs, "datetimeFrom"}, std::tuple{to, &q->toMs, "datetimeTo"}}) {
        if (value.isEmpty())
            continue;
        QString why;
        const auto t = dt::parseDt003(value, &why);
        if (!t) {
            *error = QLatin1String(name) + QStringLiteral(": ") + why;
            return false;
        }
        *target = t->toMSecsSinceEpoch();
    }
    if (const OJson *ids = field("transactionIDs"); ids && !ids->is_null()) {
        if (!ids->is_array() || ids->empty() || ids->size() > 100) {
            *error = QStringLiteral("transactionIDs must be an array of 1 to 100 transaction ids");
            return false;
        }
        for (const OJson &id : *ids) {
            if (!id.is_string()) {
                *error = QStringLiteral("transactionIDs must contain only strings");
                return false;
            }
            q->transactionIds << qs(id.get<std::string>());
        }
    }
    return true;
}

bool ReplayController::readQuery(const http::HttpRequest &request, const http::RouteMatch &match,
                                 const http::HttpResponder &responder, store::PublicationQuery *q, qint64 now) const
{
    QString error;
    if (parseQuery(request, match, q, &error))
        return true;
    const auto r = errorResponse(400, QStringLiteral("MSG1000 - Processing Failed"), error, q->recipientDipId,
                                 m_ctx.config.dipId, now);
    logRejectedRequest(m_ctx, request, 400, QStringLiteral("HTTP400"), error, r.body, now);
    responder.send(r);
    return false;
}

void ReplayController::replay(const http::HttpRequest &request, const http::RouteMatch &match,
                              http::HttpResponder responder)
{
    const qint64 now = Clock::nowMs();
    store::PublicationQuery q;
    if (!readQuery(request, match, responder, &q, now))
        return;
    const auto found = m_ctx.store->publications(q);
    OJson out = OJson::array();
    for (const auto &[delivery, message] : found) {
        const QByteArray body = markReplay(delivery.body);
        OJson arr = OJson::parse(body.constBegin(), body.constEnd(), nullptr, false);
        if (arr.is_array())
            for (OJson &item : arr)
                out.push_back(std::move(item));
    }
    const QByteArray body = qb(out.dump());
    logServiceRequest(m_ctx, request, 200, QStringLiteral("Replay"), QStringLiteral("OK"),
                      QStringLiteral("%1 publication(s) of %2 returned to %3").arg(found.size()).arg(q.channel, q.recipientDipId), {}, now);
    responder.send(http::HttpResponse::json(200, body));
}

void ReplayController::requeue(const http::HttpRequest &request, const http::RouteMatch &match,
                               http::HttpResponder responder)
{
    const qint64 now = Clock::nowMs();
    store::PublicationQuery q;
    if (!readQuery(request, match, responder, &q, now))
        return;
    const auto found = m_ctx.store->publications(q);
    auto copies = std::make_shared<QList<store::DeliveryRecord>>();
    for (const auto &[delivery, message] : found) {
        store::DeliveryRecord d = delivery;
        d.id = 0;
        d.reason = QStringLiteral("Replay");
        d.replay = true;
        d.status = QStringLiteral("Pending");
        d.attempts = 0;
        d.createdMs = now;
        d.nextAttemptMs = now;
        d.deliveredMs = 0;
        d.lastHttpStatus = 0;
        d.lastError.clear();
        d.body = markReplay(delivery.body);
        copies->append(d);
    }
    const QString detail = QStringLiteral("%1 publication(s) of %2 requeued to %3").arg(copies->size()).arg(q.channel, q.recipientDipId);
    storeCopies(
        m_ctx, copies, QStringLiteral("Outbound"), QStringLiteral("Requeued"),
        [](const store::DeliveryRecord &d) {
            return QStringLiteral("replay copy of %1 for %2").arg(d.transactionId, d.recipientDipId);
        },
        QStringLiteral("requeued copies"), responder, now, [this, copies, request, responder, detail, now] {
            OJson body = OJson::object();
            body["requeued"] = copies->size();
            logServiceRequest(m_ctx, request, 200, QStringLiteral("Requeue"), QStringLiteral("OK"), detail, {}, now);
            responder.send(http::HttpResponse::json(200, qb(body.dump())));
        });
}

} // namespace dipwb::dip
