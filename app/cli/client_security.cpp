// SPDX-License-Identifier: GPL-3.0-or-later
#include "client_security.h"

#include "common/workspace.h"
#include "http/http_client.h"
#include "security/remote_profile.h"
#include "security/test_ca.h"

#include <QFile>
#include <QSslKey>

namespace dipwb::cli {

void ClientSecurity::decorate(http::ClientRequest &request) const
{
    if (!apiKey.isEmpty())
        request.headers.append({QByteArrayLiteral("X-API-Key"), apiKey});
    if (identity)
        security::signClientRequest(request, *identity);
}

QList<QCommandLineOption> clientSecurityOptions()
{
    return {
        {QStringLiteral("workspace"), QStringLiteral("Workspace whose certificates sign (default: %1).").arg(Workspace::defaultDir()), QStringLiteral("dir")},
        {QStringLiteral("as"), QStringLiteral("Sign as this DIP id with its certificate from the workspace CA (default: S1.senderDIPID)."), QStringLiteral("dipId")},
        {QStringLiteral("unsigned"), QStringLiteral("Send without X-DIP-* signature headers.")},
        {QStringLiteral("api-key"), QStringLiteral("X-API-Key to send (default: the one issued to the signing DIP id)."), QStringLiteral("key")},
        {QStringLiteral("profile"), QStringLiteral("Talk to a remote DIP profile of the workspace (URL, certificates, API key): dipwb profile add."), QStringLiteral("name")},
    };
}

namespace {
QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

bool clientSecurity(const QCommandLineParser &p, const QString &defaultSender, ClientSecurity *result, QString *error)
{
    // optionNames(), not isSet(): `dipwb sign` has no --unsigned, and isSet() warns about unknown names.
    const bool unsignedWanted = p.optionNames().contains(QStringLiteral("unsigned"));
    const Workspace ws(p.isSet(QStringLiteral("workspace")) ? p.value(QStringLiteral("workspace")) : Workspace::defaultDir());
    if (p.isSet(QStringLiteral("profile"))) {
        const auto profile = security::loadProfile(ws.dir(), p.value(QStringLiteral("profile")), error);
        if (!profile)
            return false;
        const auto creds = security::loadCredentials(*profile, error);
        if (!creds)
            return false;
        ClientSecurity s;
        s.baseUrl = profile->baseUrl;
        s.identity = unsignedWanted ? nullptr : creds->identity;
        s.tls = creds->tls;
        s.apiKey = p.isSet(QStringLiteral("api-key")) ? p.value(QStringLiteral("api-key")).toUtf8() : creds->apiKey;
        *result = std::move(s);
        return true;
    }
    const security::WorkspaceCa ca(ws.certificatesDir());
    const bool explicitAs = p.isSet(QStringLiteral("as"));
    const QString as = explicitAs ? p.value(QStringLiteral("as")) : defaultSender;
    ClientSecurity s;
    if (!unsignedWanted) {
        if (as.isEmpty()) {
            s.note = QStringLiteral("not signed: no --as given and no S1.senderDIPID in the file");
        } else {
            QString why;
            s.identity = ca.participantIdentity(as, &why);
            if (!s.identity) {
                if (explicitAs) {
                    *error = why;
                    return false;
                }
                s.note = QStringLiteral("not signed: ") + why;
            }
        }
    }
    s.apiKey = p.isSet(QStringLiteral("api-key")) ? p.value(QStringLiteral("api-key")).toUtf8() : ca.apiKey(as);

    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    if (ca.exists())
        tls.setCaCertificates(QSslCertificate::fromData(readAll(ca.caCertPath())));
    if (s.identity) {
        tls.setLocalCertificate(QSslCertificate(s.identity->certificatePem()));
        tls.setPrivateKey(QSslKey(readAll(ca.participantKeyPath(as)), QSsl::Rsa));
    }
    s.tls = tls;
    *result = std::move(s);
    return true;
}

} // namespace dipwb::cli
