// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/signature.h"

#include <QString>
#include <QStringList>

namespace dipwb::security {

/// The certificate authority of one workspace, for testing only: it issues the participants'
/// certificates and the emulator's own server and signing certificates. Everything lives under the
/// workspace's certificates folder:
///
///     ca/ca-cert.pem, ca/ca-key.pem
///     emulator/server-cert.pem, server-key.pem       (TLS: SAN localhost, 127.0.0.1, ::1)
///     emulator/signing-cert.pem, signing-key.pem     (webhook signatures; CN = the DIP's id)
///     participants/<DIPID>/cert.pem, key.pem, ca-cert.pem, bundle.pfx, api-key
///
/// Keys are RSA, written with owner-only permissions. Not thread-safe: one caller at a time.
class WorkspaceCa final
{
public:
    struct IssueOptions
    {
        int keyBits = 2048;
        int validityDays = 365;
        /// Days before now the certificate starts (negative: in the future). With validityDays
        /// smaller than this the certificate is already expired, which tests need.
        int backdateDays = 1;
        QStringList dnsNames{QStringLiteral("localhost")};
        QStringList ipAddresses{QStringLiteral("127.0.0.1"), QStringLiteral("::1")};
        QString organisation = QStringLiteral("DIP Workbench test participant");
        QString pfxPassword = QStringLiteral("dipwb");
    };

    explicit WorkspaceCa(QString certificatesDir);

    bool exists() const;
    /// Creates the CA and the emulator's certificates (emulatorDipId is the signing certificate's
    /// commonName). An existing CA is kept unless force is set; then everything is made anew and
    /// certificates issued before no longer verify.
    bool init(const QString &emulatorDipId, QString *error, bool force = false);
    /// Issues (or re-issues) the certificate of one DIP id, with its PFX bundle and API key.
    bool issue(const QString &dipId, const IssueOptions &options, QString *error);
    bool issue(const QString &dipId, QString *error) { return issue(dipId, IssueOptions{}, error); }
    /// Writes a PEM certificate and key pair signed by this CA to the given paths (inside the
    /// workspace), for callers that need one outside the participants layout.
    bool issueTo(const QString &commonName, const IssueOptions &options, const QString &certPath, const QString &keyPath,
                 QString *error);

    QString dir() const { return m_dir; }
    QString caCertPath() const;
    QString caKeyPath() const;
    QString serverCertPath() const;
    QString serverKeyPath() const;
    QString signingCertPath() const;
    QString signingKeyPath() const;
    QString participantDir(const QString &dipId) const;
    QString participantCertPath(const QString &dipId) const;
    QString participantKeyPath(const QString &dipId) const;
    QString participantPfxPath(const QString &dipId) const;
    QString participantApiKeyPath(const QString &dipId) const;

    /// DIP ids with an issued certificate, sorted.
    QStringList issuedDipIds() const;
    /// The participant's API key; empty when none was issued.
    QByteArray apiKey(const QString &dipId) const;
    IdentityPtr participantIdentity(const QString &dipId, QString *error) const;
    IdentityPtr emulatorSigningIdentity(QString *error) const;

    /// Ten characters, letters and digits: the DIP id shape, and a safe folder name.
    static bool isDipIdName(const QString &dipId);

private:
    QString m_dir;
};

} // namespace dipwb::security
