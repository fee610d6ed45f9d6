// SPDX-License-Identifier: GPL-3.0-or-later
#include "dip/signature_guard.h"

#include "common/clock.h"
#include "common/dip_time.h"
#include "common/json_util.h"
#include "common/log.h"
#include "common/untrusted_json.h"
#include "dip/emulator_context.h"
#include "dip/request_log.h"
#include "dip/standard_response.h"
#include "security/verifier.h"

#include <QRegularExpression>

namespace dipwb::dip {

std::optional<SignatureMode> parseSignatureMode(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("off"))
        return SignatureMode::Off;
    if (t == QLatin1String("warn"))
        return SignatureMode::Warn;
    if (t == QLatin1String("require"))
        return SignatureMode::Require;
    return std::nullopt;
}

QString signatureModeName(SignatureMode mode)
{
    switch (mode) {
    case SignatureMode::Off: return QStringLiteral("off");
    case SignatureMode::Warn: return QStringLiteral("warn");
    case SignatureMode::Require: return QStringLiteral("require");
    }
    return {};
}

namespace {

// Field names are matched in any case: the DIP does not enforce case on ingress (DOMAIN.md 3).
const OJson *member(const OJson &object, std::string_view name)
{
    if (!object.is_object())
        return nullptr;
    for (auto it = object.begin(); it != object.end(); ++it)
        if (it.key().size() == name.size()
            && std::equal(name.begin(), name.end(), it.key().begin(), [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
            return &it.value();
    return nullptr;
}

} // namespace

QStringList claimedSenders(QByteArrayView path, QByteArrayView body)
{
    static const QRegularExpression byPath(QStringLiteral("^/(?:dip-channel/[^/]+/(?:pubconfig|replay|requeue)|statusmessage/config)/([^/]+)/?$"));
    const QString p = QString::fromUtf8(path);
    if (const auto m = byPath.match(p); m.hasMatch())
        return {m.captured(1)};
    const bool status = p == QLatin1String("/statusmessage") || p == QLatin1String("/statusmessage/");
    const OJson doc = parseUntrustedJson(body);
    if (doc.is_discarded() || !doc.is_array())
        return {};
    QStringList senders;
    for (const OJson &item : doc) {
        const OJson *id = nullptr;
        if (status) {
            id = member(item, "senderID");
        } else if (const OJson *payload = member(item, "payload")) {
            if (const OJson *cb = member(*payload, "CommonBlock"))
                if (const OJson *s1 = member(*cb, "S1"))
                    id = member(*s1, "senderDIPID");
        }
        if (id && id->is_string()) {
            const QString s = QString::fromStdString(id->get<std::string>());
            if (!senders.contains(s))
                senders << s;
        }
    }
    return senders;
}

SignatureGuard::SignatureGuard(EmulatorContext &ctx, EmulatorSecurity security)
    : m_ctx(ctx)
    , m_security(std::move(security))
{
}

http::Handler SignatureGuard::wrap(http::Handler next) const
{
    return [this, next = std::move(next)](const http::HttpRequest &request, http::HttpResponder responder) {
        handle(request, std::move(responder), next);
    };
}

void SignatureGuard::refuse(const http::HttpRequest &request, http::HttpResponder &responder, int status,
                            const QString &cause, const QString &detail) const
{
    const qint64 now = Clock::nowMs();
    ResponseItem it;
    it.sentTimestamp = dt::formatDt003Utc(now);
    it.senderId = m_ctx.config.dipId;
    it.message = status == 401 ? QStringLiteral("401 - Unauthorized") : QStringLiteral("403 - Forbidden");
    it.help = cause + QStringLiteral(": ") + detail;
    const QByteArray body = standardResponse({it}, now);
    qCInfo(lcSecurity) << "refused" << request.method << request.path << "with" << status << it.help;
    http::HttpRequest logged = request;
    logged.signatureCheck = it.help;
    logRejectedRequest(m_ctx, logged, status, QStringLiteral("HTTP%1").arg(status), it.help, body, now);
    responder.send(http::HttpResponse::json(status, body));
}

void SignatureGuard::handle(const http::HttpRequest &request, http::HttpResponder responder, const http::Handler &next) const
{
    const bool needSenders = m_security.clientCertificateMustMatchSender || !m_security.apiKeys.isEmpty()
                             || m_security.signatures != SignatureMode::Off;
    const QStringList senders = needSenders ? claimedSenders(request.path, request.body) : QStringList();

    if (request.tls && m_security.clientCertificateMustMatchSender) {
        // The handshake already required a certificate from the workspace CA; what is left is whose.
        const QString holder = request.peerCertificate.subjectInfo(QSslCertificate::CommonName).value(0);
        if (request.peerCertificate.isNull())
            return refuse(request, responder, 403, QStringLiteral("client-certificate-missing"),
                          QStringLiteral("mutual TLS requires a client certificate from the workspace CA"));
        for (const QString &s : senders)
            if (s != holder)
                return refuse(request, responder, 403, QStringLiteral("client-certificate-wrong-sender"),
                              QStringLiteral("the TLS client certificate was issued to %1, but the request is sent as %2").arg(holder, s));
    }

    if (!m_security.apiKeys.isEmpty()) {
        const QByteArray key = request.header("x-api-key").trimmed();
        if (key.isEmpty())
            return refuse(request, responder, 401, QStringLiteral("api-key-missing"), QStringLiteral("the request has no X-API-Key header"));
        const QStringList owners = m_security.apiKeys.keys(key);
        if (owners.isEmpty())
            return refuse(request, responder, 401, QStringLiteral("api-key-unknown"),
                          QStringLiteral("X-API-Key is not the key of any participant of this workspace"));
        for (const QString &s : senders)
            if (!owners.contains(s))
                return refuse(request, responder, 401, QStringLiteral("api-key-wrong-sender"),
                              QStringLiteral("X-API-Key belongs to %1, but the request is sent as %2").arg(owners.first(), s));
    }

    if (m_security.signatures == SignatureMode::Off || !m_security.verifier)
        return next(request, std::move(responder));

    const security::Verdict v = m_security.verifier->verify(request, senders, Clock::nowMs());
    if (!v.ok() && m_security.signatures == SignatureMode::Require)
        return refuse(request, responder, 401, security::causeName(v.cause), v.detail);
    http::HttpRequest checked = request;
    checked.signatureCheck = v.ok() ? v.toString() : QStringLiteral("accepted in warn mode: ") + v.toString();
    if (!v.ok())
        qCWarning(lcSecurity) << request.method << request.path << "signature" << v.toString();
    next(checked, std::move(responder));
}

} // namespace dipwb::dip
