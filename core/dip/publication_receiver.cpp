// SPDX-License-Identifier: GPL-3.0-or-later
#include "dip/publication_receiver.h"

#include "common/clock.h"
#include "common/dip_time.h"
#include "common/log.h"
#include "dip/request_log.h"
#include "dip/standard_response.h"
#include "http/http_server.h"
#include "security/verifier.h"
#include "store/store.h"

#include <QSslServer>

namespace dipwb::dip {

PublicationReceiver::PublicationReceiver(store::Store *store, std::shared_ptr<const security::SignatureVerifier> verifier,
                                         QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_verifier(std::move(verifier))
    , m_server(new http::HttpServer(this))
{
    m_server->setHandler([this](const http::HttpRequest &rq, http::HttpResponder responder) { handle(rq, std::move(responder)); });
}

PublicationReceiver::~PublicationReceiver() = default;

void PublicationReceiver::setTls(const QSslConfiguration &tls)
{
    auto *ssl = new QSslServer;
    ssl->setSslConfiguration(tls);
    connect(ssl, &QSslServer::peerVerifyError, this, [](QSslSocket *, const QSslError &e) {
        qCInfo(lcSecurity) << "receiver: TLS client certificate refused:" << e.errorString();
    });
    m_server->setTcpServer(ssl);
}

bool PublicationReceiver::listen(const QHostAddress &address, quint16 port, QString *error)
{
    return m_server->listen(address, port, error);
}

quint16 PublicationReceiver::port() const
{
    return m_server->port();
}

void PublicationReceiver::handle(const http::HttpRequest &request, http::HttpResponder responder)
{
    const qint64 now = Clock::nowMs();
    // The DIP's own certificate signs; its DIP id is not known in advance for a remote DIP, so only
    // the CA vouches for it.
    const security::Verdict v = m_verifier->verify(request, {}, now);
    auto rec = std::make_shared<store::RequestRecord>(requestRecord(request, now));
    rec->signature = v.toString();
    rec->senderDipId = v.signerId;
    QByteArray answer;
    if (v.ok()) {
        rec->httpStatus = 201;
        rec->outcome = QStringLiteral("RCP0000");
        answer = QByteArrayLiteral("{}");
    } else {
        ResponseItem it;
        it.sentTimestamp = dt::formatDt003Utc(now);
        it.message = QStringLiteral("RCP9999 - Signature invalid");
        it.help = v.toString();
        answer = standardResponse({it}, now);
        rec->httpStatus = 400;
        rec->outcome = QStringLiteral("RCP9999");
        qCInfo(lcSecurity) << "publication refused:" << v.toString();
    }
    rec->response = answer;
    store::JournalEntry e;
    e.atMs = now;
    e.stage = QStringLiteral("Inbound");
    e.status = v.ok() ? QStringLiteral("Received") : QStringLiteral("InboundRuleFailure");
    e.detail = QString::fromUtf8(request.path) + QStringLiteral(" ") + v.toString();
    const bool ok = v.ok();
    ++m_received;
    // Answered after the commit, so a 201 means the publication is in the workspace.
    m_store->write(
        [rec, e](store::WriteTxn &txn) mutable {
            txn.insertRequest(*rec);
            e.requestId = rec->id;
            txn.journal(e);
        },
        this,
        [this, responder, ok, answer](bool stored, const QString &why) {
            if (!stored) {
                responder.send(http::HttpResponse::text(503, why.toUtf8()));
                return;
            }
            responder.send(http::HttpResponse::json(ok ? 201 : 400, answer));
            emit requestStored(ok);
        });
}

} // namespace dipwb::dip
