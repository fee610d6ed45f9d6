// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/signature.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QSslConfiguration>
#include <QUrl>
#include <optional>

namespace dipwb::http {
struct ClientRequest;
}

namespace dipwb::cli {

/// How a participant-side command (send, sign) signs and connects: the workspace's certificate
/// issued to the sending DIP id, its API key, and TLS trusting the workspace CA.
struct ClientSecurity
{
    security::IdentityPtr identity;       ///< null: requests go unsigned
    QByteArray apiKey;                    ///< empty: no X-API-Key header
    std::optional<QSslConfiguration> tls; ///< for https URLs: workspace CA + client certificate
    QString note;                         ///< why requests go unsigned, for the user
    QUrl baseUrl;                         ///< set by --profile: the remote DIP's URL

    /// Adds X-API-Key and the X-DIP-* signature (in that order: the signature covers no header).
    void decorate(http::ClientRequest &request) const;
};

/// --workspace, --as, --unsigned, --api-key, --profile.
QList<QCommandLineOption> clientSecurityOptions();

/// The DIP id to sign as is --as, else defaultSender (the file's S1.senderDIPID). Without --as a
/// missing certificate only leaves the request unsigned (with a note); with --as it is an error.
/// With --profile NAME everything comes from that remote DIP profile of the workspace instead.
bool clientSecurity(const QCommandLineParser &parser, const QString &defaultSender, ClientSecurity *result, QString *error);

} // namespace dipwb::cli
