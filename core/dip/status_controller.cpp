// SPDX-License-Identifier: GPL-3.0-or-later
#include "dip/status_controller.h"

#include "common/clock.h"
#include "common/dip_time.h"
#include "common/json_util.h"
#include "common/untrusted_json.h"
#include "dip/config_controller.h"
#include "dip/delivery_dispatcher.h"
#include "dip/emulator_context.h"
#include "dip/request_log.h"
#include "dip/standard_response.h"

#include <QRegularExpression>

namespace dipwb::dip {

StatusController::StatusController(EmulatorContext &ctx)
    : m_ctx(ctx)
{
}

void StatusController::submit(const http::HttpRequest &request, const http::RouteMatch &, http::HttpResponder responder)
{
    const qint64 now = Clock::nowMs();
    auto reject = [&](const QString &help) {
        const auto r = errorResponse(400, QStringLiteral("MSG1001 - Schema Failure"), help, {}, m_ctx.config.dipId, now);
        logRejectedRequest(m_ctx, request, 400, QStringLiteral("MSG1001"), help, r.body, now);
        responder.send(r);
    };
    QString why;
    const OJson root = parseUntrustedJson(request.body, &why);
    if (root.is_discarded())
        return reject(QStringLiteral("body: ") + why);
    if (!root.is_array() || root.empty())
        return reject(QStringLiteral("body: must be an array of at least one status item"));

    static const QRegularExpression rcp(QStringLiteral("^RCP\\d{4}\\b"));
    auto copies = std::make_shared<QList<store::DeliveryRecord>>();
    QList<ResponseItem> answers;
    int index = 0;
    for (const OJson &item : root) {
        const QString where = QStringLiteral("[%1]").arg(index++);
        if (!item.is_object())
            return reject(where + QStringLiteral(": must be an object"));
        const QString tx = stringAt(item, "transactionID");
        const QString message = stringAt(item, "message");
        if (tx.isEmpty())
            return reject(where + QStringLiteral(".transactionID: missing; name the transaction id of the publication you received"));
        if (!rcp.match(message).hasMatch())
            return reject(where + QStringLiteral(".message: '%1' must start with an RCP code, e.g. \"RCP0000 - Success\"").arg(message));
        const auto delivery = m_ctx.store->deliveryByTransactionId(tx);
        if (!delivery || delivery->kind != store::DeliveryRecord::Kind::Publication)
            return reject(where + QStringLiteral(".transactionID: %1 is not a publication this DIP delivered").arg(tx));
        const QString reporter = stringAt(item, "senderID");
        if (!reporter.isEmpty() && reporter != delivery->recipientDipId)
            return reject(where + QStringLiteral(".senderID: %1 did not receive %2 (it went to %3)").arg(reporter, tx, delivery->recipientDipId));
        const auto original = m_ctx.store->message(delivery->messageId);
        if (!original)
            return reject(where + QStringLiteral(".transactionID: the message of %1 is no longer stored").arg(tx));

        OJson forwarded = item;
        forwarded["senderID"] = ss(delivery->recipientDipId);
        forwarded["recipientID"] = ss(original->senderDipId);
        OJson arr = OJson::array();
        arr.push_back(std::move(forwarded));
        store::DeliveryRecord d;
        d.kind = store::DeliveryRecord::Kind::StatusMessage;
        d.messageId = original->id;
        d.recipientDipId = original->senderDipId;
        d.recipientRole = original->senderRole;
        d.reason = QStringLiteral("Status");
        d.transactionId = tx;
        d.status = QStringLiteral("Pending");
        d.createdMs = now;
        d.nextAttemptMs = now;
        d.body = qb(arr.dump());
        copies->append(d);

        ResponseItem a;
        a.transactionId = tx;
        a.senderUniqueReference = original->senderUniqueReference;
        a.correlationId = original->correlationId;
        a.sentTimestamp = dt::formatDt003Utc(now);
        a.senderId = delivery->recipientDipId;
        a.recipientId = original->senderDipId;
        a.message = QStringLiteral("MSG0000 - Success");
        answers << a;
    }
    const QByteArray okBody = standardResponse(answers, now);
    storeCopies(
        m_ctx, copies, QStringLiteral("StatusMessage"), QStringLiteral("Received"),
        [](const store::DeliveryRecord &d) {
            return QStringLiteral("status on %1 for %2: %3").arg(d.transactionId, d.recipientDipId, QString::fromUtf8(d.body.left(300)));
        },
        QStringLiteral("status messages"), responder, now, [this, copies, request, responder, okBody, now] {
            logServiceRequest(m_ctx, request, 201, QStringLiteral("StatusMessage"), QStringLiteral("OK"),
                              QStringLiteral("%1 status item(s) accepted").arg(copies->size()), okBody, now);
            responder.send(http::HttpResponse::json(201, okBody));
        });
}

} // namespace dipwb::dip
