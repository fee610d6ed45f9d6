// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/http_client.h"
#include "security/verifier.h"

#include <optional>

namespace dipwb::security {

/// A webhook call as the store keeps it (delivery_calls): "POST url" (the URL as signed), then
/// one "Name: value" line per header, in the order sent.
QByteArray recordCall(const http::ClientRequest &request);

/// The recorded call read back; nullopt when the text is not one.
struct RecordedCall
{
    QByteArray method;
    QString url;
    http::HeaderList headers;
};
std::optional<RecordedCall> parseRecordedCall(const QByteArray &text);

/// Whether a recorded call carried any X-DIP-* signature header.
bool isSignedCall(const RecordedCall &call);

/// The signature check of a recorded call over the body that went with it, at the instant it was
/// made (so the date is judged as the recipient judged it). nullopt: the call carried no
/// X-DIP-* signature headers at all (sent unsigned).
std::optional<Verdict> checkRecordedCall(const QByteArray &text, const QByteArray &body, qint64 madeAtMs,
                                         const SignatureVerifier &verifier);

} // namespace dipwb::security
