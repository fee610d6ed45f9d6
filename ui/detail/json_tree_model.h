// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/json_util.h"

#include <QAbstractItemModel>
#include <QHash>
#include <vector>

namespace dipwb::ui {

/// A read-only tree over a parsed JSON document: the document is flattened once into nodes
/// (key, value text, parent, children), and indexes point at nodes by their position, so the view
/// walks the tree without copying it into items.
class JsonTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JsonTreeModel)
public:
    enum Column { Key, Value, Type, ColumnCount };
    enum Role { PathRole = Qt::UserRole + 1 };

    explicit JsonTreeModel(QObject *parent = nullptr);
    /// Replaces the document (reset).
    void setDocument(const OJson &document);
    void clear();

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// The index of the node at a dotted path ("payload.CommonBlock.S1"), or invalid.
    QModelIndex indexOfPath(const QString &path) const;
    /// Marks nodes with problems (path -> message, as the schema check writes them): red, with
    /// the messages as their tooltip. A missing field marks the nearest node that exists.
    /// Replaces earlier marks; setDocument() clears them.
    void setProblems(const QList<QPair<QString, QString>> &problems);
    int markedCount() const { return int(m_problems.size()); }

private:
    struct Node
    {
        QString key;
        QString value;   // scalar text; "{n}" / "[n]" summary for containers
        QString type;
        QString path;
        int parent = -1;
        int row = 0;
        std::vector<int> children;
    };
    int add(const OJson &value, const QString &key, int parent, const QString &path);
    const Node *node(const QModelIndex &index) const;

    std::vector<Node> m_nodes; // m_nodes[0] is the invisible root
    QHash<int, QString> m_problems; // node -> its problems, one a line
};

} // namespace dipwb::ui
