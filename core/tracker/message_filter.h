// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

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
    QStringList recipientRoles;       ///< distinct roles of its copies' recipients
    int replays = 0;                  ///< replayed copies
    QStringList journalSteps;         ///< distinct "Stage/Status" of its journal rows (its copies' too)
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
    QString status;        ///< the message's status or the state of any of its copies; exact. With
                           ///< stage: a journal row at that stage had this status
    QString stage;         ///< a journal row of it or of a copy is at this stage ("Outbound"); exact, case-insensitive
    QString anyId;         ///< correlation id, transaction id (inbound or of a copy) or sender unique reference; exact
    QString text;          ///< substring (ASCII case-insensitive) of ids, channel, event, sender, MPAN, routing or payload
    qint64 fromMs = 0;     ///< received at or after this instant; 0: no lower bound
    qint64 toMs = 0;       ///< received before this instant; 0: no upper bound
    QString role;          ///< the sender's role or a recipient's role; exact, case-insensitive
    QString environment;   ///< the environmentTag it was sent with; exact, case-insensitive
    enum class Replay { Any, Replayed, NotReplayed };
    Replay replay = Replay::Any; ///< whether a copy of it was ever replayed

    bool isEmpty() const;
    /// True when s passes; the free text looks at s.payload, so it must be loaded when text is set.
    bool matches(const MessageSummary &s) const;
    /// The same fields in canonical form (trimmed, channel as IF-nnn, event in brackets).
    MessageFilter normalised() const;
    bool operator==(const MessageFilter &) const = default;

    /// Compact JSON of the fields in use (what a saved filter stores), and back. fromJson gives
    /// nullopt, with the reason, for text that is not such an object.
    QByteArray toJson() const;
    static std::optional<MessageFilter> fromJson(const QByteArray &json, QString *why = nullptr);
    /// The fields in use in words ("channel IF-033, MPAN 1012345678904"); empty when none is.
    QString describe() const;
};

/// Statuses a copy or a message can be in, for the filter bar's choices.
QStringList knownStatuses();
/// The journal's stages (DOMAIN.md 6), for the filter bar's choices.
QStringList knownStages();

} // namespace dipwb::tracker
