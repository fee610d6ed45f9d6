#pragma once

#include "common/json_util.h"

#include <QList>
#include <QString>

namespace dipwb::dip {

/// One item of a DIP StandardResponse. Every key is always written; empty strings become null.
struct ResponseItem
{
    QString transactionId;
    QString senderUniqueReference;
    QString correlationId;
    QString sentTimestamp;     ///< DT-003
    QString senderId;
    QString recipientId;
    QString connectionProviderId;
    QString message;           ///< "MSG0000 - Success"
    QString help;
};

/// {"messageArray":[...], "timestamp": DT-003}: the DIP's answer to sends and status messages.
QByteArray standardResponse(const QList<ResponseItem> &items, qint64 nowMs);
OJson responseItemJson(const ResponseItem &item);

} // namespace dipwb::dip
