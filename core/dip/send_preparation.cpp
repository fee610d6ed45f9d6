// SPDX-License-Identifier: GPL-3.0-or-later
#include "dip/send_preparation.h"

#include "common/clock.h"
#include "common/dip_time.h"
#include "common/ids.h"
#include "dip/egress.h"
#include "dip/emulator_context.h"
#include "dip/request_log.h"
#include "dip/standard_response.h"
#include "envelope/l1_checks.h"
#include "routing/router.h"

namespace dipwb::dip {

using store::DeliveryRecord;
using store::JournalEntry;
using store::MessageRecord;

namespace {

JournalEntry entry(qint64 at, const char *stage, const char *status, QString detail)
{
    JournalEntry e;
    e.atMs = at;
    e.stage = QLatin1String(stage);
    e.status = QLatin1String(status);
    e.detail = std::move(detail);
    return e;
}

// The L2 failures of one message, as a status message for the sender's status webhook.
DeliveryRecord statusCopy(const envelope::ParsedMessage &m, const QString &txId, const Issues &failures,
                          const EmulatorContext &ctx, const QString &nowText)
{
    QList<ResponseItem> items;
    for (const Issue &f : failures) {
        ResponseItem it;
        it.transactionId = txId;
        it.senderUniqueReference = m.senderUniqueReference;
        it.correlationId = m.senderCorrelationId;
        it.sentTimestamp = nowText;
        it.senderId = ctx.config.dipId;
        it.recipientId = m.senderDipId;
        it.message = f.code + QStringLiteral(" - ") + envelope::codeText(f.code);
        it.help = f.text;
        items << it;
    }
    OJson arr = OJson::array();
    for (const ResponseItem &it : items)
        arr.push_back(responseItemJson(it));
    DeliveryRecord d;
    d.kind = DeliveryRecord::Kind::StatusMessage;
    d.recipientDipId = m.senderDipId;
    d.recipientRole = m.senderRoleId;
    d.reason = QStringLiteral("Status");
    d.transactionId = txId;
    d.status = QStringLiteral("Pending");
    d.createdMs = Clock::nowMs();
    d.nextAttemptMs = d.createdMs;
    d.body = qb(arr.dump());
    return d;
}

PreparedSend reject(EmulatorContext &ctx, const http::HttpRequest &request, const QList<envelope::L1Failure> &failures,
                    const QString &nowText, qint64 now)
{
    QList<ResponseItem> items;
    for (const envelope::L1Failure &f : failures) {
        ResponseItem it;
        it.senderUniqueReference = f.senderUniqueReference;
        it.correlationId = f.correlationId;
        it.sentTimestamp = nowText;
        it.senderId = ctx.config.dipId;
        it.message = f.code + QStringLiteral(" - ") + envelope::codeText(f.code);
        it.help = envelope::helpText(f);
        items << it;
    }
    PreparedSend out;
    out.rejectionBody = standardResponse(items, now);
    const envelope::L1Failure &first = failures.first();
    logRejectedRequest(ctx, request, 400, first.code, envelope::helpText(first), out.rejectionBody, now);
    return out;
}

} // namespace

PreparedSend prepareSend(EmulatorContext &ctx, const http::HttpRequest &request, const QString &pathChannelId, qint64 now)
{
    const QString nowText = dt::formatDt003Utc(now);
    envelope::L1Context l1;
    l1.catalogue = ctx.catalogue.get();
    l1.pathChannelId = pathChannelId;
    l1.environment = ctx.config.environment;
    l1.participant = [&ctx](const QString &id) { return ctx.participant(id); };
    l1.referenceUsed = [&ctx](const QString &sender, const QString &ref) {
        return ctx.references.contains(EmulatorContext::referenceKey(sender, ref));
    };
    l1.nowMs = now;
    l1.maxFutureSkewMs = ctx.config.maxFutureSkewMs;
    l1.rejectBadMpanCheckDigit = ctx.config.rejectBadMpanCheckDigit;
    l1.schemas = ctx.schemas.get();

    const envelope::L1Result result = envelope::checkRequest(request.body, l1);
    if (!result.ok)
        return reject(ctx, request, result.failures, nowText, now);

    // Reserve every reference of the request at once: a concurrent request with the same one may
    // have passed its checks on another worker, and only one of the two may be accepted.
    QStringList keys;
    for (const envelope::ParsedMessage &m : result.messages)
        keys << EmulatorContext::referenceKey(m.senderDipId, m.senderUniqueReference);
    if (const qsizetype taken = ctx.references.reserveAll(keys); taken >= 0) {
        const envelope::ParsedMessage &m = result.messages.at(taken);
        envelope::L1Failure f;
        f.index = m.index;
        f.code = QStringLiteral("MSG1006");
        f.field = QStringLiteral("payload[%1].CommonBlock.S1.senderUniqueReference").arg(m.index);
        f.reason = QStringLiteral("'%1' was already used by %2 (in a request received at the same time)")
                       .arg(m.senderUniqueReference, m.senderDipId);
        f.senderUniqueReference = m.senderUniqueReference;
        f.correlationId = m.senderCorrelationId;
        return reject(ctx, request, {f}, nowText, now);
    }

    auto batch = std::make_shared<AcceptedBatch>();
    batch->reservedKeys = keys;
    batch->request = requestRecord(request, now);
    batch->request.httpStatus = 201;
    batch->request.outcome = QStringLiteral("MSG0000");
    routing::Router router(ctx.appointments, [&ctx](const QString &id) { return ctx.participant(id); });
    QList<ResponseItem> items;

    for (const envelope::ParsedMessage &m : result.messages) {
        const catalogue::ChannelDef *ch = ctx.catalogue->channel(m.interfaceId);
        if (batch->request.senderDipId.isEmpty())
            batch->request.senderDipId = m.senderDipId;

        MessageRecord rec;
        rec.indexInRequest = m.index;
        rec.transactionId = ids::transactionId(m.interfaceId, m.senderDipId, m.senderRoleId, now);
        rec.senderUniqueReference = m.senderUniqueReference;
        rec.channel = m.interfaceId;
        rec.eventCode = m.eventCode;
        rec.schemaVersion = m.schemaVersion;
        rec.senderDipId = m.senderDipId;
        rec.senderRole = m.senderRoleId;
        rec.mpan = m.mpan;
        rec.correlationId = m.senderCorrelationId;
        rec.environment = m.environmentTag;
        rec.receivedMs = now;
        rec.status = QStringLiteral("GoodToGo");

        const OJson &payload = m.element.at("payload");
        QString dateNote;
        rec.businessMs = routing::businessInstant(*ch, payload, now, &dateNote);

        routing::RoutingInput in;
        in.channel = ch;
        in.eventCode = m.eventCode;
        in.senderDipId = m.senderDipId;
        in.primaryRecipients = m.primaryRecipients;
        in.mpan = m.mpan;
        in.distributorDipId = m.distributorDipId;
        in.businessMs = rec.businessMs;
        const routing::RoutingResult routed = router.route(in);
        rec.routing = routed.explanation();

        QList<JournalEntry> journal;
        QString inboundDetail = QStringLiteral("%1 %2 from %3:%4 ref %5")
                                    .arg(m.interfaceId, m.eventCode, m.senderRoleId, m.senderDipId, m.senderUniqueReference);
        for (const Issue &w : m.warnings)
            inboundDetail += QStringLiteral("; warning: ") + w.toString();
        journal << entry(now, "Inbound", "GoodToGo", inboundDetail);

        // Registration publications move the appointment map before later messages are routed.
        if (!ch->effects.isEmpty()) {
            Issues warnings;
            const auto changed = ctx.appointments.applyEffects(*ch, m.eventCode, payload, m.mpan,
                                                                 l1.participant, now, rec.transactionId, &warnings);
            batch->appointments << changed;
            QString detail = QStringLiteral("%1 appointment row(s) changed").arg(changed.size());
            for (const Issue &w : warnings)
                detail += QStringLiteral("; ") + w.toString();
            journal << entry(now, "MPANUpdateQueue", "OK", detail);
        }

        QList<DeliveryRecord> copies;
        EgressStamp stamp;
        stamp.primary = routed.primaryIds();
        stamp.secondary = routed.secondaryIds();
        stamp.always = routed.alwaysIds();
        stamp.transactionMs = now;
        stamp.publicationId = ch->publicationId;
        stamp.initialCorrelationId = m.senderCorrelationId;
        const EgressRenderer egress(m.element, stamp);
        rec.payload = egress.elementJson();
        for (const routing::RecipientEntry &r : routed.recipients) {
            const QString copyTx = ids::transactionId(m.interfaceId, m.senderDipId, m.senderRoleId, now);
            DeliveryRecord d;
            d.kind = DeliveryRecord::Kind::Publication;
            d.recipientDipId = r.dipId;
            d.recipientRole = r.role;
            d.reason = r.reason == routing::Reason::Primary     ? QStringLiteral("Primary")
                       : r.reason == routing::Reason::Secondary ? QStringLiteral("Secondary")
                                                                : QStringLiteral("Always");
            d.transactionId = copyTx;
            d.publicationId = ch->publicationId;
            d.status = QStringLiteral("Pending");
            d.createdMs = now;
            d.nextAttemptMs = now;
            d.body = egress.render(copyTx);
            copies << d;
        }
        QString addressing = rec.routing;
        if (!dateNote.isEmpty())
            addressing += QStringLiteral("; ") + dateNote;
        addressing += QStringLiteral("; business date ") + dt::formatDt003Utc(rec.businessMs);
        if (!routed.failures.isEmpty()) {
            for (const Issue &f : routed.failures)
                addressing += QStringLiteral("; ") + f.code + QStringLiteral(" ") + f.text;
            copies << statusCopy(m, rec.transactionId, routed.failures, ctx, nowText);
        }
        journal << entry(now, "Addressing", routed.failures.isEmpty() ? "SentToTopic" : "Failed", addressing);

        ResponseItem it;
        it.transactionId = rec.transactionId;
        it.senderUniqueReference = m.senderUniqueReference;
        it.correlationId = m.senderCorrelationId;
        it.sentTimestamp = nowText;
        it.senderId = m.senderDipId;
        it.recipientId = ctx.config.dipId;
        it.connectionProviderId = m.connectionProviderId;
        it.message = QStringLiteral("MSG0000 - Success");
        items << it;

        batch->messages << rec;
        batch->deliveries << copies;
        batch->journal << journal;
    }
    // The usual request, one message sent compactly and named in the schema's casing, is that
    // message's payload in brackets: stored once (the request row reads it back from the message).
    if (batch->messages.size() == 1) {
        const QByteArray &body = batch->request.body, &payload = batch->messages.first().payload;
        batch->request.bodyIsMessage = body.size() == payload.size() + 2 && body.startsWith('[') && body.endsWith(']')
            && QByteArrayView(body).sliced(1, payload.size()) == QByteArrayView(payload);
    }
    batch->okBody = standardResponse(items, now);
    batch->request.response = batch->okBody;
    return {batch, {}};

}

void rollbackPrepared(EmulatorContext &ctx, const AcceptedBatch &batch)
{
    ctx.references.removeAll(batch.reservedKeys);
    if (!batch.appointments.isEmpty())
        ctx.appointments.load(ctx.store->appointments());
}

} // namespace dipwb::dip
