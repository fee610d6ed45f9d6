// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// RAII holders and conversions for the OpenSSL objects of the security area. Internal to
// core/security: nothing outside includes OpenSSL headers.

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <memory>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

namespace dipwb::security::ossl {

struct PkeyFree { void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); } };
struct X509Free { void operator()(X509 *p) const { X509_free(p); } };
struct BioFree { void operator()(BIO *p) const { BIO_free_all(p); } };
struct MdCtxFree { void operator()(EVP_MD_CTX *p) const { EVP_MD_CTX_free(p); } };
struct StoreFree { void operator()(X509_STORE *p) const { X509_STORE_free(p); } };
struct StoreCtxFree { void operator()(X509_STORE_CTX *p) const { X509_STORE_CTX_free(p); } };

using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Cert = std::unique_ptr<X509, X509Free>;
using Bio = std::unique_ptr<BIO, BioFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using Store = std::unique_ptr<X509_STORE, StoreFree>;
using StoreCtx = std::unique_ptr<X509_STORE_CTX, StoreCtxFree>;

/// The OpenSSL error queue as one line (and cleared), for messages a tester can act on.
QString lastError();

/// The first certificate / private key of a PEM text; null when there is none readable.
Cert certFromPem(QByteArrayView pem);
Pkey keyFromPem(QByteArrayView pem);
QByteArray certToPem(X509 *cert);
QByteArray keyToPem(EVP_PKEY *key);

/// The subject's commonName (UTF-8); empty when absent.
QString subjectCommonName(X509 *cert);
/// "CN=..., O=..." one line.
QString subjectLine(X509 *cert);
QString issuerLine(X509 *cert);

} // namespace dipwb::security::ossl
