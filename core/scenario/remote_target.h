// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/json_util.h"
#include "scenario/pack.h"

#include <QHostAddress>
#include <QList>
#include <QSslConfiguration>
#include <QUrl>
#include <functional>
#include <memory>
#include <optional>

namespace dipwb::http {
struct ClientRequest;
}
namespace dipwb::store {
class Store;
}
namespace dipwb::catalogue {
class Catalogue;
}
namespace dipwb::schema {
class SchemaSet;
}
namespace dipwb::security {
class SignatureVerifier;
}

namespace dipwb::scenario {

/// One participant the run speaks for on a remote DIP, from a workspace profile.
struct RemoteParty
{
    QString profile;      ///< the profile's name, for messages
    QString dipId;
    QUrl baseUrl;
    std::function<void(http::ClientRequest &)> decorate; ///< API key and X-DIP-* signature
    std::optional<QSslConfiguration> tls;
};

/// A run against a remote DIP (SIT, UIT, another emulator) instead of the local emulator. The
/// runner speaks only for the parties of its profiles: a case that needs another party to send,
/// a delivery to another party to be seen, or appointments to be set is skipped and says why.
/// What the DIP publishes reaches the run's own receiver, which stores it in the workspace.
struct RemoteTarget
{
    QList<RemoteParty> parties;
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 listenPort = 0;                 ///< the receiver's port; 0: a free one
    /// Base URL the remote DIP calls; a party's webhook is <base>/to/<dipId>. Empty: the
    /// receiver's own http://address:port (enough for a DIP on this machine or network).
    QUrl callbackBase;
    bool registerWebhooks = true;           ///< pubconfig and statusmessage/config before the cases
    store::Store *store = nullptr;
    std::shared_ptr<const catalogue::Catalogue> catalogue;
    std::shared_ptr<const schema::SchemaSet> schemas;
    std::shared_ptr<const security::SignatureVerifier> verifier; ///< trusts the DIP's CA

    const RemoteParty *party(const QString &dipId) const;
};

/// One publication (or status message) that reached the run's receiver.
struct Received
{
    qint64 key = 0;            ///< request id * 1000 + index in its array: unique, ordered
    qint64 atMs = 0;
    QString toDipId;           ///< from the webhook path /to/<dipId>
    bool statusMessage = false;
    int httpStatus = 0;        ///< what the receiver answered (400: signature refused)
    QString signature;         ///< the receiver's verdict on the X-DIP-* signature
    QString channel, event, transactionId, publicationId, mpan, senderDipId;
    OJson payload;             ///< a publication's payload object
    QByteArray body;           ///< the whole request body (status messages are read as text)
};

/// Reads what the receiver stored, from the store, as it comes in: each request is parsed once.
class ReceivedLog
{
public:
    /// Starts after what is stored already.
    explicit ReceivedLog(store::Store *store);
    /// Reads the requests stored since the last call and returns everything received so far.
    const QList<Received> &refresh();

private:
    store::Store *m_store;
    qint64 m_lastId = 0;
    QList<Received> m_items;
};

/// Why case c cannot run against target (empty: it can). `pack` has the profiles' DIP ids.
QString remoteObstacle(const Pack &pack, const TestCase &c, const RemoteTarget &target);

/// The webhook path of a party on the run's receiver.
QString remoteHookPath(const QString &dipId);

} // namespace dipwb::scenario
