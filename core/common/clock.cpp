#include "common/clock.h"

namespace dipwb {

std::atomic<qint64> Clock::s_offsetMs{0};

qint64 Clock::nowMs()
{
    return QDateTime::currentMSecsSinceEpoch() + s_offsetMs.load(std::memory_order_relaxed);
}

void Clock::setOffsetMs(qint64 offset)
{
    s_offsetMs.store(offset, std::memory_order_relaxed);
}

qint64 Clock::offsetMs()
{
    return s_offsetMs.load(std::memory_order_relaxed);
}

} // namespace dipwb
