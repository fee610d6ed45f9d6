// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QSslCertificate>
#include <QString>

namespace dipwb::http {

/// Header fields in the order they were received or are to be sent; names keep their spelling.
using HeaderList = QList<QPair<QByteArray, QByteArray>>;

/// The value of the first header called `name` (ASCII case-insensitive), empty when there is none.
QByteArray headerValue(const HeaderList &headers, QByteArrayView name);

/// One complete HTTP/1.x request as the server read it. Cheap to copy (implicitly shared parts).
struct HttpRequest
{
    QByteArray method;        ///< "POST"
    QByteArray target;        ///< raw request target "/dip-channel/IF-033?x=1"
    QByteArray path;          ///< percent-decoded path without query "/dip-channel/IF-033"
    QByteArray query;         ///< without '?'
    HeaderList headers;       ///< as received, in order
    QByteArray body;          ///< de-chunked
    int httpMinor = 1;        ///< 0 for HTTP/1.0
    bool keepAlive = true;    ///< what the client asked for (HTTP version and Connection header)
    bool tls = false;         ///< true when it arrived over a QSslSocket
    QHostAddress peerAddress;
    quint16 peerPort = 0;
    quint16 localPort = 0;
    qint64 receivedAtMs = 0;  ///< when the last byte arrived (QDateTime::currentMSecsSinceEpoch)
    QSslCertificate peerCertificate;  ///< the TLS client certificate; null without TLS or without one
    /// What a signature check in front of the handler found; empty when none ran. The server never
    /// sets it: handler wrappers do, so the handler can record it with the request.
    QString signatureCheck;

    /// Case-insensitive, first match, empty if none.
    QByteArray header(QByteArrayView name) const { return headerValue(headers, name); }
    /// scheme://Host-header + target (the target itself when it is already absolute); the URL a
    /// signature covers.
    QString fullUrl() const;
};

/// What a handler answers. Content-Length, Date and Connection are added by the server (the same
/// names given here are ignored, except that "Connection: close" acts as closeAfter).
/// An aggregate on purpose: HttpResponse{status, headers, body, closeAfter} is valid.
struct HttpResponse
{
    int status = 200;
    HeaderList headers;
    QByteArray body;
    bool closeAfter = false;  ///< close the connection once this response is written

    /// Content-Type: application/json
    static HttpResponse json(int status, QByteArray body);
    /// Content-Type: text/plain; charset=utf-8
    static HttpResponse text(int status, QByteArray body);
};

/// "Not Found" for 404 and so on; "Unknown" for codes without a registered phrase.
QByteArray reasonPhrase(int status);

} // namespace dipwb::http
