// SPDX-License-Identifier: GPL-3.0-or-later
#include "tracker/tracker_loader.h"

#include "store/store.h"

namespace dipwb::ui {

TrackerLoader::TrackerLoader(store::Store *store, QObject *parent) : QObject(parent), m_store(store)
{
    m_thread.setObjectName(QStringLiteral("dipwb-tracker"));
    m_anchor = new QObject;
    m_anchor->moveToThread(&m_thread);
    m_thread.start(QThread::LowPriority);
}

TrackerLoader::~TrackerLoader()
{
    begin(); // cancels a running scan at its next chunk
    m_thread.quit();
    m_thread.wait();
    delete m_anchor;
}

quint64 TrackerLoader::begin()
{
    return ++m_generation;
}

void TrackerLoader::load(quint64 generation, const tracker::MessageFilter &filter, qint64 afterId)
{
    QMetaObject::invokeMethod(m_anchor, [this, generation, filter, afterId] {
        qint64 after = afterId;
        while (!cancelled(generation)) {
            const QList<qint64> ids = m_store->messageIds(filter, after, kChunk);
            const bool finished = ids.size() < kChunk;
            emit idsFound(generation, ids, finished);
            if (finished)
                return;
            after = ids.last();
        }
    });
}

void TrackerLoader::checkNew(quint64 generation, const tracker::MessageFilter &filter, const QList<qint64> &ids)
{
    QMetaObject::invokeMethod(m_anchor, [this, generation, filter, ids] {
        if (cancelled(generation))
            return;
        QList<qint64> matched;
        const auto summaries = m_store->messageSummaries(ids, !filter.text.isEmpty());
        for (const auto &s : summaries)
            if (filter.matches(s))
                matched.append(s.id);
        emit idsFound(generation, matched, true);
    });
}

} // namespace dipwb::ui
