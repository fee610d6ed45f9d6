// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_remote.h"

#include "common/workspace.h"
#include "http/http_client.h"
#include "security/remote_profile.h"
#include "security/signature.h"
#include "security/verifier.h"

namespace dipwb::cli {

bool remoteTargetOf(const Workspace &ws, const QStringList &profileArgs, const scenario::Pack &pack,
                    scenario::RemoteTarget *target, QHash<QString, QString> *speakAs, QString *error)
{
    auto verifier = std::make_shared<security::SignatureVerifier>();
    for (const QString &arg : profileArgs) {
        const QString name = arg.section(QLatin1Char('='), 0, 0);
        const QString participant = arg.section(QLatin1Char('='), 1);
        const auto profile = security::loadProfile(ws.dir(), name, error);
        if (!profile)
            return false;
        const auto creds = security::loadCredentials(*profile, error);
        if (!creds) {
            *error = QStringLiteral("profile %1: %2").arg(name, *error);
            return false;
        }
        if (!participant.isEmpty()) {
            if (!pack.participant(participant)) {
                *error = QStringLiteral("--profile %1: pack %2 has no participant '%3'").arg(arg, pack.id, participant);
                return false;
            }
            speakAs->insert(participant, profile->dipId);
        } else if (!pack.participantByDipId(profile->dipId)) {
            *error = QStringLiteral("profile %1 speaks for %2, which no participant of pack %3 has; name the one it plays: --profile %1=PARTICIPANT")
                         .arg(name, profile->dipId, pack.id);
            return false;
        }
        if (target->party(profile->dipId)) {
            *error = QStringLiteral("two profiles speak for %1").arg(profile->dipId);
            return false;
        }
        QString why;
        if (!creds->caPem.isEmpty() && !verifier->addTrustedCaPem(creds->caPem, &why)) {
            *error = QStringLiteral("profile %1: the CA certificates: %2").arg(name, why);
            return false;
        }
        scenario::RemoteParty party;
        party.profile = name;
        party.dipId = profile->dipId;
        party.baseUrl = profile->baseUrl;
        party.tls = creds->tls;
        party.decorate = [identity = creds->identity, apiKey = creds->apiKey](http::ClientRequest &r) {
            if (!apiKey.isEmpty())
                r.headers.append({QByteArrayLiteral("X-API-Key"), apiKey});
            if (identity)
                security::signClientRequest(r, *identity);
        };
        target->parties << party;
    }
    target->verifier = verifier;
    return true;
}

} // namespace dipwb::cli
