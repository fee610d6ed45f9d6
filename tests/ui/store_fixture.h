// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Fills a real workspace database with messages, copies and journal rows, as the emulator would.

#include "participants/participant_loader.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QFile>
#include <QList>
#include <QSettings>
#include <QString>

namespace dipwb::testui {

/// Settings of a test run stay in its own folder, under an application name of its own.
inline void isolateSettings(const QString &dir, const QString &application)
{
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir + QStringLiteral("/settings"));
    QCoreApplication::setOrganizationName(QStringLiteral("dip-workbench-test"));
    QCoreApplication::setApplicationName(application);
}

/// The bundled example market (one participant per role); empty when it cannot be read.
inline QList<participants::Participant> exampleMarket()
{
    QFile f(QStringLiteral(":/dipwb/defaults/example.yaml"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    Issues issues;
    return participants::parseParticipants(f.readAll(), f.fileName(), &issues);
}

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

/// Instant of the first mixed sample: 2024-07-01T08:00:00Z; the others follow a second apart.
constexpr qint64 kMixedT0 = 1719820800000;

/// Thirty messages whose fields vary with their index i (0..29), the set the filter tests count on:
/// every third (i % 3 == 1) an IF-021 from SDS 1400000001 to SUP 2300000185, the rest IF-033 from
/// REGS to MSS 1300000001; MPAN ending in i % 5; a correlation id when i % 4 == 0; a copy Retrying
/// when i % 7 == 0; environment UIT when i % 5 == 2; a replayed copy when i % 6 == 5; the payload
/// note "Meter 50%_special" for i == 17. Returns their ids in order.
inline QList<qint64> insertMixedSamples(store::Store &store)
{
    QList<qint64> ids;
    for (int i = 0; i < 30; ++i) {
        SampleSpec s;
        if (i % 3 == 1) {
            s.channel = QStringLiteral("IF-021");
            s.eventCode = QStringLiteral("[ActivePower]");
            s.sender = QStringLiteral("1400000001");
            s.senderRole = QStringLiteral("SDS");
        }
        s.mpan = QStringLiteral("10123456789%1").arg(i % 5, 2, 10, QLatin1Char('0'));
        s.correlation = i % 4 == 0 ? QStringLiteral("CI-20240701-%1").arg(i / 8) : QString();
        s.deliveryStatus = i % 7 == 0 ? QStringLiteral("Retrying") : QStringLiteral("Delivered");
        s.payloadNote = i == 17 ? QStringLiteral("Meter 50%_special") : QStringLiteral("ordinary");
        s.recipient = i % 3 == 1 ? QStringLiteral("2300000185") : QStringLiteral("1300000001");
        s.recipientRole = i % 3 == 1 ? QStringLiteral("SUP") : QStringLiteral("MSS");
        s.environment = i % 5 == 2 ? QStringLiteral("UIT") : QStringLiteral("SIT");
        s.replayed = i % 6 == 5;
        ids << insertSample(store, s, kMixedT0 + i * 1000, i);
    }
    return ids;
}

} // namespace dipwb::testui
