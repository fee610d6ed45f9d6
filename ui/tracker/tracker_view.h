// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tracker/message_filter.h"

#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QToolButton;
class QTableView;
class QTimer;

namespace dipwb::store {
class Store;
}
namespace dipwb::dip {
class DipClient;
}
namespace dipwb::catalogue {
class Catalogue;
}

namespace dipwb::ui {

class FilterExtras;
class MessageTableModel;

/// The message tracker: filter bar, the lazy table, live tail with pause, and the row context menu.
class TrackerView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrackerView)
public:
    TrackerView(store::Store *store, const catalogue::Catalogue &catalogue, QWidget *parent = nullptr);
    ~TrackerView() override;

    MessageTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    FilterExtras *extras() const { return m_extras; }
    /// Saves the current filter under a name (its relative time preset kept as such); false with
    /// the reason for a name that cannot be one (empty, or with '/' or '\\').
    bool saveFilterAs(const QString &name, QString *why = nullptr);
    /// Applies a saved filter; false with the reason (no such name, unreadable) otherwise.
    bool applySavedFilter(const QString &name, QString *why = nullptr);
    /// Where "copy as curl" sends to (the running emulator).
    void setBaseUrl(const QString &url);
    void setFilter(const tracker::MessageFilter &filter);
    tracker::MessageFilter filter() const;
    void focusFilter();
    void togglePause();
    void selectMessage(qint64 messageId);
    /// Ids of the selected rows (Ctrl/Shift-click selects several), in row order.
    QList<qint64> selectedMessageIds() const;
    /// Asks for an evidence report of the selected messages (reportRequested), or says why not.
    void requestReportOfSelection();
    /// The same for every message the current filter shows (at most 10,000).
    void requestReportOfFilter();
    /// Asks the DIP to push this message's publication copies to their recipients again
    /// (POST .../requeue/{dipId} with their transaction ids); the answer comes as notice().
    void requeue(qint64 messageId);
    QByteArray saveHeaderState() const;
    void restoreHeaderState(const QByteArray &state);

signals:
    void currentMessageChanged(qint64 messageId);
    /// A short outcome for the status bar.
    void notice(const QString &text);
    void reportRequested(const QList<qint64> &messageIds, const QString &description);
    /// "Appointments of this MPAN" was chosen on a row.
    void appointmentsRequested(const QString &mpan);

private:
    void applyFilterSoon();
    void applyFilter();
    void updateStatus();
    void showContextMenu(const QPoint &pos);
    void showHeaderMenu(const QPoint &pos);
    void exportJson(qint64 messageId);
    void fillSavedMenu();
    void copyAsCurl(qint64 messageId);

    store::Store *m_store;
    MessageTableModel *m_model;
    QTableView *m_view;
    QComboBox *m_channel;
    QLineEdit *m_event;
    QLineEdit *m_sender;
    QLineEdit *m_recipient;
    QLineEdit *m_mpan;
    QComboBox *m_status;
    QLineEdit *m_anyId;
    QLineEdit *m_text;
    FilterExtras *m_extras;
    QToolButton *m_pause;
    QLabel *m_statusLabel;
    QTimer *m_debounce;
    QString m_baseUrl;
    std::unique_ptr<dip::DipClient> m_client; // for requeue; rebuilt when the base URL changes
    bool m_settingFilter = false;
};

} // namespace dipwb::ui
