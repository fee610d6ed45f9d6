// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "dashboard/dashboard_series.h"

#include <QSet>
#include <QWidget>

class QCustomPlot;
class QLabel;
class QTimer;

namespace dipwb::store {
class Store;
}

namespace dipwb::ui {

/// Live throughput and delivery latency against the delivery targets (3 s / 30 s). Arrivals only
/// mark the plot dirty; a timer redraws at most twice a second, and not at all while hidden.
class DashboardWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DashboardWidget)
public:
    explicit DashboardWidget(store::Store *store, QWidget *parent = nullptr);

    void onMessagesStored(const QList<qint64> &ids);
    void onDeliveriesUpdated(const QList<qint64> &ids);
    const DashboardSeries &series() const { return m_series; }
    int replotCount() const { return m_replots; }
    /// Redraws now if anything changed (the timer's work).
    void replotIfDirty();

protected:
    void showEvent(QShowEvent *event) override;

private:
    store::Store *m_store;
    DashboardSeries m_series;
    QSet<qint64> m_seenDelivered; // deliveries already counted; cleared when it grows large
    QCustomPlot *m_plot;
    QLabel *m_summary;
    QTimer *m_timer;
    bool m_dirty = true;
    int m_replots = 0;
};

} // namespace dipwb::ui
