// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "dip/emulator_security.h"

namespace dipwb::dip {

/// The choices a tester makes about the local DIP's security (`dipwb serve` options, the desktop
/// application's DIP security settings).
struct SecurityChoices
{
    SignatureMode signatures = SignatureMode::Require;
    int skewSeconds = 300;
    bool signWebhooks = true;   ///< the DIP signs every webhook call
    bool tls = false;           ///< serve HTTPS with the workspace's emulator server certificate
    bool mutualTls = false;     ///< with tls: a client certificate from the workspace CA, issued to the sender
    bool apiKeys = false;       ///< each sender's X-API-Key (issued with its certificate)

    bool operator==(const SecurityChoices &) const = default;
};

/// Builds the emulator's security from the choices and the workspace CA in certificatesDir
/// (created on first use, with the emulator's server and signing certificates; *createdCa says
/// so). Also makes the process's default TLS configuration trust the workspace CA and present the
/// emulator's certificate, for its webhook calls. False with the reason otherwise.
bool buildEmulatorSecurity(const SecurityChoices &choices, const QString &certificatesDir, const QString &emulatorDipId,
                           EmulatorSecurity *result, QString *error, bool *createdCa = nullptr);

/// One line for a banner or a status bar: "signatures require, HTTPS with mutual TLS, API keys".
QString describeSecurity(const EmulatorSecurity &security);

} // namespace dipwb::dip
