// SPDX-License-Identifier: GPL-3.0-or-later
#include "detail/json_tree_model.h"

#include <QBrush>
#include <QColor>

namespace dipwb::ui {

JsonTreeModel::JsonTreeModel(QObject *parent) : QAbstractItemModel(parent)
{
    clear();
}

void JsonTreeModel::clear()
{
    beginResetModel();
    m_nodes.clear();
    m_nodes.push_back(Node{});
    m_problems.clear();
    endResetModel();
}

void JsonTreeModel::setDocument(const OJson &document)
{
    beginResetModel();
    m_problems.clear();
    m_nodes.clear();
    m_nodes.push_back(Node{});
    if (document.is_object()) {
        for (auto it = document.begin(); it != document.end(); ++it)
            add(it.value(), qs(it.key()), 0, qs(it.key()));
    } else if (document.is_array()) {
        int i = 0;
        for (const auto &v : document) {
            const QString key = QStringLiteral("[%1]").arg(i++);
            add(v, key, 0, key);
        }
    } else if (!document.is_discarded()) {
        add(document, QStringLiteral("value"), 0, QStringLiteral("value"));
    }
    endResetModel();
}

int JsonTreeModel::add(const OJson &value, const QString &key, int parent, const QString &path)
{
    const int me = int(m_nodes.size());
    Node n;
    n.key = key;
    n.parent = parent;
    n.path = path;
    n.row = int(m_nodes[size_t(parent)].children.size());
    switch (value.type()) {
    case OJson::value_t::object:
        n.type = QStringLiteral("object");
        n.value = QStringLiteral("{%1}").arg(value.size());
        break;
    case OJson::value_t::array:
        n.type = QStringLiteral("array");
        n.value = QStringLiteral("[%1]").arg(value.size());
        break;
    case OJson::value_t::string:
        n.type = QStringLiteral("string");
        n.value = qs(value.get<std::string>());
        break;
    case OJson::value_t::null:
        n.type = QStringLiteral("null");
        n.value = QStringLiteral("null");
        break;
    case OJson::value_t::boolean:
        n.type = QStringLiteral("boolean");
        n.value = qs(value.dump());
        break;
    default:
        n.type = QStringLiteral("number");
        n.value = qs(value.dump());
        break;
    }
    m_nodes.push_back(std::move(n));
    m_nodes[size_t(parent)].children.push_back(me);
    if (value.is_object()) {
        for (auto it = value.begin(); it != value.end(); ++it)
            add(it.value(), qs(it.key()), me, path + QLatin1Char('.') + qs(it.key()));
    } else if (value.is_array()) {
        int i = 0;
        for (const auto &v : value) {
            const QString k = QStringLiteral("[%1]").arg(i++);
            add(v, k, me, path + k);
        }
    }
    return me;
}

const JsonTreeModel::Node *JsonTreeModel::node(const QModelIndex &index) const
{
    if (!index.isValid())
        return &m_nodes[0];
    const auto i = size_t(index.internalId());
    return i < m_nodes.size() ? &m_nodes[i] : nullptr;
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0 || (parent.isValid() && parent.column() != 0))
        return {};
    const Node *p = node(parent);
    if (!p || row >= int(p->children.size()))
        return {};
    return createIndex(row, column, quintptr(p->children[size_t(row)]));
}

QModelIndex JsonTreeModel::parent(const QModelIndex &child) const
{
    const Node *n = child.isValid() ? node(child) : nullptr;
    if (!n || n->parent <= 0)
        return {};
    return createIndex(m_nodes[size_t(n->parent)].row, 0, quintptr(n->parent));
}

int JsonTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    const Node *n = node(parent);
    return n ? int(n->children.size()) : 0;
}

int JsonTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

void JsonTreeModel::setProblems(const QList<QPair<QString, QString>> &problems)
{
    m_problems.clear();
    for (const auto &[path, message] : problems) {
        QString p = path;
        QModelIndex at = indexOfPath(p);
        while (!at.isValid() && !p.isEmpty()) {
            const qsizetype cut = std::max(p.lastIndexOf(QLatin1Char('.')), p.lastIndexOf(QLatin1Char('[')));
            p = cut > 0 ? p.left(cut) : QString();
            at = indexOfPath(p);
        }
        if (!at.isValid())
            continue;
        QString &text = m_problems[int(at.internalId())];
        text += (text.isEmpty() ? QString() : QStringLiteral("\n")) + message;
    }
    // Every row's look may change, nested ones too: views read the whole tree again.
    emit layoutAboutToBeChanged();
    emit layoutChanged();
}

QVariant JsonTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node *n = node(index);
    if (!n)
        return {};
    if (role == PathRole)
        return n->path;
    const auto problem = m_problems.constFind(int(index.internalId()));
    if (role == Qt::ToolTipRole)
        return problem == m_problems.cend() ? n->path : n->path + QLatin1Char('\n') + *problem;
    if (problem != m_problems.cend()) {
        if (role == Qt::ForegroundRole && index.column() == Key)
            return QBrush(QColor(0xc6, 0x28, 0x28));
        if (role == Qt::BackgroundRole)
            return QBrush(QColor(0xff, 0xeb, 0xee));
    }
    if (role == Qt::ForegroundRole && index.column() == Value) {
        if (n->type == QLatin1String("null") || !n->children.empty())
            return QBrush(QColor(0x80, 0x80, 0x80));
        if (n->type == QLatin1String("string"))
            return QBrush(QColor(0x0d, 0x47, 0xa1));
        return QBrush(QColor(0x6a, 0x1b, 0x9a));
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Key:
        return n->key;
    case Value:
        return n->value;
    case Type:
        return n->type;
    }
    return {};
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractItemModel::headerData(section, orientation, role);
    switch (section) {
    case Key:
        return tr("Field");
    case Value:
        return tr("Value");
    case Type:
        return tr("Type");
    }
    return {};
}

QModelIndex JsonTreeModel::indexOfPath(const QString &path) const
{
    for (size_t i = 1; i < m_nodes.size(); ++i)
        if (m_nodes[i].path == path)
            return createIndex(m_nodes[i].row, 0, quintptr(i));
    return {};
}

} // namespace dipwb::ui
