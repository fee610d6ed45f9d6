// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tracker/message_filter.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QTimeZone>

namespace dipwb::store {
class Store;
}

namespace dipwb::ui {

class TrackerLoader;

/// The tracker table over the workspace database. It holds only the ids of the rows it shows
/// (8 bytes a row, so a million rows cost 8 MB); cell text is formatted in data() from summaries read
/// a page at a time and kept in a bounded LRU cache. New messages arrive as batches and are
/// inserted with one beginInsertRows per batch. All of it lives on the GUI thread; the id scans run
/// on a TrackerLoader thread.
class MessageTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageTableModel)
public:
    enum Column { Id, ReceivedUtc, ReceivedLondon, Channel, Event, Sender, Mpan, Deliveries, Status,
                  Correlation, Transaction, SenderReference, ColumnCount };
    enum Role { MessageIdRole = Qt::UserRole + 1, MpanRole, CorrelationRole };
    static constexpr int kPageSize = 200;
    static constexpr int kMaxCachedPages = 64;

    explicit MessageTableModel(store::Store *store, QObject *parent = nullptr);
    ~MessageTableModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Replaces the filter and rescans (in the background) what matches it.
    void setFilter(const tracker::MessageFilter &filter);
    const tracker::MessageFilter &filter() const { return m_filter; }
    /// Rescans with the current filter (e.g. after opening another workspace).
    void reload();

    /// While paused, arrivals are counted but not inserted; resuming inserts them.
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    int pendingWhilePaused() const { return int(m_pausedIds.size()); }
    bool isLoading() const { return m_loading; }

    qint64 messageId(int row) const;
    /// The row showing messageId, or -1.
    int rowOf(qint64 messageId) const;
    /// The summary behind a row (read through the page cache).
    tracker::MessageSummary summary(int row) const;

public slots:
    /// Emulator: messages committed (ascending ids).
    void onMessagesStored(const QList<qint64> &ids);
    /// Emulator: delivery states changed; the rows of their messages are refreshed.
    void onDeliveriesUpdated(const QList<qint64> &deliveryIds);

signals:
    void loadingChanged(bool loading);
    void pausedCountChanged(int pending);
    /// Rows were appended at the end (the view follows them in live-tail mode).
    void rowsAppended();

private:
    void onIdsFound(quint64 generation, const QList<qint64> &ids, bool finished);
    void appendIds(const QList<qint64> &ids);
    const tracker::MessageSummary *cached(int row) const;
    void invalidateRows(const QList<int> &rows);
    QString cellText(const tracker::MessageSummary &s, int column) const;

    store::Store *m_store;
    TrackerLoader *m_loader;
    tracker::MessageFilter m_filter;
    quint64 m_generation = 0;
    bool m_loading = false;
    bool m_paused = false;
    QList<qint64> m_ids;          // ascending: the rows
    QList<qint64> m_pausedIds;    // arrivals while paused, not yet filtered
    struct Page
    {
        QList<tracker::MessageSummary> rows; // aligned with m_ids[page * kPageSize ...]
        quint64 lastUse = 0;
    };
    mutable QHash<int, Page> m_pages;
    mutable quint64 m_useCounter = 0;
    QTimeZone m_london;
};

} // namespace dipwb::ui
