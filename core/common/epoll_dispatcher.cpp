// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/epoll_dispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QThread>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

namespace dipwb {

namespace {

// Timers are kept in microseconds: a clock read in whole milliseconds would fire a timer up to
// a millisecond early, and a precise timer never fires early.
qint64 nowUs()
{
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

// epoll's data: the descriptor and its generation, so that an event queued for a descriptor that
// was closed and reused within one wait is not handed to the new socket's notifiers.
quint64 tag(int fd, quint32 generation)
{
    return (quint64(generation) << 32) | quint32(fd);
}

constexpr int wakeFd = -1;  // the tag's descriptor for the eventfd

// Which readiness each kind of notifier hears, as Qt's own poll-based dispatcher decides it.
constexpr quint32 readEvents = EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP;
constexpr quint32 writeEvents = EPOLLOUT | EPOLLERR;
constexpr quint32 exceptionEvents = EPOLLPRI;

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
    , m_epoll(::epoll_create1(EPOLL_CLOEXEC))
    , m_wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
{
    if (m_epoll < 0 || m_wake < 0)
        qFatal("cannot create the event loop's epoll or eventfd: %s", strerror(errno));
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = tag(wakeFd, 0);
    ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &ev);
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    ::close(m_wake);
    ::close(m_epoll);
}

void EpollEventDispatcher::wakeUp()
{
    // Any thread: one write until the loop has read it, however many posts come meanwhile.
    if (m_wakeUps.testAndSetAcquire(0, 1)) {
        const quint64 one = 1;
        [[maybe_unused]] const ssize_t r = ::write(m_wake, &one, sizeof one);
    }
}

void EpollEventDispatcher::interrupt()
{
    m_interrupt.storeRelaxed(1);
    wakeUp();
}

void EpollEventDispatcher::drainWakeUps()
{
    quint64 count = 0;
    [[maybe_unused]] const ssize_t r = ::read(m_wake, &count, sizeof count);
    m_wakeUps.storeRelease(0);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupt.storeRelaxed(0);
    emit awake();
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool canWait = (flags & QEventLoop::WaitForMoreEvents) && !m_interrupt.loadRelaxed();
    if (canWait)
        emit aboutToBlock();
    if (m_interrupt.loadRelaxed())
        return false;
    // An event posted while the posted ones were sent has written the eventfd, so the wait below
    // returns at once for it: nothing is left waiting.
    const int timeout = waitMs(canWait, includeTimers);

    int handled = 0;
    if (!includeNotifiers) {
        // Only the eventfd and the timers count; ready sockets wait for a loop that wants them.
        pollfd p{m_wake, POLLIN, 0};
        if (::poll(&p, 1, timeout) > 0)
            drainWakeUps();
    } else {
        epoll_event events[128];
        const int n = ::epoll_wait(m_epoll, events, 128, timeout);
        for (int i = 0; i < n; ++i) {
            const int fd = int(quint32(events[i].data.u64));
            if (fd == wakeFd) {
                drainWakeUps();
                continue;
            }
            handled += dispatchSocket(fd, quint32(events[i].data.u64 >> 32), events[i].events);
        }
    }
    if (includeTimers)
        handled += activateTimers();
    return handled > 0;
}

int EpollEventDispatcher::waitMs(bool canWait, bool includeTimers) const
{
    if (!canWait)
        return 0;
    if (!includeTimers || m_timers.empty())
        return -1;
    qint64 earliest = std::numeric_limits<qint64>::max();
    for (const Timer &t : m_timers)
        if (!t.firing)
            earliest = std::min(earliest, t.dueUs);
    if (earliest == std::numeric_limits<qint64>::max())
        return -1;
    // Rounded up: epoll waits in milliseconds, and waking before the time only to wait again is waste.
    return int(std::clamp<qint64>((earliest - nowUs() + 999) / 1000, 0, std::numeric_limits<int>::max()));
}

int EpollEventDispatcher::dispatchSocket(int fd, quint32 generation, quint32 events)
{
    int handled = 0;
    // Each notifier is looked up again before it is told: the one before may have closed,
    // disabled or replaced it.
    auto deliver = [&](QSocketNotifier *Watch::*which, quint32 mask) {
        auto it = m_watches.find(fd);
        if (it == m_watches.end() || it->generation != generation || !(events & mask))
            return;
        if (QSocketNotifier *n = it.value().*which) {
            QEvent activate(QEvent::SockAct);
            QCoreApplication::sendEvent(n, &activate);
            ++handled;
        }
    };
    deliver(&Watch::exception, exceptionEvents);
    deliver(&Watch::read, readEvents);
    deliver(&Watch::write, writeEvents);
    if (handled == 0) {
        // Readiness nobody listens for (a hang-up with only a write notifier, say) is reported by
        // epoll on every wait: the descriptor leaves the set until a notifier wants it again.
        auto it = m_watches.find(fd);
        if (it != m_watches.end() && it->generation == generation && it->inEpoll) {
            ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
            it->inEpoll = false;
        }
    }
    return handled;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    Watch &w = m_watches[fd];
    switch (notifier->type()) {
    case QSocketNotifier::Read: w.read = notifier; break;
    case QSocketNotifier::Write: w.write = notifier; break;
    case QSocketNotifier::Exception: w.exception = notifier; break;
    }
    updateInterest(fd, w);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    Watch &w = it.value();
    if (w.read == notifier)
        w.read = nullptr;
    if (w.write == notifier)
        w.write = nullptr;
    if (w.exception == notifier)
        w.exception = nullptr;
    updateInterest(fd, w);
    if (!w.read && !w.write && !w.exception)
        m_watches.erase(it);
}

void EpollEventDispatcher::updateInterest(int fd, Watch &w)
{
    quint32 wanted = 0;
    if (w.read)
        wanted |= EPOLLIN | EPOLLRDHUP;
    if (w.write)
        wanted |= EPOLLOUT;
    if (w.exception)
        wanted |= EPOLLPRI;
    if (wanted == 0) {
        if (w.inEpoll)
            ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);  // EBADF when already closed: fine
        w.inEpoll = false;
        return;
    }
    epoll_event ev{};
    ev.events = wanted;
    if (!w.inEpoll)
        w.generation = m_nextGeneration++;
    ev.data.u64 = tag(fd, w.generation);
    // A descriptor closed while registered left the epoll set by itself, and its number may be in
    // use again: MOD then finds nothing (ENOENT) and ADD is right; the other way round, EEXIST.
    if (w.inEpoll && ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev) == 0)
        return;
    if (::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev) == 0 || (errno == EEXIST && ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev) == 0)) {
        w.inEpoll = true;
        return;
    }
    qWarning("EpollEventDispatcher: cannot watch socket %d: %s", fd, strerror(errno));
    w.inEpoll = false;
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object)
{
    m_timers.push_back({timerId, interval, timerType, object, nowUs() + interval * 1000});
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    const auto it = std::find_if(m_timers.begin(), m_timers.end(), [&](const Timer &t) { return t.id == timerId; });
    if (it == m_timers.end())
        return false;
    m_timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    const auto before = m_timers.size();
    std::erase_if(m_timers, [&](const Timer &t) { return t.object == object; });
    return m_timers.size() != before;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> list;
    for (const Timer &t : m_timers)
        if (t.object == object)
            list.append(TimerInfo(t.id, int(t.intervalMs), t.type));
    return list;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    for (const Timer &t : m_timers)
        if (t.id == timerId)
            return int(std::max<qint64>(0, (t.dueUs - nowUs() + 999) / 1000));
    return -1;
}

int EpollEventDispatcher::activateTimers()
{
    // Each due timer fires once per turn. Its event may start, stop or fire other timers, so the
    // due ones are chosen first and each is looked up again before it fires.
    const qint64 now = nowUs();
    std::vector<int> due;
    for (const Timer &t : m_timers)
        if (!t.firing && t.dueUs <= now)
            due.push_back(t.id);
    int fired = 0;
    for (const int id : due) {
        auto find = [&] { return std::find_if(m_timers.begin(), m_timers.end(), [&](const Timer &t) { return t.id == id; }); };
        auto it = find();
        if (it == m_timers.end() || it->firing)
            continue;
        // The next time counts from this one's due time, as a precise timer's does, but never
        // falls behind the clock: a late loop does not fire a burst to catch up.
        it->dueUs += it->intervalMs * 1000;
        if (it->dueUs < now)
            it->dueUs = now + it->intervalMs * 1000;
        it->firing = true;
        QObject *object = it->object;
        QTimerEvent e(id);
        QCoreApplication::sendEvent(object, &e);
        ++fired;
        it = find();
        if (it != m_timers.end())
            it->firing = false;
    }
    return fired;
}

} // namespace dipwb
