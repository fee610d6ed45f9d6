// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: signatures, the workspace CA, mutual TLS and API keys against the real `dipwb serve`,
// with the openssl and curl tools as the independent implementation.
#include "common/json_util.h"
#include "dip/dip_client.h"
#include "security/recorded_call.h"
#include "store/store.h"
#include "emulator_process.h"
#include "request_signer.h"
#include "sample_messages.h"
#include "webhook_receiver.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace dipwb;
using namespace dipwb::testsupport;

namespace {

const QString REGS = QStringLiteral("1100000001");
const QString MSS = QStringLiteral("1300000001");
const QString SUPA = QStringLiteral("2300000185");

const char *participantsYaml = R"(participants:
  - {dipId: "1100000001", role: REGS, mpid: REGA, name: Registration}
  - {dipId: "1300000001", role: MSS, mpid: MSSA, name: Smart metering}
  - {dipId: "2300000185", role: SUP, mpid: SUPA, name: Supplier A}
)";

struct Reply
{
    int status = 0;
    QByteArray body;
    bool connectionFailed = false;
    QString error;
    QString help() const
    {
        const OJson j = OJson::parse(body.constBegin(), body.constEnd(), nullptr, false);
        if (!j.is_object() || !j.contains("messageArray") || j["messageArray"].empty())
            return {};
        return stringAt(j["messageArray"][0], "help");
    }
};

struct Run
{
    int exitCode = -1;
    QByteArray out, err;
    QByteArray all() const { return out + err; }
};

Run run(const QString &program, const QStringList &args, const QByteArray &input = {})
{
    QProcess p;
    p.start(program, args);
    p.write(input);
    p.closeWriteChannel();
    Run r;
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

using Tamper = std::function<void(http::ClientRequest &)>;

void setHeader(http::ClientRequest &r, const char *name, const QByteArray &value)
{
    for (auto &h : r.headers)
        if (h.first == name)
            h.second = value;
}

} // namespace

Q_DECLARE_METATYPE(Tamper)

class TestSecurityE2e final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_ws, m_participants;
    RequestSigner m_signer;
    std::unique_ptr<EmulatorProcess> m_emulator;
    WebhookReceiver m_receiver;

    Reply call(const QString &base, const QByteArray &method, const QString &path, const QByteArray &body,
               std::function<void(http::ClientRequest &)> decorate, const QSslConfiguration *tls = nullptr)
    {
        dip::DipClient client{QUrl(base)};
        client.setTimeoutMs(10000);
        if (tls)
            client.setSslConfiguration(*tls);
        client.setRequestDecorator(std::move(decorate));
        QEventLoop loop;
        Reply reply;
        client.call(method, path, body, [&](const http::ClientResponse &r) {
            reply = {r.status, r.body, r.connectionFailed, r.error};
            loop.quit();
        });
        loop.exec();
        return reply;
    }
    Reply signedCall(const QByteArray &method, const QString &path, const QByteArray &body)
    {
        return call(m_emulator->baseUrl(), method, path, body, m_signer.decorator());
    }
    QByteArray if033From(const QString &sender)
    {
        Header h;
        h.interfaceId = QStringLiteral("IF-033");
        h.eventCode = QStringLiteral("[MSAppSPRequest]");
        h.senderDipId = sender;
        h.senderRole = sender == REGS ? QStringLiteral("REGS") : QStringLiteral("SUP");
        h.primaryRecipients = {MSS};
        h.mpan = mpanFor(1012345678);
        return body({if033(h, MSS)});
    }
    // The last request row's recorded signature verdict (the tracker data), read with the sqlite3
    // tool. Rejected requests are journaled after the answer, so it waits for the expected verdict.
    QString lastRecordedSignature(const QString &ws, const QString &expectedPrefix)
    {
        QString last;
        for (int i = 0; i < 50; ++i) {
            const Run r = run(QStringLiteral("sqlite3"), {QStringLiteral("-readonly"), ws + QStringLiteral("/workbench.db"),
                                                          QStringLiteral("select signature from requests order by id desc limit 1")});
            last = QString::fromUtf8(r.out).trimmed();
            if (last.startsWith(expectedPrefix))
                break;
            QTest::qWait(100);
        }
        return last;
    }
    QSslConfiguration clientTls(const QString &certPath, const QString &keyPath)
    {
        QSslConfiguration c = QSslConfiguration::defaultConfiguration();
        c.setCaCertificates(QSslCertificate::fromData(readFile(m_signer.ca().caCertPath())));
        if (!certPath.isEmpty()) {
            c.setLocalCertificate(QSslCertificate(readFile(certPath)));
            c.setPrivateKey(QSslKey(readFile(keyPath), QSsl::Rsa));
        }
        return c;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_ws = m_dir.filePath(QStringLiteral("ws"));
        m_participants = m_dir.filePath(QStringLiteral("participants.yaml"));
        QVERIFY(writeFile(m_participants, participantsYaml));
        QString error;
        QVERIFY2(m_signer.init(m_ws, &error), qPrintable(error));
        for (const QString &id : {REGS, MSS, SUPA})
            QVERIFY(m_signer.identity(id));
        QVERIFY(m_receiver.start());
        m_emulator = std::make_unique<EmulatorProcess>(m_ws, QStringList{QStringLiteral("--participants"), m_participants});
        QVERIFY2(m_emulator->start(&error), qPrintable(error));
        QVERIFY2(m_emulator->output().contains("signatures require"), m_emulator->output().constData());
        const QByteArray cfg = QStringLiteral("{\"callbackURL\":\"%1\"}").arg(m_receiver.url(QStringLiteral("/mss"))).toUtf8();
        QCOMPARE(signedCall("POST", QStringLiteral("/dip-channel/IF-033/pubconfig/%1").arg(MSS), cfg).status, 201);
    }

    void signedRequestIsAcceptedAndItsVerdictRecorded()
    {
        const Reply r = signedCall("POST", QStringLiteral("/dip-channel/IF-033"), if033From(REGS));
        QCOMPARE(r.status, 201);
        QCOMPARE(lastRecordedSignature(m_ws, QStringLiteral("valid")), QStringLiteral("valid (signed by 1100000001)"));

        // The copy's webhook call is kept as sent, and its signature (the DIP's) checks out.
        QTRY_VERIFY_WITH_TIMEOUT(!m_receiver.receivedOn("/mss").isEmpty(), 10000);
        Issues issues;
        const auto store = store::Store::openForReading(m_ws + QStringLiteral("/workbench.db"), &issues);
        QVERIFY(store);
        std::optional<store::DeliveryCall> call;
        store::DeliveryRecord copy;
        for (int i = 0; i < 50 && !call; ++i) {
            store::PublicationQuery q;
            q.recipientDipId = MSS;
            const auto copies = store->publications(q);
            if (!copies.isEmpty()) {
                copy = copies.last().first;
                call = store->deliveryCall(copy.id);
            }
            if (!call)
                QTest::qWait(100);
        }
        QVERIFY(call);
        const QByteArray line = "POST " + m_receiver.url(QStringLiteral("/mss")).toUtf8();
        QVERIFY2(call->request.startsWith(line), call->request.constData());
        security::SignatureVerifier verifier;
        QVERIFY(verifier.addTrustedCaFile(m_signer.ca().caCertPath()));
        const auto verdict = security::checkRecordedCall(call->request, copy.body, call->atMs, verifier);
        QVERIFY2(verdict && verdict->ok(), verdict ? qPrintable(verdict->toString()) : "unsigned");
        QCOMPARE(verdict->signerId, QStringLiteral("0000000000"));
    }

    void rejectionsNameTheirCause_data()
    {
        QTest::addColumn<QString>("signAs");
        QTest::addColumn<Tamper>("tamper");
        QTest::addColumn<QString>("cause");
        const auto none = Tamper([](http::ClientRequest &) {});
        QTest::newRow("unsigned") << QString() << none << "missing-header";
        QTest::newRow("tampered body") << REGS << Tamper([](http::ClientRequest &r) { r.body.replace("MSAppSPRequest", "MSAppSPRequesT"); })
                                       << "hash-mismatch";
        QTest::newRow("tampered URL") << REGS << Tamper([](http::ClientRequest &r) { r.url.setQuery(QStringLiteral("x=1")); })
                                      << "bad-signature";
        QTest::newRow("wrong key") << REGS << Tamper([this](http::ClientRequest &r) {
            http::ClientRequest other = r;
            security::signClientRequest(other, *m_signer.identity(SUPA));
            setHeader(r, security::kSignatureHeader, http::headerValue(other.headers, security::kSignatureHeader));
        }) << "bad-signature";
        QTest::newRow("another participant's certificate") << SUPA << none << "wrong-sender";
        QTest::newRow("expired certificate") << QStringLiteral("expired") << none << "certificate-expired";
        QTest::newRow("foreign CA") << QStringLiteral("foreign") << none << "certificate-untrusted";
        QTest::newRow("date 10 minutes old") << REGS << Tamper([this](http::ClientRequest &r) {
            const auto h = security::signRequest(*m_signer.identity(REGS), r.method, security::signedUrl(r), r.body,
                                                 QDateTime::currentDateTimeUtc().addSecs(-600));
            r.headers.removeIf([](const auto &f) { return f.first.startsWith("X-DIP-"); });
            r.headers << h.toHeaders();
        }) << "date-outside-skew";
        QTest::newRow("garbage in every header") << REGS << Tamper([](http::ClientRequest &r) {
            for (const char *n : {security::kDateHeader, security::kHashHeader, security::kSignatureHeader, security::kCertificateHeader})
                setHeader(r, n, "\x01garbage!");
        }) << "bad-base64";
        QTest::newRow("garbage date") << REGS << Tamper([](http::ClientRequest &r) { setHeader(r, security::kDateHeader, "soon"); })
                                      << "bad-date";
        QTest::newRow("garbage certificate") << REGS << Tamper([](http::ClientRequest &r) {
            setHeader(r, security::kCertificateHeader, QByteArray("junk").toBase64());
        }) << "certificate-unreadable";
    }
    void rejectionsNameTheirCause()
    {
        QFETCH(QString, signAs);
        QFETCH(Tamper, tamper);
        QFETCH(QString, cause);
        security::IdentityPtr id;
        QString error;
        if (signAs == QLatin1String("expired")) {
            security::WorkspaceCa::IssueOptions o;
            o.backdateDays = 30;
            o.validityDays = 10;
            const QString c = m_dir.filePath(QStringLiteral("expired-cert.pem")), k = m_dir.filePath(QStringLiteral("expired-key.pem"));
            QVERIFY2(m_signer.ca().issueTo(REGS, o, c, k, &error), qPrintable(error));
            id = security::SigningIdentity::load(c, k, &error);
        } else if (signAs == QLatin1String("foreign")) {
            security::WorkspaceCa foreign(m_dir.filePath(QStringLiteral("foreign/certificates")));
            QVERIFY2(foreign.init(QStringLiteral("0000000000"), &error) && foreign.issue(REGS, &error), qPrintable(error));
            id = foreign.participantIdentity(REGS, &error);
        } else if (!signAs.isEmpty()) {
            id = m_signer.identity(signAs);
        }
        QVERIFY2(signAs.isEmpty() || id, qPrintable(error));
        const Reply r = call(m_emulator->baseUrl(), "POST", QStringLiteral("/dip-channel/IF-033"), if033From(REGS),
                             [id, tamper](http::ClientRequest &rq) {
                                 if (id)
                                     security::signClientRequest(rq, *id);
                                 tamper(rq);
                             });
        QCOMPARE(r.status, 401);
        QVERIFY2(r.help().startsWith(cause + QLatin1Char(':')), qPrintable(r.help()));
        QVERIFY2(r.body.contains("\"401 - Unauthorized\""), r.body.constData());
        const QString recorded = lastRecordedSignature(m_ws, cause);
        QVERIFY2(recorded.startsWith(cause), qPrintable(recorded));
    }

    // The independent implementation: nothing of ours signs this request.
    void requestSignedWithOpensslAndCurlOnlyIsAccepted()
    {
        const QString bodyFile = m_dir.filePath(QStringLiteral("cli-body.json"));
        QVERIFY(writeFile(bodyFile, if033From(REGS)));
        const QString url = m_emulator->baseUrl() + QStringLiteral("/dip-channel/IF-033");
        const QString script = QStringLiteral(R"(set -e
date=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
hash=$(openssl dgst -sha256 -binary "$1" | openssl base64 -A)
lc=$(printf '%s' "$2" | tr 'A-Z' 'a-z')
sig=$(printf '%s' "POST;$lc;$date;$hash" | openssl dgst -sha256 -sign "$3" | openssl base64 -A)
cert=$(openssl base64 -A -in "$4")
curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -H "X-DIP-Signature-Date: $date" -H "X-DIP-Content-Hash: $hash" -H "X-DIP-Signature: $sig" \
  -H "X-DIP-Signature-Certificate: $cert" --data-binary "@$1" "$2")");
        const Run r = run(QStringLiteral("bash"), {QStringLiteral("-c"), script, QStringLiteral("sign"), bodyFile, url,
                                                  m_signer.ca().participantKeyPath(REGS), m_signer.ca().participantCertPath(REGS)});
        QCOMPARE(QString::fromUtf8(r.out), QStringLiteral("201"));
    }

    void webhookCallVerifiesWithOpenssl()
    {
        const int before = int(m_receiver.receivedOn("/mss").size());
        QCOMPARE(signedCall("POST", QStringLiteral("/dip-channel/IF-033"), if033From(REGS)).status, 201);
        QVERIFY(m_receiver.waitFor(before + 1, 10000, "/mss"));
        const auto got = m_receiver.receivedOn("/mss").last();
        const QByteArray date = http::headerValue(got.headers, security::kDateHeader);
        const QByteArray hash = http::headerValue(got.headers, security::kHashHeader);
        QCOMPARE(hash, security::contentHash(got.body));
        const QString certFile = m_dir.filePath(QStringLiteral("webhook-cert.pem")), pub = m_dir.filePath(QStringLiteral("webhook-pub.pem")),
                      sig = m_dir.filePath(QStringLiteral("webhook.sig")), text = m_dir.filePath(QStringLiteral("webhook.txt"));
        QVERIFY(writeFile(certFile, QByteArray::fromBase64(http::headerValue(got.headers, security::kCertificateHeader))));
        QVERIFY(writeFile(sig, QByteArray::fromBase64(http::headerValue(got.headers, security::kSignatureHeader))));
        QVERIFY(writeFile(text, "POST;" + m_receiver.url(QStringLiteral("/mss")).toLower().toUtf8() + ';' + date + ';' + hash));
        const Run key = run(QStringLiteral("openssl"), {QStringLiteral("x509"), QStringLiteral("-in"), certFile, QStringLiteral("-pubkey"), QStringLiteral("-noout")});
        QVERIFY(writeFile(pub, key.out));
        const Run v = run(QStringLiteral("openssl"), {QStringLiteral("dgst"), QStringLiteral("-sha256"), QStringLiteral("-verify"), pub,
                                                      QStringLiteral("-signature"), sig, text});
        QVERIFY2(v.exitCode == 0 && v.out.contains("Verified OK"), v.all().constData());
        const Run chain = run(QStringLiteral("openssl"), {QStringLiteral("verify"), QStringLiteral("-CAfile"), m_signer.ca().caCertPath(), certFile});
        QVERIFY2(chain.exitCode == 0, chain.all().constData());
        const Run subject = run(QStringLiteral("openssl"), {QStringLiteral("x509"), QStringLiteral("-in"), certFile, QStringLiteral("-noout"), QStringLiteral("-subject")});
        QVERIFY2(subject.out.contains("CN = 0000000000"), subject.out.constData());
    }

    void dipwbSignHeadersWorkWithCurl()
    {
        const QString bodyFile = m_dir.filePath(QStringLiteral("sign-body.json")), headers = m_dir.filePath(QStringLiteral("headers.txt"));
        QVERIFY(writeFile(bodyFile, if033From(REGS)));
        const QString url = m_emulator->baseUrl() + QStringLiteral("/dip-channel/IF-033");
        const Run s = run(EmulatorProcess::program(), {QStringLiteral("sign"), bodyFile, QStringLiteral("--url"), url,
                                                       QStringLiteral("--as"), REGS, QStringLiteral("--workspace"), m_ws});
        QCOMPARE(s.exitCode, 0);
        QVERIFY2(s.out.contains("X-DIP-Signature-Certificate: "), s.out.constData());
        QVERIFY(writeFile(headers, s.out));
        const Run c = run(QStringLiteral("curl"), {QStringLiteral("-s"), QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-w"),
                                                   QStringLiteral("%{http_code}"), QStringLiteral("-H"), QLatin1Char('@') + headers,
                                                   QStringLiteral("--data-binary"), QLatin1Char('@') + bodyFile, url});
        QCOMPARE(QString::fromUtf8(c.out), QStringLiteral("201"));
    }

    void dipwbSendSignsAutomatically()
    {
        const QString bodyFile = m_dir.filePath(QStringLiteral("send-body.json"));
        QVERIFY(writeFile(bodyFile, if033From(REGS)));
        const Run s = run(EmulatorProcess::program(), {QStringLiteral("send"), bodyFile, QStringLiteral("--url"), m_emulator->baseUrl(),
                                                       QStringLiteral("--workspace"), m_ws});
        QVERIFY2(s.exitCode == 0 && s.out.startsWith("HTTP 201"), s.all().constData());
        const Run u = run(EmulatorProcess::program(), {QStringLiteral("send"), bodyFile, QStringLiteral("--url"), m_emulator->baseUrl(),
                                                       QStringLiteral("--workspace"), m_ws, QStringLiteral("--unsigned")});
        QVERIFY2(u.out.startsWith("HTTP 401") && u.out.contains("missing-header"), u.all().constData());
    }

    void warnModeAcceptsAndRecords()
    {
        const QString ws = m_dir.filePath(QStringLiteral("ws-warn"));
        EmulatorProcess warn(ws, {QStringLiteral("--participants"), m_participants, QStringLiteral("--signatures"), QStringLiteral("warn")});
        QString error;
        QVERIFY2(warn.start(&error), qPrintable(error));
        const Reply r = call(warn.baseUrl(), "POST", QStringLiteral("/dip-channel/IF-033"), if033From(REGS), {});
        QCOMPARE(r.status, 201);
        const QString recorded = lastRecordedSignature(ws, QStringLiteral("accepted in warn mode: missing-header"));
        QVERIFY2(recorded.startsWith(QStringLiteral("accepted in warn mode: missing-header")), qPrintable(recorded));
    }

    void mutualTlsAndApiKeys()
    {
        // A workspace of its own (one emulator per database) holding the same CA and certificates.
        const QString ws = m_dir.filePath(QStringLiteral("ws-tls"));
        QVERIFY(QDir().mkpath(ws));
        QCOMPARE(run(QStringLiteral("cp"), {QStringLiteral("-r"), m_ws + QStringLiteral("/certificates"), ws}).exitCode, 0);
        EmulatorProcess tls(ws, {QStringLiteral("--participants"), m_participants, QStringLiteral("--tls"), QStringLiteral("--mtls"),
                                 QStringLiteral("--api-keys")});
        QString error;
        QVERIFY2(tls.start(&error), qPrintable(error));
        QVERIFY2(tls.baseUrl().startsWith(QStringLiteral("https://")), qPrintable(tls.baseUrl()));
        const QString base = tls.baseUrl();
        const QSslConfiguration regsTls = clientTls(m_signer.ca().participantCertPath(REGS), m_signer.ca().participantKeyPath(REGS));
        const QByteArray regsKey = m_signer.ca().apiKey(REGS);
        auto signedWithKey = [this](const QByteArray &key) {
            return [this, key](http::ClientRequest &r) {
                if (!key.isEmpty())
                    r.headers.append({"X-API-Key", key});
                m_signer.sign(r);
            };
        };

        Reply r = call(base, "POST", QStringLiteral("/dip-channel/IF-033"), if033From(REGS), signedWithKey(regsKey), &regsTls);
        QVERIFY2(r.status == 201, qPrintable(QString::number(r.status) + r.error + QString::fromUtf8(r.body)));

        const QSslConfiguration anonymous = clientTls({}, {});
        r = call(base, "POST", QStringLiteral("/dip-channel/IF-033"), if033From(REGS), signedWithKey(regsKey), &anonymous);
        QVERIFY2(r.status == 0 && r.connectionFailed, qPrintable(QString::number(r.status) + r.error));

        security::WorkspaceCa foreign(m_dir.filePath(QStringLiteral("foreign-tls/certificates")));
        QVERIFY2(foreign.init(QStringLiteral("0000000000"), &error) && foreign.issue(REGS, &error), qPrintable(error));
        const QSslConfiguration foreignTls = clientTls(foreign.participantCertPath(REGS), foreign.participantKeyPath(REGS));
        r = call(base, "POST", QStringLiteral("/dip-channel/IF-033"), if033From(REGS), signedWithKey(regsKey), &foreignTls);
        QVERIFY2(r.status == 0 && r.connectionFailed, qPrintable(QString::number(r.status) + r.error));

        const QSslConfiguration supaTls = clientTls(m_signer.ca().participantCertPath(SUPA), m_signer.ca().participantKeyPath(SUPA));
        r = call(base, "POST", QStringLiteral("/dip-channel/IF-033"), if033From(REGS), signedWithKey(regsKey), &supaTls);
        QCOMPARE(r.status, 403);
        QVERIFY2(r.help().startsWith(QStringLiteral("client-certificate-wrong-sender:")), qPrintable(r.help()));

        r = call(base, "POST", QStringLiteral("/dip-channel/IF-033"), if033From(REGS), signedWithKey({}), &regsTls);
        QCOMPARE(r.status, 401);
        QVERIFY2(r.help().startsWith(QStringLiteral("api-key-missing:")), qPrintable(r.help()));
        r = call(base, "POST", QStringLiteral("/dip-channel/IF-033"), if033From(REGS), signedWithKey(m_signer.ca().apiKey(SUPA)), &regsTls);
        QCOMPARE(r.status, 401);
        QVERIFY2(r.help().startsWith(QStringLiteral("api-key-wrong-sender:")), qPrintable(r.help()));

        // The command line does all of it: mTLS with the sender's certificate, API key, signature.
        const QString bodyFile = m_dir.filePath(QStringLiteral("tls-body.json"));
        QVERIFY(writeFile(bodyFile, if033From(REGS)));
        const Run s = run(EmulatorProcess::program(), {QStringLiteral("send"), bodyFile, QStringLiteral("--url"), base,
                                                       QStringLiteral("--workspace"), ws});
        QVERIFY2(s.exitCode == 0 && s.out.startsWith("HTTP 201"), s.all().constData());
    }

    // A remote DIP (the emulator over mutual TLS), the participant's own workspace with profiles and
    // its receiver (HTTPS, mutual TLS):
    // register the webhook, send, receive the publication, see it stored with its signature verified.
    void remoteProfileRoundTripOverMutualTls()
    {
        const QString remote = m_dir.filePath(QStringLiteral("ws-remote")), mine = m_dir.filePath(QStringLiteral("ws-participant"));
        QVERIFY(QDir().mkpath(remote) && QDir().mkpath(mine));
        QCOMPARE(run(QStringLiteral("cp"), {QStringLiteral("-r"), m_ws + QStringLiteral("/certificates"), remote}).exitCode, 0);
        EmulatorProcess dip(remote, {QStringLiteral("--participants"), m_participants, QStringLiteral("--tls"), QStringLiteral("--mtls")});
        QString error;
        QVERIFY2(dip.start(&error), qPrintable(error));
        const QString dipwb = EmulatorProcess::program();
        for (const QString &id : {REGS, MSS}) {
            const Run add = run(dipwb, {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("as-") + id, QStringLiteral("--url"), dip.baseUrl(),
                                        QStringLiteral("--as"), id, QStringLiteral("--cert"), m_signer.ca().participantCertPath(id),
                                        QStringLiteral("--key"), m_signer.ca().participantKeyPath(id), QStringLiteral("--ca"),
                                        m_signer.ca().caCertPath(), QStringLiteral("--workspace"), mine});
            QVERIFY2(add.exitCode == 0, add.all().constData());
        }

        QProcess receiver;
        receiver.setProcessChannelMode(QProcess::MergedChannels);
        receiver.start(dipwb, {QStringLiteral("receive"), QStringLiteral("--profile"), QStringLiteral("as-") + MSS, QStringLiteral("--port"),
                               QStringLiteral("0"), QStringLiteral("--tls"), QStringLiteral("--mtls"), QStringLiteral("--workspace"), mine});
        QByteArray banner;
        static const QRegularExpression listening(QStringLiteral("Receiving publications on (http\\S+)"));
        QRegularExpressionMatch m;
        for (int i = 0; i < 100 && !(m = listening.match(QString::fromUtf8(banner))).hasMatch(); ++i) {
            receiver.waitForReadyRead(100);
            banner += receiver.readAll();
        }
        QVERIFY2(m.hasMatch(), banner.constData());
        const QString hook = m.captured(1) + QStringLiteral("/pub");

        const Run reg = run(dipwb, {QStringLiteral("pubconfig"), QStringLiteral("IF-033"), QStringLiteral("--callback"), hook,
                                    QStringLiteral("--profile"), QStringLiteral("as-") + MSS, QStringLiteral("--workspace"), mine});
        QVERIFY2(reg.exitCode == 0 && reg.out.startsWith("HTTP 201"), reg.all().constData());
        const QString bodyFile = m_dir.filePath(QStringLiteral("remote-body.json"));
        QVERIFY(writeFile(bodyFile, if033From(REGS)));
        const Run sent = run(dipwb, {QStringLiteral("send"), bodyFile, QStringLiteral("--profile"), QStringLiteral("as-") + REGS,
                                     QStringLiteral("--workspace"), mine});
        QVERIFY2(sent.exitCode == 0 && sent.out.startsWith("HTTP 201"), sent.all().constData());

        QString stored;
        for (int i = 0; i < 50 && stored.isEmpty(); ++i) {
            QTest::qWait(200);
            stored = QString::fromUtf8(run(QStringLiteral("sqlite3"), {QStringLiteral("-readonly"), mine + QStringLiteral("/workbench.db"),
                                                                       QStringLiteral("select http_status || ' ' || signature from requests where path = '/pub'")})
                                           .out).trimmed();
        }
        // A publication the DIP did not sign is refused as a recipient does: RCP9999.
        const Run forged = run(QStringLiteral("curl"), {QStringLiteral("-s"), QStringLiteral("-w"), QStringLiteral(" %{http_code}"),
                                                        QStringLiteral("--cacert"), m_signer.ca().caCertPath(), QStringLiteral("--cert"),
                                                        m_signer.ca().participantCertPath(SUPA), QStringLiteral("--key"),
                                                        m_signer.ca().participantKeyPath(SUPA), QStringLiteral("--data-binary"),
                                                        QStringLiteral("[]"), hook});
        // Without a client certificate the receiver's mutual TLS refuses the connection itself.
        const Run anonymous = run(QStringLiteral("curl"), {QStringLiteral("-s"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                                                           QStringLiteral("-w"), QStringLiteral("%{http_code}"), QStringLiteral("--cacert"),
                                                           m_signer.ca().caCertPath(), QStringLiteral("--data-binary"), QStringLiteral("[]"), hook});
        receiver.terminate();
        receiver.waitForFinished(10000);
        QCOMPARE(stored, QStringLiteral("201 valid (signed by 0000000000)"));
        QVERIFY2(forged.out.endsWith(" 400") && forged.out.contains("RCP9999") && forged.out.contains("missing-header"), forged.out.constData());
        QCOMPARE(anonymous.out, QByteArray("000"));
    }

    void cleanupTestCase()
    {
        if (m_emulator)
            m_emulator->terminate();
    }
};

QTEST_GUILESS_MAIN(TestSecurityE2e)
#include "test_security_e2e.moc"
