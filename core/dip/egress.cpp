// SPDX-License-Identifier: GPL-3.0-or-later
#include "dip/egress.h"

#include "common/dip_time.h"

namespace dipwb::dip {

namespace {

void appendString(QByteArray &out, const QString &s)
{
    appendJsonString(out, s);
}

void appendStringArray(QByteArray &out, const QStringList &list)
{
    out += '[';
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (i)
            out += ',';
        appendString(out, list.at(i));
    }
    out += ']';
}

// ,"key":value for every member of object except the skipped keys, in their order.
void appendMembers(QByteArray &out, const OJson &object, std::initializer_list<const char *> skip)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const std::string &k = it.key();
        if (std::any_of(skip.begin(), skip.end(), [&](const char *s) { return k == s; }))
            continue;
        out += ',';
        appendJsonString(out, std::string_view(k));
        out += ':';
        out += qb(it.value().dump());
    }
}

} // namespace

EgressRenderer::EgressRenderer(const OJson &element, const EgressStamp &stamp)
{
    const OJson &payload = element.at("payload");
    const OJson &common = payload.at("CommonBlock");
    m_head.reserve(2048);
    m_head += "[{\"payload\":{\"CommonBlock\":{";
    bool first = true;
    for (const char *key : {"S0", "S1"}) {
        if (const auto it = common.find(key); it != common.end()) {
            if (!first)
                m_head += ',';
            first = false;
            m_head += '"';
            m_head += key;
            m_head += "\":";
            m_head += qb(it->dump());
        }
    }
    if (!first)
        m_head += ',';
    m_head += "\"A0\":{\"primaryRecipients\":";
    appendStringArray(m_head, stamp.primary);
    m_head += ",\"secondaryRecipients\":";
    appendStringArray(m_head, stamp.secondary);
    m_head += ",\"always\":";
    appendStringArray(m_head, stamp.always);
    m_head += "},\"D0\":{\"transactionID\":";

    m_tail.reserve(1024);
    m_tail += ",\"transactionTimestamp\":";
    appendString(m_tail, dt::formatDt003Utc(stamp.transactionMs));
    m_tail += ",\"publicationID\":";
    appendString(m_tail, stamp.publicationId);
    m_tail += ",\"initialCorrelationID\":";
    if (stamp.initialCorrelationId.isEmpty())
        m_tail += "null";
    else
        appendString(m_tail, stamp.initialCorrelationId);
    m_tail += stamp.replay ? ",\"replayIndicator\":true" : ",\"replayIndicator\":false";
    m_tail += ",\"serviceTicketURL\":null}";
    appendMembers(m_tail, common, {"S0", "S1", "A0", "D0"});
    m_tail += '}';
    appendMembers(m_tail, payload, {"CommonBlock"});
    m_tail += "}}]";
}

QByteArray EgressRenderer::render(const QString &transactionId) const
{
    QByteArray out;
    out.reserve(m_head.size() + m_tail.size() + 80);
    out += m_head;
    appendString(out, transactionId);
    out += m_tail;
    return out;
}

QByteArray egressBody(const OJson &element, const EgressStamp &stamp)
{
    return EgressRenderer(element, stamp).render(stamp.transactionId);
}

QByteArray markReplay(const QByteArray &body)
{
    OJson arr = OJson::parse(body.constBegin(), body.constEnd(), nullptr, false);
    if (arr.is_discarded() || !arr.is_array())
        return body;
    for (OJson &item : arr) {
        auto p = item.find("payload");
        if (p == item.end())
            continue;
        auto c = p->find("CommonBlock");
        if (c == p->end())
            continue;
        auto d = c->find("D0");
        if (d != c->end() && d->is_object())
            (*d)["replayIndicator"] = true;
    }
    return qb(arr.dump());
}

} // namespace dipwb::dip
