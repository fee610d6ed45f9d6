// SPDX-License-Identifier: GPL-3.0-or-later
// Fuzz target: the HTTP/1.x request parser of core/http and the emulator's route table, over any
// bytes. The first byte chooses how the rest is cut into reads, because a request split at an
// unlucky place (inside a header name, between CR and LF) is where incremental parsers go wrong.
#include "http/http_router.h"
#include "http/request_parser.h"

#include <cstdint>
#include <cstdlib>
#include <cstdio>

using namespace dipwb::http;

namespace {

// Small limits, so that fuzzing reaches them.
constexpr qint64 kMaxBody = 4096;
constexpr int kMaxHead = 2048;

void check(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "invariant broken: %s\n", what);
        std::abort();
    }
}

const HttpRouter &router()
{
    static const HttpRouter r = [] {
        HttpRouter v;
        const auto ignore = [](const HttpRequest &, const RouteMatch &, HttpResponder) {};
        for (const char *p : {"/dip-channel/{id}", "/dip-channel/{id}/pubconfig/{dipId}", "/dip-channel/{id}/replay/{dipId}",
                              "/dip-channel/{id}/requeue/{dipId}", "/statusmessage", "/statusmessage/config/{dipId}",
                              "/validate/{id}/{event}"})
            v.add("POST", QString::fromLatin1(p), ignore);
        v.add("DELETE", QStringLiteral("/dip-channel/{id}/pubconfig/{dipId}"), ignore);
        v.add("DELETE", QStringLiteral("/statusmessage/config/{dipId}"), ignore);
        return v;
    }();
    return r;
}

void checkRequest(const HttpRequest &r)
{
    check(r.body.size() <= kMaxBody, "a body over the limit was accepted");
    check(!r.method.isEmpty(), "a complete request has a method");
    check(r.httpMinor == 0 || r.httpMinor == 1, "only HTTP/1.0 and HTTP/1.1 are accepted");
    int hosts = 0;
    for (const auto &h : r.headers) {
        check(!h.first.isEmpty(), "header names are not empty");
        // Counted by name: an empty Host value is allowed (RFC 9112 3.2), and header() cannot
        // tell it from a missing one.
        hosts += h.first.compare("host", Qt::CaseInsensitive) == 0 ? 1 : 0;
    }
    check(r.httpMinor == 0 || hosts == 1, "an HTTP/1.1 request has exactly one Host");
    check(r.path.size() <= r.target.size(), "the path comes from the target");
    (void)r.fullUrl();
    // Routing answers through a responder without a connection: what matters is that it copes.
    router().handle(r, HttpResponder());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const int split = data[0];
    const char *bytes = reinterpret_cast<const char *>(data + 1);
    const qsizetype len = qsizetype(size - 1);

    RequestParser parser(RequestParser::Limits{kMaxBody, kMaxHead});
    qsizetype at = 0;
    int reads = 0;
    int requests = 0;
    while (at < len) {
        // 0: everything in one read; otherwise reads of 1..split bytes, varying.
        const qsizetype piece = split == 0 ? len - at : std::min<qsizetype>(len - at, 1 + (reads * 7 + split) % split);
        ++reads;
        qsizetype done = 0;
        while (done < piece) {
            const RequestParser::State before = parser.state();
            const qsizetype used = parser.feed(bytes + at + done, piece - done);
            check(used >= 0 && used <= piece - done, "feed() uses at most what it is given");
            done += used;
            const RequestParser::State state = parser.state();
            if (state == RequestParser::State::Failed) {
                const int s = parser.errorStatus();
                check(s == 400 || s == 413 || s == 417 || s == 431 || s == 505, "a failure maps to a documented status");
                return 0;
            }
            if (state == RequestParser::State::Complete) {
                checkRequest(parser.request());
                parser.takeContinueRequest();
                parser.next();
                ++requests;
                continue;
            }
            check(used > 0 || before != state || piece - done == 0, "the parser makes progress");
            if (used == 0)
                break;
        }
        at += piece;
    }
    (void)requests;
    return 0;
}
