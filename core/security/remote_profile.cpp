// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/remote_profile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSslKey>

namespace dipwb::security {

namespace {
QByteArray readFile(const QString &path, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return {};
    }
    return f.readAll();
}
} // namespace

bool isProfileName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_-]{1,40}$"));
    return re.match(name).hasMatch();
}

QString profilesDir(const QString &workspaceDir)
{
    return workspaceDir + QStringLiteral("/profiles");
}

QStringList profileNames(const QString &workspaceDir)
{
    QStringList names;
    for (const QString &f : QDir(profilesDir(workspaceDir)).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        if (isProfileName(f.chopped(5)))
            names << f.chopped(5);
    return names;
}

std::optional<RemoteProfile> loadProfile(const QString &workspaceDir, const QString &name, QString *error)
{
    if (!isProfileName(name)) {
        if (error)
            *error = QStringLiteral("'%1' is not a profile name").arg(name);
        return std::nullopt;
    }
    const QString path = profilesDir(workspaceDir) + QLatin1Char('/') + name + QStringLiteral(".json");
    if (!QFileInfo::exists(path)) {
        if (error)
            *error = QStringLiteral("no profile '%1' in %2 (dipwb profile add)").arg(name, profilesDir(workspaceDir));
        return std::nullopt;
    }
    const QByteArray data = readFile(path, error);
    const QJsonObject o = QJsonDocument::fromJson(data).object();
    RemoteProfile p;
    p.name = name;
    p.baseUrl = QUrl(o.value(QStringLiteral("baseUrl")).toString());
    p.dipId = o.value(QStringLiteral("dipId")).toString();
    p.certificateFile = o.value(QStringLiteral("certificate")).toString();
    p.keyFile = o.value(QStringLiteral("key")).toString();
    p.pfxFile = o.value(QStringLiteral("pfx")).toString();
    p.pfxPassword = o.value(QStringLiteral("pfxPassword")).toString();
    p.caFile = o.value(QStringLiteral("ca")).toString();
    p.apiKey = o.value(QStringLiteral("apiKey")).toString();
    if (!p.baseUrl.isValid() || p.baseUrl.host().isEmpty()) {
        if (error)
            *error = QStringLiteral("%1: baseUrl is not an absolute URL").arg(path);
        return std::nullopt;
    }
    return p;
}

bool saveProfile(const QString &workspaceDir, const RemoteProfile &p, QString *error)
{
    if (!isProfileName(p.name)) {
        if (error)
            *error = QStringLiteral("'%1' is not a profile name (letters, digits, - and _)").arg(p.name);
        return false;
    }
    QDir().mkpath(profilesDir(workspaceDir));
    const QJsonObject o{{QStringLiteral("baseUrl"), p.baseUrl.toString()}, {QStringLiteral("dipId"), p.dipId},
                        {QStringLiteral("certificate"), p.certificateFile}, {QStringLiteral("key"), p.keyFile},
                        {QStringLiteral("pfx"), p.pfxFile}, {QStringLiteral("pfxPassword"), p.pfxPassword},
                        {QStringLiteral("ca"), p.caFile}, {QStringLiteral("apiKey"), p.apiKey}};
    QSaveFile f(profilesDir(workspaceDir) + QLatin1Char('/') + p.name + QStringLiteral(".json"));
    // The file may hold a PFX password and an API key: owner-only, like the keys it points to.
    if (!f.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString());
        return false;
    }
    f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    f.write(QJsonDocument(o).toJson());
    if (!f.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString());
        return false;
    }
    return true;
}

std::optional<RemoteCredentials> loadCredentials(const RemoteProfile &p, QString *error)
{
    RemoteCredentials c;
    QSslCertificate cert;
    QSslKey key;
    if (!p.pfxFile.isEmpty()) {
        QFile f(p.pfxFile);
        if (!f.open(QIODevice::ReadOnly) || !QSslCertificate::importPkcs12(&f, &key, &cert, nullptr, p.pfxPassword.toUtf8())) {
            if (error)
                *error = QStringLiteral("cannot open the PFX bundle %1 (file or password)").arg(p.pfxFile);
            return std::nullopt;
        }
    } else {
        const QByteArray certPem = readFile(p.certificateFile, error);
        const QByteArray keyPem = certPem.isEmpty() ? QByteArray() : readFile(p.keyFile, error);
        if (keyPem.isEmpty())
            return std::nullopt;
        cert = QSslCertificate(certPem);
        key = QSslKey(keyPem, QSsl::Rsa);
    }
    QString why;
    c.identity = SigningIdentity::fromPem(cert.toPem(), key.toPem(), &why);
    if (!c.identity) {
        if (error)
            *error = QStringLiteral("profile %1: %2").arg(p.name, why);
        return std::nullopt;
    }
    c.tls = QSslConfiguration::defaultConfiguration();
    c.tls.setLocalCertificate(cert);
    c.tls.setPrivateKey(key);
    if (!p.caFile.isEmpty()) {
        c.caPem = readFile(p.caFile, error);
        if (c.caPem.isEmpty())
            return std::nullopt;
        c.tls.setCaCertificates(QSslCertificate::fromData(c.caPem));
    }
    c.apiKey = p.apiKey.toUtf8();
    return c;
}

} // namespace dipwb::security
