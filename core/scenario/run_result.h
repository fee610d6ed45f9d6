// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/json_util.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace dipwb::scenario {

enum class Verdict { Passed, Failed, Error, Skipped };
QString verdictName(Verdict v);   ///< "passed", "failed", "error", "skipped"

/// What one step did: its verdict and, for a tester, what was sent or seen and why it failed.
struct StepResult
{
    int index = 0;
    QString kind;          ///< "send", "expect"...
    QString label;
    QString where;         ///< "pack.yaml:42"
    Verdict verdict = Verdict::Passed;
    QString detail;        ///< one line: what happened, or expected what / got what / which message
    qint64 startedMs = 0;
    qint64 endedMs = 0;
    QStringList transactionIds;   ///< of the messages sent or matched
    QStringList references;       ///< sender unique references sent
};

struct CaseResult
{
    QString id;
    QString title;
    QString scenarioId;
    QStringList requirements;
    Verdict verdict = Verdict::Skipped;
    QString reason;        ///< why it failed or erred (the failing step's detail, with its position)
    qint64 startedMs = 0;
    qint64 endedMs = 0;
    QStringList mpans;
    QList<StepResult> steps;
    QStringList log;       ///< what the simulated participants did for this case's MPANs
};

struct RunResult
{
    qint64 runId = 0;      ///< the workspace's id of the stored run; 0 until stored
    QString packId, packTitle, packVersion, stage, environment, catalogue;
    bool selfTest = false;
    QString dipUrl;
    qint64 startedMs = 0;
    qint64 endedMs = 0;
    QList<CaseResult> cases;
    QString setupError;    ///< set when the run could not start (nothing ran)

    int count(Verdict v) const;
    bool allPassed() const { return setupError.isEmpty() && count(Verdict::Failed) == 0 && count(Verdict::Error) == 0; }
    OJson toJson() const;
};

/// JUnit XML (one testsuite per scenario, each case a testcase; ids and versions as properties).
QByteArray junitXml(const RunResult &run);
/// The human summary `dipwb run` prints.
QString summaryText(const RunResult &run);

} // namespace dipwb::scenario

Q_DECLARE_METATYPE(dipwb::scenario::RunResult)
Q_DECLARE_METATYPE(dipwb::scenario::CaseResult)
Q_DECLARE_METATYPE(dipwb::scenario::StepResult)
