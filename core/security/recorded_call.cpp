// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/recorded_call.h"

#include "security/signature.h"

namespace dipwb::security {

QByteArray recordCall(const http::ClientRequest &request)
{
    // The URL as signed: without user info (never stored) or fragment.
    QByteArray out = request.method + ' ' + signedUrl(request).toUtf8() + '\n';
    for (const auto &[name, value] : request.headers)
        out += name + ": " + value + '\n';
    return out;
}

std::optional<RecordedCall> parseRecordedCall(const QByteArray &text)
{
    const QList<QByteArray> lines = text.split('\n');
    if (lines.isEmpty())
        return std::nullopt;
    const QByteArray &first = lines.first();
    const qsizetype space = first.indexOf(' ');
    if (space <= 0)
        return std::nullopt;
    RecordedCall call;
    call.method = first.left(space);
    call.url = QString::fromUtf8(first.mid(space + 1));
    const bool methodOk = std::all_of(call.method.cbegin(), call.method.cend(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (!methodOk || !(call.url.startsWith(QLatin1String("http://")) || call.url.startsWith(QLatin1String("https://"))))
        return std::nullopt;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(": ");
        if (colon <= 0)
            return std::nullopt;
        call.headers.append({line.left(colon), line.mid(colon + 2)});
    }
    return call;
}

bool isSignedCall(const RecordedCall &call)
{
    return std::any_of(call.headers.cbegin(), call.headers.cend(), [](const auto &h) {
        return h.first.compare(kSignatureHeader, Qt::CaseInsensitive) == 0 || h.first.compare(kDateHeader, Qt::CaseInsensitive) == 0
            || h.first.compare(kCertificateHeader, Qt::CaseInsensitive) == 0;
    });
}

std::optional<Verdict> checkRecordedCall(const QByteArray &text, const QByteArray &body, qint64 madeAtMs,
                                         const SignatureVerifier &verifier)
{
    const auto call = parseRecordedCall(text);
    if (!call) {
        Verdict v;
        v.cause = Cause::MissingHeader;
        v.detail = QStringLiteral("the recorded call cannot be read");
        return v;
    }
    if (!isSignedCall(*call))
        return std::nullopt;
    return verifier.verify(SignedRequest{call->method, call->url, &call->headers, body, {}, madeAtMs});
}

} // namespace dipwb::security
