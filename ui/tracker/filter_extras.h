// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tracker/message_filter.h"

#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QToolButton;

namespace dipwb::ui {

/// The tracker's second filter row: time range (presets relative to now, or a custom UTC range),
/// role, environment, replay flag and journal stage, and the saved filters menu. The first row (ids, channel,
/// text) stays in TrackerView; both fill one MessageFilter.
class FilterExtras final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FilterExtras)
public:
    explicit FilterExtras(QWidget *parent = nullptr);

    /// Sets the time range, role, environment and replay of f from the row; a relative preset
    /// ("last hour") is turned into an instant now.
    void fill(tracker::MessageFilter &f) const;
    /// Shows those fields of f (a range as a custom one) without emitting changed().
    void show(const tracker::MessageFilter &f);
    /// The time preset's key ("", "15m", "1h", "24h", "today", "custom").
    QString timePreset() const;
    void setTimePreset(const QString &key);

    QComboBox *timeRange() const { return m_time; }
    QComboBox *role() const { return m_role; }
    QComboBox *environment() const { return m_environment; }
    QComboBox *replay() const { return m_replay; }
    QComboBox *stage() const { return m_stage; }
    QToolButton *savedButton() const { return m_saved; }

signals:
    void changed();

private:
    void updateCustom();

    QComboBox *m_time;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QComboBox *m_role;
    QComboBox *m_environment;
    QComboBox *m_replay;
    QComboBox *m_stage;
    QToolButton *m_saved;
    bool m_showing = false;
};

} // namespace dipwb::ui
