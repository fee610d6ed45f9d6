// SPDX-License-Identifier: GPL-3.0-or-later
#include "dip/security_setup.h"

#include "security/test_ca.h"
#include "security/verifier.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

namespace dipwb::dip {

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

bool buildEmulatorSecurity(const SecurityChoices &c, const QString &certificatesDir, const QString &emulatorDipId,
                           EmulatorSecurity *result, QString *error, bool *createdCa)
{
    if (c.skewSeconds < 0) {
        *error = QStringLiteral("the signature skew must be a number of seconds, 0 or more");
        return false;
    }
    if (c.mutualTls && !c.tls) {
        *error = QStringLiteral("mutual TLS needs TLS");
        return false;
    }
    // The emulator signs every webhook call, so the workspace always gets its CA on first start.
    security::WorkspaceCa ca(certificatesDir);
    const bool fresh = !ca.exists();
    if (!ca.init(emulatorDipId, error))
        return false;
    if (createdCa)
        *createdCa = fresh;

    EmulatorSecurity s;
    s.signatures = c.signatures;
    auto verifier = std::make_shared<security::SignatureVerifier>();
    if (!verifier->addTrustedCaFile(ca.caCertPath(), error))
        return false;
    verifier->setMaxSkewMs(qint64(c.skewSeconds) * 1000);
    s.verifier = verifier;
    if (c.signWebhooks) {
        s.webhookSigner = ca.emulatorSigningIdentity(error);
        if (!s.webhookSigner)
            return false;
    }

    const QList<QSslCertificate> certs = QSslCertificate::fromData(readAll(ca.serverCertPath()));
    const QSslKey key(readAll(ca.serverKeyPath()), QSsl::Rsa);
    if (certs.isEmpty() || key.isNull()) {
        *error = QStringLiteral("cannot read the emulator's server certificate %1 or key %2 (run 'dipwb certs init --force')")
                     .arg(ca.serverCertPath(), ca.serverKeyPath());
        return false;
    }
    // The emulator's webhook client copies the default configuration when it is made, so this is
    // how calls to HTTPS receivers trust the workspace CA (besides the system's) and present the
    // emulator's certificate to receivers that require mutual TLS.
    QSslConfiguration outgoing = QSslConfiguration::defaultConfiguration();
    outgoing.addCaCertificates(QSslCertificate::fromData(readAll(ca.caCertPath())));
    outgoing.setLocalCertificate(certs.first());
    outgoing.setPrivateKey(key);
    QSslConfiguration::setDefaultConfiguration(outgoing);

    if (c.tls) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(certs.first());
        tls.setPrivateKey(key);
        // Only the workspace CA vouches for clients, never the system store.
        tls.setCaCertificates(QSslCertificate::fromData(readAll(ca.caCertPath())));
        tls.setPeerVerifyMode(c.mutualTls ? QSslSocket::VerifyPeer : QSslSocket::VerifyNone);
        s.tls = tls;
        s.clientCertificateMustMatchSender = c.mutualTls;
    }

    if (c.apiKeys) {
        for (const QString &id : ca.issuedDipIds())
            if (const QByteArray k = ca.apiKey(id); !k.isEmpty())
                s.apiKeys.insert(id, k);
        if (s.apiKeys.isEmpty()) {
            *error = QStringLiteral("API keys: no participant has one yet (issue certificates first: 'dipwb certs issue DIPID')");
            return false;
        }
    }
    *result = std::move(s);
    return true;
}

QString describeSecurity(const EmulatorSecurity &s)
{
    QStringList parts{QStringLiteral("signatures ") + signatureModeName(s.signatures)};
    if (!s.webhookSigner)
        parts << QStringLiteral("webhook calls unsigned");
    if (s.tls)
        parts << (s.clientCertificateMustMatchSender ? QStringLiteral("HTTPS with mutual TLS") : QStringLiteral("HTTPS"));
    if (!s.apiKeys.isEmpty())
        parts << QStringLiteral("API keys of %1 participants").arg(s.apiKeys.size());
    return parts.join(QStringLiteral(", "));
}

} // namespace dipwb::dip
