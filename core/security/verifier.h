// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/http_message.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <memory>

namespace dipwb::security {

/// Why a signature was not accepted. Each names one thing a tester can fix.
enum class Cause {
    None,
    MissingHeader,          ///< one of the four X-DIP-* headers is absent or empty
    BadBase64,              ///< a header that must be Base64 is not
    BadDate,                ///< X-DIP-Signature-Date is not an ISO date-time
    HashMismatch,           ///< X-DIP-Content-Hash is not the SHA-256 of the body received
    DateOutsideSkew,        ///< the signature date is further from now than the allowed skew
    CertificateUnreadable,  ///< X-DIP-Signature-Certificate does not hold a PEM certificate
    CertificateUntrusted,   ///< not issued by the workspace CA (or a CA the verifier trusts)
    CertificateExpired,     ///< issued by the CA but not valid now
    WrongSender,            ///< issued to another DIP id than the request's sender
    BadSignature,           ///< X-DIP-Signature does not verify with the certificate's key
};

/// A short stable name of the cause ("hash-mismatch"), used in answers, logs and tests.
QString causeName(Cause cause);

/// The outcome of one check: the cause, a sentence for the tester and who signed.
struct Verdict
{
    Cause cause = Cause::None;
    QString detail;    ///< what was expected and what was found
    QString signerId;  ///< the certificate's commonName when it could be read

    bool ok() const { return cause == Cause::None; }
    /// "valid (signed by 2300000185)" or "hash-mismatch: ...": what the tracker records.
    QString toString() const;
};

/// What the verifier needs from one request.
struct SignedRequest
{
    QByteArrayView method;
    QString fullUrl;
    const http::HeaderList *headers = nullptr;
    QByteArrayView body;
    /// DIP ids the request speaks for (sender of each message, the DIP id in the path); the
    /// certificate must be issued to every one. Empty: only the CA is checked.
    QStringList senders;
    qint64 nowMs = 0;
};

/// Checks the four X-DIP-* headers of DOMAIN.md section 7 against trusted CA certificates.
/// Configure before use; verify() is const and safe to call from several threads at once.
class SignatureVerifier final
{
public:
    SignatureVerifier();
    ~SignatureVerifier();
    SignatureVerifier(const SignatureVerifier &) = delete;
    SignatureVerifier &operator=(const SignatureVerifier &) = delete;

    /// Adds the CA certificates of a PEM text; false with the reason when none is readable.
    bool addTrustedCaPem(const QByteArray &pem, QString *error = nullptr);
    bool addTrustedCaFile(const QString &path, QString *error = nullptr);
    int trustedCaCount() const;
    /// How far the signature date may be from now, either way (default 5 minutes, assumed).
    void setMaxSkewMs(qint64 ms) { m_maxSkewMs = ms; }
    qint64 maxSkewMs() const { return m_maxSkewMs; }

    Verdict verify(const SignedRequest &request) const;
    /// verify() for a request the HTTP server read; the URL is its fullUrl().
    Verdict verify(const http::HttpRequest &request, const QStringList &senders, qint64 nowMs) const;

private:
    struct Trust;
    std::unique_ptr<Trust> m_trust;
    qint64 m_maxSkewMs = 5 * 60 * 1000;
};

} // namespace dipwb::security
