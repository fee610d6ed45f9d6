// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Fills a real workspace database with messages, copies and journal rows, as the emulator would.

#include "store/store.h"

#include <QString>

namespace dipwb::testui {

struct SampleSpec
{
    QString channel = QStringLiteral("IF-033");
    QString eventCode = QStringLiteral("[MSAppSPRequest]");
    QString sender = QStringLiteral("1100000001");
    QString senderRole = QStringLiteral("REGS");
    QString mpan = QStringLiteral("1012345678904");
    QString correlation;
    QString deliveryStatus = QStringLiteral("Delivered");
    QString payloadNote = QStringLiteral("note");
    QString recipient = QStringLiteral("1300000001");
    QString recipientRole = QStringLiteral("MSS");
    QString environment = QStringLiteral("SIT");
    bool replayed = false;          ///< adds a replayed copy to the same recipient
};

/// Inserts one message with one publication copy and two journal rows; returns its id.
inline qint64 insertSample(store::Store &s, const SampleSpec &spec, qint64 receivedMs, int n)
{
    qint64 id = 0;
    s.write([&](store::WriteTxn &t) {
        store::MessageRecord m;
        m.transactionId = QStringLiteral("T-%1-%2-%3").arg(spec.channel, spec.sender).arg(n);
        m.senderUniqueReference = QStringLiteral("S-%1-REF-%2").arg(spec.channel).arg(n);
        m.channel = spec.channel;
        m.eventCode = spec.eventCode;
        m.schemaVersion = QStringLiteral("011");
        m.senderDipId = spec.sender;
        m.senderRole = spec.senderRole;
        m.mpan = spec.mpan;
        m.correlationId = spec.correlation;
        m.environment = spec.environment;
        m.receivedMs = receivedMs;
        m.businessMs = receivedMs;
        m.status = QStringLiteral("GoodToGo");
        m.routing = QStringLiteral("Primary:[MSS:1300000001];Secondary:[];Always:[]");
        m.payload = QStringLiteral("{\"payload\":{\"CommonBlock\":{\"S0\":{\"interfaceID\":\"%1\"}},\"CustomBlock\":{\"note\":\"%2\"}}}")
                        .arg(spec.channel, spec.payloadNote)
                        .toUtf8();
        id = t.insertMessage(m);
        store::DeliveryRecord d;
        d.messageId = id;
        d.recipientDipId = spec.recipient;
        d.recipientRole = spec.recipientRole;
        d.reason = QStringLiteral("Primary");
        d.transactionId = m.transactionId + QStringLiteral("-C");
        d.publicationId = QStringLiteral("PUB-033");
        d.status = spec.deliveryStatus;
        d.createdMs = receivedMs;
        d.deliveredMs = spec.deliveryStatus == QLatin1String("Delivered") ? receivedMs + 40 : 0;
        d.attempts = 1;
        d.body = QByteArrayLiteral("[{\"payload\":{\"CommonBlock\":{\"D0\":{\"transactionID\":\"x\"}}}}]");
        t.insertDelivery(d);
        if (spec.replayed) {
            store::DeliveryRecord r = d;
            r.id = 0;
            r.transactionId = m.transactionId + QStringLiteral("-R");
            r.reason = QStringLiteral("Replay");
            r.replay = true;
            t.insertDelivery(r);
        }
        store::JournalEntry e;
        e.atMs = receivedMs;
        e.messageId = id;
        e.stage = QStringLiteral("Inbound");
        e.status = QStringLiteral("GoodToGo");
        t.journal(e);
        e.atMs = receivedMs + 40;
        e.deliveryId = d.id;
        e.stage = QStringLiteral("Outbound");
        e.status = spec.deliveryStatus;
        t.journal(e);
    });
    s.flush();
    return id;
}

} // namespace dipwb::testui
