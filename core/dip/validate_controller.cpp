// SPDX-License-Identifier: GPL-3.0-or-later
#include "dip/validate_controller.h"

#include "common/clock.h"
#include "common/dip_time.h"
#include "dip/config_controller.h"
#include "dip/emulator_context.h"
#include "dip/standard_response.h"
#include "envelope/l1_checks.h"

namespace dipwb::dip {

ValidateController::ValidateController(EmulatorContext &ctx)
    : m_ctx(ctx)
{
}

void ValidateController::validate(const http::HttpRequest &request, const http::RouteMatch &match,
                                  http::HttpResponder responder)
{
    const qint64 now = Clock::nowMs();
    envelope::L1Context l1;
    l1.catalogue = m_ctx.catalogue.get();
    l1.pathChannelId = match.params.value(QStringLiteral("id"));
    l1.environment = m_ctx.config.environment;
    l1.participant = [this](const QString &id) { return m_ctx.participant(id); };
    l1.referenceUsed = [this](const QString &sender, const QString &ref) {
        return m_ctx.references.contains(EmulatorContext::referenceKey(sender, ref));
    };
    l1.nowMs = now;
    l1.maxFutureSkewMs = m_ctx.config.maxFutureSkewMs;
    l1.rejectBadMpanCheckDigit = m_ctx.config.rejectBadMpanCheckDigit;
    l1.schemas = m_ctx.schemas.get();
    const envelope::L1Result result = envelope::checkRequest(request.body, l1);

    const QString event = match.params.value(QStringLiteral("event"));
    QList<ResponseItem> items;
    for (const envelope::L1Failure &f : result.failures) {
        ResponseItem it;
        it.senderUniqueReference = f.senderUniqueReference;
        it.correlationId = f.correlationId;
        it.sentTimestamp = dt::formatDt003Utc(now);
        it.senderId = m_ctx.config.dipId;
        it.message = f.code + QStringLiteral(" - ") + envelope::codeText(f.code);
        it.help = envelope::helpText(f);
        items << it;
    }
    for (const envelope::ParsedMessage &m : result.messages) {
        // The path names the event; a message of another event is a schema failure for that path.
        if (!event.isEmpty() && m.eventCode != event && m.eventCode != QLatin1Char('[') + event + QLatin1Char(']')) {
            ResponseItem it;
            it.senderUniqueReference = m.senderUniqueReference;
            it.sentTimestamp = dt::formatDt003Utc(now);
            it.senderId = m_ctx.config.dipId;
            it.message = QStringLiteral("MSG1001 - ") + envelope::codeText(QStringLiteral("MSG1001"));
            it.help = QStringLiteral("payload[%1].CommonBlock.S0.eventCode: %2 does not match the event %3 of the URL")
                          .arg(m.index).arg(m.eventCode, event);
            items << it;
        }
    }
    if (items.isEmpty()) {
        responder.send(http::HttpResponse::json(201, QByteArrayLiteral("\"Message OK\"")));
        return;
    }
    responder.send(http::HttpResponse::json(400, standardResponse(items, now)));
}

} // namespace dipwb::dip
