// SPDX-License-Identifier: GPL-3.0-or-later
#include "dip/config_controller.h"

#include "common/clock.h"
#include "common/dip_time.h"
#include "common/json_util.h"
#include "common/untrusted_json.h"
#include "dip/delivery_dispatcher.h"
#include "dip/emulator_context.h"
#include "dip/request_log.h"
#include "dip/standard_response.h"

#include <QUrl>

namespace dipwb::dip {

QString callbackUrlFromBody(const QByteArray &body, QString *error)
{
    const OJson root = parseUntrustedJson(body);
    if (root.is_discarded() || !root.is_object()) {
        *error = QStringLiteral("the body must be a JSON object {\"callbackURL\": \"https://...\"}");
        return {};
    }
    const OJson *holder = &root;
    if (const auto c = root.find("config"); c != root.end() && c->is_object())
        holder = &*c;
    QString url;
    for (auto it = holder->begin(); it != holder->end(); ++it)
        if (QString::fromStdString(it.key()).compare(QLatin1String("callbackURL"), Qt::CaseInsensitive) == 0 && it->is_string())
            url = qs(it->get<std::string>());
    if (url.isEmpty()) {
        *error = QStringLiteral("callbackURL is missing");
        return {};
    }
    const QUrl u(url, QUrl::StrictMode);
    if (!u.isValid() || (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https")) || u.host().isEmpty()) {
        *error = QStringLiteral("callbackURL '%1' is not an absolute http or https URL").arg(url);
        return {};
    }
    return url;
}

http::HttpResponse errorResponse(int status, const QString &code, const QString &help, const QString &recipient,
                                 const QString &dipId, qint64 nowMs)
{
    ResponseItem it;
    it.sentTimestamp = dt::formatDt003Utc(nowMs);
    it.senderId = dipId;
    it.recipientId = recipient;
    it.message = code;
    it.help = help;
    return http::HttpResponse::json(status, standardResponse({it}, nowMs));
}

ConfigController::ConfigController(EmulatorContext &ctx)
    : m_ctx(ctx)
{
}

void ConfigController::pubConfig(const http::HttpRequest &request, const http::RouteMatch &match,
                                 http::HttpResponder responder)
{
    const qint64 now = Clock::nowMs();
    const QString rawChannel = match.params.value(QStringLiteral("id"));
    const QString dipId = match.params.value(QStringLiteral("dipId"));
    const QString channel = m_ctx.catalogue->channelForPublication(rawChannel);
    auto reject = [&](int status, const QString &help) {
        const http::HttpResponse r = errorResponse(status, QStringLiteral("MSG1000 - Processing Failed"), help, dipId,
                                                   m_ctx.config.dipId, now);
        logRejectedRequest(m_ctx, request, status, QStringLiteral("HTTP%1").arg(status), help, r.body, now);
        responder.send(r);
    };
    if (channel.isEmpty())
        return reject(404, QStringLiteral("channel %1 is not in catalogue %2").arg(rawChannel, m_ctx.catalogue->version()));
    auto participant = m_ctx.registry.find(dipId);
    if (!participant)
        return reject(404, QStringLiteral("DIP id %1 is not a registered participant").arg(dipId));

    if (request.method == "DELETE") {
        if (!participant->webhooks.contains(channel))
            return reject(404, QStringLiteral("%1 has no webhook for %2").arg(dipId, channel));
        participant->webhooks.remove(channel);
    } else {
        QString error;
        const QString url = callbackUrlFromBody(request.body, &error);
        if (url.isEmpty())
            return reject(400, error);
        participant->webhooks.insert(channel, url);
    }
    m_ctx.registry.upsert(*participant);
    const participants::Participant saved = *participant;
    const bool removing = request.method == "DELETE";
    const QString detail = removing ? QStringLiteral("webhook of %1 for %2 removed").arg(dipId, channel)
                                    : QStringLiteral("webhook of %1 for %2 set to %3").arg(dipId, channel, saved.webhooks.value(channel));
    store(request, responder, saved, removing, detail, now);
}

void ConfigController::statusConfig(const http::HttpRequest &request, const http::RouteMatch &match,
                                    http::HttpResponder responder)
{
    const qint64 now = Clock::nowMs();
    const QString dipId = match.params.value(QStringLiteral("dipId"));
    auto reject = [&](int status, const QString &help) {
        const http::HttpResponse r = errorResponse(status, QStringLiteral("MSG1000 - Processing Failed"), help, dipId,
                                                   m_ctx.config.dipId, now);
        logRejectedRequest(m_ctx, request, status, QStringLiteral("HTTP%1").arg(status), help, r.body, now);
        responder.send(r);
    };
    auto participant = m_ctx.registry.find(dipId);
    if (!participant)
        return reject(404, QStringLiteral("DIP id %1 is not a registered participant").arg(dipId));
    const bool removing = request.method == "DELETE";
    if (removing) {
        if (participant->statusWebhook.isEmpty())
            return reject(404, QStringLiteral("%1 has no status-message webhook").arg(dipId));
        participant->statusWebhook.clear();
    } else {
        QString error;
        const QString url = callbackUrlFromBody(request.body, &error);
        if (url.isEmpty())
            return reject(400, error);
        participant->statusWebhook = url;
    }
    m_ctx.registry.upsert(*participant);
    const participants::Participant saved = *participant;
    const QString detail = removing ? QStringLiteral("status webhook of %1 removed").arg(dipId)
                                    : QStringLiteral("status webhook of %1 set to %2").arg(dipId, saved.statusWebhook);
    store(request, responder, saved, removing, detail, now);
}

// Both registrations end alike: store the participant, answer after the commit (201, or 204 for a
// removal), journal it, and let copies parked for lack of a webhook go.
void ConfigController::store(const http::HttpRequest &request, const http::HttpResponder &responder,
                             const participants::Participant &saved, bool removing, const QString &detail, qint64 now)
{
    const QString dipId = saved.dipId;
    m_ctx.store->write([saved](store::WriteTxn &txn) { txn.upsertParticipant(saved); }, m_ctx.dispatcher,
                       [this, request, responder, removing, detail, dipId, now](bool ok, const QString &error) {
                           if (!ok) {
                               responder.send(errorResponse(503, QStringLiteral("MSG1000 - Processing Failed"),
                                                            QStringLiteral("could not store the configuration: ") + error,
                                                            dipId, m_ctx.config.dipId, now));
                               return;
                           }
                           const int status = removing ? 204 : 201;
                           logServiceRequest(m_ctx, request, status, QStringLiteral("Configuration"), QStringLiteral("OK"), detail, {}, now);
                           responder.send(http::HttpResponse{status, {}, {}, false});
                           if (!removing)
                               m_ctx.dispatcher->resume(dipId);
                       });
}

} // namespace dipwb::dip
