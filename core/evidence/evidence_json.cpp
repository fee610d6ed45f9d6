// SPDX-License-Identifier: GPL-3.0-or-later
#include "evidence/evidence_json.h"

#include "common/dip_time.h"

namespace dipwb::evidence {

namespace {


OJson instant(qint64 ms)
{
    return {{"utc", ss(dt::formatDt003Utc(ms))}, {"europeLondon", ss(dt::formatDt003London(ms))}};
}

} // namespace

QString messageExcerpt(const QByteArray &payload, int maxChars)
{
    const OJson j = OJson::parse(payload.constData(), payload.constData() + payload.size(), nullptr, false);
    const OJson *custom = nullptr;
    if (j.is_object() && j.contains("payload") && j["payload"].is_object() && j["payload"].contains("CustomBlock"))
        custom = &j["payload"]["CustomBlock"];
    QString text = custom ? qs(custom->dump()) : QString::fromUtf8(payload);
    if (text.size() > maxChars)
        text = text.left(maxChars - 1) + QChar(0x2026);
    return text;
}

OJson resultsJson(const EvidenceData &e)
{
    OJson j = e.run.toJson();
    OJson ev = OJson::object();
    ev["cover"] = {{"packId", ss(e.run.packId)},
                   {"packTitle", ss(e.run.packTitle)},
                   {"packVersion", ss(e.run.packVersion)},
                   {"stage", ss(e.run.stage)},
                   {"catalogue", ss(e.run.catalogue)},
                   {"environment", ss(e.run.environment)},
                   {"workbenchVersion", ss(e.workbenchVersion)},
                   {"host", ss(e.host)},
                   {"started", instant(e.run.startedMs)},
                   {"ended", instant(e.run.endedMs)},
                   {"generated", instant(e.generatedMs)},
                   {"runJournalHead", ss(e.runJournalHead)}};
    if (e.selection.isSelection)
        ev["cover"]["selection"] = ss(e.selection.description);
    OJson parties = OJson::array();
    for (const auto &p : e.participants)
        parties.push_back({{"dipId", ss(p.dipId)},
                           {"role", ss(p.role)},
                           {"name", ss(p.name)},
                           {"underTest", p.underTest},
                           {"certificateSha256", p.certificateSha256.isEmpty() ? OJson(nullptr) : OJson(p.certificateSha256.toStdString())}});
    ev["participants"] = parties;
    OJson trace = OJson::array();
    for (const auto &t : e.traceability()) {
        OJson numbers = OJson::array();
        for (int n : t.messageNumbers)
            numbers.push_back(n);
        trace.push_back({{"requirement", ss(t.requirement)},
                         {"case", ss(t.caseId)},
                         {"step", t.step + 1},
                         {"kind", ss(t.stepKind)},
                         {"verdict", ss(t.verdict)},
                         {"references", jsonStrings(t.references)},
                         {"transactionIds", jsonStrings(t.transactionIds)},
                         {"messages", numbers}});
    }
    ev["traceability"] = trace;
    OJson messages = OJson::array();
    for (const auto &m : e.messages) {
        OJson items = OJson::array();
        for (const auto &r : m.messages)
            items.push_back({{"messageId", r.id},
                             {"channel", ss(r.channel)},
                             {"event", ss(r.eventCode)},
                             {"senderUniqueReference", ss(r.senderUniqueReference)},
                             {"transactionId", ss(r.transactionId)},
                             {"sender", ss(r.senderDipId)},
                             {"mpan", ss(r.mpan)},
                             {"routing", ss(r.routing)}});
        OJson copies = OJson::array();
        for (const auto &d : m.deliveries)
            copies.push_back({{"deliveryId", d.id},
                              {"messageId", d.messageId},
                              {"recipient", ss(d.recipientDipId)},
                              {"reason", ss(d.reason)},
                              {"transactionId", ss(d.transactionId)},
                              {"status", ss(d.status)},
                              {"attempts", d.attempts},
                              {"deliveredUtc", d.deliveredMs ? OJson(ss(dt::formatDt003Utc(d.deliveredMs))) : OJson(nullptr)}});
        messages.push_back({{"number", m.number},
                            {"requestId", m.request.id},
                            {"received", instant(m.request.receivedMs)},
                            {"path", ss(m.request.path)},
                            {"httpStatus", m.request.httpStatus},
                            {"outcome", ss(m.request.outcome)},
                            {"cases", jsonStrings(m.caseIds)},
                            {"messages", items},
                            {"copies", copies}});
    }
    ev["messages"] = messages;
    const auto &l = e.latency;
    ev["deliveryLatency"] = {{"delivered", l.latenciesMs.size()}, {"undelivered", l.undelivered},
                             {"p50Ms", l.p50},           {"p95Ms", l.p95},
                             {"p99Ms", l.p99},           {"maxMs", l.max},
                             {"withinTarget90", l.within3s}, {"withinTarget100", l.within30s},
                             {"target90Ms", l.target90Ms}, {"target100Ms", l.target100Ms},
                             {"meets", l.latenciesMs.isEmpty() || (l.within3s >= 0.9 && l.within30s >= 1.0 && l.undelivered == 0)}};
    j["evidence"] = ev;
    return j;
}

} // namespace dipwb::evidence
