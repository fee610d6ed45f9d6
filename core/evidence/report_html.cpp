// SPDX-License-Identifier: GPL-3.0-or-later
#include "evidence/report_html.h"

#include "common/dip_time.h"
#include "evidence/evidence_json.h"

#include <algorithm>

namespace dipwb::evidence {

namespace {

// Tables, classes and colours only: QTextDocument ignores most layout CSS, and a browser shows
// this the same way.
constexpr char kStyle[] = R"CSS(
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10pt; color: #1a1a1a; }
h1 { font-size: 20pt; color: #0d3b66; margin-bottom: 2pt; }
h2 { font-size: 14pt; color: #0d3b66; margin-top: 16pt; border-bottom: 1px solid #0d3b66; }
h3 { font-size: 11pt; margin-top: 12pt; }
table { border-collapse: collapse; margin-top: 4pt; }
th { background-color: #e6ecf2; text-align: left; font-weight: bold; }
th, td { border: 1px solid #b8c4ce; padding: 3px; vertical-align: top; }
td.k { background-color: #f3f6f9; font-weight: bold; }
.passed { color: #1b5e20; font-weight: bold; }
.failed { color: #b71c1c; font-weight: bold; }
.error { color: #e65100; font-weight: bold; }
.skipped { color: #616161; font-weight: bold; }
.mono { font-family: 'DejaVu Sans Mono', monospace; font-size: 8pt; }
.small { font-size: 8pt; color: #444444; }
.reason { color: #b71c1c; }
)CSS";

QString h(const QString &s)
{
    return s.toHtmlEscaped();
}

QString verdictSpan(const QString &verdict)
{
    return QStringLiteral("<span class=\"%1\">%2</span>").arg(h(verdict), h(verdict.toUpper()));
}

QString both(qint64 ms)
{
    return ms ? h(dt::formatDt003Utc(ms)) + QStringLiteral("<br/>") + h(dt::formatDt003London(ms)) + QStringLiteral(" (Europe/London)")
              : QStringLiteral("-");
}

// "/home/x/packs/sit/pack.yaml:42" -> "pack.yaml:42": the pack's own name for the place, not the host's.
QString packRelative(const QString &where)
{
    return where.mid(where.lastIndexOf(QLatin1Char('/')) + 1);
}

QString messageLinks(const QList<int> &numbers)
{
    QStringList l;
    for (int n : numbers)
        l << QStringLiteral("<a href=\"#msg-%1\">M%1</a>").arg(n);
    return l.join(QStringLiteral(", "));
}

QString row(const QString &key, const QString &valueHtml)
{
    return QStringLiteral("<tr><td class=\"k\">%1</td><td>%2</td></tr>\n").arg(h(key), valueHtml);
}

QString cover(const EvidenceData &e)
{
    const auto &r = e.run;
    QString s;
    if (e.selection.isSelection) {
        s = QStringLiteral("<h1>Evidence report: message selection</h1>\n<p class=\"small\">%1, generated %2</p>\n")
                .arg(h(e.selection.description), h(dt::formatDt003Utc(e.generatedMs)));
        s += QStringLiteral("<table width=\"100%\" cellpadding=\"3\">\n");
        s += row(QStringLiteral("Selection"), h(e.selection.description));
        s += row(QStringLiteral("Verdict per message"), QStringLiteral("passed when every copy was delivered; failed otherwise, with each undelivered copy"));
        s += row(QStringLiteral("Environment tag"), h(r.environment));
    } else {
        s = QStringLiteral("<h1>Evidence report: %1</h1>\n<p class=\"small\">Run %2 of pack %3 %4, generated %5</p>\n")
                .arg(h(r.packTitle.isEmpty() ? r.packId : r.packTitle))
                .arg(r.runId)
                .arg(h(r.packId), h(r.packVersion), h(dt::formatDt003Utc(e.generatedMs)));
        s += QStringLiteral("<table width=\"100%\" cellpadding=\"3\">\n");
        s += row(QStringLiteral("Pack"), h(r.packId) + QStringLiteral(" version ") + h(r.packVersion));
        s += row(QStringLiteral("Stage"), h(r.stage));
        s += row(QStringLiteral("Catalogue / specification"), h(r.catalogue));
        s += row(QStringLiteral("Environment tag"), h(r.environment));
        // A pack whose every party the workbench plays has no system under test to speak of.
        const bool anyUnderTest = std::any_of(e.participants.cbegin(), e.participants.cend(),
                                              [](const auto &p) { return p.underTest; });
        s += row(QStringLiteral("Mode"), r.selfTest  ? QStringLiteral("self-test (parties under test played by their stand-ins)")
                                         : anyUnderTest ? QStringLiteral("against the systems under test")
                                                        : QStringLiteral("every party simulated by the workbench (no system under test)"));
        s += row(QStringLiteral("DIP"), h(r.dipUrl));
    }
    s += row(QStringLiteral("Workbench"), QStringLiteral("DIP Workbench ") + h(e.workbenchVersion));
    s += row(QStringLiteral("Host"), h(e.host));
    s += row(QStringLiteral("Started"), both(r.startedMs));
    s += row(QStringLiteral("Ended"), both(r.endedMs));
    s += row(e.selection.isSelection ? QStringLiteral("Journal head (last row about the selection)") : QStringLiteral("Journal head at the end of the run"), QStringLiteral("<span class=\"mono\">%1</span>").arg(h(e.runJournalHead)));
    s += QStringLiteral("</table>\n<h3>Participants</h3>\n<table width=\"100%\" cellpadding=\"3\">\n"
                        "<tr><th>DIP id</th><th>Role</th><th>Name</th><th>Under test</th><th>Certificate SHA-256 (workspace CA)</th></tr>\n");
    for (const auto &p : e.participants)
        s += QStringLiteral("<tr><td class=\"mono\">%1</td><td>%2</td><td>%3</td><td>%4</td><td class=\"mono\">%5</td></tr>\n")
                 .arg(h(p.dipId), h(p.role), h(p.name), p.underTest ? QStringLiteral("yes") : QStringLiteral("no"),
                      p.certificateSha256.isEmpty() ? QStringLiteral("none issued") : h(QString::fromLatin1(p.certificateSha256)));
    return s + QStringLiteral("</table>\n");
}

QString summary(const EvidenceData &e)
{
    using scenario::Verdict;
    const auto &r = e.run;
    QString s = QStringLiteral("<h2>Summary</h2>\n");
    if (!r.setupError.isEmpty())
        s += QStringLiteral("<p class=\"reason\">The run could not start: %1</p>\n").arg(h(r.setupError));
    s += QStringLiteral("<table cellpadding=\"6\"><tr><th>Passed</th><th>Failed</th><th>Errored</th><th>Skipped</th><th>Overall</th></tr>\n"
                        "<tr><td class=\"passed\">%1</td><td class=\"failed\">%2</td><td class=\"error\">%3</td><td class=\"skipped\">%4</td><td>%5</td></tr></table>\n")
             .arg(r.count(Verdict::Passed))
             .arg(r.count(Verdict::Failed))
             .arg(r.count(Verdict::Error))
             .arg(r.count(Verdict::Skipped))
             .arg(verdictSpan(r.allPassed() ? QStringLiteral("passed") : QStringLiteral("failed")));
    return s;
}

QString traceability(const EvidenceData &e)
{
    QString s = QStringLiteral("<h2>Traceability matrix</h2>\n<p class=\"small\">Requirement, the test cases that cover it, their steps, "
                               "the messages each step sent or matched (sender unique references, transaction ids; M<i>n</i> links to the "
                               "appendix) and the verdict.</p>\n<table width=\"100%\" cellpadding=\"3\">\n"
                               "<tr><th width=\"16%\">Requirement</th><th width=\"15%\">Test case</th><th width=\"15%\">Step</th><th width=\"40%\">Messages</th><th width=\"14%\">Verdict</th></tr>\n");
    QString last;
    for (const auto &t : e.traceability()) {
        QString ids;
        for (const QString &r : t.references)
            ids += h(r) + QStringLiteral("<br/>");
        for (const QString &x : t.transactionIds)
            ids += h(x) + QStringLiteral("<br/>");
        s += QStringLiteral("<tr><td>%1</td><td><a href=\"#case-%2\">%2</a></td><td>%3</td><td><span class=\"mono\">%4</span>%5</td><td>%6</td></tr>\n")
                 .arg(t.requirement == last ? QString() : QStringLiteral("<b>%1</b>").arg(h(t.requirement)), h(t.caseId),
                      t.step < 0 ? QStringLiteral("-") : QStringLiteral("%1 %2").arg(t.step + 1).arg(h(t.stepKind)), ids,
                      messageLinks(t.messageNumbers), verdictSpan(t.verdict));
        last = t.requirement;
    }
    return s + QStringLiteral("</table>\n");
}

QString nfr(const EvidenceData &e, const ReportImages &images)
{
    const auto &l = e.latency;
    QString s = QStringLiteral("<h2>Delivery figures</h2>\n");
    s += QStringLiteral("<table cellpadding=\"3\">\n");
    s += row(QStringLiteral("Copies delivered"), QString::number(l.latenciesMs.size()));
    s += row(QStringLiteral("Copies never delivered"), QString::number(l.undelivered));
    s += row(QStringLiteral("Latency p50 / p95 / p99 / max"), QStringLiteral("%1 / %2 / %3 / %4 ms").arg(l.p50).arg(l.p95).arg(l.p99).arg(l.max));
    s += row(QStringLiteral("Within %1 s (target 90 %)").arg(double(l.target90Ms) / 1000.0), QStringLiteral("%1 %").arg(l.within3s * 100.0, 0, 'f', 1));
    s += row(QStringLiteral("Within %1 s (target 100 %)").arg(double(l.target100Ms) / 1000.0), QStringLiteral("%1 %").arg(l.within30s * 100.0, 0, 'f', 1));
    const bool meets = l.latenciesMs.isEmpty() || (l.within3s >= 0.9 && l.within30s >= 1.0 && l.undelivered == 0);
    s += row(QStringLiteral("Delivery target"), verdictSpan(meets ? QStringLiteral("passed") : QStringLiteral("failed")));
    s += QStringLiteral("</table>\n");
    if (!images.latency.isEmpty())
        s += QStringLiteral("<p><img src=\"%1\" width=\"%2\" height=\"%3\" alt=\"Delivery latency distribution\"/></p>\n")
                 .arg(images.latency)
                 .arg(images.width)
                 .arg(images.width * 600 / 1280);
    if (!images.volume.isEmpty())
        s += QStringLiteral("<p><img src=\"%1\" width=\"%2\" height=\"%3\" alt=\"Messages over time\"/></p>\n")
                 .arg(images.volume)
                 .arg(images.width)
                 .arg(images.width * 480 / 1280);
    return s;
}

QString cases(const EvidenceData &e)
{
    QString s = QStringLiteral("<h2>Test cases</h2>\n");
    for (const auto &c : e.run.cases) {
        s += QStringLiteral("<h3><a name=\"case-%1\" id=\"case-%1\"></a>%1 %2 - %3</h3>\n").arg(h(c.id), h(c.title), verdictSpan(scenario::verdictName(c.verdict)));
        s += QStringLiteral("<p class=\"small\">Scenario %1; requirements %2; MPANs %3; %4 to %5</p>\n")
                 .arg(h(c.scenarioId), h(c.requirements.join(QStringLiteral(", "))), h(c.mpans.join(QStringLiteral(", "))),
                      c.startedMs ? h(dt::formatIsoMsZ(c.startedMs)) : QStringLiteral("-"), c.endedMs ? h(dt::formatIsoMsZ(c.endedMs)) : QStringLiteral("-"));
        if (!c.reason.isEmpty() && c.verdict != scenario::Verdict::Passed)
            s += QStringLiteral("<p class=\"reason\"><b>Reason:</b> %1</p>\n").arg(h(c.reason));
        if (c.steps.isEmpty())
            continue;
        s += QStringLiteral("<table width=\"100%\" cellpadding=\"3\">\n<tr><th width=\"3%\">#</th><th width=\"7%\">+ms</th><th width=\"13%\">Step</th><th width=\"13%\">Verdict</th><th width=\"54%\">What happened</th><th width=\"10%\">Msgs</th></tr>\n");
        for (const auto &st : c.steps) {
            QList<int> numbers;
            QString excerpt;
            for (const QString &k : st.references + st.transactionIds) {
                const int n = e.messageNumberOf(k);
                if (n > 0 && !numbers.contains(n)) {
                    numbers << n;
                    const auto &m = e.messages.at(n - 1);
                    if (!m.messages.isEmpty())
                        excerpt += QStringLiteral("<br/><span class=\"mono\">M%1 %2 %3: %4</span>")
                                       .arg(n)
                                       .arg(h(m.messages.first().channel), h(m.messages.first().eventCode), h(messageExcerpt(m.messages.first().payload, 120)));
                }
            }
            s += QStringLiteral("<tr><td>%1</td><td>+%2</td><td>%3%4<br/><span class=\"small\">%5</span></td><td>%6</td><td>%7%8</td><td>%9</td></tr>\n")
                     .arg(st.index + 1)
                     .arg(c.startedMs && st.startedMs ? st.startedMs - c.startedMs : 0)
                     .arg(h(st.kind), st.label.isEmpty() ? QString() : QStringLiteral(" ") + h(st.label), h(packRelative(st.where)),
                          verdictSpan(scenario::verdictName(st.verdict)), h(st.detail), excerpt, messageLinks(numbers));
        }
        s += QStringLiteral("</table>\n");
    }
    return s;
}

QString appendix(const EvidenceData &e)
{
    QString s = QStringLiteral("<h2>Appendix: messages involved</h2>\n<p class=\"small\">Every request the run's steps named, as the DIP received it, "
                               "and each copy it delivered. The evidence bundle holds their exact bodies.</p>\n"
                               "<table width=\"100%\" cellpadding=\"3\">\n<tr><th width=\"6%\">#</th><th width=\"15%\">Received</th><th width=\"22%\">Message</th><th width=\"22%\">Ids</th><th width=\"24%\">Copies</th><th width=\"11%\">Cases</th></tr>\n");
    for (const auto &m : e.messages) {
        QString what, ids, copies;
        if (m.messages.isEmpty()) {
            what = QStringLiteral("%1 %2<br/><span class=\"failed\">rejected: HTTP %3 %4</span>").arg(h(m.request.method), h(m.request.path)).arg(m.request.httpStatus).arg(h(m.request.outcome));
        }
        for (const auto &r : m.messages) {
            what += QStringLiteral("%1 %2<br/><span class=\"small\">from %3 (%4), MPAN %5<br/>%6</span><br/>")
                        .arg(h(r.channel), h(r.eventCode), h(r.senderDipId), h(r.senderRole), h(r.mpan.isEmpty() ? QStringLiteral("-") : r.mpan), h(r.routing));
            ids += QStringLiteral("%1<br/>%2<br/>").arg(h(r.senderUniqueReference), h(r.transactionId));
        }
        for (const auto &d : m.deliveries) {
            const qint64 received = m.messages.isEmpty() ? m.request.receivedMs : m.messages.first().receivedMs;
            copies += QStringLiteral("%1 %2 %3: %4%5<br/>")
                          .arg(h(d.reason), h(d.recipientDipId), h(d.transactionId), h(d.status),
                               d.deliveredMs ? QStringLiteral(" in %1 ms").arg(d.deliveredMs - received) : QString());
        }
        s += QStringLiteral("<tr><td><a name=\"msg-%1\" id=\"msg-%1\"></a>M%1</td><td>%2</td><td>%3</td><td class=\"mono\">%4</td><td class=\"mono\">%5</td><td>%6</td></tr>\n")
                 .arg(m.number)
                 .arg(both(m.request.receivedMs), what, ids, copies, h(m.caseIds.join(QStringLiteral(", "))));
    }
    return s + QStringLiteral("</table>\n");
}

} // namespace

QString pngDataUri(const QByteArray &png)
{
    return png.isEmpty() ? QString() : QStringLiteral("data:image/png;base64,") + QString::fromLatin1(png.toBase64());
}

QByteArray reportHtml(const EvidenceData &e, const ReportImages &images)
{
    const QString title = e.selection.isSelection ? QStringLiteral("message selection")
                                                  : QStringLiteral("%1 %2, run %3").arg(e.run.packId, e.run.packVersion).arg(e.run.runId);
    QString s = QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>\n<title>Evidence report: %1</title>\n<style>%2</style></head>\n<body>\n")
                    .arg(h(title), QString::fromLatin1(kStyle));
    s += cover(e) + summary(e) + traceability(e) + nfr(e, images) + cases(e) + appendix(e);
    s += QStringLiteral("<p class=\"small\">Generated by DIP Workbench %1 on %2 at %3. Verify the evidence bundle with <b>dipwb verify</b>; see docs/evidence.md.</p>\n</body></html>\n")
             .arg(h(e.workbenchVersion), h(e.host), h(dt::formatDt003Utc(e.generatedMs)));
    return s.toUtf8();
}

} // namespace dipwb::evidence
