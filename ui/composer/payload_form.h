// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/json_util.h"

#include <QHash>
#include <QSet>
#include <QTreeWidget>

namespace dipwb::ui {

/// The request body as a form: one row per field of every element, values edited in place with
/// their JSON type kept (a number stays a number unless the text is no number). Fields the
/// schema check complains about are marked, with the complaint as their tooltip.
class PayloadForm final : public QTreeWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PayloadForm)
public:
    explicit PayloadForm(QWidget *parent = nullptr);

    /// Shows doc (the body: an array of {payload}); rows stay expanded as they were.
    void setDocument(const OJson &doc);
    const OJson &document() const { return m_doc; }
    /// path -> message, paths as the schema check writes them: "[0].payload.CommonBlock.S1.x".
    /// A missing field marks its parent.
    void markProblems(const QList<QPair<QString, QString>> &problems);
    /// The row of a path (null when there is none).
    QTreeWidgetItem *itemAt(const QString &path) const { return m_items.value(path); }

signals:
    /// A value was edited: the whole body as it is now.
    void edited(const OJson &doc);

private:
    void add(QTreeWidgetItem *parent, const QString &key, const QString &path, const OJson &value);
    void onChanged(QTreeWidgetItem *item, int column);

    OJson m_doc;
    QHash<QString, QTreeWidgetItem *> m_items;  // by path
    QSet<QString> m_collapsed;                  // paths the tester folded
    bool m_filling = false;
};

/// The JSON pointer of a form path: "[0].payload.CommonBlock" -> "/0/payload/CommonBlock".
QString formPathPointer(const QString &path);

} // namespace dipwb::ui
