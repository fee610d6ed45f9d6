// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "catalogue/catalogue.h"
#include "common/json_util.h"
#include "scenario/message_builder.h"
#include "scenario/pack.h"

#include <QHash>
#include <QObject>
#include <QUrl>
#include <memory>

namespace dipwb::http {
class HttpServer;
}
namespace dipwb::dip {
class DipClient;
}

namespace dipwb::scenario {

/// What a simulated participant did, for the step log of the case it concerns (matched by MPAN).
struct SimEvent
{
    QString participantId;
    QString mpan;
    QString text;          ///< "answered PUB-031 [MSApp] (T-...) with 201", "sent IF-032 [MSAppInitialResp]: 201"
    bool problem = false;  ///< a send the DIP refused, or a message that could not be built
    /// For a status message: the transaction ids it is about (the runner finds their MPANs).
    QStringList transactionIds;
};

/// The webhooks of every participant a pack plays (and, in self-test mode, of the stand-in for the
/// party under test): one loopback HTTP server, a path per DIP id. Each publication is answered by
/// the participant's rules (DOMAIN.md 6: the reply is the L3 answer) and may make it send messages
/// to the DIP after a delay, built from the trigger.
///
/// Thread: lives on the thread that created it (the emulator's); all work happens there.
class SimHost final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SimHost)
public:
    SimHost(const Pack &pack, const catalogue::Catalogue &catalogue, const schema::SchemaSet *schemas,
            const QUrl &dipBaseUrl, QObject *parent = nullptr);
    ~SimHost() override;

    bool listen(QString *error);
    QString webhookUrl(const QString &dipId) const;
    QString statusUrl(const QString &dipId) const;

    /// The rules a DIP id answers by (a simulated participant's, or the stand-in's).
    void setRules(const QString &participantId, QList<Rule> rules);
    /// How many messages rules have scheduled but not yet sent (a run waits for none before ending).
    int pendingSends() const { return m_pendingSends; }

signals:
    void event(const dipwb::scenario::SimEvent &e);

private:
    void handle(const QByteArray &path, const QByteArray &body, std::function<void(int)> reply);
    int answer(const PackParticipant &who, const OJson &element);
    void fire(const PackParticipant &who, const Rule &rule, const OJson &trigger);
    void send(const PackParticipant &who, const BuiltMessage &m);

    const Pack &m_pack;
    const catalogue::Catalogue &m_catalogue;
    const schema::SchemaSet *m_schemas;
    std::unique_ptr<http::HttpServer> m_server;
    std::unique_ptr<dip::DipClient> m_client;
    QHash<QString, QList<Rule>> m_rules; // participant id -> rules
    int m_pendingSends = 0;
};

} // namespace dipwb::scenario
