// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tracker/message_filter.h"

#include <QStringList>

#include <optional>

namespace dipwb::ui {

/// Named tracker filters kept in the user's settings (QSettings group "TrackerFilters"), each as
/// the filter's JSON and, for a range relative to now ("last hour"), the preset instead of instants,
/// so that applying it tomorrow still means the last hour.
class SavedFilters
{
public:
    struct Entry
    {
        tracker::MessageFilter filter;
        QString timePreset;   ///< FilterExtras::timePreset(); "" or "custom" when the filter's instants apply
    };

    QStringList names() const;
    /// nullopt with the reason when there is no such name or what is stored cannot be read.
    std::optional<Entry> load(const QString &name, QString *why) const;
    void save(const QString &name, const Entry &entry);
    void remove(const QString &name);
};

} // namespace dipwb::ui
