// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/verifier.h"

#include "security/openssl_util.h"
#include "security/signature.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QMutex>
#include <QStringList>
#include <vector>

#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include <ctime>

namespace dipwb::security {

QString causeName(Cause cause)
{
    switch (cause) {
    case Cause::None: return QStringLiteral("valid");
    case Cause::MissingHeader: return QStringLiteral("missing-header");
    case Cause::BadBase64: return QStringLiteral("bad-base64");
    case Cause::BadDate: return QStringLiteral("bad-date");
    case Cause::HashMismatch: return QStringLiteral("hash-mismatch");
    case Cause::DateOutsideSkew: return QStringLiteral("date-outside-skew");
    case Cause::CertificateUnreadable: return QStringLiteral("certificate-unreadable");
    case Cause::CertificateUntrusted: return QStringLiteral("certificate-untrusted");
    case Cause::CertificateExpired: return QStringLiteral("certificate-expired");
    case Cause::WrongSender: return QStringLiteral("wrong-sender");
    case Cause::BadSignature: return QStringLiteral("bad-signature");
    }
    return QStringLiteral("unknown");
}

QString Verdict::toString() const
{
    if (ok())
        return signerId.isEmpty() ? QStringLiteral("valid") : QStringLiteral("valid (signed by %1)").arg(signerId);
    return causeName(cause) + QStringLiteral(": ") + detail;
}

struct SignatureVerifier::Trust
{
    std::vector<ossl::Cert> cas;

    struct Verified
    {
        ossl::Cert cert;
        QString signer;
        qint64 notBeforeMs = 0, notAfterMs = 0;
    };
    QMutex lock;
    QHash<QByteArray, std::shared_ptr<const Verified>> verified;  // guarded by lock; key: the header text

    static qint64 toMs(const ASN1_TIME *t)
    {
        struct tm tm = {};
        return ASN1_TIME_to_tm(t, &tm) == 1 ? qint64(timegm(&tm)) * 1000 : 0;
    }
    std::shared_ptr<const Verified> cached(const QByteArray &header, qint64 nowMs)
    {
        QMutexLocker locker(&lock);
        auto hit = verified.value(header);
        // Outside its validity the full check runs again, so the answer names the expiry.
        return hit && nowMs >= hit->notBeforeMs && nowMs <= hit->notAfterMs ? hit : nullptr;
    }
    std::shared_ptr<const Verified> remember(const QByteArray &header, ossl::Cert cert, const QString &signer)
    {
        auto v = std::make_shared<Verified>();
        v->notBeforeMs = toMs(X509_get0_notBefore(cert.get()));
        v->notAfterMs = toMs(X509_get0_notAfter(cert.get()));
        v->cert = std::move(cert);
        v->signer = signer;
        QMutexLocker locker(&lock);
        if (verified.size() >= 4096)  // a bound, not an LRU: participants are few, certificates fewer
            verified.clear();
        verified.insert(header, v);
        return v;
    }
};

SignatureVerifier::SignatureVerifier()
    : m_trust(std::make_unique<Trust>())
{
}

SignatureVerifier::~SignatureVerifier() = default;

bool SignatureVerifier::addTrustedCaPem(const QByteArray &pem, QString *error)
{
    ossl::Bio bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    int added = 0;
    while (X509 *c = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        m_trust->cas.emplace_back(c);
        ++added;
    }
    ossl::lastError();  // the queue ends with "no start line"; that is how the loop stops
    if (added == 0 && error)
        *error = QStringLiteral("no PEM certificate found");
    return added > 0;
}

bool SignatureVerifier::addTrustedCaFile(const QString &path, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return false;
    }
    QString why;
    if (!addTrustedCaPem(f.readAll(), &why)) {
        if (error)
            *error = path + QStringLiteral(": ") + why;
        return false;
    }
    return true;
}

int SignatureVerifier::trustedCaCount() const
{
    return int(m_trust->cas.size());
}

namespace {

Verdict fail(Cause cause, QString detail, QString signer = {})
{
    return Verdict{cause, std::move(detail), std::move(signer)};
}

bool strictBase64(const QByteArray &text, QByteArray *out)
{
    const auto r = QByteArray::fromBase64Encoding(text, QByteArray::AbortOnBase64DecodingErrors);
    if (!r || r.decoded.isEmpty())
        return false;
    *out = r.decoded;
    return true;
}

} // namespace

Verdict SignatureVerifier::verify(const http::HttpRequest &request, const QStringList &senders, qint64 nowMs) const
{
    return verify(SignedRequest{request.method, request.fullUrl(), &request.headers, request.body, senders, nowMs});
}

Verdict SignatureVerifier::verify(const SignedRequest &rq) const
{
    static const http::HeaderList none;
    const http::HeaderList &headers = rq.headers ? *rq.headers : none;
    QByteArray values[4];
    const char *names[4] = {kDateHeader, kHashHeader, kSignatureHeader, kCertificateHeader};
    QStringList missing;
    for (int i = 0; i < 4; ++i) {
        values[i] = http::headerValue(headers, QByteArrayView(names[i])).trimmed();
        if (values[i].isEmpty())
            missing << QString::fromLatin1(names[i]);
    }
    if (!missing.isEmpty())
        return fail(Cause::MissingHeader, QStringLiteral("the request has no %1 header").arg(missing.join(QStringLiteral(", no "))));
    const QByteArray &date = values[0], &hash = values[1];

    QByteArray decoded[4];
    for (int i = 1; i < 4; ++i)
        if (!strictBase64(values[i], &decoded[i]))
            return fail(Cause::BadBase64, QStringLiteral("%1 is not Base64: '%2'").arg(QString::fromLatin1(names[i]),
                                                                                       QString::fromLatin1(values[i].left(40))));
    const QByteArray &rawHash = decoded[1], &rawSig = decoded[2], &certPem = decoded[3];

    const QDateTime signedAt = QDateTime::fromString(QString::fromLatin1(date), Qt::ISODateWithMs);
    if (!signedAt.isValid() || signedAt.timeSpec() == Qt::LocalTime)
        return fail(Cause::BadDate, QStringLiteral("X-DIP-Signature-Date '%1' is not a UTC ISO date-time like 2025-06-27T14:29:09.061Z")
                                        .arg(QString::fromLatin1(date.left(40))));

    const QByteArray bodyHash = QCryptographicHash::hash(rq.body, QCryptographicHash::Sha256);
    if (rawHash != bodyHash)
        return fail(Cause::HashMismatch, QStringLiteral("X-DIP-Content-Hash is %1 but the %2 body bytes received hash to %3")
                                             .arg(QString::fromLatin1(hash), QString::number(rq.body.size()),
                                                  QString::fromLatin1(bodyHash.toBase64())));

    const qint64 skew = signedAt.toMSecsSinceEpoch() - rq.nowMs;
    if (qAbs(skew) > m_maxSkewMs)
        return fail(Cause::DateOutsideSkew, QStringLiteral("X-DIP-Signature-Date %1 is %2 s %3 the DIP's clock; at most %4 s are allowed")
                                                .arg(QString::fromLatin1(date)).arg(qAbs(skew) / 1000)
                                                .arg(skew < 0 ? QStringLiteral("behind") : QStringLiteral("ahead of"))
                                                .arg(m_maxSkewMs / 1000));

    // A participant sends the same certificate with every request: once it has verified, its
    // parsed form is reused while it is valid, so the chain is not checked again per request.
    std::shared_ptr<const Trust::Verified> verified = m_trust->cached(values[3], rq.nowMs);
    if (!verified) {
        ossl::Cert cert = ossl::certFromPem(certPem);
        if (!cert)
            return fail(Cause::CertificateUnreadable, QStringLiteral("X-DIP-Signature-Certificate decodes to %1 bytes that hold no PEM certificate")
                                                          .arg(certPem.size()));
        const QString signer = ossl::subjectCommonName(cert.get());

        ossl::Store store(X509_STORE_new());
        for (const auto &ca : m_trust->cas)
            X509_STORE_add_cert(store.get(), ca.get());
        ossl::StoreCtx ctx(X509_STORE_CTX_new());
        X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr);
        X509_STORE_CTX_set_time(ctx.get(), 0, time_t(rq.nowMs / 1000));
        if (X509_verify_cert(ctx.get()) != 1) {
            const int err = X509_STORE_CTX_get_error(ctx.get());
            const QString why = QString::fromLatin1(X509_verify_cert_error_string(err));
            ossl::lastError();
            if (err == X509_V_ERR_CERT_HAS_EXPIRED || err == X509_V_ERR_CERT_NOT_YET_VALID)
                return fail(Cause::CertificateExpired, QStringLiteral("the certificate of %1 is not valid now: %2")
                                                           .arg(ossl::subjectLine(cert.get()), why), signer);
            return fail(Cause::CertificateUntrusted, QStringLiteral("the certificate %1 (issuer %2) is not from the workspace CA: %3")
                                                         .arg(ossl::subjectLine(cert.get()), ossl::issuerLine(cert.get()), why), signer);
        }
        verified = m_trust->remember(values[3], std::move(cert), signer);
    }
    const QString &signer = verified->signer;

    const QByteArray signedText = stringToSign(rq.method, rq.fullUrl, date, hash);
    EVP_PKEY *pub = X509_get0_pubkey(verified->cert.get());
    ossl::MdCtx md(EVP_MD_CTX_new());
    const bool good = pub && md && EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, pub) == 1
                      && EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char *>(rawSig.constData()), size_t(rawSig.size()),
                                          reinterpret_cast<const unsigned char *>(signedText.constData()), size_t(signedText.size())) == 1;
    ossl::lastError();
    if (!good)
        return fail(Cause::BadSignature, QStringLiteral("X-DIP-Signature does not verify with the key of %1 over '%2'")
                                             .arg(signer, QString::fromUtf8(signedText)), signer);

    for (const QString &sender : rq.senders)
        if (sender != signer)
            return fail(Cause::WrongSender, QStringLiteral("the certificate was issued to %1, but the request is sent as %2")
                                                .arg(signer.isEmpty() ? QStringLiteral("(no commonName)") : signer, sender), signer);
    return Verdict{Cause::None, {}, signer};
}

} // namespace dipwb::security
