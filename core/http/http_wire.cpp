// SPDX-License-Identifier: GPL-3.0-or-later
#include "http/http_wire.h"

#include <QDateTime>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimeZone>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#include <unistd.h>
#elif defined(Q_OS_WIN)
#include <winsock2.h>
#endif

namespace dipwb::http::wire {

QByteArray httpDate()
{
    // The Date header of every response: formatting a date costs far more than the rest of a
    // small response head, so each thread keeps the last second's text.
    thread_local qint64 cachedSecond = -1;
    thread_local QByteArray cached;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    if (now != cachedSecond) {
        static const char days[7][4] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
        static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        const QDateTime t = QDateTime::fromSecsSinceEpoch(now, QTimeZone::utc());
        const QDate d = t.date();
        const QTime tm = t.time();
        char buf[40];
        const int n = std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[d.dayOfWeek() - 1],
                                    d.day(), months[d.month() - 1], d.year(), tm.hour(), tm.minute(), tm.second());
        cached = QByteArray(buf, n);
        cachedSecond = now;
    }
    return cached;
}

bool hasToken(QByteArrayView value, QByteArrayView token)
{
    qsizetype start = 0;
    while (start <= value.size()) {
        qsizetype end = value.indexOf(',', start);
        if (end < 0)
            end = value.size();
        if (nameIs(value.sliced(start, end - start).trimmed(), token))
            return true;
        start = end + 1;
    }
    return false;
}

void halfClose(QTcpSocket *socket)
{
#ifdef Q_OS_UNIX
    // A QSslSocket must say close_notify through its own machinery; only plain sockets are
    // half-closed by hand. Qt is not told, and keeps reading until the peer closes too.
    if (!qobject_cast<QSslSocket *>(socket) && socket->socketDescriptor() >= 0) {
        ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
        return;
    }
#endif
    socket->disconnectFromHost();
}

void closeDescriptor(qintptr descriptor)
{
#ifdef Q_OS_UNIX
    ::close(int(descriptor));
#elif defined(Q_OS_WIN)
    ::closesocket(SOCKET(descriptor));
#endif
}

} // namespace dipwb::http::wire
