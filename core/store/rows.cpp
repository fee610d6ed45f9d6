// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/rows.h"

#include "store/sqlite_db.h"

#include <initializer_list>

namespace dipwb::store::rows {
namespace {

QByteArray columns(const char *alias, std::initializer_list<const char *> names)
{
    QByteArray out;
    for (const char *n : names) {
        if (!out.isEmpty())
            out += ", ";
        if (alias) {
            out += alias;
            out += '.';
        }
        out += n;
    }
    return out;
}

} // namespace

QByteArray requestColumns(const char *alias)
{
    // A body stored as its one message (bodyIsMessage) is put back together here, so readers need
    // not know.
    const QByteArray table = alias ? QByteArray(alias) : QByteArray("requests");
    return columns(alias, {"id", "received_ms", "method", "path", "remote", "sender_dip_id", "http_status", "outcome",
                           "signature", "headers"})
        + ", coalesce(" + table + ".body, CASE WHEN " + table + ".body_is_message THEN (SELECT CAST('[' || CAST(m.payload AS TEXT) || ']' AS BLOB) "
          "FROM messages m WHERE m.request_id = " + table + ".id) END), "
        + columns(alias, {"response", "body_is_message"});
}

QByteArray messageColumns(const char *alias)
{
    return columns(alias, {"id", "request_id", "index_in_request", "transaction_id", "sender_unique_reference",
                           "channel", "event_code", "schema_version", "sender_dip_id", "sender_role", "mpan",
                           "correlation_id", "environment", "received_ms", "business_ms", "status", "routing",
                           "payload"});
}

QByteArray deliveryColumns(const char *alias)
{
    // The body lives in delivery_bodies (migration 2), fetched here so readers need not know.
    const QByteArray id = QByteArray(alias ? alias : "deliveries") + ".id";
    return columns(alias, {"id", "message_id", "kind", "recipient_dip_id", "recipient_role", "reason",
                           "transaction_id", "publication_id", "status", "attempts", "created_ms", "next_attempt_ms",
                           "delivered_ms", "last_http_status", "last_error", "replay"})
        + ", (SELECT b.body FROM delivery_bodies b WHERE b.delivery_id = " + id + ")";
}

QByteArray journalColumns(const char *alias)
{
    return columns(alias, {"id", "at_ms", "request_id", "message_id", "delivery_id", "stage", "status", "detail",
                           "prev_hash", "hash"});
}

QByteArray appointmentColumns(const char *alias)
{
    return columns(alias, {"id", "mpan", "role", "dip_id", "from_ms", "to_ms", "recorded_ms", "source"});
}

QByteArray participantColumns(const char *alias)
{
    return columns(alias, {"dip_id", "role", "mpid", "name", "simulated", "api_key", "status_webhook"});
}

int read(const SqlStatement &s, int c, RequestRecord *r)
{
    r->id = s.int64(c++);
    r->receivedMs = s.int64(c++);
    r->method = s.text(c++);
    r->path = s.text(c++);
    r->remote = s.text(c++);
    r->senderDipId = s.text(c++);
    r->httpStatus = s.int32(c++);
    r->outcome = s.text(c++);
    r->signature = s.text(c++);
    r->headers = s.blob(c++);
    r->body = s.blob(c++);
    r->response = s.blob(c++);
    r->bodyIsMessage = s.int32(c++) != 0;
    return c;
}

int read(const SqlStatement &s, int c, MessageRecord *m)
{
    m->id = s.int64(c++);
    m->requestId = s.int64(c++); // NULL reads as 0: "no request"
    m->indexInRequest = s.int32(c++);
    m->transactionId = s.text(c++);
    m->senderUniqueReference = s.text(c++);
    m->channel = s.text(c++);
    m->eventCode = s.text(c++);
    m->schemaVersion = s.text(c++);
    m->senderDipId = s.text(c++);
    m->senderRole = s.text(c++);
    m->mpan = s.text(c++);
    m->correlationId = s.text(c++);
    m->environment = s.text(c++);
    m->receivedMs = s.int64(c++);
    m->businessMs = s.int64(c++);
    m->status = s.text(c++);
    m->routing = s.text(c++);
    m->payload = s.blob(c++);
    return c;
}

int read(const SqlStatement &s, int c, DeliveryRecord *d)
{
    d->id = s.int64(c++);
    d->messageId = s.int64(c++);
    d->kind = s.int32(c++) == 1 ? DeliveryRecord::Kind::StatusMessage : DeliveryRecord::Kind::Publication;
    d->recipientDipId = s.text(c++);
    d->recipientRole = s.text(c++);
    d->reason = s.text(c++);
    d->transactionId = s.text(c++);
    d->publicationId = s.text(c++);
    d->status = s.text(c++);
    d->attempts = s.int32(c++);
    d->createdMs = s.int64(c++);
    d->nextAttemptMs = s.int64(c++);
    d->deliveredMs = s.int64(c++);
    d->lastHttpStatus = s.int32(c++);
    d->lastError = s.text(c++);
    d->replay = s.int32(c++) != 0;
    d->body = s.blob(c++);
    return c;
}

int read(const SqlStatement &s, int c, JournalEntry *e)
{
    e->id = s.int64(c++);
    e->atMs = s.int64(c++);
    e->requestId = s.int64(c++);
    e->messageId = s.int64(c++);
    e->deliveryId = s.int64(c++);
    e->stage = s.text(c++);
    e->status = s.text(c++);
    e->detail = s.text(c++);
    e->prevHash = s.text(c++).toLatin1();
    e->hash = s.text(c++).toLatin1();
    return c;
}

int read(const SqlStatement &s, int c, AppointmentRecord *a)
{
    a->id = s.int64(c++);
    a->mpan = s.text(c++);
    a->role = s.text(c++);
    a->dipId = s.text(c++);
    a->fromMs = s.int64(c++);
    if (s.isNull(c))
        a->toMs.reset();
    else
        a->toMs = s.int64(c);
    ++c;
    a->recordedMs = s.int64(c++);
    a->source = s.text(c++);
    return c;
}

int read(const SqlStatement &s, int c, participants::Participant *p)
{
    p->dipId = s.text(c++);
    p->role = s.text(c++);
    p->mpid = s.text(c++);
    p->name = s.text(c++);
    p->simulated = s.int32(c++) != 0;
    p->apiKey = s.text(c++);
    p->statusWebhook = s.text(c++);
    return c;
}

} // namespace dipwb::store::rows
