// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "security/signature.h"

#include <QHash>
#include <QSslConfiguration>
#include <QString>
#include <memory>
#include <optional>

namespace dipwb::security {
class SignatureVerifier;
}

namespace dipwb::dip {

/// What the emulator does with the X-DIP-* signature of a request.
enum class SignatureMode {
    Off,      ///< not checked (recorded as "not checked")
    Warn,     ///< checked and recorded; a bad signature is logged but the request goes on
    Require,  ///< a bad or missing signature is answered 401 with its cause, as the DIP does
};
std::optional<SignatureMode> parseSignatureMode(const QString &text);
QString signatureModeName(SignatureMode mode);

/// The security of one emulator instance (DOMAIN.md 7). Set before Emulator::start(); immutable
/// afterwards, so the send workers may read it.
struct EmulatorSecurity
{
    SignatureMode signatures = SignatureMode::Off;
    /// Trusts the workspace CA; required unless signatures are Off.
    std::shared_ptr<const security::SignatureVerifier> verifier;
    /// Signs every webhook call; null: webhook calls go unsigned.
    security::IdentityPtr webhookSigner;
    /// Serve HTTPS with this configuration (server certificate, key, CA); empty: plain HTTP.
    std::optional<QSslConfiguration> tls;
    /// With tls: the client certificate (checked by the handshake against the CA) must be issued
    /// to the DIP id the request speaks for.
    bool clientCertificateMustMatchSender = false;
    /// DIP id -> API key; when non-empty every request must carry its sender's X-API-Key.
    QHash<QString, QByteArray> apiKeys;
};

} // namespace dipwb::dip
