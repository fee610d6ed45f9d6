// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/case_run.h"

#include "common/clock.h"
#include "common/dip_time.h"
#include "common/ids.h"
#include "dip/dip_client.h"
#include "dip/emulator.h"
#include "dip/emulator_context.h"
#include "scenario/assertions.h"
#include "scenario/runner.h"
#include "store/store.h"

namespace dipwb::scenario {

namespace {

constexpr int kPollMs = 50;

QString secondsText(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', ms % 1000 ? 1 : 0) + QStringLiteral(" s");
}

OJson payloadOf(const QByteArray &stored)
{
    try {
        const OJson j = OJson::parse(stored.constData(), stored.constData() + stored.size());
        if (j.is_object() && j.contains("payload"))
            return j["payload"];
        return j;
    } catch (const std::exception &) {
        return nullptr;
    }
}

} // namespace

CaseRun::CaseRun(Runner *runner, const TestCase &tc, const QString &scenarioId, QObject *parent)
    : QObject(parent), m_runner(runner), m_case(tc), m_values(runner->pack())
{
    m_result.id = tc.id;
    m_result.title = tc.title;
    m_result.scenarioId = scenarioId;
    m_result.requirements = tc.requirements;
    m_poll.setInterval(kPollMs);
    m_caseTimer.setSingleShot(true);
    connect(&m_caseTimer, &QTimer::timeout, this, [this] {
        abort(QStringLiteral("the case did not finish within %1 (caseTimeout), at step %2")
                  .arg(secondsText(m_runner->pack().settings.caseTimeoutMs))
                  .arg(m_index + 1));
    });
}

QString CaseRun::partyText(const QString &participantId) const
{
    const PackParticipant *p = m_runner->pack().participant(participantId);
    return p ? QStringLiteral("%1 (%2 %3)").arg(p->id, p->role, p->dipId) : participantId;
}

void CaseRun::start()
{
    const Pack &pack = m_runner->pack();
    m_result.startedMs = Clock::nowMs();
    m_caseTimer.start(int(pack.settings.caseTimeoutMs));
    const QString correlation = ids::correlationId(m_result.startedMs);
    m_values.bind(QStringLiteral("case"), OJson{{"id", ss(m_case.id)}, {"correlationId", ss(correlation)}});
    // Fixtures first (a fresh MPAN core each, bound as ${id.core}, ${id.gsp}, ${id.distributor}),
    // so pack and case variables may refer to them.
    for (const QString &id : m_case.fixtures) {
        const MpanFixture *f = pack.fixture(id);
        OJson coreSpec = f->core.is_null() ? OJson{{"generate", "mpan"}, {"distributor", ss(f->distributor)}} : f->core;
        MpanBinding b;
        b.core = valueText(m_values.evaluate(coreSpec));
        b.gsp = f->gsp;
        if (const PackParticipant *d = pack.participant(f->distributor))
            b.distributorDipId = d->dipId;
        m_fixtures.insert(id, b);
        if (m_firstFixture.isEmpty())
            m_firstFixture = id;
        m_result.mpans << b.core;
        m_values.bind(id, OJson{{"core", ss(b.core)}, {"gsp", ss(b.gsp)}, {"distributor", ss(b.distributorDipId)}});
    }
    for (const auto &[name, value] : pack.variables)
        m_values.bind(name, m_values.evaluate(value));
    for (const auto &[name, value] : m_case.vars)
        m_values.bind(name, m_values.evaluate(value));

    // Appointment history of the fixtures, then the first step.
    struct Row { QString mpan, role, dipId; qint64 fromMs; };
    QList<Row> rows;
    for (const QString &id : m_case.fixtures) {
        const MpanFixture *f = pack.fixture(id);
        for (const Appointment &a : f->appointments) {
            QString why;
            const qint64 from = instantOf(m_values.text(a.from), &why);
            if (!why.isEmpty()) {
                finish(Verdict::Error, QStringLiteral("%1: fixture %2 appointment from: %3").arg(a.pos.toString(), id, why));
                return;
            }
            rows << Row{m_fixtures[id].core, a.role, pack.participant(a.party)->dipId, from};
        }
    }
    auto pending = std::make_shared<int>(int(rows.size()));
    if (!rows.isEmpty() && !m_runner->emulator()) {
        finish(Verdict::Error, QStringLiteral("fixture appointments can only be set on the local emulator"));
        return;
    }
    if (rows.isEmpty()) {
        nextStep();
        return;
    }
    for (const Row &r : std::as_const(rows))
        m_runner->emulator()->appoint(r.mpan, r.role, r.dipId, r.fromMs, QStringLiteral("pack ") + pack.id,
                                      [this, pending](bool ok, const QString &error) {
                                          if (m_done)
                                              return;
                                          if (!ok) {
                                              finish(Verdict::Error, QStringLiteral("could not store the fixture appointments: ") + error);
                                              return;
                                          }
                                          if (--*pending == 0)
                                              nextStep();
                                      });
}

void CaseRun::abort(const QString &reason)
{
    if (m_done)
        return;
    if (m_index >= 0 && m_index < m_case.steps.size()) {
        m_step.verdict = Verdict::Error;
        m_step.detail = reason;
        m_step.endedMs = Clock::nowMs();
        m_result.steps << m_step;
        emit stepFinished(m_step);
    }
    finish(Verdict::Error, reason);
}

void CaseRun::finish(Verdict v, const QString &reason)
{
    if (m_done)
        return;
    m_done = true;
    m_poll.stop();
    m_caseTimer.stop();
    m_result.verdict = v;
    m_result.reason = reason;
    m_result.endedMs = Clock::nowMs();
    emit done(this);
}

void CaseRun::nextStep()
{
    if (m_done)
        return;
    ++m_index;
    if (m_index >= m_case.steps.size()) {
        finish(Verdict::Passed, {});
        return;
    }
    const Step &s = m_case.steps[m_index];
    m_step = StepResult{};
    m_step.index = m_index;
    m_step.kind = stepKindName(s.kind);
    m_step.label = s.label;
    m_step.where = s.pos.toString();
    m_step.startedMs = Clock::nowMs();
    runStep(s);
}

void CaseRun::stepPassed(const QString &detail)
{
    m_poll.stop();
    m_poll.disconnect();
    m_step.verdict = Verdict::Passed;
    m_step.detail = detail;
    m_step.endedMs = Clock::nowMs();
    m_result.steps << m_step;
    emit stepFinished(m_step);
    // Next step from the event loop, so a long case never recurses.
    QTimer::singleShot(0, this, &CaseRun::nextStep);
}

void CaseRun::stepFailed(const QString &detail, Verdict verdict)
{
    m_poll.stop();
    m_poll.disconnect();
    m_step.verdict = verdict;
    m_step.detail = detail;
    m_step.endedMs = Clock::nowMs();
    m_result.steps << m_step;
    emit stepFinished(m_step);
    finish(verdict, QStringLiteral("step %1 (%2, %3): %4").arg(m_index + 1).arg(m_step.kind, m_step.where, detail));
}

MpanBinding CaseRun::mpanFor(const QString &spec)
{
    if (spec.isEmpty())
        return m_fixtures.value(m_firstFixture);
    const QString v = m_values.text(spec);
    if (m_fixtures.contains(v))
        return m_fixtures.value(v);
    MpanBinding b;
    b.core = v;
    return b;
}

qint64 CaseRun::instantOf(const QString &text, QString *why)
{
    // A DT-003 date-time as written; a plain date is UK clock midnight (DOMAIN.md 9).
    if (const auto t = dt::parseDt003(text))
        return t->toMSecsSinceEpoch();
    if (const auto d = dt::parseDate(text))
        return dt::ukMidnightMs(*d);
    *why = QStringLiteral("'%1' is neither a date (YYYY-MM-DD) nor a 25-character date-time").arg(text);
    return 0;
}

void CaseRun::runStep(const Step &s)
{
    const PackSettings &settings = m_runner->pack().settings;
    switch (s.kind) {
    case Step::Kind::Send:
        m_lastSendStartMs = m_step.startedMs;
        doSend(s);
        return;
    case Step::Kind::Expect:
        m_deadlineMs = m_step.startedMs + (s.withinMs >= 0 ? s.withinMs : settings.deliveryWithinMs);
        connect(&m_poll, &QTimer::timeout, this, &CaseRun::pollExpect);
        m_poll.start();
        pollExpect();
        return;
    case Step::Kind::ExpectNothing:
        m_deadlineMs = m_step.startedMs + (s.withinMs >= 0 ? s.withinMs : settings.nothingWithinMs);
        connect(&m_poll, &QTimer::timeout, this, &CaseRun::pollNothing);
        m_poll.start();
        return;
    case Step::Kind::ExpectRejection:
        m_deadlineMs = m_step.startedMs + (s.withinMs >= 0 ? s.withinMs : settings.rejectionWithinMs);
        if (m_sendPending) {
            stepFailed(QStringLiteral("the send before it has no answer yet"), Verdict::Error);
            return;
        }
        connect(&m_poll, &QTimer::timeout, this, &CaseRun::pollRejection);
        m_poll.start();
        pollRejection();
        return;
    case Step::Kind::Wait:
        QTimer::singleShot(int(s.waitMs), this, [this, ms = s.waitMs] {
            if (!m_done)
                stepPassed(QStringLiteral("waited %1").arg(secondsText(ms)));
        });
        return;
    case Step::Kind::Appoint:
        doAppoint(s);
        return;
    case Step::Kind::CheckAppointment:
        doCheckAppointment(s);
        return;
    }
}

void CaseRun::doSend(const Step &s)
{
    const Pack &pack = m_runner->pack();
    BuildContext ctx;
    ctx.pack = &pack;
    ctx.catalogue = &m_runner->catalogue();
    ctx.schemas = m_runner->schemas();
    ctx.values = &m_values;
    ctx.mpan = m_fixtures.value(m_firstFixture);
    ctx.correlationId = qs(m_values.evaluate("${case.correlationId}").get<std::string>());
    ctx.fixture = [this](const QString &id) { return m_fixtures.value(id); };
    const BuiltMessage m = buildMessage(s.message, ctx);
    if (!m.problems.isEmpty()) {
        stepFailed(QStringLiteral("cannot build the message: ") + m.problems.join(QStringLiteral("; ")), Verdict::Error);
        return;
    }
    m_step.references << m.reference;
    OJson body = OJson::array();
    body.push_back(OJson{{"payload", m.payload}});
    dip::DipClient *client = m_runner->clientFor(m.senderDipId);
    if (!client) {
        stepFailed(QStringLiteral("no profile of the run speaks for the sender %1 on the remote DIP").arg(partyText(m.fromId)), Verdict::Error);
        return;
    }
    m_last = LastSend{};
    m_last.reference = m.reference;
    m_last.senderDipId = m.senderDipId;
    m_sendPending = true;
    const bool rejectionExpected = m_index + 1 < m_case.steps.size() && m_case.steps[m_index + 1].kind == Step::Kind::ExpectRejection;
    const QString what = QStringLiteral("%1 %2 from %3 to [%4], MPAN %5, %6")
                             .arg(m.channel, m.event, partyText(m.fromId), m.recipients.join(QStringLiteral(", ")),
                                  m.mpan.isEmpty() ? QStringLiteral("none") : m.mpan, m.reference);
    QPointer<CaseRun> self(this);
    client->send(m.channel, qb(body.dump()), [self, this, what, rejectionExpected](const http::ClientResponse &r) {
        if (!self || m_done)
            return;
        m_sendPending = false;
        m_last.httpStatus = r.status;
        m_last.error = r.error;
        try {
            const OJson resp = OJson::parse(r.body.constData(), r.body.constData() + r.body.size());
            for (const auto &item : resp.value("messageArray", OJson::array())) {
                m_last.messages << stringAt(item, "message");
                m_last.helps << stringAt(item, "help");
                const QString tx = stringAt(item, "transactionID");
                if (!tx.isEmpty())
                    m_last.transactionIds << tx;
            }
        } catch (const std::exception &) {
        }
        m_step.transactionIds = m_last.transactionIds;
        if (r.status == 0) {
            stepFailed(QStringLiteral("sent %1: no answer from the DIP (%2)").arg(what, r.error), Verdict::Error);
            return;
        }
        if (r.status == 201 || rejectionExpected) {
            stepPassed(QStringLiteral("sent %1: %2 %3").arg(what).arg(r.status).arg(m_last.messages.value(0)));
            return;
        }
        stepFailed(QStringLiteral("sent %1: expected 201, the DIP answered %2 %3 (%4)")
                       .arg(what)
                       .arg(r.status)
                       .arg(m_last.messages.value(0), m_last.helps.value(0)));
    });
}

void CaseRun::pollExpect()
{
    if (m_done)
        return;
    const Step &s = m_case.steps[m_index];
    const Pack &pack = m_runner->pack();
    const PackParticipant *to = pack.participant(s.to);
    const MpanBinding mpan = mpanFor(s.mpan);
    const qint64 now = Clock::nowMs();
    const bool last = now >= m_deadlineMs;
    QStringList near;
    for (const Seen &d : seenCopies(to->dipId, s.channel, s.event, mpan.core, m_result.startedMs, 200)) {
        if (m_consumed.contains(d.id))
            continue;
        const QStringList failed = failedAssertions(s.where, d.payload, m_values);
        if (!failed.isEmpty()) {
            near << QStringLiteral("%1 (%2 from %3): %4").arg(d.transactionId, d.eventCode, d.senderDipId, failed.join(QStringLiteral("; ")));
            continue;
        }
        const bool statusOk = s.status == QLatin1String("any") || d.status == s.status;
        if (!statusOk) {
            // A copy still on its way may yet reach the wanted status, until the time is up.
            const bool onItsWay = d.status == QLatin1String("Pending") || d.status == QLatin1String("Retrying");
            if (onItsWay && !last)
                continue;
            const QString http = d.lastHttpStatus ? QStringLiteral("HTTP %1").arg(d.lastHttpStatus) : QString();
            const QString why = d.lastError == http || d.lastError.isEmpty() ? http
                                : http.isEmpty()                            ? d.lastError
                                                                            : http + QStringLiteral(", ") + d.lastError;
            near << QStringLiteral("%1: delivery %2 after %3 attempt(s)%4")
                        .arg(d.transactionId, onItsWay ? QStringLiteral("still ") + d.status : d.status)
                        .arg(d.attempts)
                        .arg(why.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(why));
            continue;
        }
        const qint64 at = d.deliveredMs > 0 ? d.deliveredMs : d.createdMs;
        const qint64 took = at - m_step.startedMs;
        const qint64 within = m_deadlineMs - m_step.startedMs;
        m_consumed.insert(d.id);
        m_step.transactionIds << d.transactionId;
        if (took > within) {
            stepFailed(QStringLiteral("%1 %2 to %3 arrived after %4, later than %5 (%6)")
                           .arg(s.channel, d.eventCode, partyText(s.to), secondsText(took), secondsText(within), d.transactionId));
            return;
        }
        stepPassed(QStringLiteral("%1 %2 to %3: %4 after %5 (%6)")
                       .arg(QStringLiteral("PUB-") + s.channel.mid(3), d.eventCode, partyText(s.to), d.status, secondsText(std::max<qint64>(took, 0)),
                            d.transactionId));
        return;
    }
    if (!last)
        return;
    const QString wanted = QStringLiteral("expected PUB-%1%2 to %3 for MPAN %4 within %5")
                               .arg(s.channel.mid(3), s.event.isEmpty() ? QString() : QLatin1Char(' ') + s.event, partyText(s.to),
                                    mpan.core, secondsText(m_deadlineMs - m_step.startedMs));
    if (near.isEmpty())
        stepFailed(wanted + QStringLiteral(": none arrived") + traceOf(mpan.core));
    else
        stepFailed(wanted + QStringLiteral(": %1 arrived but none matched: %2").arg(near.size()).arg(near.join(QStringLiteral(" | "))));
}

QString CaseRun::traceOf(const QString &mpan) const
{
    // When nothing came, the tester needs to see how far the flow got: every copy the DIP made for
    // the MPAN since the case began, and what the simulated parties reported as going wrong.
    QStringList seen;
    for (const Seen &d : seenCopies({}, {}, {}, mpan, m_result.startedMs, 12))
        seen << QStringLiteral("%1 %2 from %3 to %4 %5 at +%6")
                    .arg(d.publicationId, d.eventCode, d.senderDipId, d.recipientDipId, d.status,
                         secondsText((d.deliveredMs > 0 ? d.deliveredMs : d.createdMs) - m_result.startedMs));
    QStringList problems, lately;
    for (const QString &line : m_result.log) {
        if (line.startsWith(QLatin1String("PROBLEM ")))
            problems << line.mid(8);
        else
            lately << line;
    }
    QString text;
    if (!seen.isEmpty())
        text += QStringLiteral("; the DIP published for this MPAN: ") + seen.join(QStringLiteral(", "));
    else if (!mpan.isEmpty())
        text += QStringLiteral("; the DIP published nothing for this MPAN since the case began");
    if (!problems.isEmpty())
        text += QStringLiteral("; problems: ") + problems.join(QStringLiteral(" | "));
    if (!lately.isEmpty())
        text += QStringLiteral("; the simulated parties last: ") + lately.mid(std::max<qsizetype>(0, lately.size() - 4)).join(QStringLiteral(" | "));
    return text;
}

void CaseRun::pollNothing()
{
    if (m_done)
        return;
    const Step &s = m_case.steps[m_index];
    const PackParticipant *to = m_runner->pack().participant(s.to);
    // Copies of the message just sent count: watch from the last send, not from this step.
    const qint64 from = m_lastSendStartMs > 0 ? m_lastSendStartMs : m_result.startedMs;
    for (const Seen &d : seenCopies(to->dipId, s.channel, s.event, mpanFor(s.mpan).core, from, 200)) {
        if (m_consumed.contains(d.id))
            continue;
        if (!failedAssertions(s.where, d.payload, m_values).isEmpty())
            continue;
        stepFailed(QStringLiteral("expected no PUB-%1 to %2 within %3, but %4 %5 from %6 was routed to it (%7)")
                       .arg(s.channel.mid(3), partyText(s.to), secondsText(m_deadlineMs - m_step.startedMs), d.channel, d.eventCode,
                            d.senderDipId, d.reason + QStringLiteral(", ") + d.transactionId));
        return;
    }
    if (Clock::nowMs() >= m_deadlineMs)
        stepPassed(QStringLiteral("no PUB-%1 to %2 within %3").arg(s.channel.mid(3), partyText(s.to), secondsText(m_deadlineMs - m_step.startedMs)));
}

void CaseRun::pollRejection()
{
    if (m_done)
        return;
    const Step &s = m_case.steps[m_index];
    const QString answered = QStringLiteral("%1 %2").arg(m_last.httpStatus).arg(m_last.messages.join(QStringLiteral("; ")));
    if (s.code.startsWith(QLatin1String("HTTP"))) {
        if (QString::number(m_last.httpStatus) == s.code.mid(4))
            stepPassed(QStringLiteral("the DIP answered %1").arg(m_last.httpStatus));
        else
            stepFailed(QStringLiteral("expected HTTP %1, the DIP answered %2").arg(s.code.mid(4), answered));
        return;
    }
    if (m_last.httpStatus != 201) {
        for (int i = 0; i < m_last.messages.size(); ++i)
            if (m_last.messages[i].startsWith(s.code)) {
                stepPassed(QStringLiteral("rejected as expected: %1 (%2)").arg(m_last.messages[i], m_last.helps.value(i)));
                return;
            }
        stepFailed(QStringLiteral("expected a rejection with %1, the DIP answered %2 (%3)").arg(s.code, answered, m_last.helps.join(QStringLiteral("; "))));
        return;
    }
    // Accepted at L1: an L2 code comes as a status message to the sender (DOMAIN.md 4).
    QStringList seen;
    if (l2StatusSeen(s.code, &seen))
        return;
    if (Clock::nowMs() < m_deadlineMs)
        return;
    stepFailed(seen.isEmpty()
                   ? QStringLiteral("expected %1, but the DIP accepted the message (201 %2) and sent no status message within %3")
                         .arg(s.code, m_last.messages.value(0), secondsText(m_deadlineMs - m_step.startedMs))
                   : QStringLiteral("expected %1, the status messages said: %2").arg(s.code, seen.join(QStringLiteral(" | "))));
}

QList<CaseRun::Seen> CaseRun::seenCopies(const QString &recipientDipId, const QString &channel, const QString &event,
                                        const QString &mpan, qint64 fromMs, int limit) const
{
    QList<Seen> out;
    if (!m_runner->remote()) {
        store::PublicationQuery q;
        q.recipientDipId = recipientDipId;
        q.channel = channel;
        q.eventCode = event;
        q.mpan = mpan;
        q.fromMs = fromMs;
        q.limit = limit;
        for (const auto &[d, msg] : m_runner->store()->publications(q)) {
            Seen c;
            c.id = d.id;
            c.transactionId = d.transactionId;
            c.publicationId = d.publicationId;
            c.channel = msg.channel;
            c.eventCode = msg.eventCode;
            c.senderDipId = msg.senderDipId;
            c.recipientDipId = d.recipientDipId;
            c.reason = d.reason;
            c.status = d.status;
            c.lastError = d.lastError;
            c.attempts = d.attempts;
            c.lastHttpStatus = d.lastHttpStatus;
            c.createdMs = d.createdMs;
            c.deliveredMs = d.deliveredMs;
            c.payload = payloadOf(msg.payload);
            out << c;
        }
        return out;
    }
    // A remote DIP's copies are what reached the run's receiver: delivered, unless the receiver
    // refused the signature.
    for (const Received &r : m_runner->received()) {
        if (r.statusMessage || r.atMs < fromMs || (!recipientDipId.isEmpty() && r.toDipId != recipientDipId)
            || (!channel.isEmpty() && r.channel != channel) || (!event.isEmpty() && r.event != event)
            || (!mpan.isEmpty() && r.mpan != mpan))
            continue;
        Seen c;
        c.id = -r.key; // never a delivery id
        c.transactionId = r.transactionId;
        c.publicationId = r.publicationId;
        c.channel = r.channel;
        c.eventCode = r.event;
        c.senderDipId = r.senderDipId;
        c.recipientDipId = r.toDipId;
        c.reason = QStringLiteral("received");
        c.status = r.httpStatus == 201 ? QStringLiteral("Delivered") : QStringLiteral("Rejected");
        c.lastError = r.httpStatus == 201 ? QString() : r.signature;
        c.attempts = 1;
        c.lastHttpStatus = r.httpStatus;
        c.createdMs = c.deliveredMs = r.atMs;
        c.payload = r.payload;
        out << c;
        if (out.size() >= limit)
            break;
    }
    return out;
}

bool CaseRun::l2StatusSeen(const QString &code, QStringList *seen)
{
    const auto matched = [&](const QString &tx) {
        m_step.transactionIds << tx;
        stepPassed(QStringLiteral("accepted (201), then the status message %1 reported %2").arg(tx, code));
        return true;
    };
    if (m_runner->remote()) {
        for (const Received &r : m_runner->received()) {
            if (!r.statusMessage || r.toDipId != m_last.senderDipId || r.atMs < m_lastSendStartMs)
                continue;
            const bool ours = std::any_of(m_last.transactionIds.cbegin(), m_last.transactionIds.cend(),
                                          [&](const QString &tx) { return r.body.contains(tx.toUtf8()); });
            if (!ours)
                continue;
            if (r.body.contains(code.toUtf8()))
                return matched(m_last.transactionIds.value(0));
            *seen << QString::fromUtf8(r.body.left(200));
        }
        return false;
    }
    store::Store *store = m_runner->store();
    for (const QString &tx : std::as_const(m_last.transactionIds)) {
        const auto msg = store->messageByTransactionId(tx);
        if (!msg)
            continue;
        for (const auto &d : store->deliveriesOfMessage(msg->id)) {
            if (d.kind != store::DeliveryRecord::Kind::StatusMessage)
                continue;
            const auto full = store->delivery(d.id);
            const QByteArray body = full ? full->body : QByteArray();
            if (body.contains(code.toUtf8()))
                return matched(d.transactionId);
            *seen << QString::fromUtf8(body.left(200));
        }
    }
    return false;
}

void CaseRun::doAppoint(const Step &s)
{
    const MpanBinding mpan = mpanFor(s.mpan);
    QString why;
    const qint64 from = instantOf(m_values.text(s.date), &why);
    if (!why.isEmpty()) {
        stepFailed(QStringLiteral("from: ") + why, Verdict::Error);
        return;
    }
    const PackParticipant *party = m_runner->pack().participant(s.party);
    if (!m_runner->emulator()) {
        stepFailed(QStringLiteral("appointments can only be set on the local emulator"), Verdict::Error);
        return;
    }
    QPointer<CaseRun> self(this);
    m_runner->emulator()->appoint(mpan.core, s.role, party->dipId, from, QStringLiteral("pack ") + m_runner->pack().id,
                                  [self, this, mpan, s, from](bool ok, const QString &error) {
                                      if (!self || m_done)
                                          return;
                                      if (!ok)
                                          stepFailed(QStringLiteral("could not store the appointment: ") + error, Verdict::Error);
                                      else
                                          stepPassed(QStringLiteral("%1 appointed %2 for MPAN %3 from %4")
                                                         .arg(partyText(s.party), s.role, mpan.core, dt::humanBoth(from)));
                                  });
}

void CaseRun::doCheckAppointment(const Step &s)
{
    const MpanBinding mpan = mpanFor(s.mpan);
    QString why;
    const qint64 at = instantOf(m_values.text(s.date), &why);
    if (!why.isEmpty()) {
        stepFailed(QStringLiteral("at: ") + why, Verdict::Error);
        return;
    }
    if (!m_runner->emulator()) {
        stepFailed(QStringLiteral("appointments can only be read on the local emulator"), Verdict::Error);
        return;
    }
    const auto row = m_runner->emulator()->context().appointments.at(mpan.core, s.role, at);
    const QString expected = s.party == QLatin1String("none") ? QString() : m_runner->pack().participant(s.party)->dipId;
    const QString actual = row ? row->dipId : QString();
    const QString when = dt::humanBoth(at);
    if (actual == expected) {
        stepPassed(expected.isEmpty() ? QStringLiteral("nobody holds %1 for MPAN %2 at %3").arg(s.role, mpan.core, when)
                                      : QStringLiteral("%1 holds %2 for MPAN %3 at %4").arg(partyText(s.party), s.role, mpan.core, when));
        return;
    }
    const PackParticipant *holder = m_runner->pack().participantByDipId(actual);
    stepFailed(QStringLiteral("expected %1 to hold %2 for MPAN %3 at %4, but %5")
                   .arg(expected.isEmpty() ? QStringLiteral("nobody") : partyText(s.party), s.role, mpan.core, when,
                        actual.isEmpty() ? QStringLiteral("nobody does")
                                         : (holder ? partyText(holder->id) : actual) + QStringLiteral(" does (from %1)").arg(dt::humanBoth(row->fromMs))));
}

} // namespace dipwb::scenario
