// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "participants/participant.h"
#include "store/records.h"

#include <QWidget>

#include <optional>

class QAction;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;
class QUndoStack;

namespace dipwb::ui {

class EmulatorHost;

/// The appointment history of one MPAN (every role: who, from, to, recorded when, said by whom),
/// and changes to it as registration would make them: appoint a party from an instant, or end its
/// appointment at one. Changes go through the local DIP, so routing follows them at once. Each
/// change is undoable (Ctrl+Z, Ctrl+Shift+Z in the panel): undo puts that role's history of the
/// MPAN back as it was, unless something else changed it since.
class AppointmentsWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AppointmentsWidget)
public:
    explicit AppointmentsWidget(EmulatorHost *host, QWidget *parent = nullptr);
    void setParticipants(const QList<participants::Participant> &list);
    /// Shows the history of an MPAN (13 digits); anything else is refused with the reason.
    bool showMpan(const QString &mpan);
    QString mpan() const { return m_shown; }
    /// Appoints (end: ends) the chosen party for the role at the instant, for the shown MPAN.
    void change(const QString &role, const QString &dipId, qint64 atMs, bool end);

    QTreeWidget *history() const { return m_history; }
    QLabel *message() const { return m_message; }
    QUndoStack *undoStack() const { return m_undo; }

    /// Sends (mpan, role) back from `expected` to `rows`; what the undo stack's commands call.
    void restore(const QString &mpan, const QString &role, const QList<store::AppointmentRecord> &expected,
                 const QList<store::AppointmentRecord> &rows, const QString &what);

signals:
    /// A change was stored (ok) or refused; the history shows the stored rows again.
    void changed(bool ok);

private:
    void reload();
    void onStored(const QString &mpan, bool ok, const QString &error);
    QString partyText(const QString &dipId) const;
    QList<store::AppointmentRecord> storedRows(const QString &mpan, const QString &role) const;
    void setBusy(bool busy);
    void updateUndoActions();

    /// An edit sent to the local DIP, its outcome not yet back: what to undo it to.
    struct Pending
    {
        QString mpan;
        QString role;
        QString text;
        QList<store::AppointmentRecord> before;
    };

    EmulatorHost *m_host;
    QList<participants::Participant> m_participants;
    QString m_shown;
    QLineEdit *m_mpan;
    QTreeWidget *m_history;
    QComboBox *m_role;
    QComboBox *m_party;
    QDateTimeEdit *m_at;
    QPushButton *m_appoint;
    QPushButton *m_end;
    QLabel *m_message;
    QUndoStack *m_undo;
    QAction *m_undoAction;
    QAction *m_redoAction;
    bool m_busy = false;
    std::optional<Pending> m_pending;
    QString m_restoring; ///< the MPAN of an undo or redo sent and not yet answered
    QString m_restoringWhat;
};

} // namespace dipwb::ui
