// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <deque>

namespace dipwb::ui {

/// The numbers the dashboard draws, kept apart from any widget so they can be tested: messages per
/// second, and delivery latency percentiles (p50/p95/p99) over a sliding window, per one-second
/// bucket, for the last windowSeconds seconds.
class DashboardSeries final
{
public:
    struct Point
    {
        double t = 0;       ///< seconds since the epoch (bucket start)
        double rate = 0;    ///< messages stored in that second
        double p50 = 0, p95 = 0, p99 = 0; ///< ms; 0 when no delivery in the latency window
    };
    explicit DashboardSeries(int windowSeconds = 300, int latencyWindowSeconds = 10);

    void addMessages(qint64 atMs, int count);
    void addLatency(qint64 atMs, qint64 latencyMs);
    /// One point per second from the oldest kept second up to nowMs's second.
    QList<Point> points(qint64 nowMs) const;
    /// Value at quantile q (0..1) of a list, by nearest rank; 0 for an empty list.
    static double quantile(QList<qint64> values, double q);
    qint64 totalMessages() const { return m_total; }

private:
    void trim(qint64 nowMs);
    int m_window;
    int m_latencyWindow;
    std::deque<std::pair<qint64, int>> m_messages;    // (second, count)
    std::deque<std::pair<qint64, qint64>> m_latencies; // (atMs, latency)
    qint64 m_total = 0;
};

} // namespace dipwb::ui
