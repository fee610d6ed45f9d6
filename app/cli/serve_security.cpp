// SPDX-License-Identifier: GPL-3.0-or-later
#include "serve_security.h"

#include "commands.h"
#include "common/workspace.h"
#include "security/test_ca.h"
#include "security/verifier.h"

#include <QFile>
#include <QSslKey>

namespace dipwb::cli {

QList<QCommandLineOption> serveSecurityOptions()
{
    return {
        {QStringLiteral("signatures"), QStringLiteral("X-DIP-* signature checks: require (401 on failure), warn (record only) or off (default require)."),
         QStringLiteral("mode"), QStringLiteral("require")},
        {QStringLiteral("signature-skew"), QStringLiteral("Seconds the signature date may differ from now (default 300)."),
         QStringLiteral("s"), QStringLiteral("300")},
        {QStringLiteral("unsigned-webhooks"), QStringLiteral("Send webhook calls without X-DIP-* signatures (the DIP signs them; for plain-HTTP benchmarks and first steps).")},
        {QStringLiteral("tls"), QStringLiteral("Serve HTTPS with the workspace's emulator server certificate.")},
        {QStringLiteral("mtls"), QStringLiteral("With --tls: require a client certificate from the workspace CA, issued to the sending DIP id.")},
        {QStringLiteral("api-keys"), QStringLiteral("Require each sender's X-API-Key (issued with its certificate).")},
    };
}

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

bool serveSecurity(const QCommandLineParser &p, const Workspace &ws, const QString &emulatorDipId,
                   dip::EmulatorSecurity *result, QString *error)
{
    const auto mode = dip::parseSignatureMode(p.value(QStringLiteral("signatures")));
    if (!mode) {
        *error = QStringLiteral("--signatures must be require, warn or off");
        return false;
    }
    bool okSkew = false;
    const int skew = p.value(QStringLiteral("signature-skew")).toInt(&okSkew);
    if (!okSkew || skew < 0) {
        *error = QStringLiteral("--signature-skew must be a number of seconds");
        return false;
    }
    if (p.isSet(QStringLiteral("mtls")) && !p.isSet(QStringLiteral("tls"))) {
        *error = QStringLiteral("--mtls needs --tls");
        return false;
    }

    // The emulator signs every webhook call, so the workspace always gets its CA on first start.
    security::WorkspaceCa ca(ws.certificatesDir());
    const bool fresh = !ca.exists();
    if (!ca.init(emulatorDipId, error))
        return false;
    if (fresh)
        out() << "Created the workspace test CA in " << ca.dir() << " (issue participant certificates with 'dipwb certs issue DIPID')" << Qt::endl;

    dip::EmulatorSecurity s;
    s.signatures = *mode;
    auto verifier = std::make_shared<security::SignatureVerifier>();
    if (!verifier->addTrustedCaFile(ca.caCertPath(), error))
        return false;
    verifier->setMaxSkewMs(qint64(skew) * 1000);
    s.verifier = verifier;
    if (!p.isSet(QStringLiteral("unsigned-webhooks"))) {
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

    if (p.isSet(QStringLiteral("tls"))) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(certs.first());
        tls.setPrivateKey(key);
        // Only the workspace CA vouches for clients, never the system store.
        tls.setCaCertificates(QSslCertificate::fromData(readAll(ca.caCertPath())));
        tls.setPeerVerifyMode(p.isSet(QStringLiteral("mtls")) ? QSslSocket::VerifyPeer : QSslSocket::VerifyNone);
        s.tls = tls;
        s.clientCertificateMustMatchSender = p.isSet(QStringLiteral("mtls"));
    }

    if (p.isSet(QStringLiteral("api-keys"))) {
        for (const QString &id : ca.issuedDipIds())
            if (const QByteArray k = ca.apiKey(id); !k.isEmpty())
                s.apiKeys.insert(id, k);
        if (s.apiKeys.isEmpty()) {
            *error = QStringLiteral("--api-keys: no participant has an API key yet (run 'dipwb certs issue DIPID')");
            return false;
        }
    }
    *result = std::move(s);
    return true;
}

QString describeSecurity(const dip::EmulatorSecurity &s)
{
    QStringList parts{QStringLiteral("signatures ") + dip::signatureModeName(s.signatures)};
    if (!s.webhookSigner)
        parts << QStringLiteral("webhook calls unsigned");
    if (s.tls)
        parts << (s.clientCertificateMustMatchSender ? QStringLiteral("HTTPS with mutual TLS") : QStringLiteral("HTTPS"));
    if (!s.apiKeys.isEmpty())
        parts << QStringLiteral("API keys of %1 participants").arg(s.apiKeys.size());
    return parts.join(QStringLiteral(", "));
}

} // namespace dipwb::cli
