// SPDX-License-Identifier: GPL-3.0-or-later
#include "serve_security.h"

#include "commands.h"
#include "common/workspace.h"
#include "dip/security_setup.h"

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
    dip::SecurityChoices c;
    c.signatures = *mode;
    c.skewSeconds = skew;
    c.signWebhooks = !p.isSet(QStringLiteral("unsigned-webhooks"));
    c.tls = p.isSet(QStringLiteral("tls"));
    c.mutualTls = p.isSet(QStringLiteral("mtls"));
    c.apiKeys = p.isSet(QStringLiteral("api-keys"));
    bool fresh = false;
    if (!dip::buildEmulatorSecurity(c, ws.certificatesDir(), emulatorDipId, result, error, &fresh)) {
        if (c.apiKeys && error->startsWith(QLatin1String("API keys")))
            *error = QStringLiteral("--api-keys: no participant has an API key yet (run 'dipwb certs issue DIPID')");
        return false;
    }
    if (fresh)
        out() << "Created the workspace test CA in " << ws.certificatesDir() << " (issue participant certificates with 'dipwb certs issue DIPID')" << Qt::endl;
    return true;
}

QString describeSecurity(const dip::EmulatorSecurity &s)
{
    return dip::describeSecurity(s);
}

} // namespace dipwb::cli
