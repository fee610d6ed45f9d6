// SPDX-License-Identifier: GPL-3.0-or-later
#include "dip/standard_response.h"

#include "common/dip_time.h"

namespace dipwb::dip {

namespace {
OJson orNull(const QString &s)
{
    return s.isEmpty() ? OJson(nullptr) : OJson(ss(s));
}
} // namespace

OJson responseItemJson(const ResponseItem &i)
{
    OJson o = OJson::object();
    o["transactionID"] = orNull(i.transactionId);
    o["senderUniqueReference"] = orNull(i.senderUniqueReference);
    o["correlationID"] = orNull(i.correlationId);
    o["sentTimestamp"] = orNull(i.sentTimestamp);
    o["senderID"] = orNull(i.senderId);
    o["recipientID"] = orNull(i.recipientId);
    o["DIPConnectionProviderID"] = orNull(i.connectionProviderId);
    o["message"] = orNull(i.message);
    o["help"] = orNull(i.help);
    o["serviceTicketURL"] = nullptr;
    return o;
}

namespace {

void appendMember(QByteArray &out, const char *key, const QString &value, bool first = false)
{
    if (!first)
        out += ',';
    out += '"';
    out += key;
    out += "\":";
    if (value.isEmpty())
        out += "null";
    else
        appendJsonString(out, value);
}

} // namespace

// Written as text rather than built as a JSON value: every accepted send answers one, and the text
// is exactly what dump() of responseItemJson() would give.
QByteArray standardResponse(const QList<ResponseItem> &items, qint64 nowMs)
{
    QByteArray out;
    out.reserve(64 + items.size() * 420);
    out += "{\"messageArray\":[";
    for (qsizetype n = 0; n < items.size(); ++n) {
        const ResponseItem &i = items.at(n);
        out += n ? ",{" : "{";
        appendMember(out, "transactionID", i.transactionId, true);
        appendMember(out, "senderUniqueReference", i.senderUniqueReference);
        appendMember(out, "correlationID", i.correlationId);
        appendMember(out, "sentTimestamp", i.sentTimestamp);
        appendMember(out, "senderID", i.senderId);
        appendMember(out, "recipientID", i.recipientId);
        appendMember(out, "DIPConnectionProviderID", i.connectionProviderId);
        appendMember(out, "message", i.message);
        appendMember(out, "help", i.help);
        out += ",\"serviceTicketURL\":null}";
    }
    out += "],\"timestamp\":";
    appendJsonString(out, dt::formatDt003Utc(nowMs));
    out += '}';
    return out;
}

} // namespace dipwb::dip
