// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "dip/emulator_security.h"
#include "http/http_server.h"

#include <QStringList>

namespace dipwb::dip {

struct EmulatorContext;

/// The DIP ids a request speaks for, as the DIP API spells them: the {dipId} of the
/// pubconfig/replay/requeue/statusmessage-config paths, S1.senderDIPID of every message of a send
/// or /validate (keys in any case), senderID of every item of a status message. Empty when the body
/// cannot be read (the endpoint then rejects it on its own terms).
QStringList claimedSenders(QByteArrayView path, QByteArrayView body);

/// Runs in front of every endpoint: client certificate against the sender (mTLS), API key,
/// then the X-DIP-* signature per the configured mode. A refused request is answered (401/403 with a
/// StandardResponse naming the cause) and journaled; an admitted one reaches `next` with the
/// verdict in HttpRequest::signatureCheck, which the tracker records.
/// Lives on the emulator thread.
class SignatureGuard final
{
public:
    SignatureGuard(EmulatorContext &ctx, EmulatorSecurity security);
    http::Handler wrap(http::Handler next) const;
    const EmulatorSecurity &security() const { return m_security; }

private:
    void handle(const http::HttpRequest &request, http::HttpResponder responder, const http::Handler &next) const;
    void refuse(const http::HttpRequest &request, http::HttpResponder &responder, int status, const QString &cause,
                const QString &detail) const;

    EmulatorContext &m_ctx;
    EmulatorSecurity m_security;
};

} // namespace dipwb::dip
