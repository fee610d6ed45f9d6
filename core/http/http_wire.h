// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QtGlobal>

class QTcpSocket;

// Small helpers shared by the server and the client connections. Internal to core/http.
namespace dipwb::http::wire {

/// The current time as an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), formatted at most once
/// a second per thread.
QByteArray httpDate();

/// ASCII case-insensitive equality of a header name with a lower-case literal.
inline bool nameIs(QByteArrayView name, QByteArrayView lower)
{
    return name.size() == lower.size() && name.compare(lower, Qt::CaseInsensitive) == 0;
}

/// True when a comma-separated header value contains `token` (case-insensitive), e.g. "close".
bool hasToken(QByteArrayView value, QByteArrayView token);

/// Ends our sending direction (TCP FIN) while still reading, so that a peer which is still sending
/// gets our final response instead of a reset. Falls back to disconnectFromHost() where a plain
/// half-close is not possible (TLS, non-POSIX).
void halfClose(QTcpSocket *socket);

/// Closes a socket descriptor that no QTcpSocket took over.
void closeDescriptor(qintptr descriptor);

/// Reading buffer size of one connection; one allocation per connection, reused for every read.
inline constexpr qsizetype kReadChunk = 16 * 1024;

} // namespace dipwb::http::wire
