// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/records.h"

#include <QAbstractTableModel>
#include <QList>

namespace dipwb::ui {

/// The copies of one message (one row per recipient copy): who, why, its D0 transaction id, state.
class DeliveriesModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveriesModel)
public:
    enum Column { Recipient, Role, Reason, Kind, State, Attempts, Http, Latency, Transaction, ColumnCount };
    explicit DeliveriesModel(QObject *parent = nullptr);
    void setDeliveries(const QList<store::DeliveryRecord> &rows, qint64 receivedMs);
    const store::DeliveryRecord *delivery(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<store::DeliveryRecord> m_rows;
    qint64 m_receivedMs = 0;
};

/// The journal rows of one message as a timeline: when, how long after the first row and after the
/// previous one, stage, status, detail.
class JournalModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JournalModel)
public:
    enum Column { At, SinceStart, Step, Stage, Status, Delivery, Detail, ColumnCount };
    explicit JournalModel(QObject *parent = nullptr);
    void setEntries(const QList<store::JournalEntry> &rows);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// "850 ms", "1.2 s", "3 min 4 s".
    static QString formatDuration(qint64 ms);

private:
    QList<store::JournalEntry> m_rows;
};

/// One recipient of the routing explanation "Primary:[SUP:2300000185];Secondary:[...]".
struct RouteEntry
{
    QString kind;   ///< Primary, Secondary, Always
    QString role;
    QString dipId;
};
QList<RouteEntry> parseRouting(const QString &routing);

} // namespace dipwb::ui
