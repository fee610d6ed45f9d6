// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractEventDispatcher>
#include <QAtomicInt>
#include <QHash>

#include <memory>
#include <vector>

namespace dipwb {

/// The event dispatcher of the emulator's network thread on Linux: Qt's own event loop asks the
/// kernel about every socket on each turn (poll, through glib), which with a few hundred
/// keep-alive connections cost the emulator an eighth of its CPU at 5,000 msg/s. epoll hands back
/// only the sockets that are ready, and a change of interest is one call for that socket.
///
/// It does what a thread's dispatcher must: posted events (woken through an eventfd), socket
/// notifiers (level-triggered, as Qt's are) and timers (every type kept to the millisecond, as a
/// precise timer is). It has no glib main context, so it is for threads that need none: the
/// command line's main thread and the desktop's emulator thread.
/// Built on Linux only; createNetworkEventDispatcher() (network_dispatcher.h) picks it.
class EpollEventDispatcher : public QAbstractEventDispatcher
{
public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;
    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;
    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;
    void wakeUp() override;
    void interrupt() override;

private:
    struct Watch
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        quint32 generation = 0;  // tells a reused descriptor's events from the old one's
        bool inEpoll = false;
    };
    struct Timer
    {
        int id;
        qint64 intervalMs;
        Qt::TimerType type;
        QObject *object;
        qint64 dueUs;
        bool firing = false;
    };

    void updateInterest(int fd, Watch &w);
    int dispatchSocket(int fd, quint32 generation, quint32 events);
    int activateTimers();
    int waitMs(bool canWait, bool includeTimers) const;
    void drainWakeUps();

    int m_epoll = -1;
    int m_wake = -1;  // eventfd
    QAtomicInt m_wakeUps = 0;
    QAtomicInt m_interrupt = 0;
    QHash<int, Watch> m_watches;
    quint32 m_nextGeneration = 1;
    std::vector<Timer> m_timers;
};

} // namespace dipwb
