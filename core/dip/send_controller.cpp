// SPDX-License-Identifier: GPL-3.0-or-later
#include "dip/send_controller.h"

#include "common/clock.h"
#include "common/dip_time.h"
#include "common/ids.h"
#include "common/log.h"
#include "dip/delivery_dispatcher.h"
#include "dip/egress.h"
#include "dip/emulator_context.h"
#include "dip/request_log.h"
#include "dip/standard_response.h"
#include "envelope/l1_checks.h"
#include "routing/router.h"

#include <memory>

namespace dipwb::dip {

using store::DeliveryRecord;
using store::JournalEntry;
using store::MessageRecord;

namespace {

// Everything one accepted request writes, prepared on the emulator thread and committed at once.
struct AcceptedBatch
{
    store::RequestRecord request;
    QList<MessageRecord> messages;
    QList<QList<DeliveryRecord>> deliveries;       // per message
    QList<QList<JournalEntry>> journal;            // per message, before its deliveries' rows
    QList<store::AppointmentRecord> appointments;
    QStringList reservedKeys;
};

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
                          const EmulatorContext &ctx, qint64 now)
{
    QList<ResponseItem> items;
    for (const Issue &f : failures) {
        ResponseItem it;
        it.transactionId = txId;
        it.senderUniqueReference = m.senderUniqueReference;
        it.correlationId = m.senderCorrelationId;
        it.sentTimestamp = dt::formatDt003Utc(now);
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
    d.createdMs = now;
    d.nextAttemptMs = now;
    d.body = qb(arr.dump());
    return d;
}

} // namespace

SendController::SendController(EmulatorContext &ctx, QObject *parent)
    : QObject(parent)
    , m_ctx(ctx)
{
}

void SendController::handle(const http::HttpRequest &request, const http::RouteMatch &match,
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
    if (!result.ok) {
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
        const QByteArray body = standardResponse(items, now);
        const envelope::L1Failure &first = result.failures.first();
        logRejectedRequest(m_ctx, request, 400, first.code, envelope::helpText(first), body, now);
        responder.send(http::HttpResponse::json(400, body));
        return;
    }

    auto batch = std::make_shared<AcceptedBatch>();
    batch->request = requestRecord(request, now);
    batch->request.httpStatus = 201;
    batch->request.outcome = QStringLiteral("MSG0000");
    routing::Router router(m_ctx.appointments, [this](const QString &id) { return m_ctx.participant(id); });
    QList<ResponseItem> items;

    for (const envelope::ParsedMessage &m : result.messages) {
        const catalogue::ChannelDef *ch = m_ctx.catalogue->channel(m.interfaceId);
        const QString key = EmulatorContext::referenceKey(m.senderDipId, m.senderUniqueReference);
        m_ctx.references.insert(key);
        batch->reservedKeys << key;
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
        rec.payload = qb(m.element.dump());

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
            const auto changed = m_ctx.appointments.applyEffects(*ch, m.eventCode, payload, m.mpan,
                                                                 l1.participant, now, rec.transactionId, &warnings);
            batch->appointments << changed;
            QString detail = QStringLiteral("%1 appointment row(s) changed").arg(changed.size());
            for (const Issue &w : warnings)
                detail += QStringLiteral("; ") + w.toString();
            journal << entry(now, "MPANUpdateQueue", "OK", detail);
        }

        QList<DeliveryRecord> copies;
        const QStringList primary = routed.primaryIds(), secondary = routed.secondaryIds(), always = routed.alwaysIds();
        for (const routing::RecipientEntry &r : routed.recipients) {
            EgressStamp stamp;
            stamp.primary = primary;
            stamp.secondary = secondary;
            stamp.always = always;
            stamp.transactionId = ids::transactionId(m.interfaceId, m.senderDipId, m.senderRoleId, now);
            stamp.transactionMs = now;
            stamp.publicationId = ch->publicationId;
            stamp.initialCorrelationId = m.senderCorrelationId;
            DeliveryRecord d;
            d.kind = DeliveryRecord::Kind::Publication;
            d.recipientDipId = r.dipId;
            d.recipientRole = r.role;
            d.reason = r.reason == routing::Reason::Primary     ? QStringLiteral("Primary")
                       : r.reason == routing::Reason::Secondary ? QStringLiteral("Secondary")
                                                                : QStringLiteral("Always");
            d.transactionId = stamp.transactionId;
            d.publicationId = ch->publicationId;
            d.status = QStringLiteral("Pending");
            d.createdMs = now;
            d.nextAttemptMs = now;
            d.body = egressBody(m.element, stamp);
            copies << d;
        }
        QString addressing = rec.routing;
        if (!dateNote.isEmpty())
            addressing += QStringLiteral("; ") + dateNote;
        addressing += QStringLiteral("; business date ") + dt::formatDt003Utc(rec.businessMs);
        if (!routed.failures.isEmpty()) {
            for (const Issue &f : routed.failures)
                addressing += QStringLiteral("; ") + f.code + QStringLiteral(" ") + f.text;
            copies << statusCopy(m, rec.transactionId, routed.failures, m_ctx, now);
        }
        journal << entry(now, "Addressing", routed.failures.isEmpty() ? "SentToTopic" : "Failed", addressing);

        ResponseItem it;
        it.transactionId = rec.transactionId;
        it.senderUniqueReference = m.senderUniqueReference;
        it.correlationId = m.senderCorrelationId;
        it.sentTimestamp = dt::formatDt003Utc(now);
        it.senderId = m.senderDipId;
        it.recipientId = m_ctx.config.dipId;
        it.connectionProviderId = m.connectionProviderId;
        it.message = QStringLiteral("MSG0000 - Success");
        items << it;

        batch->messages << rec;
        batch->deliveries << copies;
        batch->journal << journal;
    }
    const QByteArray okBody = standardResponse(items, now);
    batch->request.response = okBody;

    m_ctx.store->write(
        [batch](store::WriteTxn &txn) {
            txn.insertRequest(batch->request);
            for (qsizetype i = 0; i < batch->messages.size(); ++i) {
                MessageRecord &m = batch->messages[i];
                m.requestId = batch->request.id;
                txn.insertMessage(m);
                for (JournalEntry &e : batch->journal[i]) {
                    e.requestId = batch->request.id;
                    e.messageId = m.id;
                    txn.journal(e);
                }
                for (DeliveryRecord &d : batch->deliveries[i]) {
                    d.messageId = m.id;
                    txn.insertDelivery(d);
                }
            }
            for (store::AppointmentRecord &a : batch->appointments)
                txn.upsertAppointment(a);
        },
        this,
        [this, batch, responder, okBody, now](bool ok, const QString &error) {
            if (!ok) {
                // Nothing was stored: take back the reservations and the appointment changes.
                for (const QString &k : std::as_const(batch->reservedKeys))
                    m_ctx.references.remove(k);
                if (!batch->appointments.isEmpty())
                    m_ctx.appointments.load(m_ctx.store->appointments());
                qCWarning(lcDip) << "commit failed, answering 503:" << error;
                ResponseItem it;
                it.sentTimestamp = dt::formatDt003Utc(now);
                it.senderId = m_ctx.config.dipId;
                it.message = QStringLiteral("MSG1000 - Processing Failed");
                it.help = QStringLiteral("The emulator could not store the request, so nothing was accepted: ") + error;
                responder.send(http::HttpResponse::json(503, standardResponse({it}, Clock::nowMs())));
                return;
            }
            responder.send(http::HttpResponse::json(201, okBody));
            QList<qint64> ids;
            QList<DeliveryRecord> outbox;
            for (qsizetype i = 0; i < batch->messages.size(); ++i) {
                ids << batch->messages[i].id;
                outbox << batch->deliveries[i];
            }
            for (const auto &a : std::as_const(batch->appointments))
                m_ctx.appointments.setId(a.mpan, a.role, a.fromMs, a.id);
            m_ctx.dispatcher->enqueue(outbox);
            emit messagesStored(ids);
        });
}

} // namespace dipwb::dip
