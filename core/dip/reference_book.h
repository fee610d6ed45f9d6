#pragma once

#include <QMutex>
#include <QSet>
#include <QStringList>

namespace dipwb::dip {

/// The sender unique references accepted or being stored, keyed "senderDipId|reference".
/// Thread-safe: requests are prepared on worker threads, so a reference is reserved with one
/// test-and-set for a whole request; of two concurrent requests with the same reference exactly
/// one wins.
class ReferenceBook final
{
public:
    static QString key(const QString &sender, const QString &reference)
    {
        return sender + QLatin1Char('|') + reference;
    }
    bool contains(const QString &key) const
    {
        QMutexLocker lock(&m_mutex);
        return m_keys.contains(key);
    }
    void insert(const QString &key)
    {
        QMutexLocker lock(&m_mutex);
        m_keys.insert(key);
    }
    void remove(const QString &key)
    {
        QMutexLocker lock(&m_mutex);
        m_keys.remove(key);
    }
    void clear()
    {
        QMutexLocker lock(&m_mutex);
        m_keys.clear();
    }
    /// Reserves every key, or none: returns the index of the first key already taken, or -1.
    qsizetype reserveAll(const QStringList &keys)
    {
        QMutexLocker lock(&m_mutex);
        for (qsizetype i = 0; i < keys.size(); ++i)
            if (m_keys.contains(keys.at(i)))
                return i;
        for (const QString &k : keys)
            m_keys.insert(k);
        return -1;
    }
    void removeAll(const QStringList &keys)
    {
        QMutexLocker lock(&m_mutex);
        for (const QString &k : keys)
            m_keys.remove(k);
    }

private:
    mutable QMutex m_mutex;
    QSet<QString> m_keys; // guarded by m_mutex
};

} // namespace dipwb::dip
