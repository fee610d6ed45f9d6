// SPDX-License-Identifier: GPL-3.0-or-later
#include "detail/record_models.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QRegularExpression>
#include <QTimeZone>

namespace dipwb::ui {
namespace {

QString utcTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

QVariant stateColour(const QString &state)
{
    if (state == QLatin1String("Delivered") || state == QLatin1String("GoodToGo") || state == QLatin1String("SentToTopic"))
        return QBrush(QColor(0x2e, 0x7d, 0x32));
    if (state == QLatin1String("RejectedByRecipient") || state == QLatin1String("RetriesExhausted")
        || state == QLatin1String("DeliveryFailure") || state == QLatin1String("Failed")
        || state == QLatin1String("InboundRuleFailure") || state == QLatin1String("Exception"))
        return QBrush(QColor(0xc6, 0x28, 0x28));
    if (state == QLatin1String("Retrying") || state == QLatin1String("Paused") || state == QLatin1String("Pending"))
        return QBrush(QColor(0xb2, 0x6a, 0x00));
    return {};
}

} // namespace

DeliveriesModel::DeliveriesModel(QObject *parent) : QAbstractTableModel(parent) {}

void DeliveriesModel::setDeliveries(const QList<store::DeliveryRecord> &rows, qint64 receivedMs)
{
    beginResetModel();
    m_rows = rows;
    m_receivedMs = receivedMs;
    endResetModel();
}

const store::DeliveryRecord *DeliveriesModel::delivery(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int DeliveriesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DeliveriesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeliveriesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const store::DeliveryRecord &d = m_rows.at(index.row());
    if (role == Qt::ForegroundRole && index.column() == State)
        return stateColour(d.status);
    if (role == Qt::ToolTipRole && index.column() == State)
        return d.lastError.isEmpty() ? QVariant() : QVariant(d.lastError);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Recipient:
        return d.recipientDipId;
    case Role:
        return d.recipientRole;
    case Reason:
        return d.reason;
    case Kind:
        return d.kind == store::DeliveryRecord::Kind::StatusMessage ? tr("status message")
                                                                    : (d.replay ? tr("replay of %1").arg(d.publicationId) : d.publicationId);
    case State:
        return d.status;
    case Attempts:
        return d.attempts;
    case Http:
        return d.lastHttpStatus ? QVariant(d.lastHttpStatus) : QVariant(QString());
    case Latency:
        return d.deliveredMs > 0 ? JournalModel::formatDuration(d.deliveredMs - (m_receivedMs ? m_receivedMs : d.createdMs)) : QString();
    case Transaction:
        return d.transactionId;
    }
    return {};
}

QVariant DeliveriesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char *const names[ColumnCount] = {QT_TR_NOOP("Recipient"), QT_TR_NOOP("Role"), QT_TR_NOOP("Why"),
                                                   QT_TR_NOOP("Publication"), QT_TR_NOOP("State"), QT_TR_NOOP("Attempts"),
                                                   QT_TR_NOOP("HTTP"), QT_TR_NOOP("Receipt to delivery"),
                                                   QT_TR_NOOP("D0 transaction id")};
    return tr(names[section]);
}

JournalModel::JournalModel(QObject *parent) : QAbstractTableModel(parent) {}

void JournalModel::setEntries(const QList<store::JournalEntry> &rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

int JournalModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int JournalModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString JournalModel::formatDuration(qint64 ms)
{
    if (ms < 0)
        return QStringLiteral("-") + formatDuration(-ms);
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms);
    if (ms < 60000)
        return QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', ms < 10000 ? 2 : 1);
    return QStringLiteral("%1 min %2 s").arg(ms / 60000).arg((ms % 60000) / 1000);
}

QVariant JournalModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const store::JournalEntry &e = m_rows.at(index.row());
    if (role == Qt::ForegroundRole && index.column() == Status)
        return stateColour(e.status);
    if (role == Qt::ToolTipRole)
        return index.column() == Detail ? e.detail : QStringLiteral("#%1 %2").arg(e.id).arg(QString::fromLatin1(e.hash));
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case At:
        return utcTime(e.atMs);
    case SinceStart:
        return QString(QStringLiteral("+") + formatDuration(e.atMs - m_rows.first().atMs));
    case Step:
        return index.row() == 0 ? QString() : QString(QStringLiteral("+") + formatDuration(e.atMs - m_rows.at(index.row() - 1).atMs));
    case Stage:
        return e.stage;
    case Status:
        return e.status;
    case Delivery:
        return e.deliveryId ? QVariant(e.deliveryId) : QVariant(QString());
    case Detail:
        return e.detail;
    }
    return {};
}

QVariant JournalModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char *const names[ColumnCount] = {QT_TR_NOOP("At (UTC)"), QT_TR_NOOP("Since receipt"),
                                                   QT_TR_NOOP("Step"), QT_TR_NOOP("Stage"), QT_TR_NOOP("Status"),
                                                   QT_TR_NOOP("Copy"), QT_TR_NOOP("Detail")};
    return tr(names[section]);
}

QList<RouteEntry> parseRouting(const QString &routing)
{
    QList<RouteEntry> out;
    static const QRegularExpression group(QStringLiteral("(Primary|Secondary|Always):\\[([^\\]]*)\\]"));
    auto it = group.globalMatch(routing);
    while (it.hasNext()) {
        const auto m = it.next();
        for (const QString &item : m.captured(2).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const QString t = item.trimmed();
            const int colon = t.indexOf(QLatin1Char(':'));
            out.append({m.captured(1), colon > 0 ? t.left(colon) : QString(), colon > 0 ? t.mid(colon + 1) : t});
        }
    }
    return out;
}

} // namespace dipwb::ui
