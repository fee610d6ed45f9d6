// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "dip/emulator_security.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>

namespace dipwb {
class Workspace;
}

namespace dipwb::cli {

/// The security options of `dipwb serve`: --signatures, --signature-skew, --tls, --mtls, --api-keys.
QList<QCommandLineOption> serveSecurityOptions();

/// Builds the emulator's security from the options and the workspace CA (created on first use,
/// with the emulator's server and signing certificates). False with a message otherwise.
bool serveSecurity(const QCommandLineParser &parser, const Workspace &workspace, const QString &emulatorDipId,
                   dip::EmulatorSecurity *security, QString *error);

/// One line for the start-up banner: "signatures require, HTTPS with mutual TLS, API keys".
QString describeSecurity(const dip::EmulatorSecurity &security);

} // namespace dipwb::cli
