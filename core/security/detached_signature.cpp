// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/detached_signature.h"

#include "security/openssl_util.h"

#include <QCryptographicHash>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

namespace dipwb::security {

QByteArray certificateSha256(const QByteArray &certificatePem)
{
    const ossl::Cert cert = ossl::certFromPem(certificatePem);
    if (!cert)
        return {};
    unsigned char *der = nullptr;
    const int len = i2d_X509(cert.get(), &der);
    if (len <= 0)
        return {};
    const QByteArray hex = QCryptographicHash::hash(QByteArrayView(der, len), QCryptographicHash::Sha256).toHex();
    OPENSSL_free(der);
    return hex;
}

namespace {

bool issuedBy(X509 *cert, const QByteArray &caPem, QString *why)
{
    ossl::Store store(X509_STORE_new());
    ossl::Bio bio(BIO_new_mem_buf(caPem.constData(), int(caPem.size())));
    int added = 0;
    while (X509 *ca = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        added += X509_STORE_add_cert(store.get(), ca) == 1;
        X509_free(ca);
    }
    ERR_clear_error(); // the loop ends on the "no start line" error of the end of the text
    if (!added) {
        *why = QStringLiteral("the CA certificate is unreadable");
        return false;
    }
    // Evidence outlives test certificates: the chain is checked, not the dates.
    X509_STORE_set_flags(store.get(), X509_V_FLAG_NO_CHECK_TIME);
    ossl::StoreCtx ctx(X509_STORE_CTX_new());
    if (X509_STORE_CTX_init(ctx.get(), store.get(), cert, nullptr) != 1) {
        *why = ossl::lastError();
        return false;
    }
    if (X509_verify_cert(ctx.get()) != 1) {
        *why = QString::fromUtf8(X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get())));
        return false;
    }
    return true;
}

} // namespace

DetachedCheck verifyDetached(QByteArrayView data, QByteArrayView signature, const QByteArray &certificatePem,
                             const QByteArray &caPem)
{
    DetachedCheck r;
    const ossl::Cert cert = ossl::certFromPem(certificatePem);
    if (!cert) {
        r.detail = QStringLiteral("the signer's certificate is unreadable");
        return r;
    }
    r.signerId = ossl::subjectCommonName(cert.get());
    EVP_PKEY *key = X509_get0_pubkey(cert.get());
    ossl::MdCtx ctx(EVP_MD_CTX_new());
    if (!key || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) {
        r.detail = QStringLiteral("the certificate's key cannot verify: ") + ossl::lastError();
        return r;
    }
    r.signatureValid = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(signature.data()), size_t(signature.size()),
                                        reinterpret_cast<const unsigned char *>(data.data()), size_t(data.size()))
        == 1;
    ERR_clear_error();
    QString why;
    if (!caPem.isEmpty())
        r.issuerValid = issuedBy(cert.get(), caPem, &why);
    else
        why = QStringLiteral("no CA certificate to check it against");
    const QString who = r.signerId.isEmpty() ? QStringLiteral("the certificate") : QStringLiteral("the certificate of ") + r.signerId;
    if (!r.signatureValid)
        r.detail = QStringLiteral("the signature does not verify with %1").arg(who);
    else if (!r.issuerValid)
        r.detail = QStringLiteral("the signature verifies with %1, but its issuer does not: %2").arg(who, why);
    else
        r.detail = QStringLiteral("signed by %1, certificate issued by the CA").arg(r.signerId);
    return r;
}

} // namespace dipwb::security
