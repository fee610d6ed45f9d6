// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/http_client.h"

#include "common/log.h"
#include "http/client_connection.h"

#include <limits>

namespace dipwb::http {

using detail::ClientConnection;
using detail::ClientJob;
using detail::ClientPool;

HttpClient::HttpClient(QObject *parent)
    : HttpClient(Options{}, parent)
{
}

HttpClient::HttpClient(const Options &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_sslConfig(QSslConfiguration::defaultConfiguration())
{
    m_options.maxConnectionsPerHost = std::max(1, m_options.maxConnectionsPerHost);
    m_clock.start();
    m_queueSweep.setInterval(50);
    connect(&m_queueSweep, &QTimer::timeout, this, &HttpClient::sweepQueues);
}

// Connections are children and go with the QObject base; they do not call back into the client
// from their destructors.
HttpClient::~HttpClient() = default;

void HttpClient::setSslConfiguration(const QSslConfiguration &config)
{
    m_sslConfig = config;
}

void HttpClient::send(ClientRequest request, std::function<void(const ClientResponse &)> done)
{
    auto job = std::make_unique<ClientJob>();
    job->startedMs = nowMs();
    job->deadlineMs = request.timeoutMs > 0 ? job->startedMs + request.timeoutMs : std::numeric_limits<qint64>::max();
    job->request = std::move(request);
    job->done = std::move(done);
    ++m_pending;

    const QUrl &url = job->request.url;
    const QString scheme = url.scheme().toLower();
    const bool tls = scheme == QLatin1String("https");
    if (!url.isValid() || (!tls && scheme != QLatin1String("http")) || url.host().isEmpty()) {
        // Reported from the event loop: callbacks never run inside send().
        std::shared_ptr<ClientJob> failed(job.release());
        QMetaObject::invokeMethod(this, [this, failed] {
            ClientResponse r;
            r.connectionFailed = true;
            r.error = QStringLiteral("unsupported or invalid URL: ") + failed->request.url.toString();
            deliver(*failed, std::move(r));
        }, Qt::QueuedConnection);
        return;
    }
    const quint16 port = quint16(url.port(tls ? 443 : 80));
    const QString key = scheme + QLatin1String("://") + url.host() + QLatin1Char(':') + QString::number(port);
    auto &slot = m_pools[key];
    if (!slot) {
        slot = std::make_unique<ClientPool>();
        slot->host = url.host();
        slot->port = port;
        slot->tls = tls;
        slot->hostHeader = url.adjusted(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment)
                               .authority(QUrl::FullyEncoded)
                               .toLatin1();
    }
    slot->queue.push_back(std::move(job));
    schedulePump(slot.get());
}

void HttpClient::schedulePump(ClientPool *pool)
{
    if (!pool->dirty) {
        pool->dirty = true;
        m_dirtyPools.append(pool);
    }
    // Coalesced: one queued call per event-loop turn however many requests arrived in it.
    if (!m_pumpPosted) {
        m_pumpPosted = true;
        QMetaObject::invokeMethod(this, &HttpClient::pumpScheduled, Qt::QueuedConnection);
    }
}

void HttpClient::pumpScheduled()
{
    m_pumpPosted = false;
    const QList<ClientPool *> pools = std::exchange(m_dirtyPools, {});
    for (ClientPool *pool : pools) {
        pool->dirty = false;
        pump(pool);
    }
}

void HttpClient::pump(ClientPool *pool)
{
    while (!pool->queue.empty()) {
        const ClientJob &front = *pool->queue.front();
        const bool room = pool->busy + pool->idle.size() < m_options.maxConnectionsPerHost;
        ClientConnection *conn = nullptr;
        if (!front.needsFresh && !pool->idle.isEmpty()) {
            conn = pool->idle.takeLast();  // the most recently used is the least likely to be stale
        } else if (room) {
            conn = new ClientConnection(this, pool);
        } else if (!pool->idle.isEmpty()) {
            pool->idle.takeFirst()->close();  // make room for the fresh connection a retry needs
            conn = new ClientConnection(this, pool);
        } else {
            break;
        }
        std::unique_ptr<ClientJob> job = std::move(pool->queue.front());
        pool->queue.pop_front();
        ++pool->busy;
        conn->start(std::move(job));
    }
    if (!pool->queue.empty() && !m_queueSweep.isActive())
        m_queueSweep.start();
}

void HttpClient::sweepQueues()
{
    const qint64 now = nowMs();
    std::vector<std::unique_ptr<ClientJob>> expired;
    bool waiting = false;
    for (auto &[key, pool] : m_pools) {
        auto &q = pool->queue;
        for (auto it = q.begin(); it != q.end();) {
            if ((*it)->deadlineMs <= now) {
                expired.push_back(std::move(*it));
                it = q.erase(it);
            } else {
                ++it;
            }
        }
        waiting = waiting || !q.empty();
    }
    if (!waiting)
        m_queueSweep.stop();
    // Delivered after the walk: a callback may send again and change the queues.
    for (auto &job : expired) {
        ClientResponse r;
        r.timedOut = true;
        r.error = QStringLiteral("no connection became free within %1 ms").arg(job->deadlineMs - job->startedMs);
        deliver(*job, std::move(r));
    }
}

void HttpClient::connectionReleased(ClientConnection *c, bool reusable)
{
    ClientPool *pool = c->pool();
    --pool->busy;
    if (reusable) {
        pool->idle.append(c);
        c->park(m_options.idleTimeoutMs);
    } else {
        c->close();
    }
    if (!pool->queue.empty())
        schedulePump(pool);
}

void HttpClient::retry(ClientPool *pool, std::unique_ptr<ClientJob> job)
{
    pool->queue.push_front(std::move(job));
    schedulePump(pool);
}

void HttpClient::deliver(ClientJob &job, ClientResponse &&r)
{
    r.elapsedMs = nowMs() - job.startedMs;
    --m_pending;
    const auto done = std::move(job.done);
    if (done)
        done(r);
}

} // namespace dipwb::http
