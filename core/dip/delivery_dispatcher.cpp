// SPDX-License-Identifier: GPL-3.0-or-later
#include "dip/delivery_dispatcher.h"

#include "common/clock.h"
#include "common/log.h"
#include "dip/emulator_context.h"
#include "http/http_client.h"
#include "security/recorded_call.h"

#include <QUrl>

namespace dipwb::dip {

using store::DeliveryRecord;

namespace {
constexpr int kStateFlushMs = 5;
}

DeliveryDispatcher::DeliveryDispatcher(EmulatorContext &ctx, QObject *parent)
    : QObject(parent)
    , m_ctx(ctx)
{
    http::HttpClient::Options options;
    options.maxConnectionsPerHost = ctx.config.maxConnectionsPerRecipient;
    m_client = new http::HttpClient(options, this);
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &DeliveryDispatcher::runDue);
    m_stateTimer.setSingleShot(true);
    m_stateTimer.setInterval(kStateFlushMs);
    connect(&m_stateTimer, &QTimer::timeout, this, &DeliveryDispatcher::flushStates);
}

DeliveryDispatcher::~DeliveryDispatcher()
{
    flushStates();
}

bool DeliveryDispatcher::isFinalRejection(int s)
{
    switch (s) {
    case 400: case 401: case 403: case 404: case 405: case 406: case 413: case 505:
        return true;
    default:
        // Other client errors cannot be fixed by asking again either.
        return s >= 400 && s < 500 && !isRetryable(s);
    }
}

bool DeliveryDispatcher::isRetryable(int s)
{
    switch (s) {
    case 408: case 429: case 500: case 502: case 503: case 504:
        return true;
    default:
        return s >= 500 && s != 505;
    }
}

void DeliveryDispatcher::setRequestDecorator(std::function<void(http::ClientRequest &)> decorate)
{
    m_decorate = std::move(decorate);
}

void DeliveryDispatcher::setSslConfiguration(const QSslConfiguration &config)
{
    m_client->setSslConfiguration(config);
}

int DeliveryDispatcher::paused() const
{
    int n = 0;
    for (const auto &list : m_paused)
        n += int(list.size());
    return n;
}

void DeliveryDispatcher::enqueue(const QList<DeliveryRecord> &deliveries)
{
    const qint64 now = Clock::nowMs();
    for (const DeliveryRecord &d : deliveries) {
        if (d.nextAttemptMs > now)
            schedule(d);
        else
            attempt(d);
    }
}

void DeliveryDispatcher::resume(const QString &recipientDipId)
{
    const QList<DeliveryRecord> list = m_paused.take(recipientDipId);
    for (const DeliveryRecord &d : list)
        attempt(d);
}

QString DeliveryDispatcher::urlFor(const DeliveryRecord &d) const
{
    if (d.kind == DeliveryRecord::Kind::StatusMessage) {
        const auto p = m_ctx.registry.find(d.recipientDipId);
        return p ? p->statusWebhook : QString();
    }
    const QString channel = m_ctx.catalogue->channelForPublication(d.publicationId);
    return m_ctx.registry.webhookFor(d.recipientDipId, channel.isEmpty() ? d.publicationId : channel);
}

qint64 DeliveryDispatcher::backoffMs(int attempts) const
{
    // 1, 2, 4, 8, 16 s ... after the 1st, 2nd, 3rd... failed attempt.
    const int shift = std::clamp(attempts - 1, 0, 20);
    return std::min<qint64>(qint64(m_ctx.config.retryBaseMs) << shift, m_ctx.config.retryMaxMs);
}

void DeliveryDispatcher::schedule(const DeliveryRecord &d)
{
    m_scheduled.insert(d.nextAttemptMs, d);
    const qint64 wait = std::max<qint64>(0, m_scheduled.firstKey() - Clock::nowMs());
    if (!m_timer.isActive() || m_timer.remainingTime() > wait)
        m_timer.start(int(wait));
}

void DeliveryDispatcher::runDue()
{
    const qint64 now = Clock::nowMs();
    while (!m_scheduled.isEmpty() && m_scheduled.firstKey() <= now) {
        DeliveryRecord d = m_scheduled.first();
        m_scheduled.erase(m_scheduled.begin());
        attempt(d);
    }
    if (!m_scheduled.isEmpty())
        m_timer.start(int(std::max<qint64>(0, m_scheduled.firstKey() - now)));
}

void DeliveryDispatcher::attempt(DeliveryRecord d)
{
    const QString url = urlFor(d);
    if (url.isEmpty()) {
        const bool first = std::none_of(m_paused.value(d.recipientDipId).cbegin(), m_paused.value(d.recipientDipId).cend(),
                                        [&](const DeliveryRecord &p) { return p.id == d.id; });
        if (first) {
            m_paused[d.recipientDipId].append(d);
            const QString stage = d.kind == DeliveryRecord::Kind::StatusMessage ? QStringLiteral("StatusMessage")
                                                                               : QStringLiteral("Outbound");
            d.lastError = QStringLiteral("no webhook registered for %1 on %2").arg(d.recipientDipId, d.publicationId.isEmpty() ? QStringLiteral("status messages") : d.publicationId);
            persist(d, stage, QStringLiteral("Paused"), d.lastError);
        }
        return;
    }
    http::ClientRequest req;
    req.url = QUrl(url);
    req.method = "POST";
    req.headers = {{"Content-Type", "application/json"}};
    req.body = d.body;
    req.timeoutMs = m_ctx.config.deliveryTimeoutMs;
    if (m_decorate)
        m_decorate(req);
    // What the recipient was asked to verify, for the inspector (delivery_calls).
    d.lastCall = security::recordCall(req);
    d.lastCallMs = Clock::nowMs();
    ++m_inFlight;
    ++d.attempts;
    m_client->send(std::move(req), [this, d](const http::ClientResponse &r) {
        --m_inFlight;
        onResponse(d, r);
    });
}

void DeliveryDispatcher::onResponse(DeliveryRecord d, const http::ClientResponse &r)
{
    const bool status = d.kind == DeliveryRecord::Kind::StatusMessage;
    const QString stage = status ? QStringLiteral("StatusMessage") : QStringLiteral("Outbound");
    const qint64 now = Clock::nowMs();
    d.lastHttpStatus = r.status;
    QString detail = QStringLiteral("attempt %1 to %2 (%3): ").arg(d.attempts).arg(d.recipientDipId, d.transactionId);
    if (r.status >= 200 && r.status < 300) {
        d.status = QStringLiteral("Delivered");
        d.deliveredMs = now;
        d.lastError.clear();
        persist(d, stage, QStringLiteral("Delivered"), detail + QStringLiteral("HTTP %1 in %2 ms").arg(r.status).arg(r.elapsedMs));
        return;
    }
    const QString what = r.status ? QStringLiteral("HTTP %1").arg(r.status)
                                  : (r.timedOut ? QStringLiteral("timed out: ") : QStringLiteral("connection failed: ")) + r.error;
    d.lastError = what;
    if (r.status && isFinalRejection(r.status)) {
        d.status = status ? QStringLiteral("DeliveryFailure") : QStringLiteral("RejectedByRecipient");
        QString body = QString::fromUtf8(r.body.left(500));
        persist(d, stage, d.status, detail + what + (body.isEmpty() ? QString() : QStringLiteral(": ") + body) + QStringLiteral(" (not retried)"));
        return;
    }
    if (d.attempts >= m_ctx.config.maxDeliveryAttempts) {
        d.status = status ? QStringLiteral("DeliveryFailure") : QStringLiteral("RetriesExhausted");
        persist(d, stage, d.status, detail + what + QStringLiteral(" (no attempts left of %1)").arg(m_ctx.config.maxDeliveryAttempts));
        return;
    }
    d.status = QStringLiteral("Retrying");
    d.nextAttemptMs = now + backoffMs(d.attempts);
    persist(d, stage, QStringLiteral("Retrying"), detail + what + QStringLiteral(", next attempt in %1 ms").arg(d.nextAttemptMs - now));
    schedule(d);
}

void DeliveryDispatcher::persist(const DeliveryRecord &d, const QString &stage, const QString &status, const QString &detail)
{
    store::JournalEntry e;
    e.atMs = Clock::nowMs();
    e.messageId = d.messageId;
    e.deliveryId = d.id;
    e.stage = stage;
    e.status = status;
    e.detail = detail;
    m_states.append({d, e});
    m_statesChanged << d.id;
    if (!m_stateTimer.isActive())
        m_stateTimer.start();
}

void DeliveryDispatcher::flushStates()
{
    m_stateTimer.stop();
    if (m_states.isEmpty())
        return;
    m_ctx.store->write([states = std::exchange(m_states, {})](store::WriteTxn &txn) mutable {
        for (auto &[copy, e] : states) {
            txn.updateDeliveryState(copy);
            txn.journal(e);
        }
    });
    emit deliveriesUpdated(std::exchange(m_statesChanged, {}));
}

} // namespace dipwb::dip
