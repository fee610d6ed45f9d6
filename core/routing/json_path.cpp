// SPDX-License-Identifier: GPL-3.0-or-later
#include "routing/json_path.h"

#include <QList>

namespace dipwb::routing {

namespace {

const OJson *childOf(const OJson &node, const QString &segment)
{
    if (node.is_object()) {
        const std::string key = ss(segment);
        const auto exact = node.find(key);
        if (exact != node.end())
            return &*exact;
        for (auto it = node.begin(); it != node.end(); ++it)
            if (qs(it.key()).compare(segment, Qt::CaseInsensitive) == 0)
                return &it.value();
        return nullptr;
    }
    if (node.is_array()) {
        bool ok = false;
        const qulonglong index = segment.toULongLong(&ok);
        if (!ok || index >= node.size())
            return nullptr;
        return &node[index];
    }
    return nullptr;
}

} // namespace

const OJson *jsonAtPath(const OJson &root, const QString &path)
{
    if (path.isEmpty())
        return nullptr;
    const OJson *node = &root;
    for (const QStringView segment : QStringView(path).split(QLatin1Char('.'))) {
        node = childOf(*node, segment.toString());
        if (!node)
            return nullptr;
    }
    return node;
}

QString stringAtPath(const OJson &root, const QString &path)
{
    const OJson *v = jsonAtPath(root, path);
    return v && v->is_string() ? qs(v->get_ref<const std::string &>()) : QString();
}

} // namespace dipwb::routing
