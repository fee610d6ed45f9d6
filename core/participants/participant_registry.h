// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "participants/participant.h"

#include <QList>
#include <QMap>
#include <QReadWriteLock>
#include <QString>
#include <optional>

namespace dipwb::participants {

/// The participants the emulator knows, by DIP id. Thread-safe: read from many threads (HTTP
/// handlers, delivery), written on the emulator thread. Readers get copies, never references, so a
/// concurrent write cannot change what a reader holds. Channel arguments are normalised with
/// normaliseChannelId(), so "PUB-033" and "IF-033" name the same webhook.
class ParticipantRegistry final
{
public:
    void replaceAll(const QList<Participant> &list);
    /// Adds the participant or replaces the one with the same DIP id.
    void upsert(const Participant &p);
    bool remove(const QString &dipId);                       ///< false: unknown dipId
    std::optional<Participant> find(const QString &dipId) const;
    QList<Participant> all() const;                          ///< sorted by dipId
    int count() const;

    /// Registers the URL receiving the publication of `channel` ("IF-033"), as the DIP's pubconfig does.
    bool setWebhook(const QString &dipId, const QString &channel, const QString &url); ///< false: unknown dipId
    bool removeWebhook(const QString &dipId, const QString &channel); ///< false: unknown dipId or no such webhook
    bool setStatusWebhook(const QString &dipId, const QString &url);  ///< false: unknown dipId
    bool removeStatusWebhook(const QString &dipId);                  ///< false: unknown dipId or none set
    QString webhookFor(const QString &dipId, const QString &channel) const; ///< empty when none

private:
    mutable QReadWriteLock m_lock;
    QMap<QString, Participant> m_byId; ///< guarded by m_lock; a QMap keeps all() sorted by DIP id
};

} // namespace dipwb::participants
