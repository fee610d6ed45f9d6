// SPDX-License-Identifier: GPL-3.0-or-later
#include "request_signer.h"

#include "dip/emulator_config.h"
#include "dip/signature_guard.h"

#include <QDir>

namespace dipwb::testsupport {

bool RequestSigner::init(const QString &workspace, QString *error)
{
    QDir().mkpath(workspace);
    m_ca = std::make_unique<security::WorkspaceCa>(workspace + QStringLiteral("/certificates"));
    return m_ca->init(dip::EmulatorConfig{}.dipId, error);
}

security::IdentityPtr RequestSigner::identity(const QString &dipId)
{
    if (const auto it = m_identities.constFind(dipId); it != m_identities.cend())
        return *it;
    QString error;
    security::IdentityPtr id = m_ca->participantIdentity(dipId, &error);
    if (!id && m_ca->issue(dipId, &error))
        id = m_ca->participantIdentity(dipId, &error);
    if (!id)
        qWarning("cannot sign as %s: %s", qPrintable(dipId), qPrintable(error));
    m_identities.insert(dipId, id);
    return id;
}

void RequestSigner::sign(http::ClientRequest &request)
{
    const QStringList senders = dip::claimedSenders(request.url.path(QUrl::FullyDecoded).toUtf8(), request.body);
    if (const auto id = identity(senders.value(0, fallbackDipId)))
        security::signClientRequest(request, *id);
}

std::function<void(http::ClientRequest &)> RequestSigner::decorator()
{
    return [this](http::ClientRequest &r) { sign(r); };
}

QStringList RequestSigner::curlHeaders(const QByteArray &method, const QString &url, const QByteArray &body)
{
    http::ClientRequest r;
    r.method = method;
    r.url = QUrl(url);
    r.body = body;
    sign(r);
    QStringList out;
    for (const auto &h : r.headers)
        out << QString::fromLatin1(h.first + ": " + h.second);
    return out;
}

} // namespace dipwb::testsupport
