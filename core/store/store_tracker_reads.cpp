// SPDX-License-Identifier: GPL-3.0-or-later
// The message tracker's reads: ids matching a tracker::MessageFilter, and light summaries of a page
// of messages. Like every read they run on the calling thread's own read-only connection.
#include "store/store.h"

#include "common/log.h"
#include "store/store_private.h"
#include "tracker/message_filter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <sqlite3.h>

namespace dipwb::store {
namespace {

QString likePattern(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    escaped.replace(QLatin1Char('%'), QLatin1String("\\%"));
    escaped.replace(QLatin1Char('_'), QLatin1String("\\_"));
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

} // namespace

QList<qint64> Store::messageIds(const tracker::MessageFilter &filter, qint64 afterId, int limit) const
{
    // Only the terms in use go into the SQL, so the planner picks the index that fits (MPAN,
    // channel, sender, correlation); each variant is prepared once per thread. ?16 (the limit) is
    // always present (and the highest), so binding every parameter number is valid whichever terms
    // are left out.
    const tracker::MessageFilter f = filter.normalised();
    QByteArray sql = "SELECT m.id FROM messages m WHERE m.id > ?1";
    if (!f.channel.isEmpty())
        sql += " AND m.channel = ?2";
    if (!f.eventCode.isEmpty())
        sql += " AND m.event_code = ?3 COLLATE NOCASE";
    if (!f.senderDipId.isEmpty())
        sql += " AND m.sender_dip_id = ?4";
    if (!f.mpan.isEmpty())
        sql += " AND m.mpan = ?5";
    if (!f.recipientDipId.isEmpty())
        sql += " AND EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id AND d.recipient_dip_id = ?9)";
    // With a stage, the status is that of a journal row at the stage (the message's and its
    // copies' rows all carry the message id).
    if (!f.stage.isEmpty())
        sql += f.status.isEmpty() ? " AND EXISTS (SELECT 1 FROM journal j WHERE j.message_id = m.id AND j.stage = ?15 COLLATE NOCASE)"
                                  : " AND EXISTS (SELECT 1 FROM journal j WHERE j.message_id = m.id AND j.stage = ?15 COLLATE NOCASE AND j.status = ?6)";
    else if (!f.status.isEmpty())
        sql += " AND (m.status = ?6 OR EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id AND d.status = ?6))";
    if (!f.anyId.isEmpty())
        sql += " AND (m.correlation_id = ?7 OR m.transaction_id = ?7 OR m.sender_unique_reference = ?7"
               " OR EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id AND d.transaction_id = ?7))";
    if (!f.text.isEmpty())
        sql += " AND (m.channel LIKE ?8 ESCAPE '\\' OR m.event_code LIKE ?8 ESCAPE '\\'"
               " OR m.sender_dip_id LIKE ?8 ESCAPE '\\' OR m.mpan LIKE ?8 ESCAPE '\\'"
               " OR m.correlation_id LIKE ?8 ESCAPE '\\' OR m.transaction_id LIKE ?8 ESCAPE '\\'"
               " OR m.sender_unique_reference LIKE ?8 ESCAPE '\\' OR m.routing LIKE ?8 ESCAPE '\\'"
               " OR CAST(m.payload AS TEXT) LIKE ?8 ESCAPE '\\')";
    if (f.fromMs)
        sql += " AND m.received_ms >= ?10";
    if (f.toMs)
        sql += " AND m.received_ms < ?11";
    if (!f.role.isEmpty())
        sql += " AND (m.sender_role = ?12 COLLATE NOCASE"
               " OR EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id AND d.recipient_role = ?12 COLLATE NOCASE))";
    if (!f.environment.isEmpty())
        sql += " AND m.environment = ?13 COLLATE NOCASE";
    if (f.replay != tracker::MessageFilter::Replay::Any)
        sql += f.replay == tracker::MessageFilter::Replay::Replayed
            ? " AND EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id AND d.replay = 1)"
            : " AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id AND d.replay = 1)";
    sql += " ORDER BY m.id LIMIT ?16";
    QList<qint64> out;
    readQuery(
        d->reader(), sql,
        [&](SqlStatement &s) {
            s.bind(1, afterId);
            s.bind(2, f.channel);
            s.bind(3, f.eventCode);
            s.bind(4, f.senderDipId);
            s.bind(5, f.mpan);
            s.bind(6, f.status);
            s.bind(7, f.anyId);
            s.bind(8, likePattern(f.text));
            s.bind(9, f.recipientDipId);
            s.bind(10, f.fromMs);
            s.bind(11, f.toMs);
            s.bind(12, f.role);
            s.bind(13, f.environment);
            s.bind(15, f.stage);
            s.bind(16, limit < 0 ? qint64(-1) : qint64(limit));
        },
        [&](const SqlStatement &s) { out.append(s.int64(0)); });
    return out;
}

QList<tracker::MessageSummary> Store::messageSummaries(const QList<qint64> &ids, bool withPayload) const
{
    QJsonArray arr;
    for (qint64 id : ids)
        arr.append(id);
    QByteArray sql =
        "SELECT m.id, m.received_ms, m.channel, m.event_code, m.sender_dip_id, m.sender_role, m.mpan,"
        " m.correlation_id, m.transaction_id, m.sender_unique_reference, m.environment, m.status, m.routing,"
        " (SELECT count(*) FROM deliveries d WHERE d.message_id = m.id AND d.kind = 0 AND d.replay = 0),"
        " (SELECT count(*) FROM deliveries d WHERE d.message_id = m.id AND d.kind = 0 AND d.replay = 0 AND d.status = 'Delivered'),"
        " (SELECT count(*) FROM deliveries d WHERE d.message_id = m.id AND d.kind = 0 AND d.replay = 0"
        "   AND d.status IN ('RejectedByRecipient', 'RetriesExhausted', 'DeliveryFailure')),"
        " (SELECT group_concat(DISTINCT d.status) FROM deliveries d WHERE d.message_id = m.id),"
        " (SELECT group_concat(d.transaction_id, ',') FROM deliveries d WHERE d.message_id = m.id)";
    sql += withPayload ? ", m.payload" : ", NULL";
    sql += ", (SELECT group_concat(DISTINCT d.recipient_dip_id) FROM deliveries d WHERE d.message_id = m.id)";
    sql += ", (SELECT group_concat(DISTINCT d.recipient_role) FROM deliveries d WHERE d.message_id = m.id)";
    sql += ", (SELECT count(*) FROM deliveries d WHERE d.message_id = m.id AND d.replay = 1)";
    sql += ", (SELECT group_concat(DISTINCT j.stage || '/' || j.status) FROM journal j WHERE j.message_id = m.id)";
    sql += " FROM messages m WHERE m.id IN (SELECT value FROM json_each(?1)) ORDER BY m.id";
    QList<tracker::MessageSummary> out;
    out.reserve(ids.size());
    readQuery(
        d->reader(), sql,
        [&](SqlStatement &s) { s.bind(1, QString::fromUtf8(QJsonDocument(arr).toJson(QJsonDocument::Compact))); },
        [&](const SqlStatement &s) {
            tracker::MessageSummary m;
            m.id = s.int64(0);
            m.receivedMs = s.int64(1);
            m.channel = s.text(2);
            m.eventCode = s.text(3);
            m.senderDipId = s.text(4);
            m.senderRole = s.text(5);
            m.mpan = s.text(6);
            m.correlationId = s.text(7);
            m.transactionId = s.text(8);
            m.senderUniqueReference = s.text(9);
            m.environment = s.text(10);
            m.status = s.text(11);
            m.routing = s.text(12);
            m.deliveries = s.int32(13);
            m.delivered = s.int32(14);
            m.failed = s.int32(15);
            if (!s.isNull(16))
                m.deliveryStatuses = s.text(16).split(QLatin1Char(','), Qt::SkipEmptyParts);
            if (!s.isNull(17))
                m.deliveryTransactionIds = s.text(17).split(QLatin1Char(','), Qt::SkipEmptyParts);
            if (withPayload)
                m.payload = s.blob(18);
            if (!s.isNull(19))
                m.recipientDipIds = s.text(19).split(QLatin1Char(','), Qt::SkipEmptyParts);
            if (!s.isNull(20))
                m.recipientRoles = s.text(20).split(QLatin1Char(','), Qt::SkipEmptyParts);
            m.replays = s.int32(21);
            if (!s.isNull(22))
                m.journalSteps = s.text(22).split(QLatin1Char(','), Qt::SkipEmptyParts);
            out.append(std::move(m));
        });
    return out;
}

QList<qint64> Store::messageIdsOfDeliveries(const QList<qint64> &deliveryIds) const
{
    QJsonArray arr;
    for (qint64 id : deliveryIds)
        arr.append(id);
    QList<qint64> out;
    readQuery(
        d->reader(),
        "SELECT DISTINCT message_id FROM deliveries WHERE id IN (SELECT value FROM json_each(?1))"
        " AND message_id IS NOT NULL ORDER BY message_id",
        [&](SqlStatement &s) { s.bind(1, QString::fromUtf8(QJsonDocument(arr).toJson(QJsonDocument::Compact))); },
        [&](const SqlStatement &s) { out.append(s.int64(0)); });
    return out;
}

} // namespace dipwb::store
