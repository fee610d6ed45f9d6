#pragma once

#include "store/records.h"

class QSslConfiguration;

#include <QHash>
#include <QMultiMap>
#include <QObject>
#include <QTimer>
#include <functional>

namespace dipwb::http {
class HttpClient;
struct ClientRequest;
struct ClientResponse;
}

namespace dipwb::dip {

struct EmulatorContext;

/// Pushes outbox rows to recipients' webhooks and records every attempt. A copy is POSTed to the
/// webhook its recipient registered for the channel (status messages: the status webhook);
/// 2xx is delivered, 400/401/403/404/405/406/413/505 are final rejections, 408/429/5xx and
/// connection failures are retried with exponential back-off up to the configured attempts.
/// Copies whose recipient has no webhook yet wait ("Paused") until one is registered.
/// Lives on the emulator thread; each recipient host has its own connection pool, so a slow or
/// dead recipient never holds up the others.
class DeliveryDispatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryDispatcher)
public:
    explicit DeliveryDispatcher(EmulatorContext &ctx, QObject *parent = nullptr);
    ~DeliveryDispatcher() override;

    /// Takes committed outbox rows (new ones, or pending ones found at start-up).
    void enqueue(const QList<store::DeliveryRecord> &deliveries);
    /// A webhook was registered: paused copies for that recipient are tried again.
    void resume(const QString &recipientDipId);
    /// Called for every outgoing webhook request before it is sent (signing).
    void setRequestDecorator(std::function<void(http::ClientRequest &)> decorate);
    /// TLS of the webhook calls (CA certificates trusted, the certificate presented).
    void setSslConfiguration(const QSslConfiguration &config);

    /// Writes the state changes not yet handed to the store (they are gathered for a few ms).
    void flushStates();

    int inFlight() const { return m_inFlight; }
    int waiting() const { return int(m_scheduled.size()); }
    int paused() const;

    /// Whether a final HTTP status means "do not retry" (DOMAIN.md 6).
    static bool isFinalRejection(int httpStatus);
    static bool isRetryable(int httpStatus);

signals:
    /// Delivery ids whose state changed (batched per event-loop pass by the emulator).
    void deliveriesUpdated(const QList<qint64> &deliveryIds);

private:
    void attempt(store::DeliveryRecord d);
    void onResponse(store::DeliveryRecord d, const http::ClientResponse &r);
    void schedule(const store::DeliveryRecord &d);
    void runDue();
    void persist(const store::DeliveryRecord &d, const QString &stage, const QString &status, const QString &detail);
    QString urlFor(const store::DeliveryRecord &d) const;
    qint64 backoffMs(int attempts) const;

    EmulatorContext &m_ctx;
    http::HttpClient *m_client = nullptr;
    QTimer m_timer;
    QMultiMap<qint64, store::DeliveryRecord> m_scheduled;        ///< due time -> copy
    QHash<QString, QList<store::DeliveryRecord>> m_paused;        ///< recipient -> copies without webhook
    std::function<void(http::ClientRequest &)> m_decorate;
    int m_inFlight = 0;
    // State changes wait here up to kStateFlushMs and go to the store as one write: a write per
    // delivery attempt would cost the writer a savepoint each. Losing them in a crash only means
    // the copy is tried again (delivery is at least once; duplicates share the transaction id).
    QList<QPair<store::DeliveryRecord, store::JournalEntry>> m_states;
    QList<qint64> m_statesChanged;
    QTimer m_stateTimer;
};

} // namespace dipwb::dip
