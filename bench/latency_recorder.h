#pragma once

#include <QString>
#include <QList>
#include <algorithm>

namespace dipwb::bench {

/// Latency samples in microseconds; percentiles by sorting once at the end (runs are bounded).
class LatencyRecorder
{
public:
    void reserve(qsizetype n) { m_samples.reserve(n); }
    void add(qint64 micros) { m_samples.append(micros); }
    qsizetype count() const { return m_samples.size(); }
    /// p in [0, 100]; 0 when empty.
    qint64 percentile(double p)
    {
        if (m_samples.isEmpty())
            return 0;
        if (!m_sorted) {
            std::sort(m_samples.begin(), m_samples.end());
            m_sorted = true;
        }
        const auto idx = qsizetype(std::min<double>(double(m_samples.size() - 1), p / 100.0 * double(m_samples.size())));
        return m_samples.at(idx);
    }
    qint64 max() { return percentile(100); }
    /// "p50 1.2 ms, p90 ..., p99 ..., p99.9 ..., max ..."
    QString summary()
    {
        auto ms = [](qint64 us) { return QString::number(double(us) / 1000.0, 'f', 2); };
        return QStringLiteral("p50 %1 ms, p90 %2 ms, p99 %3 ms, p99.9 %4 ms, max %5 ms")
            .arg(ms(percentile(50)), ms(percentile(90)), ms(percentile(99)), ms(percentile(99.9)), ms(max()));
    }

private:
    QList<qint64> m_samples;
    bool m_sorted = false;
};

} // namespace dipwb::bench
