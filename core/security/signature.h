// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/http_message.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <memory>

namespace dipwb::http {
struct ClientRequest;
}

namespace dipwb::security {

/// The four headers of DOMAIN.md section 7, spelled as the DIP sends them.
inline constexpr char kDateHeader[] = "X-DIP-Signature-Date";
inline constexpr char kHashHeader[] = "X-DIP-Content-Hash";
inline constexpr char kSignatureHeader[] = "X-DIP-Signature";
inline constexpr char kCertificateHeader[] = "X-DIP-Signature-Certificate";

/// Base64 of the raw SHA-256 of the exact body bytes.
QByteArray contentHash(QByteArrayView body);
/// "METHOD;lowercased full URL;date;hash": the exact bytes the signature covers.
QByteArray stringToSign(QByteArrayView method, const QString &fullUrl, QByteArrayView date, QByteArrayView hash);
/// "2025-06-27T14:29:09.061Z": UTC with milliseconds, as the DIP writes the signature date.
QByteArray signatureDate(const QDateTime &when);
/// The URL the server will rebuild for a client request (scheme://Host-header + target).
QString signedUrl(const http::ClientRequest &request);

/// A certificate and its private key, able to sign. Immutable once loaded: safe to share between
/// threads (OpenSSL 3 keys may sign concurrently, each operation has its own context).
class SigningIdentity final
{
public:
    ~SigningIdentity();
    /// Null with the reason when the PEM texts are unreadable or the key does not match the certificate.
    static std::shared_ptr<const SigningIdentity> fromPem(const QByteArray &certificatePem, const QByteArray &keyPem,
                                                          QString *error);
    static std::shared_ptr<const SigningIdentity> load(const QString &certificateFile, const QString &keyFile,
                                                       QString *error);

    /// The certificate in PEM with LF line ends.
    QByteArray certificatePem() const { return m_certPem; }
    /// The subject commonName: the DIP id the certificate was issued to.
    QString dipId() const { return m_dipId; }
    /// RSA PKCS#1 v1.5 / SHA-256 signature of data (raw bytes); empty with the reason on failure.
    QByteArray sign(QByteArrayView data, QString *error = nullptr) const;

private:
    SigningIdentity() = default;
    struct Key;
    std::unique_ptr<Key> m_key;
    QByteArray m_certPem;
    QString m_dipId;
};
using IdentityPtr = std::shared_ptr<const SigningIdentity>;

/// The four header values of one signed request.
struct SignatureHeaders
{
    QByteArray date;
    QByteArray contentHash;
    QByteArray signature;    ///< Base64
    QByteArray certificate;  ///< Base64 of the PEM
    QString error;           ///< set when signing failed (the other fields are then empty)

    http::HeaderList toHeaders() const;
};

/// Signs one request as DOMAIN.md section 7 describes.
SignatureHeaders signRequest(const SigningIdentity &identity, QByteArrayView method, const QString &fullUrl,
                             QByteArrayView body, const QDateTime &when);
/// Replaces any X-DIP-* signature headers of the request by fresh ones (now, by the core clock).
/// False with the reason when signing failed; the request is then left unsigned.
bool signClientRequest(http::ClientRequest &request, const SigningIdentity &identity, QString *error = nullptr);

} // namespace dipwb::security
