// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace dipwb::tracker {

/// One row of the message tracker: a stored message without its payload, plus what its delivered
/// copies are doing. Read in pages (Store::messageSummaries); the payload is filled only when asked.
struct MessageSummary
{
    qint64 id = 0;
    qint64 receivedMs = 0;
    QString channel;
    QString eventCode;
    QString senderDipId;
    QString senderRole;
    QString mpan;
    QString correlationId;
    QString transactionId;
    QString senderUniqueReference;
    QString environment;
    QString status;                   ///< Inbound status of the message ("GoodToGo")
    QString routing;
    int deliveries = 0;               ///< publication copies (replays not counted)
    int delivered = 0;
    int failed = 0;                   ///< RejectedByRecipient, RetriesExhausted, DeliveryFailure
    QStringList deliveryStatuses;     ///< distinct states of its copies
    QStringList deliveryTransactionIds;
    QStringList recipientDipIds;      ///< distinct recipients of its copies
    QByteArray payload;               ///< empty unless requested
};

/// What the tracker's filter bar means. Every non-empty field must hold (AND). The store turns
/// the same definition into SQL (Store::messageIds); matches() is the reference both agree with.
struct MessageFilter
{
    QString channel;       ///< "IF-033" or "PUB-033"; exact, case-insensitive
    QString eventCode;     ///< with or without brackets; exact, case-insensitive
    QString senderDipId;   ///< exact
    QString recipientDipId; ///< a copy of it went (or goes) to this DIP id; exact
    QString mpan;          ///< exact
    QString status;        ///< the message's status or the state of any of its copies; exact
    QString anyId;         ///< correlation id, transaction id (inbound or of a copy) or sender unique reference; exact
    QString text;          ///< substring (ASCII case-insensitive) of ids, channel, event, sender, MPAN, routing or payload

    bool isEmpty() const;
    /// True when s passes; the free text looks at s.payload, so it must be loaded when text is set.
    bool matches(const MessageSummary &s) const;
    /// The same fields in canonical form (trimmed, channel as IF-nnn, event in brackets).
    MessageFilter normalised() const;
    bool operator==(const MessageFilter &) const = default;
};

/// Statuses a copy or a message can be in, for the filter bar's choices.
QStringList knownStatuses();

} // namespace dipwb::tracker
