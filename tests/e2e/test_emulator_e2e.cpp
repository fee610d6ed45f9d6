// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: the real `dipwb serve` on a loopback port, real webhook receivers, a real SQLite file.
#include "common/json_util.h"
#include "dip/dip_client.h"
#include "store/store.h"
#include "emulator_process.h"
#include "request_signer.h"
#include "sample_messages.h"
#include "webhook_receiver.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace dipwb;
using namespace dipwb::testsupport;

namespace {

const QString REGS = QStringLiteral("1100000001");
const QString SUPA = QStringLiteral("2300000185");
const QString SUPB = QStringLiteral("2300000186");
const QString MSS = QStringLiteral("1300000001");
const QString SDS = QStringLiteral("1400000001");
const QString LDSO = QStringLiteral("2500000033");
const QString MDS = QStringLiteral("1800000001");
const QString LSS = QStringLiteral("1900000001");

const char *participantsYaml = R"(participants:
  - {dipId: "1100000001", role: REGS, mpid: REGA, name: Registration}
  - {dipId: "2300000185", role: SUP, mpid: SUPA, name: Supplier A}
  - {dipId: "2300000186", role: SUP, mpid: SUPB, name: Supplier B}
  - {dipId: "1300000001", role: MSS, mpid: MSSA, name: Smart metering}
  - {dipId: "1400000001", role: SDS, mpid: SDSA, name: Smart data}
  - {dipId: "2500000033", role: LDSO, mpid: LDSA, name: Distributor}
  - {dipId: "1800000001", role: MDS, mpid: MDSA, name: Market-wide data service}
  - {dipId: "1900000001", role: LSS, mpid: LSSA, name: Load shaping}
)";

// QCOMPARE cannot take nlohmann values (their implicit conversions collide with Qt Test's
// overloads), so JSON is compared as values and shown as text on failure.
#define QCOMPARE_JSON(actual, expected)                                                                  \
    do {                                                                                                 \
        const OJson a_ = (actual);                                                                       \
        const OJson e_ = (expected);                                                                     \
        QVERIFY2(a_ == e_, qPrintable(QStringLiteral("%1 is %2, expected %3")                              \
                                          .arg(QStringLiteral(#actual), QString::fromStdString(a_.dump()), \
                                               QString::fromStdString(e_.dump()))));                     \
    } while (false)

struct Reply
{
    int status = 0;
    QByteArray body;
    OJson json() const { return OJson::parse(body.constBegin(), body.constEnd(), nullptr, false); }
};

} // namespace

class TestEmulatorE2e final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<EmulatorProcess> m_emulator;
    WebhookReceiver m_receiver;
    RequestSigner m_signer;  // the emulator requires signatures, as the DIP does

    Reply call(const QByteArray &method, const QString &path, const QByteArray &body)
    {
        dip::DipClient client{QUrl(m_emulator->baseUrl())};
        client.setRequestDecorator(m_signer.decorator());
        QEventLoop loop;
        Reply reply;
        client.call(method, path, body, [&](const http::ClientResponse &r) {
            reply = {r.status, r.body};
            loop.quit();
        });
        loop.exec();
        return reply;
    }
    Reply send(const QString &channel, const QByteArray &body) { return call("POST", QStringLiteral("/dip-channel/") + channel, body); }
    void registerWebhook(const QString &dipId, const QString &channel, const QString &path)
    {
        const QByteArray cfg = QStringLiteral("{\"callbackURL\":\"%1\"}").arg(m_receiver.url(path)).toUtf8();
        const Reply r = call("POST", QStringLiteral("/dip-channel/%1/pubconfig/%2").arg(channel, dipId), cfg);
        QCOMPARE(r.status, 201);
    }
    static QString messageCode(const Reply &r)
    {
        const OJson j = r.json();
        if (!j.is_object() || !j.contains("messageArray") || j["messageArray"].empty())
            return {};
        return stringAt(j["messageArray"][0], "message").left(7);
    }
    static OJson commonBlock(const QByteArray &webhookBody)
    {
        const OJson arr = OJson::parse(webhookBody.constBegin(), webhookBody.constEnd(), nullptr, false);
        return arr.at(0).at("payload").at("CommonBlock");
    }
    Header header(const QString &channel, const QString &event, const QString &sender, const QString &role)
    {
        Header h;
        h.interfaceId = channel;
        h.eventCode = event;
        h.senderDipId = sender;
        h.senderRole = role;
        h.mpan = mpanFor(1012345678);
        return h;
    }

    // curl POSTs a file and reports "<http code> <seconds>".
    QStringList curlPost(const QString &file, const QString &url, const QStringList &extraHeaders)
    {
        QStringList args{QStringLiteral("-s"), QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-w"),
                         QStringLiteral("%{http_code} %{time_total}"), QStringLiteral("-H"), QStringLiteral("Content-Type: application/json")};
        for (const QString &h : extraHeaders)
            args << QStringLiteral("-H") << h;
        args << QStringLiteral("--data-binary") << QLatin1Char('@') + file << url;
        QProcess curl;
        curl.start(QStringLiteral("curl"), args);
        if (!curl.waitForFinished(20000))
            return {};
        return QString::fromUtf8(curl.readAllStandardOutput()).split(QLatin1Char(' '));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QFile f(m_dir.filePath(QStringLiteral("participants.yaml")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(participantsYaml);
        f.close();
        QVERIFY(m_receiver.start());
        m_emulator = std::make_unique<EmulatorProcess>(
            m_dir.filePath(QStringLiteral("ws")),
            QStringList{QStringLiteral("--participants"), f.fileName(), QStringLiteral("--retry-base-ms"), QStringLiteral("200"),
                        QStringLiteral("--body-limit"), QString::number(1024 * 1024)});
        QString error;
        QVERIFY2(m_signer.init(m_dir.filePath(QStringLiteral("ws")), &error), qPrintable(error));
        QVERIFY2(m_emulator->start(&error), qPrintable(error));
        for (const QString &channel : {QStringLiteral("IF-033"), QStringLiteral("IF-021"), QStringLiteral("IF-001")})
            for (const QString &id : {SUPA, SUPB, MSS, LDSO, MDS, LSS})
                registerWebhook(id, channel, QStringLiteral("/") + id);
    }

    // Nothing is imported in this workspace: payloads are still checked, against the built-in schemas.
    void aFreshWorkspaceRejectsASchemaInvalidPayload()
    {
        QVERIFY2(m_emulator->output().contains("payload schemas of specification builtin-2.1.0 (built in; nothing pinned)"),
                 m_emulator->output().constData());
        Header h = header(QStringLiteral("IF-033"), QStringLiteral("[MSAppSPRequest]"), REGS, QStringLiteral("REGS"));
        h.primaryRecipients = {MSS};
        OJson bad = if033(h, MSS);
        bad["payload"]["CustomBlock"]["B070"]["proposedMeteringServiceDIPEffectiveFromDate"] = "2024-07-01T00:00:00Z";
        const Reply r = send(QStringLiteral("IF-033"), body({bad}));
        QCOMPARE(r.status, 400);
        QCOMPARE(messageCode(r), QStringLiteral("MSG1001"));
        QCOMPARE(stringAt(r.json()["messageArray"][0], "help"),
                 QStringLiteral("payload[0].CustomBlock.B070.proposedMeteringServiceDIPEffectiveFromDate: 20 characters, "
                                "must be exactly 25 (DT-003)"));
        // The same message with the instant written as DT-003 passes (checked through /validate, so
        // nothing is delivered to the recipients the other tests count on).
        bad["payload"]["CustomBlock"]["B070"]["proposedMeteringServiceDIPEffectiveFromDate"] = "2024-07-01T00:00:00+01:00";
        const Reply ok = call("POST", QStringLiteral("/validate/IF-033/MSAppSPRequest"), body({bad}));
        QCOMPARE(ok.status, 201);
        QCOMPARE(ok.body, QByteArray("\"Message OK\""));
    }

    void if033IsDeliveredToItsPrimaryRecipientWithD0AndA0()
    {
        Header h = header(QStringLiteral("IF-033"), QStringLiteral("[MSAppSPRequest]"), REGS, QStringLiteral("REGS"));
        h.primaryRecipients = {MSS};
        h.correlationId = QStringLiteral("CI-20240701-abc123");
        const Reply r = send(QStringLiteral("IF-033"), body({if033(h, MSS)}));
        QCOMPARE(r.status, 201);
        QCOMPARE(messageCode(r), QStringLiteral("MSG0000"));
        const QString tx = stringAt(r.json()["messageArray"][0], "transactionID");
        QVERIFY(tx.startsWith(QStringLiteral("T-IF-033-") + REGS + QStringLiteral("-REGS-")));

        QVERIFY(m_receiver.waitFor(1, 10000, "/" + MSS.toLatin1()));
        const auto got = m_receiver.receivedOn("/" + MSS.toLatin1());
        QCOMPARE(got.size(), 1);
        const OJson cb = commonBlock(got.first().body);
        QCOMPARE_JSON(cb["A0"]["primaryRecipients"], OJson::array({ss(MSS)}));
        QVERIFY(cb["A0"]["secondaryRecipients"].is_array());
        QVERIFY(cb["A0"]["always"].is_array());
        QCOMPARE_JSON(cb["D0"]["publicationID"], OJson("PUB-033"));
        QCOMPARE_JSON(cb["D0"]["replayIndicator"], OJson(false));
        QCOMPARE_JSON(cb["D0"]["initialCorrelationID"], OJson("CI-20240701-abc123"));
        QVERIFY(cb["D0"]["serviceTicketURL"].is_null());
        QCOMPARE(qs(cb["D0"]["transactionTimestamp"].get<std::string>()).size(), 25);
        QVERIFY(qs(cb["D0"]["transactionID"].get<std::string>()).startsWith(QStringLiteral("T-IF-033-")));
        // Nobody else got it.
        QTest::qWait(200);
        QCOMPARE(m_receiver.received().size(), 1);
    }

    void if021IsRoutedToTheSupplierOfItsSettlementDay()
    {
        // Supplier A from 2024-07-01, supplier B from 2024-09-01 (UK midnight).
        Header cos = header(QStringLiteral("IF-001"), QStringLiteral("[ChangeOfSupplier]"), REGS, QStringLiteral("REGS"));
        cos.primaryRecipients = {SUPA};
        QCOMPARE(send(QStringLiteral("IF-001"), body({if001(cos, SUPA, QStringLiteral("SUPA"), QDate(2024, 7, 1))})).status, 201);
        cos.primaryRecipients = {SUPB};
        QCOMPARE(send(QStringLiteral("IF-001"), body({if001(cos, SUPB, QStringLiteral("SUPB"), QDate(2024, 9, 1))})).status, 201);
        QVERIFY(m_receiver.waitFor(1, 10000, "/" + SUPB.toLatin1()));

        const int beforeA = int(m_receiver.receivedOn("/" + SUPA.toLatin1()).size());
        const int beforeB = int(m_receiver.receivedOn("/" + SUPB.toLatin1()).size());
        const int beforeMds = int(m_receiver.receivedOn("/" + MDS.toLatin1()).size());
        // A late consumption message for August goes to A, although B is the supplier today.
        const Header h = header(QStringLiteral("IF-021"), QStringLiteral("[ActivePower]"), SDS, QStringLiteral("SDS"));
        const Reply r = send(QStringLiteral("IF-021"), body({if021(h, QDate(2024, 8, 15))}));
        QCOMPARE(r.status, 201);
        QVERIFY(m_receiver.waitFor(beforeA + 1, 10000, "/" + SUPA.toLatin1()));
        QVERIFY(m_receiver.waitFor(beforeMds + 1, 10000, "/" + MDS.toLatin1()));
        QTest::qWait(300);
        QCOMPARE(m_receiver.receivedOn("/" + SUPB.toLatin1()).size(), beforeB);
        const OJson cb = commonBlock(m_receiver.receivedOn("/" + SUPA.toLatin1()).last().body);
        QCOMPARE_JSON(cb["S0"]["interfaceID"], OJson("IF-021"));
        QVERIFY(cb["A0"]["secondaryRecipients"].dump().find(ss(SUPA)) != std::string::npos);
        QVERIFY(cb["A0"]["always"].dump().find(ss(MDS)) != std::string::npos);

        // September goes to B.
        QCOMPARE(send(QStringLiteral("IF-021"), body({if021(h, QDate(2024, 9, 10))})).status, 201);
        QVERIFY(m_receiver.waitFor(beforeB + 1, 10000, "/" + SUPB.toLatin1()));
    }

    // A one-message body is stored once, as its message; every request still reads back as sent.
    void acceptedRequestBodiesReadBackAsSent()
    {
        Header h = header(QStringLiteral("IF-033"), QStringLiteral("[MSAppSPRequest]"), REGS, QStringLiteral("REGS"));
        h.primaryRecipients = {MSS};
        const QByteArray compact = body({if033(h, MSS)});
        const QByteArray spaced = QByteArray::fromStdString(OJson::parse(body({if033(h, MSS)})).dump(2));
        QByteArray recased = body({if033(h, MSS)});
        recased.replace("\"senderDIPID\"", "\"SenderDipId\"");  // accepted, and stored in the schema's casing
        const QByteArray two = body({if033(h, MSS), if033(h, MSS)});
        const QList<QByteArray> sent = {compact, spaced, recased, two};
        for (const QByteArray &b : sent)
            QCOMPARE(send(QStringLiteral("IF-033"), b).status, 201);

        Issues issues;
        const auto store = store::Store::openForReading(m_dir.filePath(QStringLiteral("ws/workbench.db")), &issues);
        QVERIFY(store);
        const QList<store::RequestRecord> requests = store->requests(0, -1);
        QVERIFY(requests.size() >= sent.size());
        const QList<store::RequestRecord> last = requests.mid(requests.size() - sent.size());
        for (qsizetype i = 0; i < sent.size(); ++i)
            QCOMPARE(last.at(i).body, sent.at(i));
        // Only the compact one could be stored as its message.
        QCOMPARE(last.at(0).bodyIsMessage, true);
        for (qsizetype i = 1; i < sent.size(); ++i)
            QVERIFY2(!last.at(i).bodyIsMessage, qPrintable(QString::number(i)));
        QCOMPARE(store->request(last.at(0).id)->body, compact);
    }

    void duplicateReferenceIsRejected()
    {
        Header h = header(QStringLiteral("IF-033"), QStringLiteral("[MSAppSPRequest]"), REGS, QStringLiteral("REGS"));
        h.primaryRecipients = {MSS};
        h.reference = uniqueReference(QStringLiteral("IF-033"), REGS, QStringLiteral("REGS"));
        QCOMPARE(send(QStringLiteral("IF-033"), body({if033(h, MSS)})).status, 201);
        const Reply again = send(QStringLiteral("IF-033"), body({if033(h, MSS)}));
        QCOMPARE(again.status, 400);
        QCOMPARE(messageCode(again), QStringLiteral("MSG1006"));
    }

    void badRequestsAreRejectedWithTheirCodes_data()
    {
        QTest::addColumn<QString>("channel");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");
        Header h;
        h.interfaceId = QStringLiteral("IF-033");
        h.eventCode = QStringLiteral("[MSAppSPRequest]");
        h.senderDipId = REGS;
        h.senderRole = QStringLiteral("REGS");
        h.primaryRecipients = {MSS};
        h.mpan = mpanFor(1012345678);
        QTest::newRow("malformed JSON") << "IF-033" << QByteArray("[{\"payload\": {") << "MSG1001";
        QTest::newRow("empty array") << "IF-033" << QByteArray("[]") << "MSG1001";
        QTest::newRow("wrong path id") << "IF-031" << body({if033(h, MSS)}) << "MSG1002";
        Header stranger = h;
        stranger.senderDipId = QStringLiteral("9999999999");
        QTest::newRow("unknown sender") << "IF-033" << body({if033(stranger, MSS)}) << "MSG1009";
    }
    void badRequestsAreRejectedWithTheirCodes()
    {
        QFETCH(QString, channel);
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        const Reply r = send(channel, body);
        QCOMPARE(r.status, 400);
        QCOMPARE(messageCode(r), code);
        const OJson item = r.json()["messageArray"][0];
        QVERIFY2(item.contains("help") && !item["help"].is_null(), r.body.constData());
        for (const char *key : {"transactionID", "senderUniqueReference", "correlationID", "sentTimestamp", "senderID",
                                "recipientID", "DIPConnectionProviderID", "message", "help", "serviceTicketURL"})
            QVERIFY2(item.contains(key), key);
    }

    void overLimitBodyIs413_data()
    {
        QTest::addColumn<QString>("expect");
        QTest::newRow("with Expect: 100-continue") << QStringLiteral("Expect: 100-continue");
        QTest::newRow("body sent at once") << QStringLiteral("Expect:");
    }
    void overLimitBodyIs413()
    {
        QFETCH(QString, expect);
        QFile f(m_dir.filePath(QStringLiteral("2m.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("[" + QByteArray(2 * 1024 * 1024, ' ') + "]");
        f.close();
        const QStringList r = curlPost(f.fileName(), m_emulator->baseUrl() + QStringLiteral("/dip-channel/IF-033"), {expect});
        QCOMPARE(r.value(0), QStringLiteral("413"));
    }

    void recipientThatRecoversGetsTheMessage()
    {
        WebhookReceiver flaky;
        flaky.setStatuses({503, 503, 201});
        QVERIFY(flaky.start());
        const Reply cfg = call("POST", QStringLiteral("/dip-channel/IF-033/pubconfig/%1").arg(MSS),
                               QStringLiteral("{\"callbackURL\":\"%1\"}").arg(flaky.url()).toUtf8());
        QCOMPARE(cfg.status, 201);
        Header h = header(QStringLiteral("IF-033"), QStringLiteral("[MSAppSPRequest]"), REGS, QStringLiteral("REGS"));
        h.primaryRecipients = {MSS};
        QCOMPARE(send(QStringLiteral("IF-033"), body({if033(h, MSS)})).status, 201);
        QVERIFY(flaky.waitFor(3, 15000));
        QTest::qWait(700);
        QCOMPARE(flaky.received().size(), 3); // 503, 503 (retried), 201: then no more
        QCOMPARE(flaky.received().at(0).body, flaky.received().at(2).body);
        registerWebhook(MSS, QStringLiteral("IF-033"), QStringLiteral("/") + MSS);
    }

    void recipientThatRejectsIsNotRetried()
    {
        WebhookReceiver strict;
        strict.setStatuses({400});
        QVERIFY(strict.start());
        QCOMPARE(call("POST", QStringLiteral("/dip-channel/IF-033/pubconfig/%1").arg(MSS),
                      QStringLiteral("{\"callbackURL\":\"%1\"}").arg(strict.url()).toUtf8()).status, 201);
        Header h = header(QStringLiteral("IF-033"), QStringLiteral("[MSAppSPRequest]"), REGS, QStringLiteral("REGS"));
        h.primaryRecipients = {MSS};
        QCOMPARE(send(QStringLiteral("IF-033"), body({if033(h, MSS)})).status, 201);
        QVERIFY(strict.waitFor(1, 10000));
        QTest::qWait(1500); // several back-off periods of 200 ms
        QCOMPARE(strict.received().size(), 1);
        registerWebhook(MSS, QStringLiteral("IF-033"), QStringLiteral("/") + MSS);
    }

    void replayReturnsPastPublicationsMarkedAsReplays()
    {
        const Reply r = call("POST", QStringLiteral("/dip-channel/IF-033/replay/%1").arg(MSS),
                             QByteArrayLiteral(R"({"datetimeFrom":null,"datetimeTo":null,"eventCode":"[MSAppSPRequest]","MPAN":null,"version":null})"));
        QCOMPARE(r.status, 200);
        const OJson arr = r.json();
        QVERIFY(arr.is_array());
        QVERIFY(arr.size() >= 3);
        for (const OJson &item : arr)
            QCOMPARE_JSON(item["payload"]["CommonBlock"]["D0"]["replayIndicator"], OJson(true));
        const Reply bad = call("POST", QStringLiteral("/dip-channel/IF-033/replay/%1").arg(MSS),
                               QByteArrayLiteral(R"({"datetimeFrom":"2024-01-01T00:00:00Z"})"));
        QCOMPARE(bad.status, 400);
        QVERIFY(bad.body.contains("datetimeFrom"));
    }

    void requeuePushesPublicationsAgain()
    {
        const int before = int(m_receiver.receivedOn("/" + MSS.toLatin1()).size());
        const Reply r = call("POST", QStringLiteral("/dip-channel/IF-033/requeue/%1").arg(MSS),
                             QByteArrayLiteral(R"({"eventCode":"[MSAppSPRequest]"})"));
        QCOMPARE(r.status, 200);
        const int n = r.json()["requeued"].get<int>();
        QVERIFY(n >= 3);
        QVERIFY(m_receiver.waitFor(before + n, 10000, "/" + MSS.toLatin1()));
        const OJson cb = commonBlock(m_receiver.receivedOn("/" + MSS.toLatin1()).last().body);
        QCOMPARE_JSON(cb["D0"]["replayIndicator"], OJson(true));
    }

    void statusMessageReachesTheOriginalSender()
    {
        WebhookReceiver regsStatus;
        QVERIFY(regsStatus.start());
        QCOMPARE(call("POST", QStringLiteral("/statusmessage/config/%1").arg(REGS),
                      QStringLiteral("{\"callbackURL\":\"%1\"}").arg(regsStatus.url(QStringLiteral("/status"))).toUtf8()).status, 201);
        const int before = int(m_receiver.receivedOn("/" + MSS.toLatin1()).size());
        Header h = header(QStringLiteral("IF-033"), QStringLiteral("[MSAppSPRequest]"), REGS, QStringLiteral("REGS"));
        h.primaryRecipients = {MSS};
        QCOMPARE(send(QStringLiteral("IF-033"), body({if033(h, MSS)})).status, 201);
        QVERIFY(m_receiver.waitFor(before + 1, 10000, "/" + MSS.toLatin1()));
        const OJson cb = commonBlock(m_receiver.receivedOn("/" + MSS.toLatin1()).last().body);
        const std::string tx = cb["D0"]["transactionID"].get<std::string>();
        OJson status = OJson::array({{{"transactionID", tx}, {"senderID", ss(MSS)}, {"message", "RCP1061 - MPAN unknown"}, {"help", "not ours"}}});
        const Reply r = call("POST", QStringLiteral("/statusmessage"), qb(status.dump()));
        QCOMPARE(r.status, 201);
        QVERIFY(regsStatus.waitFor(1, 10000));
        QVERIFY(regsStatus.received().first().body.contains("RCP1061"));
        const Reply unknown = call("POST", QStringLiteral("/statusmessage"),
                                   QByteArrayLiteral(R"([{"transactionID":"T-NOPE","message":"RCP0000 - OK"}])"));
        QCOMPARE(unknown.status, 400);
        QVERIFY(unknown.body.contains("T-NOPE"));
    }

    void l2FailureGoesToTheSendersStatusWebhook()
    {
        WebhookReceiver regsStatus;
        QVERIFY(regsStatus.start());
        QCOMPARE(call("POST", QStringLiteral("/statusmessage/config/%1").arg(REGS),
                      QStringLiteral("{\"callbackURL\":\"%1\"}").arg(regsStatus.url(QStringLiteral("/status"))).toUtf8()).status, 201);
        Header h = header(QStringLiteral("IF-033"), QStringLiteral("[MSAppSPRequest]"), REGS, QStringLiteral("REGS"));
        h.primaryRecipients = {QStringLiteral("7777777777")};
        QCOMPARE(send(QStringLiteral("IF-033"), body({if033(h, MSS)})).status, 201); // L2 is asynchronous
        QVERIFY(regsStatus.waitFor(1, 10000));
        QVERIFY2(regsStatus.received().first().body.contains("MSG1031"), regsStatus.received().first().body.constData());
    }

    void wrongMethodAndUnknownPath()
    {
        QCOMPARE(call("GET", QStringLiteral("/dip-channel/IF-033"), {}).status, 405);
        QCOMPARE(call("POST", QStringLiteral("/no/such/path"), "[]").status, 404);
    }

    void curlWithExpectContinueDoesNotStall()
    {
        Header h = header(QStringLiteral("IF-033"), QStringLiteral("[MSAppSPRequest]"), REGS, QStringLiteral("REGS"));
        h.primaryRecipients = {MSS};
        // Several valid messages in one request make a body of over 5 KB (each reference fresh).
        QList<OJson> messages;
        while (body(messages).size() <= 5000)
            messages << if033(h, MSS);
        QFile f(m_dir.filePath(QStringLiteral("5k.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(body(messages));
        f.close();
        QVERIFY(f.size() > 5000);
        const QString url = m_emulator->baseUrl() + QStringLiteral("/dip-channel/IF-033");
        const QStringList parts = curlPost(f.fileName(), url,
                                           QStringList{QStringLiteral("Expect: 100-continue")} + m_signer.curlHeaders("POST", url, body(messages)));
        QCOMPARE(parts.size(), 2);
        QCOMPARE(parts.at(0), QStringLiteral("201"));
        QVERIFY2(parts.at(1).toDouble() < 0.5, qPrintable(parts.at(1)));
    }

    // Last: kills the server.
    void acknowledgedMessageSurvivesSigkill()
    {
        // The recipient is down when the message is acknowledged; the server dies right after the 201.
        WebhookReceiver late;
        QVERIFY(late.start());
        const quint16 port = late.port();
        QCOMPARE(call("POST", QStringLiteral("/dip-channel/IF-033/pubconfig/%1").arg(MSS),
                      QStringLiteral("{\"callbackURL\":\"%1\"}").arg(late.url()).toUtf8()).status, 201);
        late.stop();
        Header h = header(QStringLiteral("IF-033"), QStringLiteral("[MSAppSPRequest]"), REGS, QStringLiteral("REGS"));
        h.primaryRecipients = {MSS};
        const QString ref = uniqueReference(QStringLiteral("IF-033"), REGS, QStringLiteral("REGS"));
        h.reference = ref;
        QCOMPARE(send(QStringLiteral("IF-033"), body({if033(h, MSS)})).status, 201);
        m_emulator->kill();

        QVERIFY(late.start(port));
        QString error;
        QVERIFY2(m_emulator->start(&error), qPrintable(error));
        // Copies of earlier tests still in flight at the kill may be resumed to this webhook too, so
        // the acknowledged message need not arrive first; it must arrive.
        const auto delivered = [&] {
            for (const auto &r : late.received())
                if (r.body.contains(ref.toUtf8()))
                    return true;
            return false;
        };
        QTRY_VERIFY2_WITH_TIMEOUT(delivered(), "the acknowledged message was not delivered after the restart", 15000);
        // And the reference is still known after the restart.
        QCOMPARE(messageCode(send(QStringLiteral("IF-033"), body({if033(h, MSS)}))), QStringLiteral("MSG1006"));
    }
};

QTEST_GUILESS_MAIN(TestEmulatorE2e)
#include "test_emulator_e2e.moc"
