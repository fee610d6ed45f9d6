// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/http_server.h"
#include "http/request_parser.h"

#include <QObject>
#include <limits>

class QTcpSocket;

namespace dipwb::http::detail {

/// One accepted connection of an HttpServer: reads requests with http_parser, hands each complete
/// request to the handler, writes the answers in order. Internal to core/http.
///
/// Thread: the server's thread. Owned by the server's connection set, not by a QObject parent.
/// Deleted with deleteLater() once its socket is gone, so that a responder kept by an asynchronous
/// handler sees it vanish (QPointer) without dangling.
class ServerConnection final : public QObject
{
public:
    ServerConnection(HttpServer *server, QTcpSocket *socket);
    ~ServerConnection() override;

    /// Answers request `sequence` if it is the one awaiting an answer.
    void send(quint64 sequence, HttpResponse &&r);
    bool awaits(quint64 sequence) const { return !m_gone && m_phase == Phase::Busy && m_sequence == sequence; }
    qint64 deadline() const { return m_deadline; }
    /// The sweep found the deadline passed: 408, silent close or abort depending on the phase.
    void deadlinePassed();
    /// Server shutdown: abort the socket and forget the server.
    void drop();

private:
    enum class Phase {
        Idle,     // waiting for the first byte of a request
        Head,     // request line and header fields
        Body,     // headers complete, body arriving
        Busy,     // the handler has the request; nothing more is parsed until it is answered
        Closing,  // final response written; our side closed, discarding input until the peer closes
    };
    static constexpr qint64 kNoDeadline = std::numeric_limits<qint64>::max();
    static constexpr int kLingerMs = 2000;
    // Pipelined input is not parsed while this much response data waits to be sent.
    static constexpr qint64 kMaxPendingWrite = 1024 * 1024;

    void parsed(RequestParser::State before);
    void processIncoming();
    /// After the answer that closes: what still arrives is read and dropped until the peer closes.
    void discardIncoming();
    void dispatch();
    void writeResponse(const HttpResponse &r, bool close, bool withBody);
    void fail(int status);
    void beginClose();
    void onBytesWritten();
    void finish();
    qint64 now() const;

    HttpServer *m_server;  // null once the server has dropped this connection
    QTcpSocket *m_socket;  // child of this object
    RequestParser m_parser;
    QByteArray m_readBuf;  // fixed size, reused for every read
    qsizetype m_readPos = 0;
    qsizetype m_readLen = 0;
    QByteArray m_out;      // response head scratch buffer, reused
    Phase m_phase = Phase::Idle;
    qint64 m_deadline = kNoDeadline;
    quint64 m_sequence = 0;
    bool m_processing = false;
    bool m_closeWhenWritten = false;
    bool m_readThrottled = false;
    bool m_gone = false;
    bool m_writing = false;  ///< in writeResponse(): a flush may report bytesWritten from inside it
};

} // namespace dipwb::http::detail
