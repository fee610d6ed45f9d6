// SPDX-License-Identifier: GPL-3.0-or-later
#include "participants/participants_model.h"

#include <QUrl>

namespace dipwb::ui {

ParticipantsModel::ParticipantsModel(QObject *parent) : QAbstractTableModel(parent) {}

void ParticipantsModel::setParticipants(const QList<participants::Participant> &list)
{
    beginResetModel();
    m_rows = list;
    endResetModel();
}

const participants::Participant *ParticipantsModel::participant(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int ParticipantsModel::rowOf(const QString &dipId) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).dipId == dipId)
            return i;
    return -1;
}

int ParticipantsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ParticipantsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ParticipantsModel::webhooksText(const participants::Participant &p)
{
    QStringList channels = p.webhooks.keys();
    channels.sort();
    QStringList parts;
    for (const QString &c : channels)
        parts << c + QLatin1Char('=') + p.webhooks.value(c);
    return parts.join(QStringLiteral(", "));
}

QHash<QString, QString> ParticipantsModel::parseWebhooks(const QString &text, QString *error)
{
    QHash<QString, QString> out;
    for (const QString &item : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString t = item.trimmed();
        const int eq = t.indexOf(QLatin1Char('='));
        const QString channel = eq > 0 ? participants::normaliseChannelId(t.left(eq)) : QString();
        const QUrl url(eq > 0 ? t.mid(eq + 1).trimmed() : QString());
        if (eq <= 0 || !participants::isChannelId(channel) || !url.isValid() || url.scheme().isEmpty() || url.host().isEmpty()) {
            if (error)
                *error = tr("'%1' is not CHANNEL=URL (e.g. IF-033=http://127.0.0.1:9000/pub)").arg(t);
            return {};
        }
        out.insert(channel, url.toString());
    }
    return out;
}

QVariant ParticipantsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const participants::Participant &p = m_rows.at(index.row());
    if (role == Qt::ToolTipRole && index.column() == Webhooks)
        return webhooksText(p);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case DipId:
        return p.dipId;
    case Role:
        return p.role;
    case Mpid:
        return p.mpid;
    case Name:
        return p.name;
    case Simulated:
        return p.simulated ? tr("simulated") : tr("external");
    case StatusWebhook:
        return p.statusWebhook;
    case Webhooks:
        return webhooksText(p);
    }
    return {};
}

QVariant ParticipantsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char *const names[ColumnCount] = {QT_TR_NOOP("DIP id"), QT_TR_NOOP("Role"), QT_TR_NOOP("MPID"),
                                                   QT_TR_NOOP("Name"), QT_TR_NOOP("Played by"),
                                                   QT_TR_NOOP("Status-message webhook"), QT_TR_NOOP("Publication webhooks")};
    return tr(names[section]);
}

} // namespace dipwb::ui
