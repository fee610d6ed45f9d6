// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/message_builder.h"
#include "scenario/pack.h"
#include "scenario/run_result.h"
#include "scenario/values.h"

#include <QObject>
#include <QSet>
#include <QTimer>

namespace dipwb::scenario {

class Runner;

/// One test case being run: its variables and fixtures, the step it is at, and the timers of the
/// step and of the whole case. Steps run one after the other; an expectation polls the workspace
/// store (what the emulator delivered) until it is met or its time is up.
class CaseRun final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CaseRun)
public:
    CaseRun(Runner *runner, const TestCase &tc, const QString &scenarioId, QObject *parent = nullptr);

    void start();
    /// Ends the case at once as an error with this reason (run stopped, timeout).
    void abort(const QString &reason);
    const CaseResult &result() const { return m_result; }
    bool isDone() const { return m_done; }
    bool concernsMpan(const QString &mpan) const { return m_result.mpans.contains(mpan); }
    void addLog(const QString &line) { m_result.log << line; }

signals:
    void stepFinished(const dipwb::scenario::StepResult &step);
    void done(dipwb::scenario::CaseRun *self);

private:
    void nextStep();
    void runStep(const Step &s);
    void stepPassed(const QString &detail);
    void stepFailed(const QString &detail, Verdict verdict = Verdict::Failed);
    void finish(Verdict v, const QString &reason);

    void doSend(const Step &s);
    void pollExpect();
    void pollNothing();
    void pollRejection();
    void doAppoint(const Step &s);
    void doCheckAppointment(const Step &s);

    /// A copy the DIP published, from the store (local run) or the run's receiver (remote run).
    struct Seen
    {
        qint64 id = 0;            // delivery id, or the received key
        QString transactionId, publicationId, channel, eventCode, senderDipId, recipientDipId, reason, status, lastError;
        int attempts = 0;
        int lastHttpStatus = 0;
        qint64 createdMs = 0, deliveredMs = 0;
        OJson payload;
    };
    /// Copies to recipient (empty: anyone) of channel/event (empty: any) for mpan since fromMs.
    QList<Seen> seenCopies(const QString &recipientDipId, const QString &channel, const QString &event,
                           const QString &mpan, qint64 fromMs, int limit) const;
    bool l2StatusSeen(const QString &code, QStringList *seen);

    MpanBinding mpanFor(const QString &spec);
    qint64 instantOf(const QString &text, QString *why);
    QString partyText(const QString &participantId) const;
    QString traceOf(const QString &mpan) const;

    Runner *m_runner;
    const TestCase &m_case;
    Values m_values;
    QHash<QString, MpanBinding> m_fixtures;
    QString m_firstFixture;
    CaseResult m_result;
    StepResult m_step;
    int m_index = -1;
    bool m_done = false;
    QTimer m_poll;
    QTimer m_caseTimer;
    qint64 m_deadlineMs = 0;
    QSet<qint64> m_consumed;          // deliveries already matched by an earlier expect

    struct LastSend
    {
        int httpStatus = 0;
        QStringList messages;         // StandardResponse "message" items ("MSG1031 - ...")
        QStringList helps;
        QStringList transactionIds;
        QString reference;
        QString senderDipId;
        QString error;
    } m_last;
    bool m_sendPending = false;
    qint64 m_lastSendStartMs = 0;     // where expectNothing starts watching
};

} // namespace dipwb::scenario
