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

QByteArray compact(const OJson &value)
{
    QByteArray out;
    out.reserve(256);
    appendCompactJson(out, value);
    return out;
}

// Each member of an object, serialised once.
struct Part
{
    const std::string *key;
    QByteArray json;
};

QList<Part> partsOf(const OJson &object)
{
    QList<Part> parts;
    parts.reserve(qsizetype(object.size()));
    for (auto it = object.begin(); it != object.end(); ++it)
        parts.append({&it.key(), compact(it.value())});
    return parts;
}

const Part *find(const QList<Part> &parts, const char *key)
{
    for (const Part &p : parts)
        if (*p.key == key)
            return &p;
    return nullptr;
}

// "key":value, preceded by a comma unless first.
void appendMember(QByteArray &out, const Part &p, bool first)
{
    if (!first)
        out += ',';
    appendJsonString(out, std::string_view(*p.key));
    out += ':';
    out += p.json;
}

// ,"key":value for every part except the skipped keys, in their order.
void appendMembers(QByteArray &out, const QList<Part> &parts, std::initializer_list<const char *> skip)
{
    for (const Part &p : parts)
        if (std::none_of(skip.begin(), skip.end(), [&](const char *s) { return *p.key == s; }))
            appendMember(out, p, false);
}

} // namespace

EgressRenderer::EgressRenderer(const OJson &element, const EgressStamp &stamp)
{
    const OJson &payload = element.at("payload");
    const OJson &common = payload.at("CommonBlock");
    const QList<Part> commonParts = partsOf(common);
    QList<Part> payloadParts;
    for (auto it = payload.begin(); it != payload.end(); ++it)
        if (it.key() != "CommonBlock")
            payloadParts.append({&it.key(), compact(it.value())});

    m_head.reserve(2048);
    m_head += "[{\"payload\":{\"CommonBlock\":{";
    bool first = true;
    for (const char *key : {"S0", "S1"}) {
        if (const Part *p = find(commonParts, key)) {
            appendMember(m_head, *p, first);
            first = false;
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
    appendMembers(m_tail, commonParts, {"S0", "S1", "A0", "D0"});
    m_tail += '}';
    appendMembers(m_tail, payloadParts, {});
    m_tail += "}}]";

    // The element in its own order, from the same parts.
    m_element.reserve(m_head.size() + m_tail.size());
    m_element += '{';
    bool firstOfElement = true;
    for (auto it = element.begin(); it != element.end(); ++it) {
        if (!firstOfElement)
            m_element += ',';
        firstOfElement = false;
        appendJsonString(m_element, std::string_view(it.key()));
        m_element += ':';
        if (it.key() != "payload") {
            appendCompactJson(m_element, it.value());
            continue;
        }
        m_element += '{';
        qsizetype nextOther = 0;
        bool firstOfPayload = true;
        for (auto p = payload.begin(); p != payload.end(); ++p) {
            if (!firstOfPayload)
                m_element += ',';
            firstOfPayload = false;
            if (p.key() != "CommonBlock") {
                const Part &part = payloadParts.at(nextOther++);
                appendJsonString(m_element, std::string_view(*part.key));
                m_element += ':';
                m_element += part.json;
                continue;
            }
            m_element += "\"CommonBlock\":{";
            for (qsizetype i = 0; i < commonParts.size(); ++i)
                appendMember(m_element, commonParts.at(i), i == 0);
            m_element += '}';
        }
        m_element += '}';
    }
    m_element += '}';
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
