// SPDX-License-Identifier: GPL-3.0-or-later
#include "raw_connection.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QHostAddress>

#include <sys/socket.h>

namespace dipwb::testsupport {

QByteArray RawResponse::header(QByteArrayView name) const
{
    for (const auto &h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

bool RawResponse::closes() const
{
    return header("connection").toLower().contains("close");
}

RawConnection::RawConnection(quint16 port, int timeoutMs)
{
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    m_socket.waitForConnected(timeoutMs);
}

bool RawConnection::send(QByteArrayView bytes, int timeoutMs)
{
    if (!isOpen())
        return false;
    QDeadlineTimer deadline(timeoutMs);
    // In pieces, so that an early answer and close are seen instead of buffering everything.
    constexpr qsizetype piece = 256 * 1024;
    for (qsizetype at = 0; at < bytes.size(); at += piece) {
        if (m_socket.write(bytes.constData() + at, std::min(piece, bytes.size() - at)) < 0)
            return false;
        while (m_socket.bytesToWrite() > 0) {
            if (!isOpen() || deadline.hasExpired())
                return false;
            m_socket.waitForBytesWritten(int(std::min<qint64>(deadline.remainingTime(), 1000)));
        }
    }
    return isOpen();
}

bool RawConnection::fill(int timeoutMs)
{
    if (m_socket.bytesAvailable() == 0 && !m_closed) {
        if (!m_socket.waitForReadyRead(timeoutMs)) {
            if (m_socket.state() != QAbstractSocket::ConnectedState)
                m_closed = true;
        }
    }
    const QByteArray got = m_socket.readAll();
    m_buffer += got;
    if (got.isEmpty() && m_socket.state() != QAbstractSocket::ConnectedState)
        m_closed = true;
    return !got.isEmpty();
}

std::optional<RawResponse> RawConnection::read(int timeoutMs, bool bodyless)
{
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end >= 0) {
            RawResponse r;
            const QList<QByteArray> lines = m_buffer.left(end).split('\n');
            const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
            r.status = statusLine.value(1).toInt();
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon > 0)
                    r.headers.append({lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed()});
            }
            const qsizetype length = bodyless || r.status < 200 ? 0 : r.header("content-length").toLongLong();
            while (m_buffer.size() < end + 4 + length && !deadline.hasExpired() && !m_closed)
                fill(int(std::max<qint64>(1, deadline.remainingTime())));
            if (m_buffer.size() < end + 4 + length)
                return std::nullopt;
            r.body = m_buffer.mid(end + 4, length);
            m_buffer.remove(0, end + 4 + length);
            if (r.status >= 100 && r.status < 200) {
                ++m_interim;
                continue;
            }
            return r;
        }
        if (deadline.hasExpired() || m_closed)
            return std::nullopt;
        fill(int(std::max<qint64>(1, deadline.remainingTime())));
    }
}

bool RawConnection::waitClosed(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!m_closed && !deadline.hasExpired())
        fill(int(std::max<qint64>(1, deadline.remainingTime())));
    return m_closed;
}

bool RawConnection::waitReadable(int timeoutMs)
{
    return fill(timeoutMs);
}

void RawConnection::shutdownWrite()
{
    m_socket.flush();
    ::shutdown(int(m_socket.socketDescriptor()), SHUT_WR);
}

qint64 residentKiB(qint64 pid, bool peak)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray key = peak ? "VmHWM:" : "VmRSS:";
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(key))
            return line.mid(key.size()).trimmed().split(' ').value(0).toLongLong();
    return 0;
}

} // namespace dipwb::testsupport
