// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/signature.h"

#include "common/clock.h"
#include "http/http_client.h"
#include "security/openssl_util.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTimeZone>

namespace dipwb::security {

QByteArray contentHash(QByteArrayView body)
{
    return QCryptographicHash::hash(body, QCryptographicHash::Sha256).toBase64();
}

QByteArray stringToSign(QByteArrayView method, const QString &fullUrl, QByteArrayView date, QByteArrayView hash)
{
    QByteArray s;
    s.reserve(method.size() + fullUrl.size() + date.size() + hash.size() + 3);
    s.append(method).append(';').append(fullUrl.toLower().toUtf8()).append(';').append(date).append(';').append(hash);
    return s;
}

QByteArray signatureDate(const QDateTime &when)
{
    return when.toTimeZone(QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ")).toLatin1();
}

QString signedUrl(const http::ClientRequest &request)
{
    return QString::fromLatin1(request.url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveFragment).toEncoded());
}

struct SigningIdentity::Key
{
    ossl::Pkey pkey;
};

SigningIdentity::~SigningIdentity() = default;

std::shared_ptr<const SigningIdentity> SigningIdentity::fromPem(const QByteArray &certificatePem, const QByteArray &keyPem,
                                                                QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return std::shared_ptr<const SigningIdentity>();
    };
    ossl::Cert cert = ossl::certFromPem(certificatePem);
    if (!cert)
        return fail(QStringLiteral("the certificate is not readable PEM"));
    ossl::Pkey key = ossl::keyFromPem(keyPem);
    if (!key)
        return fail(QStringLiteral("the private key is not readable PEM (encrypted keys are not supported)"));
    if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA)
        return fail(QStringLiteral("the private key is not an RSA key; the DIP signs with RSA"));
    if (X509_check_private_key(cert.get(), key.get()) != 1) {
        ossl::lastError();
        return fail(QStringLiteral("the private key does not belong to the certificate %1").arg(ossl::subjectLine(cert.get())));
    }
    std::shared_ptr<SigningIdentity> id(new SigningIdentity);
    id->m_key = std::make_unique<Key>();
    id->m_key->pkey = std::move(key);
    // Re-encoded so the header always carries one certificate with LF line ends, whatever the file had.
    id->m_certPem = ossl::certToPem(cert.get());
    id->m_dipId = ossl::subjectCommonName(cert.get());
    return id;
}

std::shared_ptr<const SigningIdentity> SigningIdentity::load(const QString &certificateFile, const QString &keyFile,
                                                             QString *error)
{
    QFile c(certificateFile), k(keyFile);
    if (!c.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(certificateFile, c.errorString());
        return {};
    }
    if (!k.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(keyFile, k.errorString());
        return {};
    }
    QString why;
    auto id = fromPem(c.readAll(), k.readAll(), &why);
    if (!id && error)
        *error = QStringLiteral("%1 / %2: %3").arg(certificateFile, keyFile, why);
    return id;
}

QByteArray SigningIdentity::sign(QByteArrayView data, QString *error) const
{
    ossl::MdCtx ctx(EVP_MD_CTX_new());
    size_t len = 0;
    // RSA keys default to PKCS#1 v1.5 padding, the scheme the DIP uses.
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, m_key->pkey.get()) != 1
        || EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char *>(data.data()), size_t(data.size())) != 1) {
        if (error)
            *error = ossl::lastError();
        return {};
    }
    QByteArray sig(qsizetype(len), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(sig.data()), &len,
                       reinterpret_cast<const unsigned char *>(data.data()), size_t(data.size())) != 1) {
        if (error)
            *error = ossl::lastError();
        return {};
    }
    sig.resize(qsizetype(len));
    return sig;
}

http::HeaderList SignatureHeaders::toHeaders() const
{
    return {{QByteArray(kDateHeader), date},
            {QByteArray(kHashHeader), contentHash},
            {QByteArray(kSignatureHeader), signature},
            {QByteArray(kCertificateHeader), certificate}};
}

SignatureHeaders signRequest(const SigningIdentity &identity, QByteArrayView method, const QString &fullUrl,
                             QByteArrayView body, const QDateTime &when)
{
    SignatureHeaders h;
    const QByteArray date = signatureDate(when);
    const QByteArray hash = contentHash(body);
    const QByteArray sig = identity.sign(stringToSign(method, fullUrl, date, hash), &h.error);
    if (sig.isEmpty())
        return h;
    h.date = date;
    h.contentHash = hash;
    h.signature = sig.toBase64();
    h.certificate = identity.certificatePem().toBase64();
    return h;
}

bool signClientRequest(http::ClientRequest &request, const SigningIdentity &identity, QString *error)
{
    const SignatureHeaders h = signRequest(identity, request.method, signedUrl(request), request.body, Clock::nowUtc());
    if (!h.error.isEmpty()) {
        if (error)
            *error = h.error;
        return false;
    }
    request.headers.removeIf([](const auto &field) {
        for (const char *name : {kDateHeader, kHashHeader, kSignatureHeader, kCertificateHeader})
            if (field.first.compare(QByteArrayView(name), Qt::CaseInsensitive) == 0)
                return true;
        return false;
    });
    request.headers.append(h.toHeaders());
    return true;
}

} // namespace dipwb::security
