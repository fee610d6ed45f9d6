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

QByteArray standardResponse(const QList<ResponseItem> &items, qint64 nowMs)
{
    OJson root = OJson::object();
    OJson arr = OJson::array();
    for (const ResponseItem &i : items)
        arr.push_back(responseItemJson(i));
    root["messageArray"] = std::move(arr);
    root["timestamp"] = ss(dt::formatDt003Utc(nowMs));
    return qb(root.dump());
}

} // namespace dipwb::dip
