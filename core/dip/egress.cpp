// SPDX-License-Identifier: GPL-3.0-or-later
#include "dip/egress.h"

#include "common/dip_time.h"

namespace dipwb::dip {

namespace {

void appendStringArray(QByteArray &out, const QStringList &list)
{
    out += '[';
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (i)
            out += ',';
        appendJsonString(out, list.at(i));
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

// The member named assembled (if any) is left empty, for the caller to put together from its own
// parts rather than serialise it a second time.
QList<Part> partsOf(const OJson &object, const char *assembled = nullptr)
{
    QList<Part> parts;
    parts.reserve(qsizetype(object.size()));
    for (auto it = object.begin(); it != object.end(); ++it)
        parts.append({&it.key(), assembled && it.key() == assembled ? QByteArray() : compact(it.value())});
    return parts;
}

Part *find(QList<Part> &parts, const char *key)
{
    for (Part &p : parts)
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

// The object with these members, in their order.
QByteArray objectOf(const QList<Part> &parts)
{
    QByteArray out;
    qsizetype size = 2;
    for (const Part &p : parts)
        size += qsizetype(p.key->size()) + p.json.size() + 4;
    out.reserve(size);
    out += '{';
    for (qsizetype i = 0; i < parts.size(); ++i)
        appendMember(out, parts.at(i), i == 0);
    out += '}';
    return out;
}

} // namespace

EgressRenderer::EgressRenderer(const OJson &element, const EgressStamp &stamp)
{
    const OJson &payload = element.at("payload");
    QList<Part> commonParts = partsOf(payload.at("CommonBlock"));
    QList<Part> payloadParts = partsOf(payload, "CommonBlock");
    QList<Part> elementParts = partsOf(element, "payload");

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
    appendJsonString(m_tail, dt::formatDt003Utc(stamp.transactionMs));
    m_tail += ",\"publicationID\":";
    appendJsonString(m_tail, stamp.publicationId);
    m_tail += ",\"initialCorrelationID\":";
    if (stamp.initialCorrelationId.isEmpty())
        m_tail += "null";
    else
        appendJsonString(m_tail, stamp.initialCorrelationId);
    m_tail += stamp.replay ? ",\"replayIndicator\":true" : ",\"replayIndicator\":false";
    m_tail += ",\"serviceTicketURL\":null}";
    appendMembers(m_tail, commonParts, {"S0", "S1", "A0", "D0"});
    m_tail += '}';
    appendMembers(m_tail, payloadParts, {"CommonBlock"});
    m_tail += "}}]";

    // The element in its own order, from the same parts.
    find(payloadParts, "CommonBlock")->json = objectOf(commonParts);
    find(elementParts, "payload")->json = objectOf(payloadParts);
    m_element = objectOf(elementParts);
}

QByteArray EgressRenderer::render(const QString &transactionId) const
{
    QByteArray out;
    out.reserve(m_head.size() + m_tail.size() + 80);
    out += m_head;
    appendJsonString(out, transactionId);
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
