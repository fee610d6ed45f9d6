// SPDX-License-Identifier: GPL-3.0-or-later
#include "composer/composer_target.h"

#include "common/workspace.h"
#include "dip/dip_client.h"
#include "security/remote_profile.h"
#include "security/signature.h"
#include "security/test_ca.h"

#include <QFile>
#include <QSslCertificate>
#include <QUrl>

namespace dipwb::ui {

namespace {

void decorateWith(dip::DipClient &client, security::IdentityPtr identity, QByteArray apiKey)
{
    client.setRequestDecorator([identity = std::move(identity), apiKey = std::move(apiKey)](http::ClientRequest &r) {
        if (!apiKey.isEmpty())
            r.headers.append({QByteArrayLiteral("X-API-Key"), apiKey});
        if (identity)
            security::signClientRequest(r, *identity);
    });
}

} // namespace

ComposerClient localClient(const QString &workspaceDir, const QString &baseUrl, const QString &senderDipId, bool sign)
{
    ComposerClient out;
    out.url = baseUrl;
    out.client = std::make_unique<dip::DipClient>(QUrl(baseUrl));
    const security::WorkspaceCa ca(Workspace(workspaceDir).certificatesDir());
    if (ca.exists()) {
        QFile f(ca.caCertPath());
        if (f.open(QIODevice::ReadOnly)) {
            QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
            tls.setCaCertificates(QSslCertificate::fromData(f.readAll()));
            out.client->setSslConfiguration(tls);
        }
    }
    if (!sign) {
        out.note = QObject::tr("unsigned");
        return out;
    }
    QString why;
    security::IdentityPtr identity = ca.exists() ? ca.participantIdentity(senderDipId, &why) : nullptr;
    if (!ca.exists())
        why = QObject::tr("the workspace has no test CA (dipwb certs init)");
    out.note = identity ? QObject::tr("signed as %1 (workspace CA)").arg(senderDipId) : QObject::tr("unsigned: %1").arg(why);
    decorateWith(*out.client, identity, ca.apiKey(senderDipId));
    return out;
}

ComposerClient profileClient(const QString &workspaceDir, const QString &profile, const QString &senderDipId)
{
    ComposerClient out;
    const auto prof = security::loadProfile(workspaceDir, profile, &out.error);
    if (!prof)
        return out;
    const auto creds = security::loadCredentials(*prof, &out.error);
    if (!creds) {
        out.error = QObject::tr("profile %1: %2").arg(profile, out.error);
        return out;
    }
    out.url = prof->baseUrl.toString();
    out.client = std::make_unique<dip::DipClient>(prof->baseUrl);
    out.client->setSslConfiguration(creds->tls);
    decorateWith(*out.client, creds->identity, creds->apiKey);
    out.note = QObject::tr("signed as %1 (profile %2)").arg(prof->dipId, profile);
    if (!senderDipId.isEmpty() && senderDipId != prof->dipId)
        out.note += QObject::tr("; but the message names sender %1, whom the certificate does not speak for").arg(senderDipId);
    return out;
}

QStringList composerProfiles(const QString &workspaceDir)
{
    return workspaceDir.isEmpty() ? QStringList() : security::profileNames(workspaceDir);
}

} // namespace dipwb::ui
