// SPDX-License-Identifier: GPL-3.0-or-later
// An acknowledged message is never lost: the real `dipwb serve` killed with SIGKILL under load, 20
// times, then every message it answered 201 must be stored and delivered, the journal chain whole;
// a recipient down for 30 s gets everything once it is back; a recipient that hangs does not hold
// up the others.
#include "common/json_util.h"
#include "dip/dip_client.h"
#include "emulator_process.h"
#include "sample_messages.h"
#include "store/store.h"
#include "tracker/message_filter.h"
#include "webhook_receiver.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace dipwb;
using namespace dipwb::testsupport;

namespace {

const QString REGS = QStringLiteral("1100000001");
const QString MSS = QStringLiteral("1300000001");
const QString MSS2 = QStringLiteral("1300000002");

const char *participantsYaml = "participants:\n"
                               "  - {dipId: \"1100000001\", role: REGS, mpid: REGA, name: Registration}\n"
                               "  - {dipId: \"1300000001\", role: MSS, mpid: MSSA, name: Smart metering A}\n"
                               "  - {dipId: \"1300000002\", role: MSS, mpid: MSSB, name: Smart metering B}\n";

/// Keeps `inFlight` sends going to the emulator and remembers which references it acknowledged.
class Load final : public QObject
{
public:
    Load(const QString &baseUrl, const QString &recipient, int inFlight) : m_client(QUrl(baseUrl)), m_recipient(recipient)
    {
        for (int i = 0; i < inFlight; ++i)
            sendOne();
    }
    void stop() { m_stopped = true; }
    const QStringList &acknowledged() const { return m_acked; }
    int failed() const { return m_failed; }

private:
    void sendOne()
    {
        if (m_stopped)
            return;
        Header h;
        h.interfaceId = QStringLiteral("IF-033");
        h.eventCode = QStringLiteral("[MSAppSPRequest]");
        h.senderDipId = REGS;
        h.senderRole = QStringLiteral("REGS");
        h.mpan = mpanFor(1000000 + (m_next++));
        h.primaryRecipients = {m_recipient};
        h.reference = uniqueReference(h.interfaceId, REGS, h.senderRole);
        const QString ref = h.reference;
        m_client.send(QStringLiteral("IF-033"), body({if033(h, m_recipient)}), [this, ref](const http::ClientResponse &r) {
            if (r.status == 201)
                m_acked << ref;
            else
                ++m_failed; // refused or cut off by the kill: not acknowledged, so not promised
            QTimer::singleShot(0, this, [this] { sendOne(); });
        });
    }

    dip::DipClient m_client;
    QString m_recipient;
    QStringList m_acked;
    int m_failed = 0;
    int m_next = 0;
    bool m_stopped = false;
};

QStringList serveArgs(const QString &participants, const QStringList &more)
{
    return QStringList{QStringLiteral("--participants"), participants, QStringLiteral("--signatures"), QStringLiteral("off"),
                       QStringLiteral("--unsigned-webhooks")}
        + more;
}

/// The sender unique references of every webhook call body.
QSet<QString> referencesIn(const WebhookReceiver &receiver, QHash<QString, QSet<QString>> *transactionsByRef = nullptr)
{
    QSet<QString> refs;
    for (const auto &r : receiver.received()) {
        const OJson arr = OJson::parse(r.body.constBegin(), r.body.constEnd(), nullptr, false);
        if (!arr.is_array())
            continue;
        for (const auto &element : arr) {
            const OJson cb = element.value("payload", OJson::object()).value("CommonBlock", OJson::object());
            const QString ref = stringAt(cb.value("S1", OJson::object()), "senderUniqueReference");
            refs.insert(ref);
            if (transactionsByRef)
                (*transactionsByRef)[ref].insert(stringAt(cb.value("D0", OJson::object()), "transactionID"));
        }
    }
    return refs;
}

} // namespace

class TestCrashRecovery final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_participants;

    bool registerWebhook(const QString &baseUrl, const QString &dipId, const QString &url)
    {
        dip::DipClient client{QUrl(baseUrl)};
        QEventLoop loop;
        int status = 0;
        client.call("POST", QStringLiteral("/dip-channel/IF-033/pubconfig/%1").arg(dipId),
                    QStringLiteral("{\"callbackURL\":\"%1\"}").arg(url).toUtf8(), [&](const http::ClientResponse &r) {
                        status = r.status;
                        loop.quit();
                    });
        loop.exec();
        return status == 201;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QFile f(m_dir.filePath(QStringLiteral("participants.yaml")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(participantsYaml);
        m_participants = f.fileName();
    }

    void sigkillUnderLoadLosesNothingAcknowledged()
    {
        const QString ws = m_dir.filePath(QStringLiteral("crash"));
        WebhookReceiver recipient;
        QVERIFY(recipient.start());
        EmulatorProcess emulator(ws, serveArgs(m_participants, {QStringLiteral("--retry-base-ms"), QStringLiteral("200"),
                                                                QStringLiteral("--max-attempts"), QStringLiteral("20")}));
        QString error;
        QVERIFY2(emulator.start(&error), qPrintable(error));
        QVERIFY(registerWebhook(emulator.baseUrl(), MSS, recipient.url()));

        QStringList acknowledged;
        int cutOff = 0;
        constexpr int kCycles = 20;
        for (int cycle = 0; cycle < kCycles; ++cycle) {
            if (cycle > 0)
                QVERIFY2(emulator.start(&error), qPrintable(QStringLiteral("restart %1: %2").arg(cycle).arg(error)));
            auto load = std::make_unique<Load>(emulator.baseUrl(), MSS, 8);
            // A random moment: while requests are being parsed, committed, answered and delivered.
            QTest::qWait(150 + int(QRandomGenerator::global()->bounded(450)));
            emulator.kill();
            load->stop();
            QTest::qWait(50); // let the cut-off sends report their errors
            acknowledged << load->acknowledged();
            cutOff += load->failed();
            load.reset();
        }
        QVERIFY2(acknowledged.size() > kCycles * 5, qPrintable(QStringLiteral("only %1 acknowledged").arg(acknowledged.size())));
        qInfo("%d cycles: %lld messages acknowledged, %d sends cut off by a kill", kCycles, qint64(acknowledged.size()), cutOff);

        // After the last restart, every acknowledged message is stored and reaches its recipient.
        QVERIFY2(emulator.start(&error), qPrintable(error));
        const QSet<QString> wanted(acknowledged.cbegin(), acknowledged.cend());
        QTRY_VERIFY_WITH_TIMEOUT(referencesIn(recipient).contains(wanted), 60000);
        QHash<QString, QSet<QString>> transactions;
        referencesIn(recipient, &transactions);
        for (const QString &ref : wanted)
            // Delivered at least once; a repeat after a kill carries the same transaction id.
            QVERIFY2(transactions.value(ref).size() == 1, qPrintable(ref + QStringLiteral(" arrived with several transaction ids")));

        Issues issues;
        auto store = store::Store::openForReading(ws + QStringLiteral("/workbench.db"), &issues);
        QVERIFY(store);
        for (const QString &ref : wanted) {
            tracker::MessageFilter f;
            f.anyId = ref;
            QVERIFY2(store->messageIds(f, 0, 2).size() == 1, qPrintable(ref + QStringLiteral(" is not stored exactly once")));
        }
        QString why;
        QCOMPARE(store->verifyJournal(&why), qint64(0));
        QVERIFY2(why.isEmpty(), qPrintable(why));
        emulator.terminate();
    }

    void aRecipientDownThirtySecondsGetsEverythingBack()
    {
        const QString ws = m_dir.filePath(QStringLiteral("down"));
        WebhookReceiver recipient;
        QVERIFY(recipient.start());
        const quint16 port = recipient.port();
        // Retries after 0.5, 1, 2 ... s: the seventh attempt comes 31.5 s after the first.
        EmulatorProcess emulator(ws, serveArgs(m_participants, {QStringLiteral("--retry-base-ms"), QStringLiteral("500"),
                                                                QStringLiteral("--max-attempts"), QStringLiteral("9")}));
        QString error;
        QVERIFY2(emulator.start(&error), qPrintable(error));
        QVERIFY(registerWebhook(emulator.baseUrl(), MSS, recipient.url()));
        recipient.stop();

        Load load(emulator.baseUrl(), MSS, 4);
        QTRY_VERIFY_WITH_TIMEOUT(load.acknowledged().size() >= 40, 20000);
        load.stop();
        QTest::qWait(200);
        const QSet<QString> wanted(load.acknowledged().cbegin(), load.acknowledged().cend());
        QElapsedTimer down;
        down.start();
        QTest::qWait(30000);
        QVERIFY(recipient.start(port));
        const qint64 back = down.elapsed();
        QTRY_VERIFY_WITH_TIMEOUT(referencesIn(recipient).contains(wanted), 60000);
        qInfo("recipient down %lld ms; all %lld messages delivered %lld ms after it came back", back, qint64(wanted.size()),
              down.elapsed() - back);
        emulator.terminate();
    }

    void aHangingRecipientDoesNotDelayTheOthers()
    {
        const QString ws = m_dir.filePath(QStringLiteral("hang"));
        WebhookReceiver hanging, healthy;
        hanging.setHang(true);
        QVERIFY(hanging.start());
        QVERIFY(healthy.start());
        EmulatorProcess emulator(ws, serveArgs(m_participants, {}));
        QString error;
        QVERIFY2(emulator.start(&error), qPrintable(error));
        QVERIFY(registerWebhook(emulator.baseUrl(), MSS, hanging.url()));
        QVERIFY(registerWebhook(emulator.baseUrl(), MSS2, healthy.url()));

        // First the hanging one gets work enough to fill every connection the DIP opens to it.
        Load stuck(emulator.baseUrl(), MSS, 4);
        QTRY_VERIFY_WITH_TIMEOUT(stuck.acknowledged().size() >= 30, 20000);
        stuck.stop();
        QTRY_VERIFY_WITH_TIMEOUT(hanging.received().size() >= 8, 10000);

        QElapsedTimer t;
        t.start();
        Load fine(emulator.baseUrl(), MSS2, 4);
        QTRY_VERIFY_WITH_TIMEOUT(fine.acknowledged().size() >= 30, 20000);
        fine.stop();
        const QSet<QString> wanted(fine.acknowledged().cbegin(), fine.acknowledged().cend());
        // Far inside the 30 s the DIP waits for the hanging webhook before it gives up on a call.
        QTRY_VERIFY_WITH_TIMEOUT(referencesIn(healthy).contains(wanted), 10000);
        qInfo("%lld messages to the healthy recipient delivered in %lld ms while the other hangs", qint64(wanted.size()), t.elapsed());
        emulator.terminate();
    }
};

QTEST_GUILESS_MAIN(TestCrashRecovery)
#include "test_crash_recovery.moc"
