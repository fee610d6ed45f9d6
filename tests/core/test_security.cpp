// SPDX-License-Identifier: GPL-3.0-or-later
// Signatures of DOMAIN.md section 7, the verifier's causes, the workspace test CA, and
// interoperability with the openssl command-line tool.
#include "dip/emulator_security.h"
#include "dip/signature_guard.h"
#include "http/http_client.h"
#include "security/recorded_call.h"
#include "security/signature.h"
#include "security/test_ca.h"
#include "security/verifier.h"

#include <QDateTime>
#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace dipwb;
using namespace dipwb::security;

namespace {

const QString REGS = QStringLiteral("1100000001");
const QString SUPA = QStringLiteral("2300000185");
const QString URL = QStringLiteral("http://127.0.0.1:7070/dip-channel/IF-033");
const QByteArray BODY = R"([{"payload":{"CommonBlock":{"S1":{"senderDIPID":"1100000001"}}}}])";

enum class Tamper {
    None, Body, Url, Method, WrongKey, OtherParticipant, ForeignCa, Expired, TenMinutesOld, TenMinutesAhead,
    NoDate, NoHash, NoSignature, NoCertificate, GarbageDate, GarbageHash, GarbageSignature, GarbageCertificate,
    CertificateNotPem, HashOfOtherBody, TruncatedSignature,
};

QByteArray runOpenssl(const QStringList &args, const QByteArray &input = {}, int *exitCode = nullptr)
{
    QProcess p;
    p.start(QStringLiteral("openssl"), args);
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(20000);
    if (exitCode)
        *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return p.readAllStandardOutput();
}

} // namespace

Q_DECLARE_METATYPE(Tamper)
Q_DECLARE_METATYPE(dipwb::security::Cause)

class TestSecurity final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<WorkspaceCa> m_ca;
    std::unique_ptr<WorkspaceCa> m_foreign;
    IdentityPtr m_regs, m_supa, m_foreignRegs, m_expiredRegs;
    SignatureVerifier m_verifier;

    qint64 now() const { return QDateTime::currentMSecsSinceEpoch(); }

    http::HeaderList sign(const SigningIdentity &id, QByteArrayView method, const QString &url, QByteArrayView body, qint64 atMs)
    {
        const auto h = signRequest(id, method, url, body, QDateTime::fromMSecsSinceEpoch(atMs, QTimeZone::utc()));
        return h.toHeaders();
    }
    static void setHeader(http::HeaderList &headers, const char *name, const QByteArray &value)
    {
        for (auto &h : headers)
            if (h.first == name)
                h.second = value;
    }
    static void dropHeader(http::HeaderList &headers, const char *name)
    {
        headers.removeIf([name](const auto &h) { return h.first == name; });
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        m_ca = std::make_unique<WorkspaceCa>(m_dir.filePath(QStringLiteral("ws/certificates")));
        QVERIFY2(m_ca->init(QStringLiteral("0000000000"), &error), qPrintable(error));
        QVERIFY2(m_ca->issue(REGS, &error), qPrintable(error));
        QVERIFY2(m_ca->issue(SUPA, &error), qPrintable(error));
        m_regs = m_ca->participantIdentity(REGS, &error);
        QVERIFY2(m_regs, qPrintable(error));
        m_supa = m_ca->participantIdentity(SUPA, &error);
        QVERIFY2(m_supa, qPrintable(error));

        WorkspaceCa::IssueOptions expired;
        expired.backdateDays = 10;
        expired.validityDays = 2;
        const QString ec = m_dir.filePath(QStringLiteral("expired-cert.pem")), ek = m_dir.filePath(QStringLiteral("expired-key.pem"));
        QVERIFY2(m_ca->issueTo(REGS, expired, ec, ek, &error), qPrintable(error));
        m_expiredRegs = SigningIdentity::load(ec, ek, &error);
        QVERIFY2(m_expiredRegs, qPrintable(error));

        m_foreign = std::make_unique<WorkspaceCa>(m_dir.filePath(QStringLiteral("other/certificates")));
        QVERIFY2(m_foreign->init(QStringLiteral("0000000000"), &error), qPrintable(error));
        QVERIFY2(m_foreign->issue(REGS, &error), qPrintable(error));
        m_foreignRegs = m_foreign->participantIdentity(REGS, &error);
        QVERIFY2(m_foreignRegs, qPrintable(error));

        QVERIFY2(m_verifier.addTrustedCaFile(m_ca->caCertPath(), &error), qPrintable(error));
    }

    void contentHashIsBase64OfRawSha256()
    {
        QCOMPARE(contentHash(""), QByteArray("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="));
        QCOMPARE(contentHash("abc"), QByteArray("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="));
    }

    void stringToSignLowercasesTheUrlOnly()
    {
        QCOMPARE(stringToSign("POST", QStringLiteral("HTTP://127.0.0.1:7070/dip-channel/IF-033?Q=A"), "2025-06-27T14:29:09.061Z", "h+/A="),
                 QByteArray("POST;http://127.0.0.1:7070/dip-channel/if-033?q=a;2025-06-27T14:29:09.061Z;h+/A="));
    }

    void signatureDateHasMillisecondsAndZ()
    {
        const QDateTime t(QDate(2025, 6, 27), QTime(15, 29, 9, 61), QTimeZone(3600));
        QCOMPARE(signatureDate(t), QByteArray("2025-06-27T14:29:09.061Z"));
    }

    void signedUrlMatchesWhatTheServerRebuilds()
    {
        http::ClientRequest rq;
        rq.url = QUrl(QStringLiteral("http://user@127.0.0.1:7070/dip-channel/IF-033/pubconfig/2300000185?x=1#frag"));
        http::HttpRequest server;
        server.target = "/dip-channel/IF-033/pubconfig/2300000185?x=1";
        server.headers = {{"Host", "127.0.0.1:7070"}};
        QCOMPARE(signedUrl(rq), server.fullUrl());
    }

    void validSignatureIsAccepted()
    {
        const auto headers = sign(*m_regs, "POST", URL, BODY, now());
        const Verdict v = m_verifier.verify({"POST", URL, &headers, BODY, {REGS}, now()});
        QVERIFY2(v.ok(), qPrintable(v.toString()));
        QCOMPARE(v.signerId, REGS);
        QCOMPARE(v.toString(), QStringLiteral("valid (signed by 1100000001)"));
    }

    void certificateHeaderIsBase64OfPemWithLfLineEnds()
    {
        const auto headers = sign(*m_regs, "POST", URL, BODY, now());
        const QByteArray pem = QByteArray::fromBase64(http::headerValue(headers, kCertificateHeader));
        QVERIFY(pem.startsWith("-----BEGIN CERTIFICATE-----\n"));
        QVERIFY(!pem.contains('\r'));
        QCOMPARE(QSslCertificate(pem).subjectInfo(QSslCertificate::CommonName).value(0), REGS);
    }

    void rejectionsNameTheirCause_data()
    {
        QTest::addColumn<Tamper>("tamper");
        QTest::addColumn<Cause>("cause");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("tampered body") << Tamper::Body << Cause::HashMismatch << "X-DIP-Content-Hash";
        QTest::newRow("hash of another body") << Tamper::HashOfOtherBody << Cause::HashMismatch << "hash to";
        QTest::newRow("tampered URL") << Tamper::Url << Cause::BadSignature << "if-031";
        QTest::newRow("other method") << Tamper::Method << Cause::BadSignature << "DELETE;";
        QTest::newRow("wrong key") << Tamper::WrongKey << Cause::BadSignature << "does not verify";
        QTest::newRow("truncated signature") << Tamper::TruncatedSignature << Cause::BadSignature << "does not verify";
        QTest::newRow("another participant's certificate") << Tamper::OtherParticipant << Cause::WrongSender << SUPA;
        QTest::newRow("foreign CA") << Tamper::ForeignCa << Cause::CertificateUntrusted << "not from the workspace CA";
        QTest::newRow("expired certificate") << Tamper::Expired << Cause::CertificateExpired << "expired";
        QTest::newRow("date 10 minutes old") << Tamper::TenMinutesOld << Cause::DateOutsideSkew << "behind";
        QTest::newRow("date 10 minutes ahead") << Tamper::TenMinutesAhead << Cause::DateOutsideSkew << "ahead";
        QTest::newRow("no date") << Tamper::NoDate << Cause::MissingHeader << "X-DIP-Signature-Date";
        QTest::newRow("no hash") << Tamper::NoHash << Cause::MissingHeader << "X-DIP-Content-Hash";
        QTest::newRow("no signature") << Tamper::NoSignature << Cause::MissingHeader << "X-DIP-Signature header";
        QTest::newRow("no certificate") << Tamper::NoCertificate << Cause::MissingHeader << "X-DIP-Signature-Certificate";
        QTest::newRow("garbage date") << Tamper::GarbageDate << Cause::BadDate << "X-DIP-Signature-Date";
        QTest::newRow("garbage hash") << Tamper::GarbageHash << Cause::BadBase64 << "X-DIP-Content-Hash";
        QTest::newRow("garbage signature") << Tamper::GarbageSignature << Cause::BadBase64 << "X-DIP-Signature ";
        QTest::newRow("garbage certificate") << Tamper::GarbageCertificate << Cause::BadBase64 << "X-DIP-Signature-Certificate";
        QTest::newRow("certificate not PEM") << Tamper::CertificateNotPem << Cause::CertificateUnreadable << "no PEM certificate";
    }
    void rejectionsNameTheirCause()
    {
        QFETCH(Tamper, tamper);
        QFETCH(Cause, cause);
        QFETCH(QString, mentions);
        QByteArray method = "POST", body = BODY;
        QString url = URL;
        qint64 at = now();
        const SigningIdentity *signer = m_regs.get();
        switch (tamper) {
        case Tamper::OtherParticipant: signer = m_supa.get(); break;
        case Tamper::ForeignCa: signer = m_foreignRegs.get(); break;
        case Tamper::Expired: signer = m_expiredRegs.get(); break;
        case Tamper::TenMinutesOld: at -= 10 * 60 * 1000; break;
        case Tamper::TenMinutesAhead: at += 10 * 60 * 1000; break;
        default: break;
        }
        http::HeaderList headers = sign(*signer, method, url, body, at);
        switch (tamper) {
        case Tamper::Body: body.replace("1100000001", "1100000002"); break;
        case Tamper::Url: url.replace(QStringLiteral("IF-033"), QStringLiteral("IF-031")); break;
        case Tamper::Method: method = "DELETE"; break;
        case Tamper::WrongKey: {
            // REGS's certificate, SUPA's key: what a client with a mixed-up key store sends.
            const auto other = sign(*m_supa, method, url, body, at);
            setHeader(headers, kSignatureHeader, http::headerValue(other, kSignatureHeader));
            break;
        }
        case Tamper::TruncatedSignature: {
            QByteArray raw = QByteArray::fromBase64(http::headerValue(headers, kSignatureHeader));
            setHeader(headers, kSignatureHeader, raw.left(raw.size() / 2).toBase64());
            break;
        }
        case Tamper::HashOfOtherBody: setHeader(headers, kHashHeader, contentHash("[]")); break;
        case Tamper::NoDate: dropHeader(headers, kDateHeader); break;
        case Tamper::NoHash: dropHeader(headers, kHashHeader); break;
        case Tamper::NoSignature: dropHeader(headers, kSignatureHeader); break;
        case Tamper::NoCertificate: setHeader(headers, kCertificateHeader, ""); break;
        case Tamper::GarbageDate: setHeader(headers, kDateHeader, "yesterday at noon"); break;
        case Tamper::GarbageHash: setHeader(headers, kHashHeader, "not base64 at all!"); break;
        case Tamper::GarbageSignature: setHeader(headers, kSignatureHeader, "%%%%"); break;
        case Tamper::GarbageCertificate: setHeader(headers, kCertificateHeader, "-----BEGIN CERTIFICATE-----"); break;
        case Tamper::CertificateNotPem: setHeader(headers, kCertificateHeader, QByteArray("hello, I am a certificate").toBase64()); break;
        default: break;
        }
        const Verdict v = m_verifier.verify({method, url, &headers, body, {REGS}, now()});
        QVERIFY2(v.cause == cause, qPrintable(QStringLiteral("got %1").arg(v.toString())));
        QVERIFY2(v.detail.contains(mentions, Qt::CaseInsensitive), qPrintable(v.detail));
        QVERIFY(v.toString().startsWith(causeName(cause) + QLatin1Char(':')));
    }

    void aCertificateSeenBeforeIsStillCheckedForExpiry()
    {
        const qint64 later = now() + qint64(400) * 24 * 3600 * 1000;  // past the 365-day validity
        const auto first = sign(*m_regs, "POST", URL, BODY, now());
        QVERIFY(m_verifier.verify({"POST", URL, &first, BODY, {REGS}, now()}).ok());
        const auto again = sign(*m_regs, "POST", URL, BODY, later);
        const Verdict v = m_verifier.verify({"POST", URL, &again, BODY, {REGS}, later});
        QVERIFY2(v.cause == Cause::CertificateExpired, qPrintable(v.toString()));
    }

    // Whom a request speaks for decides whose certificate must have signed it.
    void claimedSendersByEndpoint_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QStringList>("senders");
        const QByteArray two = R"([{"payload":{"CommonBlock":{"S1":{"senderDIPID":"1100000001"}}}},)"
                               R"({"PAYLOAD":{"commonblock":{"s1":{"SENDERdipid":"2300000185"}}}}])";
        QTest::newRow("send, every message, any key case") << QByteArray("/dip-channel/IF-033") << two << QStringList{REGS, SUPA};
        QTest::newRow("send, one sender twice") << QByteArray("/dip-channel/IF-033") << QByteArray(BODY + BODY).replace("][", ",")
                                                << QStringList{REGS};
        QTest::newRow("validate") << QByteArray("/validate/IF-033/MSAppSPRequest") << BODY << QStringList{REGS};
        QTest::newRow("pubconfig: the DIP id in the path") << QByteArray("/dip-channel/IF-033/pubconfig/1300000001")
                                                           << QByteArray(R"({"callbackURL":"x"})") << QStringList{QStringLiteral("1300000001")};
        QTest::newRow("replay") << QByteArray("/dip-channel/IF-033/replay/1300000001") << QByteArray("{}") << QStringList{QStringLiteral("1300000001")};
        QTest::newRow("requeue") << QByteArray("/dip-channel/IF-033/requeue/1300000001") << QByteArray() << QStringList{QStringLiteral("1300000001")};
        QTest::newRow("status webhook config") << QByteArray("/statusmessage/config/2300000185") << QByteArray() << QStringList{SUPA};
        QTest::newRow("status message: senderID of each item") << QByteArray("/statusmessage")
                                                               << QByteArray(R"([{"senderID":"2300000185","message":"RCP0000"}])") << QStringList{SUPA};
        QTest::newRow("unreadable body") << QByteArray("/dip-channel/IF-033") << QByteArray("[{") << QStringList{};
        QTest::newRow("no sender in the message") << QByteArray("/dip-channel/IF-033") << QByteArray(R"([{"payload":{}}])") << QStringList{};
    }
    void claimedSendersByEndpoint()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        QFETCH(QStringList, senders);
        QCOMPARE(dip::claimedSenders(path, body), senders);
    }

    void signatureModesParse()
    {
        QCOMPARE(dip::parseSignatureMode(QStringLiteral("Require")), dip::SignatureMode::Require);
        QCOMPARE(dip::parseSignatureMode(QStringLiteral("warn")), dip::SignatureMode::Warn);
        QCOMPARE(dip::parseSignatureMode(QStringLiteral("off")), dip::SignatureMode::Off);
        QVERIFY(!dip::parseSignatureMode(QStringLiteral("maybe")));
    }

    void skewIsASetting()
    {
        SignatureVerifier strict;
        QVERIFY(strict.addTrustedCaFile(m_ca->caCertPath()));
        strict.setMaxSkewMs(1000);
        const auto headers = sign(*m_regs, "POST", URL, BODY, now() - 5000);
        QCOMPARE(strict.verify({"POST", URL, &headers, BODY, {REGS}, now()}).cause, Cause::DateOutsideSkew);
        QVERIFY(m_verifier.verify({"POST", URL, &headers, BODY, {REGS}, now()}).ok());
    }

    void everySenderMustMatchTheCertificate()
    {
        const auto headers = sign(*m_regs, "POST", URL, BODY, now());
        QCOMPARE(m_verifier.verify({"POST", URL, &headers, BODY, {REGS, SUPA}, now()}).cause, Cause::WrongSender);
        QVERIFY(m_verifier.verify({"POST", URL, &headers, BODY, {}, now()}).ok());
    }

    void signClientRequestReplacesOldHeaders()
    {
        http::ClientRequest rq;
        rq.url = QUrl(URL);
        rq.body = BODY;
        rq.headers = {{"x-dip-signature", "old"}, {"Content-Type", "application/json"}};
        QVERIFY(signClientRequest(rq, *m_regs));
        QCOMPARE(rq.headers.size(), 5);
        QVERIFY(m_verifier.verify({"POST", signedUrl(rq), &rq.headers, rq.body, {REGS}, now()}).ok());
    }

    // A webhook call as recorded for the inspector checks like the call itself did; an unsigned
    // one says so; a body that differs from the one sent is caught.
    void recordedCallsAreCheckedAsSent()
    {
        http::ClientRequest rq;
        rq.url = QUrl(QStringLiteral("http://user:secret@127.0.0.1:7070/hook#x"));
        rq.body = BODY;
        rq.headers = {{"Content-Type", "application/json"}};
        const QByteArray unsignedCall = recordCall(rq);
        QCOMPARE(unsignedCall, QByteArray("POST http://127.0.0.1:7070/hook\nContent-Type: application/json\n"));
        QVERIFY(!checkRecordedCall(unsignedCall, BODY, now(), m_verifier));
        QVERIFY(signClientRequest(rq, *m_regs));
        const QByteArray call = recordCall(rq);
        QVERIFY(!call.contains("secret"));
        const auto ok = checkRecordedCall(call, BODY, now(), m_verifier);
        QVERIFY(ok);
        QCOMPARE(ok->toString(), QStringLiteral("valid (signed by 1100000001)"));
        const auto tampered = checkRecordedCall(call, BODY + " ", now(), m_verifier);
        QVERIFY(tampered && tampered->cause == Cause::HashMismatch);
        // Judged at the instant given (the one it was made at): two hours on, its date is too old.
        const auto late = checkRecordedCall(call, BODY, now() + 2 * 3600 * 1000, m_verifier);
        QVERIFY(late && late->cause == Cause::DateOutsideSkew);
        const auto garbage = checkRecordedCall("no call here", BODY, now(), m_verifier);
        QVERIFY(garbage && !garbage->ok());
        const auto parsed = parseRecordedCall(call);
        QVERIFY(parsed);
        QCOMPARE(parsed->method, QByteArray("POST"));
        QCOMPARE(parsed->headers.size(), rq.headers.size());
    }

    void keyMustMatchCertificate()
    {
        QFile c(m_ca->participantCertPath(REGS)), k(m_ca->participantKeyPath(SUPA));
        QVERIFY(c.open(QIODevice::ReadOnly) && k.open(QIODevice::ReadOnly));
        QString error;
        QVERIFY(!SigningIdentity::fromPem(c.readAll(), k.readAll(), &error));
        QVERIFY2(error.contains(QStringLiteral("does not belong")), qPrintable(error));
    }

    void issuedCertificateIsRsa2048WithSanAndValidity()
    {
        QFile f(m_ca->participantCertPath(REGS));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QSslCertificate cert(f.readAll());
        QCOMPARE(cert.subjectInfo(QSslCertificate::CommonName).value(0), REGS);
        QVERIFY(cert.publicKey().length() >= 2048);
        QCOMPARE(cert.publicKey().algorithm(), QSsl::Rsa);
        const auto san = cert.subjectAlternativeNames();
        QVERIFY(san.values(QSsl::DnsEntry).contains(QStringLiteral("localhost")));
        QVERIFY(san.values(QSsl::IpAddressEntry).contains(QStringLiteral("127.0.0.1")));
        QVERIFY(cert.effectiveDate() < QDateTime::currentDateTimeUtc());
        QVERIFY(cert.expiryDate() > QDateTime::currentDateTimeUtc().addDays(300));
        QCOMPARE(cert.issuerInfo(QSslCertificate::CommonName).value(0), QStringLiteral("DIP Workbench test CA"));
        QCOMPARE(QFile(m_ca->participantKeyPath(REGS)).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
                 QFileDevice::Permissions());
        QCOMPARE(m_ca->issuedDipIds(), (QStringList{REGS, SUPA}));
        QCOMPARE(m_ca->apiKey(REGS).size(), 32);
        QVERIFY(m_ca->apiKey(REGS) != m_ca->apiKey(SUPA));
    }

    void pfxBundleOpensWithItsPassword()
    {
        QFile f(m_ca->participantPfxPath(REGS));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QSslKey key;
        QSslCertificate cert;
        QList<QSslCertificate> chain;
        QVERIFY(QSslCertificate::importPkcs12(&f, &key, &cert, &chain, "dipwb"));
        QCOMPARE(cert.subjectInfo(QSslCertificate::CommonName).value(0), REGS);
        QCOMPARE(chain.size(), 1);
        QVERIFY(!key.isNull());
    }

    void emulatorCertificatesExist()
    {
        QString error;
        const auto id = m_ca->emulatorSigningIdentity(&error);
        QVERIFY2(id, qPrintable(error));
        QCOMPARE(id->dipId(), QStringLiteral("0000000000"));
        QFile f(m_ca->serverCertPath());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(QSslCertificate(f.readAll()).subjectAlternativeNames().values(QSsl::IpAddressEntry).contains(QStringLiteral("127.0.0.1")));
    }

    // Independent implementation: the openssl tool signs, we verify; we sign, the tool verifies.
    void opensslSignatureVerifies()
    {
        const QByteArray date = signatureDate(QDateTime::currentDateTimeUtc());
        const QByteArray hash = runOpenssl({QStringLiteral("dgst"), QStringLiteral("-sha256"), QStringLiteral("-binary")}, BODY).toBase64();
        const QString text = m_dir.filePath(QStringLiteral("to-sign.txt"));
        QFile f(text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("POST;" + URL.toLower().toUtf8() + ';' + date + ';' + hash);
        f.close();
        int rc = -1;
        const QByteArray sig = runOpenssl({QStringLiteral("dgst"), QStringLiteral("-sha256"), QStringLiteral("-sign"),
                                           m_ca->participantKeyPath(REGS), text}, {}, &rc);
        QCOMPARE(rc, 0);
        QFile c(m_ca->participantCertPath(REGS));
        QVERIFY(c.open(QIODevice::ReadOnly));
        const http::HeaderList headers{{kDateHeader, date}, {kHashHeader, hash}, {kSignatureHeader, sig.toBase64()},
                                       {kCertificateHeader, c.readAll().toBase64()}};
        const Verdict v = m_verifier.verify({"POST", URL, &headers, BODY, {REGS}, now()});
        QVERIFY2(v.ok(), qPrintable(v.toString()));
    }

    void ourSignatureVerifiesWithOpenssl()
    {
        const auto headers = sign(*m_regs, "POST", URL, BODY, now());
        const QString text = m_dir.filePath(QStringLiteral("signed.txt")), sigFile = m_dir.filePath(QStringLiteral("sig.bin")),
                      pub = m_dir.filePath(QStringLiteral("pub.pem"));
        QFile t(text), s(sigFile), p(pub);
        QVERIFY(t.open(QIODevice::WriteOnly) && s.open(QIODevice::WriteOnly) && p.open(QIODevice::WriteOnly));
        t.write(stringToSign("POST", URL, http::headerValue(headers, kDateHeader), http::headerValue(headers, kHashHeader)));
        s.write(QByteArray::fromBase64(http::headerValue(headers, kSignatureHeader)));
        p.write(runOpenssl({QStringLiteral("x509"), QStringLiteral("-pubkey"), QStringLiteral("-noout")},
                           QByteArray::fromBase64(http::headerValue(headers, kCertificateHeader))));
        t.close(), s.close(), p.close();
        int rc = -1;
        const QByteArray out = runOpenssl({QStringLiteral("dgst"), QStringLiteral("-sha256"), QStringLiteral("-verify"), pub,
                                           QStringLiteral("-signature"), sigFile, text}, {}, &rc);
        QCOMPARE(rc, 0);
        QVERIFY2(out.contains("Verified OK"), out.constData());
    }
};

QTEST_GUILESS_MAIN(TestSecurity)
#include "test_security.moc"
