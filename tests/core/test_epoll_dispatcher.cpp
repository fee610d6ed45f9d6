// SPDX-License-Identifier: GPL-3.0-or-later
// The epoll event dispatcher of the network thread (common/epoll_dispatcher.h), installed as this
// test's main-thread dispatcher: timers, posted events from other threads, socket notifiers, and
// real TCP traffic. The HTTP tests also run on it (ctest's *_epoll variants of test_http and
// test_http_client).
#include "common/epoll_dispatcher.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace dipwb;

namespace {

// Runs an event loop (which waits, unlike processEvents with a time) until done() or the limit,
// checking every 5 ms; false on the limit.
template <typename Done>
bool runUntil(Done done, int limitMs = 5000)
{
    QEventLoop loop;
    QElapsedTimer t;
    t.start();
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done() || t.elapsed() > limitMs)
            loop.quit();
    });
    check.start(5);
    if (!done())
        loop.exec();
    return done();
}

// Lets the loop run for ms with nothing else to do.
void idle(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// Counts what the loop does while waiting: a loop that spins shows many turns.
struct TurnCounter
{
    explicit TurnCounter(QAbstractEventDispatcher *d)
    {
        QObject::connect(d, &QAbstractEventDispatcher::awake, &anchor, [this] { ++turns; });
    }
    QObject anchor;
    int turns = 0;
};

} // namespace

class TestEpollDispatcher : public QObject
{
    Q_OBJECT
private slots:
    void isTheThreadsDispatcher();
    void singleShotTimersFireInOrderNotEarly();
    void repeatingTimerKeepsItsPace();
    void timerStoppedOrStartedInsideATimeout();
    void timerBookkeeping();
    void postFromAnotherThreadWakesTheLoop();
    void interruptEndsAWait();
    void notifierFollowsEnableAndDisable();
    void hangUpWithNobodyReadingDoesNotSpin();
    void manyTcpConnectionsEchoAndCloseAndReuse();
    void idleLoopSleeps();
};

void TestEpollDispatcher::isTheThreadsDispatcher()
{
    QVERIFY(dynamic_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance()));
}

void TestEpollDispatcher::singleShotTimersFireInOrderNotEarly()
{
    QStringList order;
    QElapsedTimer clock;
    clock.start();
    qint64 firedAt30 = -1;
    QTimer::singleShot(60, [&] { order << QStringLiteral("60"); });
    QTimer::singleShot(30, [&] { order << QStringLiteral("30"); firedAt30 = clock.elapsed(); });
    QTimer::singleShot(45, Qt::CoarseTimer, [&] { order << QStringLiteral("45"); });
    QVERIFY(runUntil([&] { return order.size() == 3; }));
    QCOMPARE(order, (QStringList{QStringLiteral("30"), QStringLiteral("45"), QStringLiteral("60")}));
    QVERIFY2(firedAt30 >= 30, qPrintable(QString::number(firedAt30)));
}

void TestEpollDispatcher::repeatingTimerKeepsItsPace()
{
    QTimer timer;
    timer.setInterval(10);
    int fired = 0;
    connect(&timer, &QTimer::timeout, this, [&] { ++fired; });
    QElapsedTimer clock;
    clock.start();
    timer.start();
    QVERIFY(runUntil([&] { return fired >= 20; }));
    // 20 ticks of 10 ms: not before 200 ms, and not wildly later on a busy machine.
    QVERIFY2(clock.elapsed() >= 190, qPrintable(QString::number(clock.elapsed())));
    QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
}

void TestEpollDispatcher::timerStoppedOrStartedInsideATimeout()
{
    QTimer a, b;
    a.setInterval(5);
    b.setSingleShot(true);
    b.setInterval(5);
    int aFired = 0, bFired = 0;
    connect(&a, &QTimer::timeout, this, [&] {
        ++aFired;
        a.stop();     // stops itself while it fires
        b.start();    // and starts another
    });
    connect(&b, &QTimer::timeout, this, [&] { ++bFired; });
    a.start();
    QVERIFY(runUntil([&] { return bFired == 1; }));
    idle(50);
    QCOMPARE(aFired, 1);
    QCOMPARE(bFired, 1);
}

void TestEpollDispatcher::timerBookkeeping()
{
    QObject owner;
    const int id = owner.startTimer(1000);
    QVERIFY(id > 0);
    auto *d = QAbstractEventDispatcher::instance();
    const QList<QAbstractEventDispatcher::TimerInfo> timers = d->registeredTimers(&owner);
    QCOMPARE(timers.size(), 1);
    QCOMPARE(timers.first().timerId, id);
    QCOMPARE(timers.first().interval, 1000);
    const int left = d->remainingTime(id);
    QVERIFY2(left > 900 && left <= 1000, qPrintable(QString::number(left)));
    owner.killTimer(id);
    QCOMPARE(d->remainingTime(id), -1);
    QVERIFY(d->registeredTimers(&owner).isEmpty());
}

void TestEpollDispatcher::postFromAnotherThreadWakesTheLoop()
{
    // No timer is due before the 5 s safety net: only the eventfd can wake the loop's wait.
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    std::thread poster([&loop] {
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        QMetaObject::invokeMethod(&loop, [&loop] { loop.exit(7); }, Qt::QueuedConnection);
    });
    QTimer::singleShot(5000, &loop, [&loop] { loop.exit(1); });
    const int rc = loop.exec();
    poster.join();
    QCOMPARE(rc, 7);
    QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
}

void TestEpollDispatcher::interruptEndsAWait()
{
    QElapsedTimer clock;
    clock.start();
    std::thread other([] {
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        QAbstractEventDispatcher::instance(QCoreApplication::instance()->thread())->interrupt();
    });
    QTimer safety;
    safety.setSingleShot(true);
    safety.start(5000);
    // One turn that may wait: it returns when interrupted, long before the safety timer.
    QAbstractEventDispatcher::instance()->processEvents(QEventLoop::WaitForMoreEvents);
    other.join();
    QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
}

void TestEpollDispatcher::notifierFollowsEnableAndDisable()
{
    int fds[2];
    QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
    QSocketNotifier reader(fds[0], QSocketNotifier::Read);
    int activations = 0;
    connect(&reader, &QSocketNotifier::activated, this, [&] {
        ++activations;
        char buf[64];
        while (::read(fds[0], buf, sizeof buf) > 0) {
        }
    });
    QCOMPARE(::write(fds[1], "a", 1), 1);
    QVERIFY(runUntil([&] { return activations == 1; }));
    reader.setEnabled(false);
    QCOMPARE(::write(fds[1], "b", 1), 1);
    idle(50);
    QCOMPARE(activations, 1);  // disabled: not told
    reader.setEnabled(true);
    QVERIFY(runUntil([&] { return activations == 2; }));  // level-triggered: told of what waits
    ::close(fds[1]);
    QVERIFY(runUntil([&] { return activations >= 3; }));  // the hang-up is a read event
    reader.setEnabled(false);
    ::close(fds[0]);
}

void TestEpollDispatcher::hangUpWithNobodyReadingDoesNotSpin()
{
    // A socket whose peer has gone, watched only for urgent data: epoll reports the hang-up on
    // every wait whether asked or not, and a loop that kept the socket in its set would spin.
    int fds[2];
    QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
    QSocketNotifier urgent(fds[0], QSocketNotifier::Exception);
    int told = 0;
    connect(&urgent, &QSocketNotifier::activated, this, [&] { ++told; });
    ::close(fds[1]);
    TurnCounter turns(QAbstractEventDispatcher::instance());
    idle(200);
    QCOMPARE(told, 0);
    QVERIFY2(turns.turns < 50, qPrintable(QString::number(turns.turns)));
    // Once a reader comes, it hears the hang-up.
    QSocketNotifier reader(fds[0], QSocketNotifier::Read);
    int read = 0;
    connect(&reader, &QSocketNotifier::activated, this, [&] {
        ++read;
        reader.setEnabled(false);
    });
    QVERIFY(runUntil([&] { return read == 1; }));
    urgent.setEnabled(false);
    ::close(fds[0]);
}

void TestEpollDispatcher::manyTcpConnectionsEchoAndCloseAndReuse()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    connect(&server, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *s = server.nextPendingConnection()) {
            connect(s, &QTcpSocket::readyRead, s, [s] { s->write(s->readAll()); });
            connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
        }
    });
    // Three rounds of 100 connections: each round closes its sockets, so the next one reuses
    // their descriptor numbers while the epoll set may still hold the old ones' events.
    for (int round = 0; round < 3; ++round) {
        std::vector<std::unique_ptr<QTcpSocket>> clients;
        QHash<QTcpSocket *, QByteArray> echoed;
        for (int i = 0; i < 100; ++i) {
            auto c = std::make_unique<QTcpSocket>();
            QTcpSocket *raw = c.get();
            connect(raw, &QTcpSocket::connected, raw, [raw, round, i] {
                raw->write(QByteArray(QByteArray::number(round) + '-' + QByteArray::number(i) + QByteArray(2000, 'x')));
            });
            connect(raw, &QTcpSocket::readyRead, raw, [raw, &echoed] { echoed[raw] += raw->readAll(); });
            raw->connectToHost(QHostAddress::LocalHost, server.serverPort());
            clients.push_back(std::move(c));
        }
        QVERIFY(runUntil([&] {
            for (const auto &c : clients)
                if (echoed.value(c.get()).size() < 2000)
                    return false;
            return true;
        }));
        for (int i = 0; i < 100; ++i)
            QVERIFY(echoed.value(clients[size_t(i)].get()).startsWith(QByteArray(QByteArray::number(round) + '-' + QByteArray::number(i) + 'x')));
        for (auto &c : clients)
            c->disconnectFromHost();
        QVERIFY(runUntil([&] {
            for (const auto &c : clients)
                if (c->state() != QAbstractSocket::UnconnectedState)
                    return false;
            return true;
        }));
    }
}

void TestEpollDispatcher::idleLoopSleeps()
{
    // With a 100 ms timer as the only work, the loop wakes for it and not in between.
    QTimer timer;
    timer.setInterval(100);
    int fired = 0;
    connect(&timer, &QTimer::timeout, this, [&] { ++fired; });
    timer.start();
    TurnCounter turns(QAbstractEventDispatcher::instance());
    idle(350);
    QVERIFY2(fired >= 3, qPrintable(QString::number(fired)));
    QVERIFY2(turns.turns < 30, qPrintable(QString::number(turns.turns)));
}

int main(int argc, char **argv)
{
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    TestEpollDispatcher t;
    return QTest::qExec(&t, argc, argv);
}

#include "test_epoll_dispatcher.moc"
