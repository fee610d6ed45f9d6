// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <functional>
#include <vector>

namespace dipwb::testsupport {

class RequestSigner;

/// The running emulator a case is sent to, with the limits it was started with.
struct HostileTarget
{
    quint16 port = 0;
    QString baseUrl;                 ///< "http://127.0.0.1:port"
    RequestSigner *signer = nullptr;
    qint64 bodyLimit = 0;
    int headerTimeoutMs = 0;
    int bodyTimeoutMs = 0;
    int maxConnections = 0;
};

/// What the hostile client saw.
struct HostileOutcome
{
    QList<int> statuses;  ///< the final answers, in order; empty when none came
    bool closed = false;  ///< the server closed the connection after them
    int interim = 0;      ///< 1xx answers seen
    qint64 elapsedMs = 0;
    QByteArray lastBody;  ///< body of the last answer, for the failure message
};

/// One row of docs/reliability.md, "Hostile input": an input class and its documented answer.
struct HostileCase
{
    QByteArray name;
    QList<int> statuses;  ///< documented answers in order; empty: the connection is closed without one
    bool closes = false;  ///< documented: the server closes the connection afterwards
    std::function<HostileOutcome(const HostileTarget &)> run;
    int maxMs = 30000;    ///< the answer must come within this (generous: machines are shared)
};

const std::vector<HostileCase> &hostileCases();

/// A signed, valid IF-033 request with a fresh reference: what a well-behaved participant sends.
QByteArray validRequest(const HostileTarget &t);

} // namespace dipwb::testsupport
