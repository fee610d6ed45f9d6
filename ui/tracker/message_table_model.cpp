// SPDX-License-Identifier: GPL-3.0-or-later
#include "tracker/message_table_model.h"

#include "store/store.h"
#include "tracker/tracker_loader.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <algorithm>

namespace dipwb::ui {

MessageTableModel::MessageTableModel(store::Store *store, QObject *parent)
    : QAbstractTableModel(parent), m_store(store), m_loader(new TrackerLoader(store, this)),
      m_london(QByteArrayLiteral("Europe/London"))
{
    connect(m_loader, &TrackerLoader::idsFound, this, &MessageTableModel::onIdsFound, Qt::QueuedConnection);
    reload();
}

MessageTableModel::~MessageTableModel() = default;

int MessageTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}

int MessageTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void MessageTableModel::setFilter(const tracker::MessageFilter &filter)
{
    if (filter.normalised() == m_filter.normalised())
        return;
    m_filter = filter.normalised();
    reload();
}

void MessageTableModel::reload()
{
    m_generation = m_loader->begin();
    beginResetModel();
    m_ids.clear();
    m_pages.clear();
    m_pausedIds.clear();
    endResetModel();
    emit pausedCountChanged(0);
    m_loading = true;
    emit loadingChanged(true);
    m_loader->load(m_generation, m_filter, 0);
}

void MessageTableModel::onIdsFound(quint64 generation, const QList<qint64> &ids, bool finished)
{
    if (generation != m_generation)
        return;
    appendIds(ids);
    if (finished && m_loading) {
        m_loading = false;
        emit loadingChanged(false);
    }
}

void MessageTableModel::appendIds(const QList<qint64> &ids)
{
    // Ids come in ascending order; anything not beyond the last row is already shown (a scan and a
    // live batch may both report a message committed while the scan ran).
    const qint64 last = m_ids.isEmpty() ? 0 : m_ids.last();
    auto first = std::upper_bound(ids.begin(), ids.end(), last);
    const qsizetype n = ids.end() - first;
    if (n <= 0)
        return;
    const int start = int(m_ids.size());
    beginInsertRows({}, start, start + int(n) - 1);
    m_ids.append(QList<qint64>(first, ids.end()));
    // A last page cached short must be read again; a full one stays valid.
    if (start % kPageSize != 0)
        m_pages.remove(start / kPageSize);
    endInsertRows();
    emit rowsAppended();
}

void MessageTableModel::onMessagesStored(const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return;
    if (m_paused) {
        m_pausedIds.append(ids);
        emit pausedCountChanged(int(m_pausedIds.size()));
        return;
    }
    QList<qint64> sorted = ids;
    std::sort(sorted.begin(), sorted.end());
    if (m_filter.isEmpty() && !m_loading)
        appendIds(sorted);
    else
        m_loader->checkNew(m_generation, m_filter, sorted); // queued behind a running scan: no gap
}

void MessageTableModel::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (!paused && !m_pausedIds.isEmpty()) {
        const QList<qint64> ids = std::exchange(m_pausedIds, {});
        onMessagesStored(ids);
    }
    emit pausedCountChanged(int(m_pausedIds.size()));
}

void MessageTableModel::onDeliveriesUpdated(const QList<qint64> &deliveryIds)
{
    if (deliveryIds.isEmpty() || m_ids.isEmpty())
        return;
    QList<int> rows;
    for (qint64 messageId : m_store->messageIdsOfDeliveries(deliveryIds)) {
        const int row = rowOf(messageId);
        if (row >= 0)
            rows.append(row);
    }
    invalidateRows(rows);
}

void MessageTableModel::invalidateRows(const QList<int> &rows)
{
    if (rows.isEmpty())
        return;
    for (int row : rows)
        m_pages.remove(row / kPageSize);
    const auto [lo, hi] = std::minmax_element(rows.begin(), rows.end());
    emit dataChanged(index(*lo, 0), index(*hi, ColumnCount - 1));
}

qint64 MessageTableModel::messageId(int row) const
{
    return row >= 0 && row < m_ids.size() ? m_ids.at(row) : 0;
}

int MessageTableModel::rowOf(qint64 messageId) const
{
    const auto it = std::lower_bound(m_ids.begin(), m_ids.end(), messageId);
    return it != m_ids.end() && *it == messageId ? int(it - m_ids.begin()) : -1;
}

const tracker::MessageSummary *MessageTableModel::cached(int row) const
{
    if (row < 0 || row >= m_ids.size())
        return nullptr;
    const int pageNo = row / kPageSize;
    auto it = m_pages.find(pageNo);
    if (it == m_pages.end()) {
        if (m_pages.size() >= kMaxCachedPages) {
            auto oldest = std::min_element(m_pages.begin(), m_pages.end(),
                                           [](const Page &a, const Page &b) { return a.lastUse < b.lastUse; });
            m_pages.erase(oldest);
        }
        const int first = pageNo * kPageSize;
        const int count = std::min(kPageSize, int(m_ids.size()) - first);
        const QList<qint64> ids = m_ids.mid(first, count);
        const QList<tracker::MessageSummary> read = m_store->messageSummaries(ids);
        Page page;
        page.rows.resize(count);
        // Align by id: a message that cannot be read keeps an empty row rather than shifting others.
        int j = 0;
        for (int i = 0; i < count && j < read.size(); ++i) {
            if (read.at(j).id == ids.at(i))
                page.rows[i] = read.at(j++);
        }
        it = m_pages.insert(pageNo, std::move(page));
    }
    it->lastUse = ++m_useCounter;
    return &it->rows.at(row - pageNo * kPageSize);
}

tracker::MessageSummary MessageTableModel::summary(int row) const
{
    const auto *s = cached(row);
    return s ? *s : tracker::MessageSummary{};
}

QString MessageTableModel::cellText(const tracker::MessageSummary &s, int column) const
{
    switch (column) {
    case Id:
        return QString::number(s.id);
    case ReceivedUtc:
        return QDateTime::fromMSecsSinceEpoch(s.receivedMs, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    case ReceivedLondon: {
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(s.receivedMs, m_london);
        return t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss ")) + m_london.abbreviation(t);
    }
    case Channel:
        return s.channel;
    case Event:
        return s.eventCode;
    case Sender:
        return s.senderRole.isEmpty() ? s.senderDipId : s.senderRole + QLatin1Char(':') + s.senderDipId;
    case Mpan:
        return s.mpan;
    case Deliveries: {
        if (s.deliveries == 0)
            return s.routing.isEmpty() ? QString() : tr("none");
        QString text = tr("%1/%2 delivered").arg(s.delivered).arg(s.deliveries);
        if (s.failed)
            text += tr(", %1 failed").arg(s.failed);
        return text;
    }
    case Status: {
        QStringList states = s.deliveryStatuses;
        states.removeAll(QStringLiteral("Delivered"));
        return states.isEmpty() ? s.status : s.status + QStringLiteral(" · ") + states.join(QStringLiteral(", "));
    }
    case Correlation:
        return s.correlationId;
    case Transaction:
        return s.transactionId;
    case SenderReference:
        return s.senderUniqueReference;
    }
    return {};
}

QVariant MessageTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role == MessageIdRole)
        return m_ids.at(index.row());
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != Qt::ForegroundRole && role != MpanRole
        && role != CorrelationRole)
        return {};
    const tracker::MessageSummary *s = cached(index.row());
    if (!s || s->id == 0)
        return role == Qt::DisplayRole && index.column() == Id ? QVariant(QString::number(m_ids.at(index.row()))) : QVariant();
    switch (role) {
    case MpanRole:
        return s->mpan;
    case CorrelationRole:
        return s->correlationId;
    case Qt::ForegroundRole:
        if (index.column() != Deliveries && index.column() != Status)
            return {};
        if (s->failed)
            return QBrush(QColor(0xc6, 0x28, 0x28));
        if (s->deliveries > 0 && s->delivered == s->deliveries)
            return QBrush(QColor(0x2e, 0x7d, 0x32));
        if (s->deliveries > s->delivered)
            return QBrush(QColor(0xb2, 0x6a, 0x00));
        return {};
    case Qt::ToolTipRole:
        return index.column() == Deliveries || index.column() == Status ? s->routing : cellText(*s, index.column());
    default:
        return cellText(*s, index.column());
    }
}

QVariant MessageTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char *const names[ColumnCount] = {
        QT_TR_NOOP("#"), QT_TR_NOOP("Received (UTC)"), QT_TR_NOOP("Received (UK)"), QT_TR_NOOP("Channel"),
        QT_TR_NOOP("Event"), QT_TR_NOOP("Sender"), QT_TR_NOOP("MPAN"), QT_TR_NOOP("Deliveries"),
        QT_TR_NOOP("Status"), QT_TR_NOOP("Correlation id"), QT_TR_NOOP("Transaction id"),
        QT_TR_NOOP("Sender reference")};
    return tr(names[section]);
}

} // namespace dipwb::ui
