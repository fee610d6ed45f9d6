// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QTcpSocket>
#include <optional>

namespace dipwb::testsupport {

/// One HTTP response as it came over the wire.
struct RawResponse
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(QByteArrayView name) const;
    bool closes() const;  ///< "Connection: close"
};

/// A plain TCP connection to the emulator that writes exactly the bytes it is given and reads
/// the answers byte for byte, so a test can send what no HTTP client library would send.
/// Blocking, with a deadline on every call; no event loop needed.
class RawConnection
{
public:
    explicit RawConnection(quint16 port, int timeoutMs = 10000);
    bool isOpen() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    /// Writes all of `bytes`; false when the server closed or reset the connection first.
    bool send(QByteArrayView bytes, int timeoutMs = 60000);
    /// The next final answer (1xx answers are counted in interim()); nullopt on timeout or close.
    /// bodyless: the answer to a HEAD request, whose Content-Length describes no body.
    std::optional<RawResponse> read(int timeoutMs = 30000, bool bodyless = false);
    /// True when the server closes the connection within timeoutMs (nothing more to read).
    bool waitClosed(int timeoutMs);
    /// True when data arrived within timeoutMs without the connection closing.
    bool waitReadable(int timeoutMs);
    /// Ends our sending direction (TCP FIN) and keeps reading.
    void shutdownWrite();
    void abort() { m_socket.abort(); }
    int interim() const { return m_interim; }
    /// Bytes received that were not part of a complete answer.
    QByteArray leftover() const { return m_buffer; }

private:
    bool fill(int timeoutMs);

    QTcpSocket m_socket;
    QByteArray m_buffer;
    int m_interim = 0;
    bool m_closed = false;
};

/// VmRSS of a process in KiB from /proc/<pid>/status (VmHWM with peak = true); 0 when unreadable.
qint64 residentKiB(qint64 pid, bool peak = false);

} // namespace dipwb::testsupport
