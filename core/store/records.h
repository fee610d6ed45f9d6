#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace dipwb::store {

/// One HTTP request to a DIP endpoint, accepted or rejected: the "every request is journaled" row.
struct RequestRecord
{
    qint64 id = 0;
    qint64 receivedMs = 0;
    QString method;
    QString path;
    QString remote;         ///< peer address:port
    QString senderDipId;    ///< as far as it could be read; may be empty
    int httpStatus = 0;
    QString outcome;        ///< "MSG0000" or the rejecting code ("MSG1006", "HTTP413"...)
    QString signature;      ///< result of the signature check ("not checked", "valid", cause...)
    QByteArray headers;     ///< request headers, one "Name: value" a line
    QByteArray body;        ///< the raw body as received
    /// The body is exactly "[" + the payload of its one message + "]", so it is stored once, as that
    /// message (migration 6); readers get it back byte for byte.
    bool bodyIsMessage = false;
    QByteArray response;    ///< the body we answered
};

/// One message of an accepted request (one element of the array).
struct MessageRecord
{
    qint64 id = 0;
    qint64 requestId = 0;
    int indexInRequest = 0;
    QString transactionId;          ///< DIP-made id of the inbound message
    QString senderUniqueReference;
    QString channel;                ///< "IF-033"
    QString eventCode;              ///< "[MSAppSPRequest]"
    QString schemaVersion;
    QString senderDipId;
    QString senderRole;
    QString mpan;                   ///< empty when the channel has no M0
    QString correlationId;          ///< senderCorrelationID, may be empty
    QString environment;
    qint64 receivedMs = 0;
    qint64 businessMs = 0;          ///< the instant routing looked up appointments at
    QString status;                 ///< Inbound status: "GoodToGo" once stored
    QString routing;                ///< "Primary:[SUP:2300000185];Secondary:[...];Always:[...]"
    QByteArray payload;             ///< normalised {"payload":{...}} element, compact JSON
};

/// One copy of a publication (or a status message) for one recipient: the outbox row.
struct DeliveryRecord
{
    enum class Kind { Publication = 0, StatusMessage = 1 };
    qint64 id = 0;
    qint64 messageId = 0;           ///< 0 for a status message not tied to a stored message
    Kind kind = Kind::Publication;
    QString recipientDipId;
    QString recipientRole;
    QString reason;                 ///< "Primary", "Secondary", "Always", "Status", "Replay"
    QString transactionId;          ///< D0.transactionID of this copy
    QString publicationId;          ///< "PUB-033"; empty for status messages
    QString status;                 ///< Pending, Delivered, Retrying, DeliveryFailure, RejectedByRecipient, RetriesExhausted
    int attempts = 0;
    qint64 createdMs = 0;
    qint64 nextAttemptMs = 0;       ///< when a Pending/Retrying row is due
    qint64 deliveredMs = 0;         ///< 0 until delivered
    int lastHttpStatus = 0;
    QString lastError;
    bool replay = false;            ///< D0.replayIndicator of this copy
    QByteArray body;                ///< exactly the bytes POSTed to the webhook (JSON array)
    /// The last attempt's request line and headers ("POST url" then "Name: value" lines), as
    /// sent; stored in delivery_calls (Store::deliveryCall), not read with the row.
    QByteArray lastCall;
    qint64 lastCallMs = 0;
};

/// The last webhook call of a copy, as sent.
struct DeliveryCall
{
    qint64 deliveryId = 0;
    qint64 atMs = 0;
    QByteArray request;             ///< "POST url\nName: value\n..."
};

/// An append-only journal row. hash = SHA-256(prevHash || canonical row text); the store fills both.
struct JournalEntry
{
    qint64 id = 0;
    qint64 atMs = 0;
    qint64 requestId = 0;
    qint64 messageId = 0;
    qint64 deliveryId = 0;
    QString stage;     ///< Inbound, MPANUpdateQueue, Addressing, Outbound, StatusMessage
    QString status;    ///< GoodToGo, InboundRuleFailure, SentToTopic, Delivered, Retrying...
    QString detail;
    QByteArray prevHash; ///< hex
    QByteArray hash;     ///< hex
};

/// One row of the MPAN appointment history (valid time [fromMs, toMs), recorded at recordedMs).
struct AppointmentRecord
{
    qint64 id = 0;
    QString mpan;
    QString role;
    QString dipId;
    qint64 fromMs = 0;
    std::optional<qint64> toMs;   ///< exclusive; nullopt: open-ended
    qint64 recordedMs = 0;
    QString source;               ///< transaction id of the publication that made it, or "seed"/"manual"

    friend bool operator==(const AppointmentRecord &, const AppointmentRecord &) = default;
};

} // namespace dipwb::store
