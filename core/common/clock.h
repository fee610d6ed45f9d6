#pragma once

#include <QDateTime>
#include <QTimeZone>
#include <atomic>

namespace dipwb {

/// The time source of the core. Tests and scenario runs may shift it; everything that stamps a
/// message asks the clock, never QDateTime directly, so a pack can emulate a business date.
class Clock
{
public:
    /// Milliseconds since the epoch, UTC, including the configured offset.
    static qint64 nowMs();
    static QDateTime nowUtc() { return QDateTime::fromMSecsSinceEpoch(nowMs(), QTimeZone::utc()); }
    /// Shift the clock by a fixed offset (thread-safe); 0 restores real time.
    static void setOffsetMs(qint64 offset);
    static qint64 offsetMs();

private:
    static std::atomic<qint64> s_offsetMs;
};

} // namespace dipwb
