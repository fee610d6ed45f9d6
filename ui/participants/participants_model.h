// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "participants/participant.h"

#include <QAbstractTableModel>

namespace dipwb::ui {

/// The participants of the workspace, one row each, with their registered webhooks.
class ParticipantsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ParticipantsModel)
public:
    enum Column { DipId, Role, Mpid, Name, Simulated, StatusWebhook, Webhooks, ColumnCount };
    explicit ParticipantsModel(QObject *parent = nullptr);
    void setParticipants(const QList<participants::Participant> &list);
    const participants::Participant *participant(int row) const;
    int rowOf(const QString &dipId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// "IF-033=http://…, IF-021=http://…", channels sorted.
    static QString webhooksText(const participants::Participant &p);
    /// The inverse of webhooksText; *error names the first bad item.
    static QHash<QString, QString> parseWebhooks(const QString &text, QString *error);

private:
    QList<participants::Participant> m_rows;
};

} // namespace dipwb::ui
