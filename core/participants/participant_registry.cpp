// SPDX-License-Identifier: GPL-3.0-or-later
#include "participants/participant_registry.h"

namespace dipwb::participants {

void ParticipantRegistry::replaceAll(const QList<Participant> &list)
{
    QMap<QString, Participant> next;
    for (const Participant &p : list)
        next.insert(p.dipId, p);
    QWriteLocker locker(&m_lock);
    m_byId.swap(next);
}

void ParticipantRegistry::upsert(const Participant &p)
{
    QWriteLocker locker(&m_lock);
    m_byId.insert(p.dipId, p);
}

bool ParticipantRegistry::remove(const QString &dipId)
{
    QWriteLocker locker(&m_lock);
    return m_byId.remove(dipId) > 0;
}

std::optional<Participant> ParticipantRegistry::find(const QString &dipId) const
{
    QReadLocker locker(&m_lock);
    const auto it = m_byId.constFind(dipId);
    if (it == m_byId.cend())
        return std::nullopt;
    return *it;
}

QList<Participant> ParticipantRegistry::all() const
{
    QReadLocker locker(&m_lock);
    return m_byId.values();
}

int ParticipantRegistry::count() const
{
    QReadLocker locker(&m_lock);
    return int(m_byId.size());
}

bool ParticipantRegistry::setWebhook(const QString &dipId, const QString &channel, const QString &url)
{
    QWriteLocker locker(&m_lock);
    const auto it = m_byId.find(dipId);
    if (it == m_byId.end())
        return false;
    it->webhooks.insert(normaliseChannelId(channel), url);
    return true;
}

bool ParticipantRegistry::removeWebhook(const QString &dipId, const QString &channel)
{
    QWriteLocker locker(&m_lock);
    const auto it = m_byId.find(dipId);
    if (it == m_byId.end())
        return false;
    return it->webhooks.remove(normaliseChannelId(channel)) > 0;
}

bool ParticipantRegistry::setStatusWebhook(const QString &dipId, const QString &url)
{
    QWriteLocker locker(&m_lock);
    const auto it = m_byId.find(dipId);
    if (it == m_byId.end())
        return false;
    it->statusWebhook = url;
    return true;
}

bool ParticipantRegistry::removeStatusWebhook(const QString &dipId)
{
    QWriteLocker locker(&m_lock);
    const auto it = m_byId.find(dipId);
    if (it == m_byId.end() || it->statusWebhook.isEmpty())
        return false;
    it->statusWebhook.clear();
    return true;
}

QString ParticipantRegistry::webhookFor(const QString &dipId, const QString &channel) const
{
    QReadLocker locker(&m_lock);
    const auto it = m_byId.constFind(dipId);
    if (it == m_byId.cend())
        return {};
    return it->webhooks.value(normaliseChannelId(channel));
}

} // namespace dipwb::participants
