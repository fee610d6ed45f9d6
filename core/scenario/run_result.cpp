// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/run_result.h"

#include "common/dip_time.h"

#include <QMap>
#include <QXmlStreamWriter>

namespace dipwb::scenario {

QString verdictName(Verdict v)
{
    switch (v) {
    case Verdict::Passed: return QStringLiteral("passed");
    case Verdict::Failed: return QStringLiteral("failed");
    case Verdict::Error: return QStringLiteral("error");
    case Verdict::Skipped: return QStringLiteral("skipped");
    }
    return {};
}

int RunResult::count(Verdict v) const
{
    int n = 0;
    for (const auto &c : cases)
        n += c.verdict == v ? 1 : 0;
    return n;
}

namespace {


QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', 3);
}

} // namespace

OJson RunResult::toJson() const
{
    OJson j = OJson::object();
    j["runId"] = runId;
    j["pack"] = {{"id", ss(packId)}, {"title", ss(packTitle)}, {"version", ss(packVersion)}, {"stage", ss(stage)},
                 {"environment", ss(environment)}, {"catalogue", ss(catalogue)}};
    j["selfTest"] = selfTest;
    j["dip"] = ss(dipUrl);
    j["startedUtc"] = ss(dt::formatDt003Utc(startedMs));
    j["endedUtc"] = ss(dt::formatDt003Utc(endedMs));
    j["summary"] = {{"passed", count(Verdict::Passed)}, {"failed", count(Verdict::Failed)},
                    {"error", count(Verdict::Error)},   {"skipped", count(Verdict::Skipped)}};
    if (!setupError.isEmpty())
        j["setupError"] = ss(setupError);
    OJson cs = OJson::array();
    for (const auto &c : cases) {
        OJson cj = {{"id", ss(c.id)},       {"title", ss(c.title)},   {"scenario", ss(c.scenarioId)},
                    {"requirements", jsonStrings(c.requirements)},        {"verdict", ss(verdictName(c.verdict))},
                    {"reason", ss(c.reason)}, {"startedMs", c.startedMs}, {"endedMs", c.endedMs},
                    {"mpans", jsonStrings(c.mpans)}, {"log", jsonStrings(c.log)}};
        OJson steps = OJson::array();
        for (const auto &s : c.steps)
            steps.push_back({{"index", s.index},          {"kind", ss(s.kind)},           {"label", ss(s.label)},
                             {"where", ss(s.where)},      {"verdict", ss(verdictName(s.verdict))}, {"detail", ss(s.detail)},
                             {"startedMs", s.startedMs},  {"endedMs", s.endedMs},
                             {"transactionIds", jsonStrings(s.transactionIds)}, {"references", jsonStrings(s.references)}});
        cj["steps"] = steps;
        cs.push_back(cj);
    }
    j["cases"] = cs;
    return j;
}

QByteArray junitXml(const RunResult &run)
{
    QByteArray out;
    QXmlStreamWriter w(&out);
    w.setAutoFormatting(true);
    w.writeStartDocument();
    w.writeStartElement(QStringLiteral("testsuites"));
    w.writeAttribute(QStringLiteral("name"), run.packId + QLatin1Char(' ') + run.packVersion);
    w.writeAttribute(QStringLiteral("tests"), QString::number(run.cases.size()));
    w.writeAttribute(QStringLiteral("failures"), QString::number(run.count(Verdict::Failed)));
    w.writeAttribute(QStringLiteral("errors"), QString::number(run.count(Verdict::Error)));
    w.writeAttribute(QStringLiteral("time"), seconds(run.endedMs - run.startedMs));
    QMap<QString, QList<const CaseResult *>> byScenario;
    QStringList order;
    for (const auto &c : run.cases) {
        if (!byScenario.contains(c.scenarioId))
            order << c.scenarioId;
        byScenario[c.scenarioId] << &c;
    }
    int suiteId = 0;
    for (const QString &scenario : std::as_const(order)) {
        const auto &cases = byScenario[scenario];
        int failures = 0, errors = 0, skipped = 0;
        qint64 ms = 0;
        for (const auto *c : cases) {
            failures += c->verdict == Verdict::Failed;
            errors += c->verdict == Verdict::Error;
            skipped += c->verdict == Verdict::Skipped;
            ms += c->endedMs - c->startedMs;
        }
        w.writeStartElement(QStringLiteral("testsuite"));
        w.writeAttribute(QStringLiteral("name"), run.packId + QLatin1Char('.') + scenario);
        w.writeAttribute(QStringLiteral("tests"), QString::number(cases.size()));
        w.writeAttribute(QStringLiteral("failures"), QString::number(failures));
        w.writeAttribute(QStringLiteral("errors"), QString::number(errors));
        w.writeAttribute(QStringLiteral("skipped"), QString::number(skipped));
        w.writeAttribute(QStringLiteral("time"), seconds(ms));
        w.writeAttribute(QStringLiteral("timestamp"), dt::formatIsoMsZ(run.startedMs).left(19));
        w.writeAttribute(QStringLiteral("hostname"), QStringLiteral("localhost"));
        w.writeAttribute(QStringLiteral("id"), QString::number(suiteId++));
        w.writeAttribute(QStringLiteral("package"), run.packId);
        w.writeStartElement(QStringLiteral("properties"));
        const auto prop = [&](const QString &name, const QString &value) {
            w.writeStartElement(QStringLiteral("property"));
            w.writeAttribute(QStringLiteral("name"), name);
            w.writeAttribute(QStringLiteral("value"), value);
            w.writeEndElement();
        };
        prop(QStringLiteral("pack.id"), run.packId);
        prop(QStringLiteral("pack.version"), run.packVersion);
        prop(QStringLiteral("pack.stage"), run.stage);
        prop(QStringLiteral("environment"), run.environment);
        prop(QStringLiteral("catalogue"), run.catalogue);
        prop(QStringLiteral("selfTest"), run.selfTest ? QStringLiteral("true") : QStringLiteral("false"));
        for (const auto *c : cases)
            prop(c->id + QStringLiteral(".requirements"), c->requirements.join(QLatin1Char(' ')));
        w.writeEndElement();
        for (const auto *c : cases) {
            w.writeStartElement(QStringLiteral("testcase"));
            w.writeAttribute(QStringLiteral("name"), c->id + QStringLiteral(" ") + c->title);
            w.writeAttribute(QStringLiteral("classname"), run.packId + QLatin1Char('.') + scenario);
            w.writeAttribute(QStringLiteral("time"), seconds(c->endedMs - c->startedMs));
            QStringList lines;
            for (const auto &s : c->steps)
                lines << QStringLiteral("[%1] step %2 %3 (%4): %5").arg(verdictName(s.verdict)).arg(s.index + 1).arg(s.kind, s.where, s.detail);
            if (c->verdict == Verdict::Failed || c->verdict == Verdict::Error) {
                w.writeStartElement(c->verdict == Verdict::Failed ? QStringLiteral("failure") : QStringLiteral("error"));
                w.writeAttribute(QStringLiteral("message"), c->reason);
                w.writeAttribute(QStringLiteral("type"), c->verdict == Verdict::Failed ? QStringLiteral("assertion") : QStringLiteral("error"));
                w.writeCharacters(lines.join(QLatin1Char('\n')));
                w.writeEndElement();
            } else if (c->verdict == Verdict::Skipped) {
                w.writeEmptyElement(QStringLiteral("skipped"));
            }
            w.writeTextElement(QStringLiteral("system-out"),
                               QStringLiteral("requirements: %1\n").arg(c->requirements.join(QStringLiteral(", "))) + lines.join(QLatin1Char('\n'))
                                   + (c->log.isEmpty() ? QString() : QStringLiteral("\n") + c->log.join(QLatin1Char('\n'))));
            w.writeEndElement();
        }
        w.writeTextElement(QStringLiteral("system-out"), QString());
        w.writeTextElement(QStringLiteral("system-err"), QString());
        w.writeEndElement();
    }
    w.writeEndElement();
    w.writeEndDocument();
    return out;
}

QString summaryText(const RunResult &run)
{
    QString s;
    s += QStringLiteral("Pack %1 %2 (%3, %4, catalogue %5)%6\n")
             .arg(run.packId, run.packVersion, run.stage, run.environment, run.catalogue,
                  run.selfTest ? QStringLiteral(", self-test") : QString());
    if (!run.setupError.isEmpty())
        return s + QStringLiteral("Could not run: %1\n").arg(run.setupError);
    for (const auto &c : run.cases) {
        if (c.verdict == Verdict::Skipped && c.startedMs == 0 && c.reason == QLatin1String("not selected"))
            continue;
        s += QStringLiteral("  %1  %2  %3 (%4 s)\n")
                 .arg(verdictName(c.verdict).toUpper().leftJustified(7), c.id, c.title, seconds(c.endedMs - c.startedMs));
        if (c.verdict == Verdict::Failed || c.verdict == Verdict::Error || (c.verdict == Verdict::Skipped && !c.reason.isEmpty()))
            s += QStringLiteral("           %1\n").arg(c.reason);
    }
    s += QStringLiteral("%1 passed, %2 failed, %3 errors, %4 skipped in %5 s")
             .arg(run.count(Verdict::Passed))
             .arg(run.count(Verdict::Failed))
             .arg(run.count(Verdict::Error))
             .arg(run.count(Verdict::Skipped))
             .arg(seconds(run.endedMs - run.startedMs));
    if (run.runId)
        s += QStringLiteral("; stored as run %1").arg(run.runId);
    return s + QLatin1Char('\n');
}

} // namespace dipwb::scenario
