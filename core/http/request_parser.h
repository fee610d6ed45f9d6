// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/http_message.h"

#include <http_parser.h>

namespace dipwb::http {

/// Incremental parser of the HTTP/1.x requests of one connection (libhttp-parser underneath) with
/// the server's size limits. It has no socket and no clock: ServerConnection feeds it what it
/// reads and keeps the deadlines, and the fuzz target feeds it arbitrary bytes.
///
/// Thread: one connection's; not shared.
class RequestParser final
{
public:
    enum class State {
        Idle,      ///< before the first byte of a request
        Head,      ///< request line and header fields arriving
        Body,      ///< head complete, body arriving
        Complete,  ///< request() is whole; next() before feeding more
        Failed,    ///< errorStatus() is the answer; the connection must close
    };
    struct Limits
    {
        qint64 maxBodyBytes = 10 * 1024 * 1024;  ///< announced or de-chunked: 413
        int maxHeaderBytes = 64 * 1024;          ///< request line + header fields: 431
    };

    explicit RequestParser(const Limits &limits);
    RequestParser(const RequestParser &) = delete;  // the http_parser points back at this object
    RequestParser &operator=(const RequestParser &) = delete;

    /// Parses from `data`, stopping after a complete request or at an error. Returns how many bytes
    /// it used; the rest (a pipelined request) is fed again after next().
    qsizetype feed(const char *data, qsizetype len);
    State state() const { return m_state; }
    /// When Failed: 400 (malformed), 413, 417 (an Expect other than 100-continue), 431 or 505.
    int errorStatus() const { return m_errorStatus; }
    /// libhttp-parser's name for the error ("HPE_INVALID_METHOD"), for logs.
    const char *errorName() const;
    /// True once after a HTTP/1.1 head with "Expect: 100-continue" and a body still to come.
    bool takeContinueRequest();
    /// The request being read. The per-connection fields (peer, tls) are the caller's to set once;
    /// the per-request fields are cleared when the next request begins.
    HttpRequest &request() { return m_request; }
    const HttpRequest &request() const { return m_request; }
    /// After Complete: carry on with the next request of the connection.
    void next();

private:
    static int onMessageBegin(http_parser *p);
    static int onUrl(http_parser *p, const char *at, size_t len);
    static int onHeaderField(http_parser *p, const char *at, size_t len);
    static int onHeaderValue(http_parser *p, const char *at, size_t len);
    static int onHeadersComplete(http_parser *p);
    static int onBody(http_parser *p, const char *at, size_t len);
    static int onMessageComplete(http_parser *p);
    static const http_parser_settings &settings();

    bool countHeadBytes(size_t len);
    bool finishHead();
    int fail(int status);

    Limits m_limits;
    http_parser m_parser;
    HttpRequest m_request;
    State m_state = State::Idle;
    qint64 m_headBytes = 0;
    int m_errorStatus = 0;
    bool m_lastWasValue = false;
    bool m_continueRequested = false;
};

} // namespace dipwb::http
