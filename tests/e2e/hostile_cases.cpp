// SPDX-License-Identifier: GPL-3.0-or-later
// The hostile input table of docs/reliability.md: each case builds its bytes, sends them over a
// raw connection and reports what came back. The expected answers are in the table, not in code.
#include "hostile_cases.h"

#include "hostile_requests.h"
#include "raw_connection.h"
#include "sample_messages.h"

namespace dipwb::testsupport {

namespace {

using namespace hostile;

using Run = std::function<HostileOutcome(const HostileTarget &)>;

Run posting(std::function<QByteArray()> makeBody)
{
    return [makeBody](const HostileTarget &t) { return exchange(t, post(t, makeBody())); };
}

Run sending(std::function<QByteArray(const HostileTarget &)> makeBytes, int answers = 1, bool bodyless = false)
{
    return [makeBytes, answers, bodyless](const HostileTarget &t) { return exchange(t, makeBytes(t), answers, bodyless); };
}

Run withRequest(std::function<void(Req &)> change)
{
    return [change](const HostileTarget &t) {
        Req r;
        r.body = validBody();
        change(r);
        return exchange(t, request(t, r));
    };
}

std::vector<HostileCase> buildCases()
{
    const QList<int> none;
    std::vector<HostileCase> c;
    auto add = [&c](const char *name, QList<int> statuses, bool closes, Run run, int maxMs = 30000) {
        c.push_back({QByteArray(name), std::move(statuses), closes, std::move(run), maxMs});
    };
    constexpr bool Close = true, Open = false;

    // Baseline and JSON syntax: every body that is not JSON is 400 MSG1001, connection kept.
    add("valid message", {201}, Open, posting(validBody));
    add("empty body", {400}, Open, posting([]() -> QByteArray { return QByteArray(); }));
    add("whitespace body", {400}, Open, posting([]() -> QByteArray { return QByteArray(" \r\n\t "); }));
    add("truncated: lone bracket", {400}, Open, posting([]() -> QByteArray { return QByteArray("["); }));
    add("truncated: half a message", {400}, Open, posting([]() -> QByteArray { const QByteArray b = validBody(); return b.left(b.size() / 2); }));
    add("truncated: inside a string", {400}, Open, posting([]() -> QByteArray { return QByteArray("[{\"payload\":{\"CommonBlock\":{\"S0\":{\"interfaceID\":\"IF-0"); }));
    add("object instead of array", {400}, Open, posting([]() -> QByteArray { return QByteArray("{\"payload\":{}}"); }));
    add("empty array", {400}, Open, posting([]() -> QByteArray { return QByteArray("[]"); }));
    add("null", {400}, Open, posting([]() -> QByteArray { return QByteArray("null"); }));
    add("bare string", {400}, Open, posting([]() -> QByteArray { return QByteArray("\"IF-033\""); }));
    add("bare number", {400}, Open, posting([]() -> QByteArray { return QByteArray("42"); }));
    add("garbage after the array", {400}, Open, posting([]() -> QByteArray { return validBody() + "xyz"; }));
    add("second array after the first", {400}, Open, posting([]() -> QByteArray { return validBody() + validBody(); }));
    add("comment", {400}, Open, posting([]() -> QByteArray { return "/* hi */" + validBody(); }));
    add("single quotes", {400}, Open, posting([]() -> QByteArray { return QByteArray("[{'payload':{}}]"); }));
    add("trailing comma", {400}, Open, posting([]() -> QByteArray { QByteArray b = validBody(); b.chop(1); return b + ",]"; }));
    add("NaN literal", {400}, Open, posting([]() -> QByteArray { return withSubText("NaN"); }));
    add("byte order mark before a valid body", {201}, Open, posting([]() -> QByteArray { return "\xEF\xBB\xBF" + validBody(); }));

    // Text encoding: invalid UTF-8 anywhere is not JSON (400); valid non-ASCII text is fine.
    add("invalid UTF-8 byte in a string", {400}, Open, posting([]() -> QByteArray { return withSubText("\"ab\xFF" "cd\""); }));
    add("overlong UTF-8 encoding", {400}, Open, posting([]() -> QByteArray { return withSubText("\"\xC0\xAF\""); }));
    add("UTF-8 encoded surrogate", {400}, Open, posting([]() -> QByteArray { return withSubText("\"\xED\xA0\x80\""); }));
    add("truncated UTF-8 sequence", {400}, Open, posting([]() -> QByteArray { return withSubText("\"\xE2\x82\""); }));
    add("lone surrogate escape", {400}, Open, posting([]() -> QByteArray { return withSubText("\"\\ud800\""); }));
    add("invalid UTF-8 in a key", {400}, Open, posting([]() -> QByteArray { QByteArray b = validBody(); return b.replace("\"subText\"", "\"sub\xFEText\""); }));
    add("raw byte outside strings", {400}, Open, posting([]() -> QByteArray { return "\xFF" + validBody(); }));
    add("raw control character in a string", {400}, Open, posting([]() -> QByteArray { return withSubText("\"a\tb\""); }));
    add("NUL escape in the reference", {400}, Open, posting([]() -> QByteArray { return withS1("senderUniqueReference", std::string("S-IF-033-\0x", 11)); }));
    add("non-ASCII subText", {201}, Open, posting([]() -> QByteArray { return withSubText("\"caf\xC3\xA9 \xE2\x9C\x93 \\u00e9\""); }));

    // Nesting: at most 64 levels (kMaxJsonDepth), anywhere in the body.
    add("100,000 nested arrays", {400}, Open, posting([]() -> QByteArray { return nestedArrays(100000); }));
    add("100,000 nested objects", {400}, Open, posting([]() -> QByteArray { return "[" + nestedObjects(100000) + "]"; }));
    add("100,000 levels inside CustomBlock", {400}, Open, posting([]() -> QByteArray { return withCustomBlock(nestedObjects(100000)); }));
    add("65 levels inside CustomBlock", {400}, Open, posting([]() -> QByteArray { return withCustomBlock(nestedObjects(62)); }));

    // Sizes: 10 MB strings fit the 10 MiB limit and are refused by the checks; over the limit is 413.
    add("10 MB senderUniqueReference", {400}, Open, posting([]() -> QByteArray { return withS1("senderUniqueReference", std::string(10000000, 'A')); }));
    add("10 MB subText", {400}, Open, posting([]() -> QByteArray { return withS1("subText", std::string(10000000, 'x')); }));
    add("10 MB key", {400}, Open, posting([]() -> QByteArray { return withSubText("null, \"" + QByteArray(10000000, 'k') + "\": 1"); }));
    add("10 MB environmentTag with many failing fields", {400}, Open, posting([]() -> QByteArray {
        OJson m = validMessage();
        auto &s1 = m["payload"]["CommonBlock"]["S1"];
        s1["senderUniqueReference"] = std::string(5000000, 'R');
        s1["environmentTag"] = std::string(5000000, 'E');
        s1["senderTimestamp"] = 1;
        s1["senderRoleID"] = 2;
        m["payload"]["CommonBlock"]["S0"]["eventCode"] = 3;
        return body({m});
    }));
    add("body over the limit, announced", {413}, Close, [](const HostileTarget &t) {
        Req r;
        r.body = QByteArray(t.bodyLimit + 1, ' ');
        return exchange(t, head(t, r));  // the head alone: the answer must not wait for the body
    });
    add("body over the limit, sent", {413}, Close, [](const HostileTarget &t) {
        return exchange(t, post(t, withS1("subText", std::string(t.bodyLimit, 'x'))));
    });
    add("body over the limit, chunked", {413}, Close, [](const HostileTarget &t) {
        const QByteArray b = withS1("subText", std::string(t.bodyLimit, 'x'));
        return exchange(t, chunkedHead(t, b) + chunked(b, 64 * 1024));
    });

    // Numbers: a number where a string belongs is 400; one JSON cannot hold is not JSON (400).
    add("400-digit integer", {400}, Open, posting([]() -> QByteArray { return withSubText(QByteArray(400, '9')); }));
    add("number overflow 1e999999", {400}, Open, posting([]() -> QByteArray { return withSubText("1e999999"); }));
    add("huge negative exponent", {400}, Open, posting([]() -> QByteArray { return withSubText("1e-999999"); }));
    add("number as eventCode", {400}, Open, [](const HostileTarget &t) {
        OJson m = validMessage();
        m["payload"]["CommonBlock"]["S0"]["eventCode"] = 18446744073709551615ULL;
        return exchange(t, post(t, body({m})));
    });

    // Keys: an object may not repeat a key, exactly or in another letter case.
    add("duplicate payload key", {400}, Open, posting([]() -> QByteArray {
        QByteArray b = validBody();
        return b.replace("[{\"payload\":", "[{\"payload\":{},\"payload\":");
    }));
    add("duplicate senderDIPID", {400}, Open, posting([]() -> QByteArray { return withSubText("null,\"senderDIPID\":\"2300000185\""); }));
    add("keys differing in case", {400}, Open, posting([]() -> QByteArray { return withSubText("null,\"SUBTEXT\":null"); }));
    add("object of 500,000 keys", {400}, Open, posting([]() -> QByteArray {
        QByteArray b = "[{";
        for (int i = 0; i < 500000; ++i)
            b += (i ? ",\"k" : "\"k") + QByteArray::number(i) + "\":0";
        return b + "}]";
    }), 60000);

    // Many messages: checks stop after 100 failures; a whole request is stored or nothing is.
    add("100,000 minimal messages", {400}, Open, posting([]() -> QByteArray { return repeatedArray("{\"payload\":{}}", 100000); }), 60000);
    add("100,000 empty objects", {400}, Open, posting([]() -> QByteArray { return repeatedArray("{}", 100000); }), 60000);
    add("100,000 valid messages (70 MB)", {413}, Close, [](const HostileTarget &t) {
        Req r;
        r.body = QByteArray(qint64(100000) * 700, ' ');  // the size the messages would take
        return exchange(t, head(t, r));
    });
    add("2,000 valid messages in one request", {201}, Open, posting([]() -> QByteArray { return manyValidMessages(2000); }), 120000);

    // Content type: the body decides; Content-Type is not checked.
    add("text/plain with a valid body", {201}, Open, withRequest([](Req &r) { r.contentType = "text/plain"; }));
    add("no Content-Type", {201}, Open, withRequest([](Req &r) { r.contentType.clear(); }));
    add("form-encoded body", {400}, Open, withRequest([](Req &r) {
        r.contentType = "application/x-www-form-urlencoded";
        r.body = "payload=1&x=2";
    }));
    add("XML body", {400}, Open, withRequest([](Req &r) {
        r.contentType = "application/xml";
        r.body = "<?xml version=\"1.0\"?><payload/>";
    }));

    // Methods and paths (signed, so the routing answers and not the signature check).
    add("unsigned request", {401}, Open, withRequest([](Req &r) { r.sign = false; }));
    add("GET on a channel", {405}, Open, withRequest([](Req &r) { r.method = "GET"; r.body.clear(); }));
    add("PUT on a channel", {405}, Open, withRequest([](Req &r) { r.method = "PUT"; }));
    add("DELETE on a channel", {405}, Open, withRequest([](Req &r) { r.method = "DELETE"; r.body.clear(); }));
    add("HEAD on an unknown path", {404}, Open, sending([](const HostileTarget &t) -> QByteArray {
        Req r;
        r.method = "HEAD";
        r.target = "/";
        return request(t, r);
    }, 1, true));
    add("OPTIONS * (unsigned)", {401}, Open, withRequest([](Req &r) { r.method = "OPTIONS"; r.target = "*"; r.body.clear(); r.sign = false; }));
    add("unknown method", {400}, Close, withRequest([](Req &r) { r.method = "BREW"; }));
    add("lower-case method", {400}, Close, withRequest([](Req &r) { r.method = "post"; }));
    add("CONNECT (unsigned)", {401}, Open, withRequest([](Req &r) { r.method = "CONNECT"; r.target = "127.0.0.1:443"; r.body.clear(); r.sign = false; }));
    add("root path", {404}, Open, withRequest([](Req &r) { r.target = "/"; }));
    add("channel path without an id", {404}, Open, withRequest([](Req &r) { r.target = "/dip-channel/"; }));
    add("unknown channel", {400}, Open, withRequest([](Req &r) { r.target = "/dip-channel/IF-999"; }));
    add("dot segments", {404}, Open, withRequest([](Req &r) { r.target = "/dip-channel/../validate/IF-033/x"; }));
    add("percent-encoded NUL in the channel", {400}, Open, withRequest([](Req &r) { r.target = "/dip-channel/IF-033%00"; }));
    add("percent-encoded invalid UTF-8", {400}, Open, withRequest([](Req &r) { r.target = "/dip-channel/IF-%FF%FE"; }));
    add("100 KB path", {431}, Close, withRequest([](Req &r) { r.target = "/dip-channel/" + QByteArray(100 * 1024, 'a'); r.sign = false; }));
    add("absolute-form target", {201}, Open, [](const HostileTarget &t) {
        Req r;
        r.body = validBody();
        r.target = t.baseUrl.toLatin1() + "/dip-channel/IF-033";
        return exchange(t, request(t, r));
    });
    add("query string", {201}, Open, withRequest([](Req &r) { r.target += "?debug=1&x=%00"; }));

    // Protocol versions.
    add("HTTP/1.0", {201}, Close, withRequest([](Req &r) { r.version = "HTTP/1.0"; }));
    add("HTTP/1.0 keep-alive", {201}, Open, withRequest([](Req &r) { r.version = "HTTP/1.0"; r.headers << "Connection: keep-alive"; }));
    add("HTTP/1.2", {505}, Close, withRequest([](Req &r) { r.version = "HTTP/1.2"; }));
    add("HTTP/2 preface", {400}, Close, sending([](const HostileTarget &) -> QByteArray { return QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"); }));
    add("HTTP/0.9 request line", {505}, Close, sending([](const HostileTarget &) -> QByteArray { return QByteArray("GET /\r\n\r\n"); }));
    add("binary garbage", {400}, Close, sending([](const HostileTarget &) -> QByteArray {
        QByteArray b;
        for (int i = 0; i < 4096; ++i)
            b += char((i * 7919) & 0xff);
        return b;
    }));
    add("TLS ClientHello on the plain port", {400}, Close, sending([](const HostileTarget &) -> QByteArray {
        return QByteArray::fromHex("160301002e0100002a0303") + QByteArray(32, '\x11') + QByteArray::fromHex("000002c02f0100");
    }));

    // Header fields.
    add("header line without a colon", {400}, Close, withRequest([](Req &r) { r.headers << "NoColonHere"; }));
    add("NUL in a header value", {400}, Close, withRequest([](Req &r) { r.headers << QByteArray("X-Test: a\0b", 11); }));
    add("10,000 header fields", {431}, Close, withRequest([](Req &r) {
        for (int i = 0; i < 10000; ++i)
            r.headers << "X-Flood-" + QByteArray::number(i) + ": v";
    }));
    add("one 100 KB header value", {431}, Close, withRequest([](Req &r) { r.headers << "X-Big: " + QByteArray(100 * 1024, 'v'); }));
    add("two different Content-Lengths", {400}, Close, withRequest([](Req &r) { r.headers << "Content-Length: 3"; }));
    add("Content-Length with chunked", {400}, Close, withRequest([](Req &r) { r.headers << "Transfer-Encoding: chunked"; }));
    add("negative Content-Length", {400}, Close, withRequest([](Req &r) { r.length = false; r.headers << "Content-Length: -1"; }));
    add("Content-Length beyond 64 bits", {400}, Close, withRequest([](Req &r) { r.length = false; r.headers << "Content-Length: 99999999999999999999999"; }));
    add("unknown transfer coding", {400}, Close, withRequest([](Req &r) { r.length = false; r.headers << "Transfer-Encoding: gzip"; }));
    add("Expect: 100-continue", {201}, Open, [](const HostileTarget &t) {
        Req r;
        r.body = validBody();
        r.headers << "Expect: 100-continue";
        RawConnection c(t.port);
        HostileOutcome o;
        c.send(head(t, r));
        c.waitReadable(5000);  // the 100 Continue, before the body is sent
        c.send(r.body);
        if (const auto a = c.read())
            o.statuses << a->status;
        o.interim = c.interim();
        o.closed = c.waitClosed(50);
        if (o.interim != 1)
            o.statuses << -100;  // shows as a mismatch: the 100 Continue did not come first
        return o;
    });
    add("unknown Expect", {417}, Close, withRequest([](Req &r) { r.headers << "Expect: tea"; }));
    add("HTTP/1.1 without Host", {400}, Close, withRequest([](Req &r) { r.host = false; }));
    add("two Host fields", {400}, Close, withRequest([](Req &r) { r.headers << "Host: example.org"; }));
    add("HTTP/1.0 without Host", {401}, Close, withRequest([](Req &r) { r.version = "HTTP/1.0"; r.host = false; }));

    // Chunked bodies.
    add("chunked valid body", {201}, Open, sending([](const HostileTarget &t) -> QByteArray {
        const QByteArray b = validBody();
        return chunkedHead(t, b) + chunked(b, 100);
    }));
    add("chunked with trailer fields", {201}, Open, sending([](const HostileTarget &t) -> QByteArray {
        const QByteArray b = validBody();
        QByteArray c = chunked(b, 500);
        c.chop(2);
        return chunkedHead(t, b) + c + "X-Trailer: 1\r\n\r\n";
    }));
    add("trailer fields repeating Host and the signature", {201}, Open, sending([](const HostileTarget &t) -> QByteArray {
        const QByteArray b = validBody();
        QByteArray c = chunked(b, 500);
        c.chop(2);
        return chunkedHead(t, b) + c + "Host: example.org\r\nX-DIP-Signature: forged\r\n\r\n";
    }));
    add("chunk size not hex", {400}, Close, sending([](const HostileTarget &t) -> QByteArray { return chunkedHead(t, validBody()) + "zz\r\nabc\r\n0\r\n\r\n"; }));
    add("chunk size beyond 64 bits", {400}, Close, sending([](const HostileTarget &t) -> QByteArray { return chunkedHead(t, validBody()) + "FFFFFFFFFFFFFFFFFF\r\nabc\r\n"; }));
    add("one chunk larger than the body limit", {413}, Close, sending([](const HostileTarget &t) -> QByteArray {
        return chunkedHead(t, validBody()) + QByteArray::number(t.bodyLimit * 2, 16) + "\r\n" + QByteArray(t.bodyLimit + 1, ' ');
    }));
    add("never-ending chunked body, fast", {413}, Close, [](const HostileTarget &t) {
        return endlessChunks(t, 1024 * 1024, 60000);
    });
    add("chunk data longer than its size", {408}, Close, sending([](const HostileTarget &t) -> QByteArray { return chunkedHead(t, validBody()) + "3\r\nabcdef\r\n0\r\n\r\n"; }));
    add("never-ending chunked body, slow", {408}, Close, [](const HostileTarget &t) {
        return trickle(t, chunkedHead(t, validBody()), "1\r\n \r\n", 100, 20000);
    });

    // Slow and idle clients: the head has headerTimeoutMs from its first byte, the body
    // bodyTimeoutMs from the end of the head; then 408 and close.
    add("slowloris: head one byte at a time", {408}, Close, [](const HostileTarget &t) {
        return trickle(t, "POST /dip-channel/IF-033 HTTP/1.1\r\nX-Slow: ", "a", 100, 20000);
    });
    add("slowloris: endless header fields", {408}, Close, [](const HostileTarget &t) {
        return trickle(t, "POST /dip-channel/IF-033 HTTP/1.1\r\n", "X-a: b\r\n", 100, 20000);
    });
    add("body slower than its Content-Length", {408}, Close, [](const HostileTarget &t) {
        Req r;
        r.body = validBody();
        return trickle(t, head(t, r), " ", 200, 20000);
    });
    add("Content-Length larger than the body sent", {408}, Close, [](const HostileTarget &t) {
        Req r;
        r.body = validBody();
        r.length = false;
        r.headers << "Content-Length: " + QByteArray::number(r.body.size() + 10);
        return trickle(t, request(t, r), "", 200, 20000);
    });
    add("connection that never sends", none, Close, [](const HostileTarget &t) {
        return trickle(t, "", "", 200, 20000);
    });
    add("150 idle connections beside a request", {201}, Open, [](const HostileTarget &t) { return besideIdle(t, 150); });
    add("one connection over the limit", {503}, Close, overConnectionLimit);
    add("200 abandoned half requests", {201}, Open, [](const HostileTarget &t) { return abandoned(t, 200); });
    add("request, then half-close", none, Close, afterHalfClose);

    // Pipelining: answers in order; an error answers and closes, later requests are not read.
    add("10 pipelined requests", QList<int>(10, 201), Open, sending([](const HostileTarget &t) -> QByteArray {
        QByteArray all;
        for (int i = 0; i < 10; ++i)
            all += validRequest(t);
        return all;
    }, 10));
    add("200 pipelined small requests", QList<int>(200, 404), Open, sending([](const HostileTarget &t) -> QByteArray {
        Req r;
        r.target = "/nowhere";
        const QByteArray one = request(t, r);
        QByteArray all;
        for (int i = 0; i < 200; ++i)
            all += one;
        return all;
    }, 200));
    add("pipelined garbage after a request", {201, 400}, Close, sending([](const HostileTarget &t) -> QByteArray {
        return validRequest(t) + "GARBAGE\r\n\r\n" + validRequest(t);
    }, 3));
    add("Content-Length shorter than the body", {201, 400}, Close, sending([](const HostileTarget &t) -> QByteArray {
        return validRequest(t) + "{\"trailing\": true}\r\n\r\n";
    }, 2));
    return c;
}

} // namespace

QByteArray validRequest(const HostileTarget &t)
{
    return post(t, validBody());
}

const std::vector<HostileCase> &hostileCases()
{
    static const std::vector<HostileCase> cases = buildCases();
    return cases;
}

} // namespace dipwb::testsupport
