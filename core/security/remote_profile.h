// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/signature.h"

#include <QSslConfiguration>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <optional>

namespace dipwb::security {

/// A DIP the workbench talks to as a participant: the real SIT or UIT environment, or another
/// emulator. Stored as <workspace>/profiles/<name>.json; key files are referred to, not copied.
struct RemoteProfile
{
    QString name;
    QUrl baseUrl;          ///< "https://sit.dip.example:443"
    QString dipId;         ///< the participant's DIP id the profile speaks for
    QString certificateFile, keyFile;  ///< PEM client certificate and its key (signing key too)
    QString pfxFile, pfxPassword;      ///< instead of the PEM pair
    QString caFile;        ///< PEM CA certificates trusted for the DIP's server and its signatures
    QString apiKey;        ///< X-API-Key; empty: none sent
};

/// Letters, digits, '-' and '_', at most 40 characters: the profile becomes a file name.
bool isProfileName(const QString &name);
QString profilesDir(const QString &workspaceDir);
QStringList profileNames(const QString &workspaceDir);
std::optional<RemoteProfile> loadProfile(const QString &workspaceDir, const QString &name, QString *error);
bool saveProfile(const QString &workspaceDir, const RemoteProfile &profile, QString *error);

/// What a profile's files give: the signing identity, TLS with the client certificate and the CA,
/// and the CA certificates' PEM for verifying what the DIP signs.
struct RemoteCredentials
{
    IdentityPtr identity;
    QSslConfiguration tls;
    QByteArray caPem;
    QByteArray apiKey;
};
std::optional<RemoteCredentials> loadCredentials(const RemoteProfile &profile, QString *error);

} // namespace dipwb::security
