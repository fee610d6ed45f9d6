// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>
#include <memory>

namespace dipwb::store {
class Store;
}
namespace dipwb::security {
class SignatureVerifier;
}
namespace dipwb::http {
class HttpServer;
struct HttpRequest;
class HttpResponder;
}

namespace dipwb::dip {

/// A participant's webhook endpoint for a remote DIP: accepts the DIP's publications and status
/// messages on any path, verifies their X-DIP-* signature against the DIP's CA, and stores each
/// request (headers, body, verdict) in the workspace like local traffic, with an
/// Inbound/Received or Inbound/InboundRuleFailure journal row, over plain HTTP or HTTPS. A signature that does not verify is
/// answered 400 with RCP9999, as a recipient does (DOMAIN.md 7). Lives on the thread that made it.
class PublicationReceiver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PublicationReceiver)
public:
    PublicationReceiver(store::Store *store, std::shared_ptr<const security::SignatureVerifier> verifier,
                        QObject *parent = nullptr);
    ~PublicationReceiver() override;
    /// Serve HTTPS with this configuration (certificate, key; VerifyPeer and CA for mutual TLS).
    /// Call before listen().
    void setTls(const QSslConfiguration &tls);
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const;
    int received() const { return m_received; }

signals:
    /// One request was stored (ok: its signature verified).
    void requestStored(bool signatureOk);

private:
    void handle(const http::HttpRequest &request, http::HttpResponder responder);

    store::Store *m_store;
    std::shared_ptr<const security::SignatureVerifier> m_verifier;
    http::HttpServer *m_server = nullptr;
    int m_received = 0;
};

} // namespace dipwb::dip
