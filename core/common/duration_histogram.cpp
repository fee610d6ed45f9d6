// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/duration_histogram.h"

#include <cmath>

namespace dipwb {

namespace {
constexpr double kFirstEdgeNs = 10'000.0; // everything up to 10 µs shares the first bucket
}

double DurationHistogram::upperEdgeNs(int bucket)
{
    return kFirstEdgeNs * std::exp2(double(bucket) / kPerDoubling);
}

void DurationHistogram::add(qint64 nanoseconds)
{
    const qint64 ns = qMax<qint64>(0, nanoseconds);
    int bucket = 0;
    if (double(ns) > kFirstEdgeNs)
        bucket = int(qMin<double>(kBuckets - 1, std::ceil(std::log2(double(ns) / kFirstEdgeNs) * kPerDoubling)));
    // log2 may land a hair on the wrong side of an edge; the edges themselves decide.
    while (bucket > 0 && double(ns) <= upperEdgeNs(bucket - 1))
        --bucket;
    while (bucket < kBuckets - 1 && double(ns) > upperEdgeNs(bucket))
        ++bucket;
    ++m_buckets[size_t(bucket)];
    ++m_count;
    m_totalNs += ns;
    m_maxNs = qMax(m_maxNs, ns);
}

double DurationHistogram::quantileMs(double q) const
{
    if (m_count == 0)
        return 0;
    // The rank of the q-quantile among the sorted durations, 1-based.
    const qint64 rank = qBound<qint64>(1, qint64(std::ceil(qBound(0.0, q, 1.0) * double(m_count))), m_count);
    qint64 seen = 0;
    for (int i = 0; i < kBuckets; ++i) {
        seen += m_buckets[size_t(i)];
        // The last bucket has no upper edge of its own: what is in it is bounded only by the maximum.
        if (seen >= rank)
            return (i == kBuckets - 1 ? double(m_maxNs) : qMin(upperEdgeNs(i), double(m_maxNs))) / 1e6;
    }
    return maxMs();
}

qint64 DurationHistogram::countOverMs(double ms) const
{
    const double ns = ms * 1e6;
    qint64 over = 0;
    for (int i = 0; i < kBuckets; ++i) {
        const double lower = i == 0 ? 0.0 : upperEdgeNs(i - 1);
        if (lower >= ns)
            over += m_buckets[size_t(i)];
    }
    return over;
}

QString DurationHistogram::summary() const
{
    if (m_count == 0)
        return QStringLiteral("none");
    auto ms = [](double v) { return QString::number(v, 'f', v < 10 ? 2 : 1); };
    return QStringLiteral("p50 %1 ms, p99 %2 ms, max %3 ms")
        .arg(ms(quantileMs(0.5)), ms(quantileMs(0.99)), ms(maxMs()));
}

} // namespace dipwb
