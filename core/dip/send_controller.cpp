// SPDX-License-Identifier: GPL-3.0-or-later
#include "dip/send_controller.h"

#include "common/clock.h"
#include "common/dip_time.h"
#include "common/log.h"
#include "dip/delivery_dispatcher.h"
#include "dip/emulator_context.h"
#include "dip/send_preparation.h"
#include "dip/standard_response.h"

namespace dipwb::dip {

SendController::SendController(EmulatorContext &ctx, QObject *parent)
    : QObject(parent)
    , m_ctx(ctx)
{
    m_pool.setMaxThreadCount(std::max(1, ctx.config.sendWorkers > 0 ? ctx.config.sendWorkers : QThread::idealThreadCount()));
    m_pool.setObjectName(QStringLiteral("dipwb-send"));
}

SendController::~SendController()
{
    drain();
}

void SendController::drain()
{
    m_pool.waitForDone();
}

void SendController::handle(const http::HttpRequest &request, const http::RouteMatch &match,
                            http::HttpResponder responder)
{
    const qint64 now = Clock::nowMs();
    const QString channel = match.params.value(QStringLiteral("id"));
    m_pool.start([this, request, channel, responder, now] {
        PreparedSend prepared = prepareSend(m_ctx, request, channel, now);
        if (!prepared.batch) {
            QMetaObject::invokeMethod(this, [responder, body = prepared.rejectionBody] {
                responder.send(http::HttpResponse::json(400, body));
            }, Qt::QueuedConnection);
            return;
        }
        // The store is thread-safe; queuing from here keeps the emulator thread out of the way.
        commit(std::move(prepared.batch), responder, now);
    });
}

void SendController::commit(std::shared_ptr<AcceptedBatch> batch, http::HttpResponder responder, qint64 now)
{
    m_ctx.store->write(
        [batch](store::WriteTxn &txn) {
            txn.insertRequest(batch->request);
            for (qsizetype i = 0; i < batch->messages.size(); ++i) {
                store::MessageRecord &m = batch->messages[i];
                m.requestId = batch->request.id;
                txn.insertMessage(m);
                for (store::JournalEntry &e : batch->journal[i]) {
                    e.requestId = batch->request.id;
                    e.messageId = m.id;
                    txn.journal(e);
                }
                for (store::DeliveryRecord &d : batch->deliveries[i]) {
                    d.messageId = m.id;
                    txn.insertDelivery(d);
                }
            }
            for (store::AppointmentRecord &a : batch->appointments)
                txn.upsertAppointment(a);
        },
        this,
        [this, batch, responder, now](bool ok, const QString &error) {
            if (ok) {
                committed(batch, responder);
                return;
            }
            // Nothing was stored: take back the reservations and the appointment changes.
            rollbackPrepared(m_ctx, *batch);
            qCWarning(lcDip) << "commit failed, answering 503:" << error;
            ResponseItem it;
            it.sentTimestamp = dt::formatDt003Utc(now);
            it.senderId = m_ctx.config.dipId;
            it.message = QStringLiteral("MSG1000 - Processing Failed");
            it.help = QStringLiteral("The emulator could not store the request, so nothing was accepted: ") + error;
            responder.send(http::HttpResponse::json(503, standardResponse({it}, Clock::nowMs())));
        });
}

void SendController::committed(const std::shared_ptr<AcceptedBatch> &batch, const http::HttpResponder &responder)
{
    responder.send(http::HttpResponse::json(201, batch->okBody));
    QList<qint64> ids;
    QList<store::DeliveryRecord> outbox;
    for (qsizetype i = 0; i < batch->messages.size(); ++i) {
        ids << batch->messages[i].id;
        outbox << batch->deliveries[i];
    }
    for (const auto &a : std::as_const(batch->appointments))
        m_ctx.appointments.setId(a.mpan, a.role, a.fromMs, a.id);
    m_ctx.dispatcher->enqueue(outbox);
    emit messagesStored(ids);
}

} // namespace dipwb::dip
