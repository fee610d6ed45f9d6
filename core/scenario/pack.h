// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/json_util.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace dipwb::scenario {

/// Where a pack element was written, for errors and step logs: "sit-starter/pack.yaml:42".
struct SourcePos
{
    QString file;
    int line = 0;
    QString toString() const { return line > 0 ? file + QLatin1Char(':') + QString::number(line) : file; }
};

/// One field assertion on a message: `CustomBlock.B007.responseCode: {equals: "A"}`.
struct Assertion
{
    enum class Op { Equals, Regex, Exists, Absent, OneOf, Range };
    QString path;          ///< dotted path from the payload object ("CommonBlock.S1.senderDIPID")
    Op op = Op::Equals;
    OJson value;           ///< Equals: the expected value (may hold ${...}); Regex: the pattern; OneOf: array
    std::optional<double> min, max; ///< Range (either may be open)
    SourcePos pos;
};

/// What a message is made of: a template or a generated example of (channel, event), then the
/// common blocks filled by the runner (sender, recipients, MPAN, references), then `set` and `remove`.
struct MessageSpec
{
    QString templateName;  ///< a template of the pack; empty: none
    QString channel;       ///< "IF-031"; from the template when empty
    QString event;         ///< "[MSApp]"; from the template when empty
    QString schemaVersion; ///< empty: the one the catalogue gives for the event
    QString from;          ///< participant id of the pack (may be ${...} in rules)
    QStringList to;        ///< primary recipients: participant ids or ${...} giving a DIP id
    bool toGiven = false;  ///< `to:` written, even empty (`to: []`: no primary recipient)
    QString mpan;          ///< an MPAN fixture id, or a ${...}; empty: the case's first fixture / the trigger's
    OJson body;            ///< a whole payload object to start from (templates only); null: example
    QList<QPair<QString, OJson>> set; ///< dotted path -> value, in file order
    QStringList remove;    ///< dotted paths to delete (negative cases)
    SourcePos pos;
};

/// A named message template; `include` starts from another template (cycles are load errors).
struct Template
{
    QString name;
    QString include;
    MessageSpec message;
    SourcePos pos;
};

/// A step of a test case.
struct Step
{
    enum class Kind { Send, Expect, ExpectRejection, ExpectNothing, Wait, Appoint, CheckAppointment };
    Kind kind = Kind::Send;
    SourcePos pos;
    QString label;         ///< optional `name:` shown in logs

    MessageSpec message;   ///< Send

    // Expect / ExpectNothing: a publication of channel (and event) to participant `to`.
    QString channel;       ///< "IF-032" (PUB-032 accepted)
    QString event;         ///< empty: any event of the channel
    QString to;            ///< participant id
    QString mpan;          ///< fixture id or ${...}; empty: the case's first fixture
    qint64 withinMs = -1;  ///< -1: the pack's NFR setting
    QList<Assertion> where;
    QString status;        ///< Expect: the delivery status required; default "Delivered"

    QString code;          ///< ExpectRejection: "MSG1031" (L1, in the answer) or an L2 code (status message)

    qint64 waitMs = 0;     ///< Wait

    // Appoint / CheckAppointment
    QString role;
    QString party;         ///< participant id, or "none" (CheckAppointment: nobody appointed)
    QString date;          ///< Appoint: effective from; CheckAppointment: the instant looked at
};

/// A test case: a stable id, requirement references, steps.
struct TestCase
{
    QString id;            ///< stable across pack versions, e.g. "SIT-APP-001"
    QString title;
    QStringList requirements; ///< qualification test-case ids and other references
    QStringList fixtures;  ///< MPAN fixture ids this case uses (a fresh MPAN each)
    QList<QPair<QString, OJson>> vars; ///< case variables (values or generators), in file order
    QList<Step> steps;
    bool serial = false;   ///< never run at the same time as another case
    SourcePos pos;
};

struct Scenario
{
    QString id;
    QString title;
    QList<TestCase> cases;
    SourcePos pos;
};

/// How a simulated participant answers a publication: rules are tried in order, every match fires.
struct Rule
{
    QString channel;       ///< "IF-031" (PUB-031 accepted)
    QString event;         ///< empty: any
    QList<Assertion> where;
    int reply = 201;       ///< the webhook's HTTP answer to the DIP
    qint64 afterMs = 0;    ///< delay before the messages are sent
    QList<MessageSpec> send;
    SourcePos pos;
};

struct PackParticipant
{
    QString id;            ///< the name steps use: "supplier", "regs"
    QString dipId;
    QString role;
    QString mpid;
    QString name;
    bool underTest = false;     ///< an external system (or, in self-test mode, its stand-in)
    QMap<QString, QString> webhooks; ///< under test: channel -> URL (empty: it registers its own)
    QString statusWebhook;
    QString mpanPrefix;         ///< distributors: the two leading digits of their MPAN cores
    QList<Rule> rules;          ///< simulated: how it answers
    QList<Rule> standIn;        ///< under test: how the self-test stand-in answers
    SourcePos pos;
};

/// An MPAN fixture: a fresh MPAN core per case that uses it, with its appointment history.
struct Appointment
{
    QString role;
    QString party;         ///< participant id
    QString from;          ///< a date, a DT-003 date-time or ${...}
    SourcePos pos;
};

struct MpanFixture
{
    QString id;
    OJson core;            ///< a value or a generator (default: {generate: mpan, distributor: ...})
    QString gsp = QStringLiteral("_A");
    QString distributor;   ///< participant id of the LDSO
    QList<Appointment> appointments;
    SourcePos pos;
};

/// Thresholds and run settings (DOMAIN.md 11 defaults; a pack may tighten them).
struct PackSettings
{
    qint64 deliveryWithinMs = 3000;   ///< the NFR: 90 % of publications within 3 s
    qint64 nothingWithinMs = 2000;    ///< how long expectNothing watches by default
    qint64 rejectionWithinMs = 5000;  ///< how long an L2 rejection may take
    qint64 caseTimeoutMs = 60000;
    bool parallel = true;             ///< independent cases may run at the same time
    int jobs = 4;                     ///< at most this many at once
};

struct Pack
{
    QString id;
    QString title;
    QString version;
    QString stage;         ///< PIT, SIT or QT
    QString environment;   ///< environment tag the messages carry
    QString catalogue;     ///< the catalogue / specification version it was written for
    QString description;
    PackSettings settings;
    QList<PackParticipant> participants;
    QList<MpanFixture> fixtures;
    QList<QPair<QString, OJson>> variables;
    QMap<QString, Template> templates;
    QList<Scenario> scenarios;
    QString file;          ///< the pack file read
    QString dir;           ///< its folder (template files are relative to it)

    const PackParticipant *participant(const QString &id) const;
    const PackParticipant *participantByDipId(const QString &dipId) const;
    const MpanFixture *fixture(const QString &id) const;
    QList<const TestCase *> allCases() const;
    int caseCount() const;
};

QString stepKindName(Step::Kind kind);

} // namespace dipwb::scenario
