// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/json_util.h"
#include "hostile_cases.h"

#include <QByteArray>
#include <QByteArrayList>

// The pieces the hostile input table is built from: request bytes made by hand (signed as a
// participant would sign them) and the ways of sending them. Internal to test_hostile_input.
namespace dipwb::testsupport::hostile {

OJson validMessage();
QByteArray validBody();
/// A valid message with raw JSON text spliced in as the value of S1.subText (it may add keys).
QByteArray withSubText(const QByteArray &rawJsonValue);
QByteArray withS1(const char *key, const OJson &value);
QByteArray withCustomBlock(const QByteArray &rawJsonValue);
QByteArray nestedArrays(int depth);
QByteArray nestedObjects(int depth);
QByteArray repeatedArray(const QByteArray &element, int count);
QByteArray manyValidMessages(int count);

struct Req
{
    QByteArray method = "POST";
    QByteArray target = "/dip-channel/IF-033";
    QByteArray body;
    QByteArray version = "HTTP/1.1";
    QByteArray contentType = "application/json";
    QByteArrayList headers;  ///< extra "Name: value" lines, as given
    bool sign = true;
    bool host = true;
    bool length = true;      ///< a Content-Length of the body
};

QByteArray head(const HostileTarget &t, const Req &r);
QByteArray request(const HostileTarget &t, const Req &r);
QByteArray post(const HostileTarget &t, const QByteArray &body);
QByteArray chunked(const QByteArray &body, qsizetype chunk);
QByteArray chunkedHead(const HostileTarget &t, const QByteArray &signedBody);

/// Sends, then reads the expected number of answers and anything that follows them.
HostileOutcome exchange(const HostileTarget &t, const QByteArray &bytes, int answers = 1, bool bodyless = false);
/// Sends `first`, then `more` every intervalMs until the server answers or maxMs pass.
HostileOutcome trickle(const HostileTarget &t, const QByteArray &first, const QByteArray &more, int intervalMs, int maxMs);
/// Sends chunks of chunkBytes as fast as the server takes them, until it answers.
HostileOutcome endlessChunks(const HostileTarget &t, qsizetype chunkBytes, int maxMs);
/// `count` connections held open without a byte, and one valid request beside them.
HostileOutcome besideIdle(const HostileTarget &t, int count);
/// One connection more than the limit: what the last one is answered.
HostileOutcome overConnectionLimit(const HostileTarget &t);
/// `count` connections that send part of a request and vanish, then one valid request.
HostileOutcome abandoned(const HostileTarget &t, int count);
/// A valid request followed by a half-close (TCP FIN) of the client's side.
HostileOutcome afterHalfClose(const HostileTarget &t);

} // namespace dipwb::testsupport::hostile
