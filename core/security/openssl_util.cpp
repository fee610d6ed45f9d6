// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/openssl_util.h"

#include <QStringList>

#include <openssl/err.h>
#include <openssl/pem.h>

namespace dipwb::security::ossl {

QString lastError()
{
    QStringList parts;
    while (const unsigned long e = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        parts << QString::fromLatin1(buf);
    }
    return parts.isEmpty() ? QStringLiteral("unknown OpenSSL error") : parts.join(QStringLiteral("; "));
}

namespace {
Bio readBio(QByteArrayView data)
{
    return Bio(BIO_new_mem_buf(data.data(), int(data.size())));
}

QByteArray drain(BIO *bio)
{
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(n));
}

QString nameLine(X509_NAME *name)
{
    if (!name)
        return {};
    Bio out(BIO_new(BIO_s_mem()));
    X509_NAME_print_ex(out.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    return QString::fromUtf8(drain(out.get()));
}
} // namespace

Cert certFromPem(QByteArrayView pem)
{
    Bio bio = readBio(pem);
    Cert cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    ERR_clear_error();
    return cert;
}

Pkey keyFromPem(QByteArrayView pem)
{
    Bio bio = readBio(pem);
    Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    ERR_clear_error();
    return key;
}

QByteArray certToPem(X509 *cert)
{
    Bio out(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(out.get(), cert);
    return drain(out.get());
}

QByteArray keyToPem(EVP_PKEY *key)
{
    Bio out(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    return drain(out.get());
}

QString subjectCommonName(X509 *cert)
{
    X509_NAME *name = X509_get_subject_name(cert);
    const int idx = name ? X509_NAME_get_index_by_NID(name, NID_commonName, -1) : -1;
    if (idx < 0)
        return {};
    ASN1_STRING *value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
    unsigned char *utf8 = nullptr;
    const int n = ASN1_STRING_to_UTF8(&utf8, value);
    if (n < 0)
        return {};
    const QString s = QString::fromUtf8(reinterpret_cast<const char *>(utf8), n);
    OPENSSL_free(utf8);
    return s;
}

QString subjectLine(X509 *cert)
{
    return nameLine(X509_get_subject_name(cert));
}

QString issuerLine(X509 *cert)
{
    return nameLine(X509_get_issuer_name(cert));
}

} // namespace dipwb::security::ossl
