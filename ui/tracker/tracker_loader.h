// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tracker/message_filter.h"

#include <QObject>
#include <QThread>
#include <atomic>

namespace dipwb::store {
class Store;
}

namespace dipwb::ui {

/// Finds the message ids a tracker shows, off the GUI thread: the initial (possibly million-row)
/// scan in chunks, and the filter check of live arrivals. Work is tagged with a generation; a newer
/// generation (a new filter) cancels older work between chunks.
class TrackerLoader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrackerLoader)
public:
    explicit TrackerLoader(store::Store *store, QObject *parent = nullptr);
    ~TrackerLoader() override;

    /// Starts a new generation (cancelling the running one) and returns it. GUI thread.
    quint64 begin();
    /// Posts the chunked scan of everything matching filter after afterId.
    void load(quint64 generation, const tracker::MessageFilter &filter, qint64 afterId);
    /// Posts the check of newly stored messages against filter.
    void checkNew(quint64 generation, const tracker::MessageFilter &filter, const QList<qint64> &ids);

    static constexpr int kChunk = 20000;

signals:
    /// Ids found (ascending) for generation; finished is true on the last chunk of a scan.
    void idsFound(quint64 generation, const QList<qint64> &ids, bool finished);

private:
    bool cancelled(quint64 generation) const { return m_generation.load() != generation; }
    store::Store *m_store;
    QThread m_thread;
    QObject *m_anchor = nullptr;           // lives on m_thread
    std::atomic<quint64> m_generation{0};  // written by the GUI thread, read by the loader thread
};

} // namespace dipwb::ui
