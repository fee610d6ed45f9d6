#pragma once

#include "http/http_client.h"

#include <QObject>
#include <QUrl>

namespace dipwb::dip {

/// A participant's side of the DIP API: sends messages and configuration calls to a DIP (the local
/// emulator or a remote one). Lives on the calling thread; callbacks run there.
class DipClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DipClient)
public:
    explicit DipClient(const QUrl &baseUrl, QObject *parent = nullptr);

    /// POST /dip-channel/{channel} with body (a JSON array of messages).
    void send(const QString &channel, const QByteArray &body, std::function<void(const http::ClientResponse &)> done);
    /// Any call: method and path relative to the base URL.
    void call(const QByteArray &method, const QString &path, const QByteArray &body,
              std::function<void(const http::ClientResponse &)> done);
    /// Called for every outgoing request before it is sent (signing, API key).
    void setRequestDecorator(std::function<void(http::ClientRequest &)> decorate);
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    /// TLS settings for an https base URL (CA certificates; client certificate and key for mTLS).
    void setSslConfiguration(const QSslConfiguration &config) { m_client.setSslConfiguration(config); }

private:
    QUrl m_base;
    http::HttpClient m_client;
    std::function<void(http::ClientRequest &)> m_decorate;
    int m_timeoutMs = 30000;
};

} // namespace dipwb::dip
