// SPDX-License-Identifier: GPL-3.0-or-later
#include "dashboard/dashboard_series.h"

#include <algorithm>
#include <cmath>

namespace dipwb::ui {

DashboardSeries::DashboardSeries(int windowSeconds, int latencyWindowSeconds)
    : m_window(windowSeconds), m_latencyWindow(latencyWindowSeconds)
{
}

void DashboardSeries::addMessages(qint64 atMs, int count)
{
    const qint64 second = atMs / 1000;
    m_total += count;
    if (!m_messages.empty() && m_messages.back().first == second)
        m_messages.back().second += count;
    else
        m_messages.emplace_back(second, count);
    trim(atMs);
}

void DashboardSeries::addLatency(qint64 atMs, qint64 latencyMs)
{
    m_latencies.emplace_back(atMs, latencyMs);
    trim(atMs);
}

void DashboardSeries::trim(qint64 nowMs)
{
    const qint64 oldest = nowMs / 1000 - m_window;
    while (!m_messages.empty() && m_messages.front().first < oldest)
        m_messages.pop_front();
    while (!m_latencies.empty() && m_latencies.front().first / 1000 < oldest - m_latencyWindow)
        m_latencies.pop_front();
}

double DashboardSeries::quantile(QList<qint64> values, double q)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank = qsizetype(std::ceil(q * double(values.size())));
    return double(values.at(std::clamp<qsizetype>(rank - 1, 0, values.size() - 1)));
}

QList<DashboardSeries::Point> DashboardSeries::points(qint64 nowMs) const
{
    QList<Point> out;
    const qint64 last = nowMs / 1000;
    qint64 first = last;
    if (!m_messages.empty())
        first = std::min(first, m_messages.front().first);
    if (!m_latencies.empty())
        first = std::min(first, m_latencies.front().first / 1000);
    first = std::max(first, last - m_window);
    auto msg = m_messages.begin();
    for (qint64 s = first; s <= last; ++s) {
        Point p;
        p.t = double(s);
        while (msg != m_messages.end() && msg->first < s)
            ++msg;
        if (msg != m_messages.end() && msg->first == s)
            p.rate = msg->second;
        QList<qint64> window;
        for (const auto &[at, latency] : m_latencies) {
            const qint64 sec = at / 1000;
            if (sec > s - m_latencyWindow && sec <= s)
                window.append(latency);
        }
        p.p50 = quantile(window, 0.50);
        p.p95 = quantile(window, 0.95);
        p.p99 = quantile(window, 0.99);
        out.append(p);
    }
    return out;
}

} // namespace dipwb::ui
