#pragma once

#include "http/http_message.h"
#include "store/records.h"

#include <QStringList>
#include <memory>

namespace dipwb::dip {

struct EmulatorContext;

/// Everything one accepted request writes, committed in one write.
struct AcceptedBatch
{
    store::RequestRecord request;
    QList<store::MessageRecord> messages;
    QList<QList<store::DeliveryRecord>> deliveries; ///< per message
    QList<QList<store::JournalEntry>> journal;      ///< per message, before its deliveries' rows
    QList<store::AppointmentRecord> appointments;
    QStringList reservedKeys;                       ///< taken back if the commit fails
    QByteArray okBody;                              ///< the 201 StandardResponse
};

/// The outcome of preparing a send: a rejection to answer at once, or a batch to commit first.
struct PreparedSend
{
    std::shared_ptr<AcceptedBatch> batch; ///< null: rejected
    QByteArray rejectionBody;             ///< the 400 StandardResponse
};

/// Runs the L1 checks (envelope and payload schemas, all-or-nothing), reserves the sender unique
/// references, routes each message (primary, secondary at its business date, always), applies
/// registration effects to the appointment map, and renders one egress copy per recipient.
/// A rejection is journaled here. Touches only the thread-safe parts of ctx, so it runs on any
/// thread (the send workers).
PreparedSend prepareSend(EmulatorContext &ctx, const http::HttpRequest &request, const QString &pathChannelId,
                         qint64 nowMs);

/// Undoes what prepareSend changed in memory for a batch that could not be committed.
void rollbackPrepared(EmulatorContext &ctx, const AcceptedBatch &batch);

} // namespace dipwb::dip
