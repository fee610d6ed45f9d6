// SPDX-License-Identifier: GPL-3.0-or-later
#include "dip/request_log.h"

#include "dip/emulator_context.h"
#include "dip/delivery_dispatcher.h"
#include "dip/config_controller.h"

namespace dipwb::dip {

store::RequestRecord requestRecord(const http::HttpRequest &request, qint64 nowMs)
{
    store::RequestRecord r;
    r.receivedMs = nowMs;
    r.method = QString::fromLatin1(request.method);
    r.path = QString::fromUtf8(request.target);
    r.remote = request.peerAddress.toString() + QLatin1Char(':') + QString::number(request.peerPort);
    QByteArray headers;
    for (const auto &h : request.headers)
        headers += h.first + ": " + h.second + '\n';
    r.headers = headers;
    r.body = request.body;
    r.signature = request.signatureCheck.isEmpty() ? QStringLiteral("not checked") : request.signatureCheck;
    return r;
}

namespace {
void logRequest(EmulatorContext &ctx, const http::HttpRequest &request, int httpStatus, const QString &outcome,
                const QString &stage, const QString &status, const QString &detail, const QByteArray &responseBody,
                qint64 nowMs)
{
    auto rec = std::make_shared<store::RequestRecord>(requestRecord(request, nowMs));
    rec->httpStatus = httpStatus;
    rec->outcome = outcome;
    rec->response = responseBody;
    store::JournalEntry e;
    e.atMs = nowMs;
    e.stage = stage;
    e.status = status;
    e.detail = detail;
    ctx.store->write([rec, e](store::WriteTxn &txn) mutable {
        txn.insertRequest(*rec);
        e.requestId = rec->id;
        txn.journal(e);
    });
}
} // namespace

void logRejectedRequest(EmulatorContext &ctx, const http::HttpRequest &request, int httpStatus, const QString &code,
                        const QString &detail, const QByteArray &responseBody, qint64 nowMs)
{
    logRequest(ctx, request, httpStatus, code, QStringLiteral("Inbound"), QStringLiteral("InboundRuleFailure"),
               code + QStringLiteral(" ") + detail, responseBody, nowMs);
}

void logServiceRequest(EmulatorContext &ctx, const http::HttpRequest &request, int httpStatus, const QString &stage,
                       const QString &status, const QString &detail, const QByteArray &responseBody, qint64 nowMs)
{
    logRequest(ctx, request, httpStatus, QStringLiteral("HTTP%1").arg(httpStatus), stage, status, detail,
               responseBody, nowMs);
}

void storeCopies(EmulatorContext &ctx, std::shared_ptr<QList<store::DeliveryRecord>> copies, const QString &stage,
                 const QString &status, std::function<QString(const store::DeliveryRecord &)> detail,
                 const QString &what, const http::HttpResponder &responder, qint64 nowMs, std::function<void()> stored)
{
    ctx.store->write(
        [copies, stage, status, detail, nowMs](store::WriteTxn &txn) {
            for (store::DeliveryRecord &d : *copies) {
                txn.insertDelivery(d);
                store::JournalEntry e;
                e.atMs = nowMs;
                e.messageId = d.messageId;
                e.deliveryId = d.id;
                e.stage = stage;
                e.status = status;
                e.detail = detail(d);
                txn.journal(e);
            }
        },
        ctx.dispatcher,
        [&ctx, copies, what, responder, nowMs, stored](bool ok, const QString &err) {
            if (!ok) {
                responder.send(errorResponse(503, QStringLiteral("MSG1000 - Processing Failed"),
                                             QStringLiteral("could not store the %1: ").arg(what) + err, {},
                                             ctx.config.dipId, nowMs));
                return;
            }
            stored();
            ctx.dispatcher->enqueue(*copies);
        });
}

} // namespace dipwb::dip
