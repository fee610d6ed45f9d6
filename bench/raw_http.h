// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dipwb::bench {

/// The load generator's plain HTTP/1.1 client and webhook receiver, on one epoll loop (Linux).
///
/// Why not the project's own HttpClient/HttpServer: the generator shares the machine's two cores
/// with the emulator it measures, and Qt's event loop polls every socket on each turn (some 300
/// here), which cost the generator half a core at 5,000 msg/s. epoll wakes for the ready sockets
/// only. It speaks just what the generator needs: keep-alive, Content-Length bodies and
/// `Connection: close`; anything else (a chunked answer, a malformed head) fails that connection
/// with the reason, which the generator reports.
class RawHttpLoop
{
public:
    /// The answer's status; 0 when the connection failed before an answer (see lastError()).
    using Answer = std::function<void(int status)>;
    /// The body of a request the receiver took (answered 201).
    using Arrival = std::function<void(std::string_view body)>;
    /// Called when the time it last asked for has come; returns the next wanted time (µs of
    /// nowUs()), or -1 to be called again only after the next event.
    using Tick = std::function<int64_t()>;

    RawHttpLoop();
    ~RawHttpLoop();
    RawHttpLoop(const RawHttpLoop &) = delete;
    RawHttpLoop &operator=(const RawHttpLoop &) = delete;

    /// The receiver on 127.0.0.1:port (0: any free port).
    bool listen(uint16_t port, Arrival onRequest, std::string *error);
    uint16_t port() const { return m_port; }
    /// Where send() goes: up to maxConnections keep-alive connections, opened as needed.
    void setTarget(std::string host, uint16_t port, int maxConnections);
    /// Sends one whole request (head and body, kept alive by the caller until answered); it waits
    /// for a free connection when all are busy.
    void send(std::string_view request, Answer done);
    /// Runs the loop, calling tick at the times it asks for, until stop().
    void run(Tick tick);
    void stop() { m_running = false; }
    /// The last connection failure, for the report.
    const std::string &lastError() const { return m_lastError; }
    int failedConnections() const { return m_failedConnections; }

    /// Monotonic microseconds.
    static int64_t nowUs();

private:
    struct Conn;
    struct Pending
    {
        std::string_view request;
        Answer done;
    };

    void accept();
    void onReadable(Conn *c);
    void onWritable(Conn *c);
    void write(Conn *c, std::string_view bytes);
    void watchWrites(Conn *c, bool on);
    void serveRequests(Conn *c);
    void readAnswers(Conn *c);
    void fail(Conn *c, const std::string &why);
    void close(Conn *c);
    void startNext(Conn *c);
    Conn *openConnection();
    void armTimer(int64_t atUs);

    int m_epoll = -1;
    int m_timer = -1;
    int m_listener = -1;
    uint16_t m_port = 0;
    Arrival m_onRequest;
    std::string m_host;
    uint16_t m_targetPort = 0;
    int m_maxConnections = 1;
    int m_clientConnections = 0;
    std::vector<Conn *> m_idle;
    std::deque<Pending> m_queue;
    std::vector<std::unique_ptr<Conn>> m_conns;
    std::vector<Conn *> m_closed;  // freed after the events of one wait are handled
    bool m_running = false;
    std::string m_lastError;
    int m_failedConnections = 0;
};

} // namespace dipwb::bench
