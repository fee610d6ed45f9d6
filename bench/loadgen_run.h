// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/http_message.h"
#include "latency_recorder.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QSslConfiguration>
#include <QUrl>
#include <optional>

namespace dipwb::bench {

/// The load generator's settings (bench/loadgen.cpp reads them from the command line).
struct LoadOptions
{
    QUrl target;
    int rate = 1000;
    int seconds = 10;
    int connections = 16;
    int payloadBytes = 1500;
    bool bare = false;
    QString sender = QStringLiteral("1100000001");
    QString recipient = QStringLiteral("1300000001");
    quint16 receiverPort = 0;
    bool printReceiver = false;
    /// Use the project's own Qt HTTP client and server instead of the epoll one (always for https).
    bool qtClient = false;
};

/// What one run counts: each message's scheduled send time, its answer and its arrival at the
/// webhook. Times are microseconds from the start of the run; latency runs from the *scheduled*
/// send time, so a server that falls behind cannot hide its queue (no coordinated omission).
struct LoadRun
{
    explicit LoadRun(int total, int rate);

    /// Message i is due at this time.
    qint64 dueUs(int i) const { return qint64(double(i) * intervalUs); }
    /// Message i was answered with this status (0: no answer, the connection failed).
    void answered(int i, int status, qint64 nowUs);
    /// A webhook call arrived with this body.
    void arrived(QByteArrayView body, qint64 nowUs);
    /// Everything sent, answered and (unless bare) delivered.
    bool complete(bool bare) const { return next >= total && acked + failed >= total && (bare || deliveredCount >= acked); }

    int total;
    double intervalUs;
    int next = 0;  ///< the next message to send
    QList<qint64> scheduledUs;
    QList<char> delivered;
    QList<qint64> deliveredUs;  ///< per message, for --timeline; -1: not delivered
    LatencyRecorder ackLatency, deliveryLatency;
    int acked = 0, failed = 0, deliveredCount = 0, duplicates = 0;
    qint64 lastAckUs = 0, lastDeliveryUs = 0;
    QHash<int, int> statuses;
    QString connectionError;  ///< the last connection failure, if any
};

/// Runs the load with the epoll client and receiver (bench/raw_http.h); requests are whole HTTP
/// requests, made before the clock starts. Returns false when the receiver cannot listen.
bool driveRaw(const LoadOptions &o, const QList<QByteArray> &requests, LoadRun &run);

/// Runs the load with the project's own HttpClient and HttpServer (needed for https); signatures
/// holds per-message headers or is empty; tls, when set, is the client's configuration.
bool driveQt(const LoadOptions &o, const QList<QByteArray> &bodies, const QList<http::HeaderList> &signatures,
             const std::optional<QSslConfiguration> &tls, LoadRun &run);

} // namespace dipwb::bench
