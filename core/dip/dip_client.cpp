// SPDX-License-Identifier: GPL-3.0-or-later
#include "dip/dip_client.h"

namespace dipwb::dip {

DipClient::DipClient(const QUrl &baseUrl, QObject *parent)
    : QObject(parent)
    , m_base(baseUrl)
{
}

void DipClient::send(const QString &channel, const QByteArray &body, std::function<void(const http::ClientResponse &)> done)
{
    call("POST", QStringLiteral("/dip-channel/") + channel, body, std::move(done));
}

void DipClient::call(const QByteArray &method, const QString &path, const QByteArray &body,
                     std::function<void(const http::ClientResponse &)> done)
{
    http::ClientRequest req;
    QUrl url = m_base;
    QString basePath = url.path();
    if (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    url.setPath(basePath + path);
    req.url = url;
    req.method = method;
    req.body = body;
    req.timeoutMs = m_timeoutMs;
    if (!body.isEmpty())
        req.headers.append({QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
    if (m_decorate)
        m_decorate(req);
    m_client.send(std::move(req), std::move(done));
}

void DipClient::setRequestDecorator(std::function<void(http::ClientRequest &)> decorate)
{
    m_decorate = std::move(decorate);
}

} // namespace dipwb::dip
