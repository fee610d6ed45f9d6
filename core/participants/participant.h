// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QString>

namespace dipwb::participants {

/// A market participant known to the emulator: one DIP id per (MPID, role).
struct Participant
{
    QString dipId;  ///< 10 characters
    QString role;   ///< role code: SUP, REGS, SDS, ADS, UMSDS, MSS, MSA, UMSO, LDSO, MDS, LSS, MDR, EES, DCC, ISD
    QString mpid;   ///< 4 capitals
    QString name;
    bool simulated = false;  ///< played by a scenario pack rather than an external system
    QString apiKey;          ///< expected X-API-Key, when enabled
    QString statusWebhook;   ///< where status messages (L2 failures, L4) for this party go
    QHash<QString, QString> webhooks; ///< channel "IF-033" -> URL receiving PUB-033

    bool operator==(const Participant &) const = default;
};

/// The form channel ids are stored in: trimmed, upper case, a publication id PUB-nnn turned into its
/// interface id IF-nnn ("pub-033" -> "IF-033"); REP-nnn[A|B] keeps its id ("rep-002a" -> "REP-002A").
/// It does not check the shape: see isChannelId().
QString normaliseChannelId(const QString &id);

/// True for IF-nnn, PUB-nnn and REP-nnn, REP-nnnA, REP-nnnB (three digits; any letter case).
bool isChannelId(const QString &id);

} // namespace dipwb::participants
