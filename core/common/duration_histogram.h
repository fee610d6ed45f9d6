// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QtGlobal>

#include <array>

namespace dipwb {

/// Counts durations in logarithmic buckets (eight per doubling, from 10 µs to about 100 s), so a
/// process that runs for days can report percentiles of something it does thousands of times a
/// second in a fixed 1.5 KB. A quantile is the upper edge of its bucket: at most 9 % above the
/// true value, never below it. The maximum and the total are exact. Not thread-safe; copy it out
/// under whatever lock guards it.
class DurationHistogram
{
public:
    void add(qint64 nanoseconds);
    qint64 count() const { return m_count; }
    /// q in [0, 1]; 0 when empty. In milliseconds.
    double quantileMs(double q) const;
    double maxMs() const { return double(m_maxNs) / 1e6; }
    double totalMs() const { return double(m_totalNs) / 1e6; }
    /// How many durations were longer than this many milliseconds, counted by bucket: those in
    /// the bucket holding the threshold count as longer only if the whole bucket is.
    qint64 countOverMs(double ms) const;
    /// "p50 0.81 ms, p99 12.3 ms, max 180.2 ms" (or "none" when empty).
    QString summary() const;

    static constexpr int kPerDoubling = 8;
    static constexpr int kBuckets = 8 * 24; // 10 µs * 2^24 is about 168 s; longer ones go in the last

private:
    static double upperEdgeNs(int bucket);
    std::array<qint64, kBuckets> m_buckets{};
    qint64 m_count = 0;
    qint64 m_maxNs = 0;
    qint64 m_totalNs = 0;
};

} // namespace dipwb
