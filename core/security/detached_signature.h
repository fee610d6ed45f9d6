// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace dipwb::security {

/// What checking a detached signature found. Each failing part is named on its own, so a reviewer
/// knows whether the bytes, the signer's certificate or its issuer is the problem.
struct DetachedCheck
{
    bool signatureValid = false;   ///< the signature verifies with the certificate's public key
    bool issuerValid = false;      ///< the certificate was issued by the CA given (false when none was)
    QString signerId;              ///< the certificate's commonName (a DIP id)
    QString detail;                ///< one sentence: what holds and what does not
};

/// Checks an RSA PKCS#1 v1.5 / SHA-256 signature (raw bytes, as `openssl dgst -sha256 -sign` writes
/// it) over data, with the PEM certificate, and that certificate against caPem when not empty.
/// Validity dates are not checked: evidence is verified long after a test certificate expires.
DetachedCheck verifyDetached(QByteArrayView data, QByteArrayView signature, const QByteArray &certificatePem,
                             const QByteArray &caPem);

/// Lower-case hex SHA-256 of the certificate's DER form (what `openssl x509 -fingerprint -sha256`
/// prints, without colons); empty when the PEM holds no certificate.
QByteArray certificateSha256(const QByteArray &certificatePem);

} // namespace dipwb::security
