// SPDX-License-Identifier: GPL-3.0-or-later
#include "raw_http.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

namespace dipwb::bench {

namespace {

// epoll's data.ptr for the two descriptors that are not connections.
char listenerTag, timerTag;

constexpr size_t maxHead = 64 * 1024;
constexpr std::string_view answer201 =
    "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";

bool sameName(std::string_view a, std::string_view lower)
{
    return a.size() == lower.size()
        && std::equal(a.begin(), a.end(), lower.begin(), [](char x, char y) { return char(std::tolower(x)) == y; });
}

std::string_view trim(std::string_view v)
{
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
        v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
        v.remove_suffix(1);
    return v;
}

// What the generator needs of a head (the text before the blank line, start line included).
struct Head
{
    std::string_view startLine;
    long long contentLength = 0;
    bool chunked = false;
    bool close = false;
    bool valid = true;
};

Head readHead(std::string_view head)
{
    Head h;
    size_t eol = head.find("\r\n");
    h.startLine = head.substr(0, eol);
    h.close = h.startLine.find("HTTP/1.0") != std::string_view::npos;
    while (eol != std::string_view::npos) {
        const size_t start = eol + 2;
        eol = head.find("\r\n", start);
        const std::string_view line = head.substr(start, eol == std::string_view::npos ? head.size() - start : eol - start);
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos)
            continue;
        const std::string_view name = trim(line.substr(0, colon)), value = trim(line.substr(colon + 1));
        if (sameName(name, "content-length")) {
            const auto r = std::from_chars(value.data(), value.data() + value.size(), h.contentLength);
            h.valid = h.valid && r.ec == std::errc() && r.ptr == value.data() + value.size() && h.contentLength >= 0;
        } else if (sameName(name, "transfer-encoding")) {
            h.chunked = true;
        } else if (sameName(name, "connection")) {
            h.close = h.close || sameName(value, "close");
        }
    }
    return h;
}

enum class Framing { Incomplete, TooLong, Ready };

// The head that starts at pos in what was read, once all of it has come.
Framing frameHead(const std::string &in, size_t pos, Head *head, size_t *bodyStart)
{
    const size_t headEnd = in.find("\r\n\r\n", pos);
    if (headEnd == std::string::npos)
        return in.size() - pos > maxHead ? Framing::TooLong : Framing::Incomplete;
    *head = readHead(std::string_view(in).substr(pos, headEnd - pos));
    *bodyStart = headEnd + 4;
    return Framing::Ready;
}

void setNoDelayNonBlocking(int fd)
{
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

} // namespace

struct RawHttpLoop::Conn
{
    int fd = -1;
    bool accepted = false;  // the receiver's side of a connection
    bool dead = false;
    bool watchingWrites = false;
    bool closeAfterWrite = false;
    std::string in;
    std::string out;  // bytes the kernel did not take yet
    Answer inFlight;
};

RawHttpLoop::RawHttpLoop()
    : m_epoll(::epoll_create1(EPOLL_CLOEXEC))
    , m_timer(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC))
{
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = &timerTag;
    ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_timer, &ev);
}

RawHttpLoop::~RawHttpLoop()
{
    for (auto &c : m_conns)
        if (c->fd >= 0)
            ::close(c->fd);
    if (m_listener >= 0)
        ::close(m_listener);
    ::close(m_timer);
    ::close(m_epoll);
}

int64_t RawHttpLoop::nowUs()
{
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

bool RawHttpLoop::listen(uint16_t port, Arrival onRequest, std::string *error)
{
    m_onRequest = std::move(onRequest);
    m_listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(m_listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(m_listener, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 || ::listen(m_listener, 1024) != 0) {
        *error = "cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(errno);
        return false;
    }
    socklen_t len = sizeof addr;
    ::getsockname(m_listener, reinterpret_cast<sockaddr *>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = &listenerTag;
    ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_listener, &ev);
    return true;
}

void RawHttpLoop::setTarget(std::string host, uint16_t port, int maxConnections)
{
    m_host = std::move(host);
    m_targetPort = port;
    m_maxConnections = std::max(1, maxConnections);
}

void RawHttpLoop::send(std::string_view request, Answer done)
{
    Conn *c = nullptr;
    if (!m_idle.empty()) {
        c = m_idle.back();
        m_idle.pop_back();
    } else if (m_clientConnections < m_maxConnections) {
        c = openConnection();
        if (!c) {
            done(0);
            return;
        }
    } else {
        m_queue.push_back({request, std::move(done)});
        return;
    }
    c->inFlight = std::move(done);
    write(c, request);
}

RawHttpLoop::Conn *RawHttpLoop::openConnection()
{
    // A blocking connect on loopback finishes at once; the socket is non-blocking after it.
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(m_targetPort);
    ::inet_pton(AF_INET, m_host.c_str(), &addr.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
        m_lastError = "cannot connect to " + m_host + ":" + std::to_string(m_targetPort) + ": " + std::strerror(errno);
        ++m_failedConnections;
        ::close(fd);
        return nullptr;
    }
    setNoDelayNonBlocking(fd);
    auto conn = std::make_unique<Conn>();
    conn->fd = fd;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = conn.get();
    ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
    ++m_clientConnections;
    m_conns.push_back(std::move(conn));
    return m_conns.back().get();
}

void RawHttpLoop::run(Tick tick)
{
    m_running = true;
    armTimer(tick());
    epoll_event events[256];
    while (m_running) {
        const int n = ::epoll_wait(m_epoll, events, 256, 50);
        if (n < 0 && errno != EINTR)
            break;
        bool ticked = n == 0;  // the 50 ms wait doubles as the check for the end of the run
        for (int i = 0; i < n; ++i) {
            void *tag = events[i].data.ptr;
            if (tag == &timerTag) {
                uint64_t expirations = 0;
                [[maybe_unused]] const ssize_t r = ::read(m_timer, &expirations, sizeof expirations);
                ticked = true;
            } else if (tag == &listenerTag) {
                accept();
            } else {
                Conn *c = static_cast<Conn *>(tag);
                if (c->dead)
                    continue;
                if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
                    onReadable(c);
                if (!c->dead && (events[i].events & EPOLLOUT))
                    onWritable(c);
            }
        }
        for (Conn *c : m_closed) {
            m_conns.erase(std::find_if(m_conns.begin(), m_conns.end(), [c](const auto &p) { return p.get() == c; }));
        }
        m_closed.clear();
        if (ticked && m_running)
            armTimer(tick());
    }
}

void RawHttpLoop::armTimer(int64_t atUs)
{
    itimerspec spec{};
    if (atUs >= 0) {
        // An absolute time: a tick that runs late does not push the next one later.
        atUs = std::max<int64_t>(atUs, 1);
        spec.it_value.tv_sec = atUs / 1000000;
        spec.it_value.tv_nsec = (atUs % 1000000) * 1000;
    }
    ::timerfd_settime(m_timer, TFD_TIMER_ABSTIME, &spec, nullptr);
}

void RawHttpLoop::accept()
{
    for (;;) {
        const int fd = ::accept4(m_listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0)
            return;
        setNoDelayNonBlocking(fd);
        auto conn = std::make_unique<Conn>();
        conn->fd = fd;
        conn->accepted = true;
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.ptr = conn.get();
        ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
        m_conns.push_back(std::move(conn));
    }
}

void RawHttpLoop::onReadable(Conn *c)
{
    char buf[65536];
    for (;;) {
        const ssize_t r = ::read(c->fd, buf, sizeof buf);
        if (r > 0) {
            c->in.append(buf, size_t(r));
            if (size_t(r) < sizeof buf)
                break;
            continue;
        }
        if (r < 0 && (errno == EAGAIN || errno == EINTR))
            break;
        // The peer closed (or the connection broke): what was read is still handled first.
        if (c->accepted)
            serveRequests(c);
        else
            readAnswers(c);
        if (!c->dead) {
            if (c->inFlight)
                fail(c, r == 0 ? "the server closed the connection before answering" : std::strerror(errno));
            else
                close(c);
        }
        return;
    }
    if (c->accepted)
        serveRequests(c);
    else
        readAnswers(c);
}

void RawHttpLoop::serveRequests(Conn *c)
{
    size_t pos = 0;
    while (!c->dead) {
        Head h;
        size_t bodyStart = 0;
        const Framing f = frameHead(c->in, pos, &h, &bodyStart);
        if (f == Framing::TooLong)
            fail(c, "a request head over 64 KiB");
        if (f != Framing::Ready)
            break;
        if (!h.valid || h.chunked) {
            fail(c, h.chunked ? "a chunked request (only Content-Length bodies are read)" : "a bad Content-Length");
            break;
        }
        if (c->in.size() - bodyStart < size_t(h.contentLength))
            break;
        m_onRequest(std::string_view(c->in).substr(bodyStart, size_t(h.contentLength)));
        pos = bodyStart + size_t(h.contentLength);
        c->closeAfterWrite = h.close;
        write(c, answer201);
    }
    if (!c->dead)
        c->in.erase(0, pos);
}

void RawHttpLoop::readAnswers(Conn *c)
{
    size_t pos = 0;
    while (!c->dead && c->inFlight) {
        Head h;
        size_t bodyStart = 0;
        const Framing f = frameHead(c->in, pos, &h, &bodyStart);
        if (f == Framing::TooLong)
            fail(c, "an answer head over 64 KiB");
        if (f != Framing::Ready)
            break;
        int status = 0;
        if (h.startLine.size() >= 12)
            std::from_chars(h.startLine.data() + 9, h.startLine.data() + 12, status);
        if (!h.valid || h.chunked || status < 100) {
            fail(c, h.chunked ? "a chunked answer (only Content-Length bodies are read)"
                              : "a malformed answer: " + std::string(h.startLine));
            break;
        }
        if (c->in.size() - bodyStart < size_t(h.contentLength))
            break;
        pos = bodyStart + size_t(h.contentLength);
        if (status < 200)
            continue;  // an interim answer
        Answer done = std::move(c->inFlight);
        c->inFlight = nullptr;
        done(status);
        if (h.close) {
            close(c);
            break;
        }
        startNext(c);
    }
    if (!c->dead)
        c->in.erase(0, pos);
}

void RawHttpLoop::startNext(Conn *c)
{
    if (m_queue.empty()) {
        m_idle.push_back(c);
        return;
    }
    Pending p = std::move(m_queue.front());
    m_queue.pop_front();
    c->inFlight = std::move(p.done);
    write(c, p.request);
}

void RawHttpLoop::write(Conn *c, std::string_view bytes)
{
    if (c->out.empty()) {
        const ssize_t w = ::send(c->fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (w < 0 && errno != EAGAIN) {
            fail(c, std::string("writing: ") + std::strerror(errno));
            return;
        }
        bytes.remove_prefix(size_t(std::max<ssize_t>(w, 0)));
    }
    if (!bytes.empty()) {
        c->out.append(bytes);
        watchWrites(c, true);
    } else if (c->out.empty() && c->closeAfterWrite) {
        close(c);
    }
}

void RawHttpLoop::onWritable(Conn *c)
{
    const ssize_t w = ::send(c->fd, c->out.data(), c->out.size(), MSG_NOSIGNAL);
    if (w < 0 && errno != EAGAIN) {
        fail(c, std::string("writing: ") + std::strerror(errno));
        return;
    }
    c->out.erase(0, size_t(std::max<ssize_t>(w, 0)));
    if (c->out.empty()) {
        watchWrites(c, false);
        if (c->closeAfterWrite)
            close(c);
    }
}

void RawHttpLoop::watchWrites(Conn *c, bool on)
{
    if (c->watchingWrites == on)
        return;
    c->watchingWrites = on;
    epoll_event ev{};
    ev.events = EPOLLIN | (on ? EPOLLOUT : 0u);
    ev.data.ptr = c;
    ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, c->fd, &ev);
}

void RawHttpLoop::fail(Conn *c, const std::string &why)
{
    m_lastError = why;
    ++m_failedConnections;
    Answer done = std::move(c->inFlight);
    close(c);
    if (done)
        done(0);
}

void RawHttpLoop::close(Conn *c)
{
    if (c->dead)
        return;
    c->dead = true;
    ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, c->fd, nullptr);
    ::close(c->fd);
    c->fd = -1;
    if (!c->accepted) {
        --m_clientConnections;
        m_idle.erase(std::remove(m_idle.begin(), m_idle.end(), c), m_idle.end());
        // What waits for a connection gets a new one in place of this; with none left and none
        // to be had, it fails rather than wait for ever.
        if (!m_queue.empty()) {
            if (Conn *fresh = openConnection()) {
                startNext(fresh);
            } else if (m_clientConnections == 0) {
                std::deque<Pending> waiting = std::move(m_queue);
                m_queue.clear();
                for (Pending &p : waiting)
                    p.done(0);
            }
        }
    }
    m_closed.push_back(c);
}

} // namespace dipwb::bench
