// SPDX-License-Identifier: GPL-3.0-or-later
#include "composer/payload_form.h"

#include <QBrush>
#include <QHeaderView>

namespace dipwb::ui {

namespace {

constexpr int kPathRole = Qt::UserRole + 1;

QString valueText(const OJson &v)
{
    return v.is_string() ? qs(v.get<std::string>()) : qs(v.dump());
}

// The edited text as a value of the old value's type where it reads as one.
OJson typedValue(const QString &text, const OJson &old)
{
    const QByteArray t = text.trimmed().toUtf8();
    if (old.is_string())
        return ss(text);
    if (t == "null")
        return nullptr;
    if (t == "true" || t == "false")
        return t == "true";
    const OJson parsed = OJson::parse(t.constBegin(), t.constEnd(), nullptr, false);
    if (!parsed.is_discarded() && (parsed.is_number() || parsed.is_object() || parsed.is_array()))
        return parsed;
    return ss(text);
}

} // namespace

QString formPathPointer(const QString &path)
{
    QString out;
    QString token;
    const auto flush = [&] {
        if (!token.isEmpty())
            out += QLatin1Char('/') + token.replace(QLatin1Char('~'), QStringLiteral("~0")).replace(QLatin1Char('/'), QStringLiteral("~1"));
        token.clear();
    };
    for (const QChar c : path) {
        if (c == QLatin1Char('.') || c == QLatin1Char('[') || c == QLatin1Char(']'))
            flush();
        else
            token += c;
    }
    flush();
    return out;
}

PayloadForm::PayloadForm(QWidget *parent)
    : QTreeWidget(parent)
{
    setColumnCount(2);
    setHeaderLabels({tr("Field"), tr("Value")});
    header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    setAlternatingRowColors(true);
    setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed | QAbstractItemView::AnyKeyPressed);
    connect(this, &QTreeWidget::itemChanged, this, &PayloadForm::onChanged);
    connect(this, &QTreeWidget::itemCollapsed, this, [this](QTreeWidgetItem *i) { m_collapsed.insert(i->data(0, kPathRole).toString()); });
    connect(this, &QTreeWidget::itemExpanded, this, [this](QTreeWidgetItem *i) { m_collapsed.remove(i->data(0, kPathRole).toString()); });
}

void PayloadForm::add(QTreeWidgetItem *parent, const QString &key, const QString &path, const OJson &value)
{
    auto *item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(this);
    item->setText(0, key);
    item->setData(0, kPathRole, path);
    m_items.insert(path, item);
    if (value.is_object()) {
        for (auto it = value.begin(); it != value.end(); ++it)
            add(item, qs(it.key()), path + QLatin1Char('.') + qs(it.key()), it.value());
    } else if (value.is_array()) {
        item->setText(1, tr("%n item(s)", nullptr, int(value.size())));
        for (size_t i = 0; i < value.size(); ++i)
            add(item, QStringLiteral("[%1]").arg(i), path + QStringLiteral("[%1]").arg(i), value[i]);
    } else {
        item->setText(1, valueText(value));
        item->setToolTip(1, value.is_string() ? tr("text") : value.is_null() ? tr("null") : value.is_boolean() ? tr("true or false") : tr("number"));
        item->setFlags(item->flags() | Qt::ItemIsEditable);
    }
    item->setExpanded(!m_collapsed.contains(path));
}

void PayloadForm::setDocument(const OJson &doc)
{
    m_filling = true;
    m_doc = doc;
    m_items.clear();
    clear();
    if (doc.is_array())
        for (size_t i = 0; i < doc.size(); ++i)
            add(nullptr, QStringLiteral("[%1]").arg(i), QStringLiteral("[%1]").arg(i), doc[i]);
    m_filling = false;
}

void PayloadForm::markProblems(const QList<QPair<QString, QString>> &problems)
{
    m_filling = true;
    for (QTreeWidgetItem *item : std::as_const(m_items)) {
        item->setForeground(0, QBrush());
        item->setBackground(1, QBrush());
        if (item->data(0, Qt::UserRole + 2).toBool()) {
            item->setToolTip(0, {});
            item->setData(0, Qt::UserRole + 2, false);
        }
    }
    for (const auto &[path, message] : problems) {
        QString p = path;
        QTreeWidgetItem *item = m_items.value(p);
        // A missing field has no row: its parent carries the mark.
        while (!item && !p.isEmpty()) {
            const qsizetype cut = std::max(p.lastIndexOf(QLatin1Char('.')), p.lastIndexOf(QLatin1Char('[')));
            p = cut > 0 ? p.left(cut) : QString();
            item = m_items.value(p);
        }
        if (!item)
            continue;
        item->setForeground(0, QBrush(QColor(0xc6, 0x28, 0x28)));
        item->setBackground(1, QBrush(QColor(0xff, 0xeb, 0xee)));
        const QString before = item->data(0, Qt::UserRole + 2).toBool() ? item->toolTip(0) + QLatin1Char('\n') : QString();
        item->setToolTip(0, before + message);
        item->setData(0, Qt::UserRole + 2, true);
        for (QTreeWidgetItem *up = item->parent(); up; up = up->parent())
            up->setExpanded(true);
    }
    m_filling = false;
}

void PayloadForm::onChanged(QTreeWidgetItem *item, int column)
{
    if (m_filling || column != 1)
        return;
    const QString pointer = formPathPointer(item->data(0, kPathRole).toString());
    try {
        const OJson::json_pointer ptr(pointer.toStdString());
        OJson &slot = m_doc.at(ptr);
        slot = typedValue(item->text(1), slot);
    } catch (const std::exception &) {
        return; // the row no longer matches the document; the next setDocument() redraws it
    }
    emit edited(m_doc);
}

} // namespace dipwb::ui
