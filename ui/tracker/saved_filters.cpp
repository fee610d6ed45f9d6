// SPDX-License-Identifier: GPL-3.0-or-later
#include "tracker/saved_filters.h"

#include "common/json_util.h"

#include <QSettings>

namespace dipwb::ui {

namespace {
const QString kGroup = QStringLiteral("TrackerFilters");
}

QStringList SavedFilters::names() const
{
    QSettings s;
    s.beginGroup(kGroup);
    QStringList keys = s.childKeys();
    keys.sort(Qt::CaseInsensitive);
    return keys;
}

std::optional<SavedFilters::Entry> SavedFilters::load(const QString &name, QString *why) const
{
    QSettings s;
    s.beginGroup(kGroup);
    if (!s.contains(name)) {
        *why = QStringLiteral("no saved filter named '%1'").arg(name);
        return std::nullopt;
    }
    const QByteArray stored = s.value(name).toByteArray();
    const OJson j = OJson::parse(stored.constData(), stored.constData() + stored.size(), nullptr, false);
    if (!j.is_object() || !j.contains("filter") || !j["filter"].is_object()) {
        *why = QStringLiteral("the saved filter '%1' is not in the form this version writes").arg(name);
        return std::nullopt;
    }
    QString reason;
    const auto filter = tracker::MessageFilter::fromJson(qb(j["filter"].dump()), &reason);
    if (!filter) {
        *why = QStringLiteral("the saved filter '%1' cannot be read: %2").arg(name, reason);
        return std::nullopt;
    }
    return Entry{*filter, stringAt(j, "time")};
}

void SavedFilters::save(const QString &name, const Entry &entry)
{
    OJson j = OJson::object();
    j["filter"] = OJson::parse(entry.filter.toJson().toStdString());
    if (!entry.timePreset.isEmpty())
        j["time"] = ss(entry.timePreset);
    QSettings s;
    s.beginGroup(kGroup);
    s.setValue(name, qb(j.dump()));
}

void SavedFilters::remove(const QString &name)
{
    QSettings s;
    s.beginGroup(kGroup);
    s.remove(name);
}

} // namespace dipwb::ui
