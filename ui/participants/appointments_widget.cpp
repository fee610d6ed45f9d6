// SPDX-License-Identifier: GPL-3.0-or-later
#include "participants/appointments_widget.h"

#include "common/dip_time.h"
#include "mainwindow/emulator_host.h"
#include "store/store.h"

#include <QAction>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTimeZone>
#include <QToolButton>
#include <QTreeWidget>
#include <QUndoStack>
#include <QVBoxLayout>

namespace dipwb::ui {

namespace {

QString utc(qint64 ms)
{
    return dt::formatDt003Utc(ms).left(19).replace(QLatin1Char('T'), QLatin1Char(' '));
}

/// One change of the panel: the role's rows of the MPAN before and after it. The change itself
/// was made already when the command is pushed, so its first redo does nothing.
class AppointmentEdit final : public QUndoCommand
{
public:
    AppointmentEdit(AppointmentsWidget *panel, const QString &mpan, const QString &role,
                    QList<store::AppointmentRecord> before, QList<store::AppointmentRecord> after, const QString &text)
        : QUndoCommand(text), m_panel(panel), m_mpan(mpan), m_role(role), m_before(std::move(before)), m_after(std::move(after))
    {
    }
    void undo() override { m_panel->restore(m_mpan, m_role, m_after, m_before, QObject::tr("Undoing: %1").arg(text())); }
    void redo() override
    {
        if (std::exchange(m_made, false))
            return;
        m_panel->restore(m_mpan, m_role, m_before, m_after, QObject::tr("Redoing: %1").arg(text()));
    }

private:
    AppointmentsWidget *m_panel;
    QString m_mpan;
    QString m_role;
    QList<store::AppointmentRecord> m_before;
    QList<store::AppointmentRecord> m_after;
    bool m_made = true;
};

} // namespace

AppointmentsWidget::AppointmentsWidget(EmulatorHost *host, QWidget *parent)
    : QWidget(parent), m_host(host), m_mpan(new QLineEdit(this)), m_history(new QTreeWidget(this)), m_role(new QComboBox(this)),
      m_party(new QComboBox(this)), m_at(new QDateTimeEdit(this)), m_appoint(new QPushButton(tr("Appoint from"), this)),
      m_end(new QPushButton(tr("End at"), this)), m_message(new QLabel(this)), m_undo(new QUndoStack(this)),
      m_undoAction(new QAction(tr("Undo"), this)), m_redoAction(new QAction(tr("Redo"), this))
{
    m_mpan->setPlaceholderText(tr("MPAN core, 13 digits (Enter shows its history)"));
    m_mpan->setClearButtonEnabled(true);
    auto *show = new QPushButton(tr("Show"), this);
    m_history->setRootIsDecorated(false);
    m_history->setHeaderLabels({tr("Role"), tr("Party"), tr("From (UTC)"), tr("To (UTC)"), tr("Recorded (UTC)"), tr("Said by")});
    m_history->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_history->setToolTip(tr("Each row: the party holds the role for the MPAN from its start to its end; "
                             "routing uses the row that covers a message's business date"));
    m_role->setEditable(true);
    m_role->addItems({QStringLiteral("SUP"), QStringLiteral("MSS"), QStringLiteral("SDS"), QStringLiteral("ADS"),
                      QStringLiteral("AMS"), QStringLiteral("UMSDS"), QStringLiteral("LDSO")});
    // Long participant names must not widen the panel past the window.
    m_party->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_party->setMinimumContentsLength(24);
    m_at->setTimeSpec(Qt::UTC);
    m_at->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
    m_at->setCalendarPopup(true);
    m_at->setDateTime(QDateTime(QDate::currentDate(), QTime(0, 0), Qt::UTC));
    m_message->setWordWrap(true);

    auto *top = new QHBoxLayout;
    top->addWidget(m_mpan, 1);
    top->addWidget(show);
    auto *form = new QHBoxLayout;
    form->addWidget(new QLabel(tr("Role"), this));
    form->addWidget(m_role);
    form->addWidget(new QLabel(tr("Party"), this));
    form->addWidget(m_party, 1);
    form->addWidget(m_at);
    form->addWidget(m_appoint);
    form->addWidget(m_end);
    // Ctrl+Z / Ctrl+Shift+Z while the panel has the focus; the buttons name what they would undo.
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_redoAction->setShortcut(QKeySequence::Redo);
    connect(m_undoAction, &QAction::triggered, m_undo, &QUndoStack::undo);
    connect(m_redoAction, &QAction::triggered, m_undo, &QUndoStack::redo);
    connect(m_undo, &QUndoStack::indexChanged, this, &AppointmentsWidget::updateUndoActions);
    connect(m_undo, &QUndoStack::cleanChanged, this, &AppointmentsWidget::updateUndoActions);
    for (QAction *a : {m_undoAction, m_redoAction}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
        auto *button = new QToolButton(this);
        button->setDefaultAction(a);
        form->addWidget(button);
    }
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_history, 1);
    layout->addLayout(form);
    layout->addWidget(m_message);

    connect(m_mpan, &QLineEdit::returnPressed, this, [this] { showMpan(m_mpan->text()); });
    connect(show, &QPushButton::clicked, this, [this] { showMpan(m_mpan->text()); });
    const auto act = [this](bool end) {
        change(m_role->currentText().trimmed().toUpper(), m_party->currentData().toString(), m_at->dateTime().toMSecsSinceEpoch(), end);
    };
    connect(m_appoint, &QPushButton::clicked, this, [act] { act(false); });
    connect(m_end, &QPushButton::clicked, this, [act] { act(true); });
    connect(m_host, &EmulatorHost::appointmentsChanged, this, &AppointmentsWidget::onStored);
    // A row picked fills the form, so ending it is one click.
    connect(m_history, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (!item)
            return;
        m_role->setCurrentText(item->text(0));
        m_party->setCurrentIndex(std::max(0, m_party->findData(item->data(1, Qt::UserRole))));
    });
    m_appoint->setEnabled(false);
    m_end->setEnabled(false);
    updateUndoActions();
}

void AppointmentsWidget::setParticipants(const QList<participants::Participant> &list)
{
    m_participants = list;
    const QString current = m_party->currentData().toString();
    m_party->clear();
    for (const auto &p : list)
        m_party->addItem(QStringLiteral("%1  %2  %3").arg(p.dipId, p.role, p.name), p.dipId);
    m_party->setCurrentIndex(std::max(0, m_party->findData(current)));
    if (!m_shown.isEmpty())
        reload();
}

QString AppointmentsWidget::partyText(const QString &dipId) const
{
    for (const auto &p : m_participants)
        if (p.dipId == dipId)
            return QStringLiteral("%1 %2").arg(dipId, p.name);
    return dipId;
}

bool AppointmentsWidget::showMpan(const QString &text)
{
    static const QRegularExpression mpan(QStringLiteral("^\\d{13}$"));
    const QString core = text.trimmed();
    if (!mpan.match(core).hasMatch()) {
        m_message->setText(tr("<span style='color:#c62828'>'%1' is not an MPAN core: 13 digits.</span>").arg(core.toHtmlEscaped()));
        return false;
    }
    m_shown = core;
    m_mpan->setText(core);
    setBusy(m_pending.has_value() || !m_restoring.isEmpty());
    reload();
    return true;
}

void AppointmentsWidget::reload()
{
    m_history->clear();
    const QList<store::AppointmentRecord> rows = m_host->store()->appointmentsOf(m_shown);
    for (const store::AppointmentRecord &a : rows) {
        auto *item = new QTreeWidgetItem(m_history);
        item->setText(0, a.role);
        item->setText(1, partyText(a.dipId));
        item->setData(1, Qt::UserRole, a.dipId);
        item->setText(2, utc(a.fromMs));
        item->setText(3, a.toMs ? utc(*a.toMs) : tr("open"));
        item->setText(4, utc(a.recordedMs));
        item->setText(5, a.source);
    }
    m_message->setText(rows.isEmpty() ? tr("Nobody is appointed to MPAN %1 in this workspace.").arg(m_shown)
                                      : tr("%n row(s) of history for MPAN %1.", nullptr, int(rows.size())).arg(m_shown));
}

void AppointmentsWidget::change(const QString &role, const QString &dipId, qint64 atMs, bool end)
{
    if (m_shown.isEmpty() || role.isEmpty() || dipId.isEmpty()) {
        m_message->setText(tr("<span style='color:#c62828'>Choose an MPAN, a role and a party first.</span>"));
        return;
    }
    if (m_busy) {
        m_message->setText(tr("<span style='color:#c62828'>Wait for the change on its way to be stored.</span>"));
        emit changed(false);
        return;
    }
    const QString text = end ? tr("end %1's %2 appointment at %3 UTC").arg(dipId, role, utc(atMs))
                             : tr("appoint %1 as %2 from %3 UTC").arg(dipId, role, utc(atMs));
    m_message->setText(end ? tr("Ending %1's %2 appointment at %3 UTC…").arg(dipId, role, utc(atMs))
                           : tr("Appointing %1 as %2 from %3 UTC…").arg(dipId, role, utc(atMs)));
    // One change at a time: its outcome decides what undo returns to.
    m_pending = Pending{m_shown, role, text, storedRows(m_shown, role)};
    setBusy(true);
    m_host->appoint(m_shown, role, dipId, atMs, end);
}

void AppointmentsWidget::restore(const QString &mpan, const QString &role, const QList<store::AppointmentRecord> &expected,
                                 const QList<store::AppointmentRecord> &rows, const QString &what)
{
    m_restoring = mpan;
    m_restoringWhat = what;
    setBusy(true);
    if (mpan != m_shown)
        showMpan(mpan);
    m_message->setText(what + QStringLiteral("…"));
    m_host->restoreAppointments(mpan, role, expected, rows);
}

QList<store::AppointmentRecord> AppointmentsWidget::storedRows(const QString &mpan, const QString &role) const
{
    QList<store::AppointmentRecord> out;
    for (const store::AppointmentRecord &a : m_host->store()->appointmentsOf(mpan))
        if (a.role == role)
            out << a;
    return out;
}

void AppointmentsWidget::setBusy(bool busy)
{
    m_busy = busy;
    const bool can = !busy && !m_shown.isEmpty();
    m_appoint->setEnabled(can);
    m_end->setEnabled(can);
    updateUndoActions();
}

// No undo or redo while a change is on its way: its outcome decides what they would return to.
void AppointmentsWidget::updateUndoActions()
{
    m_undoAction->setEnabled(!m_busy && m_undo->canUndo());
    m_redoAction->setEnabled(!m_busy && m_undo->canRedo());
    // Short on the buttons (the panel must stay narrow), what they would do in the tooltip.
    m_undoAction->setToolTip(m_undo->canUndo() ? tr("Undo: %1 (Ctrl+Z)").arg(m_undo->undoText()) : tr("Nothing to undo"));
    m_redoAction->setToolTip(m_undo->canRedo() ? tr("Redo: %1 (Ctrl+Shift+Z)").arg(m_undo->redoText()) : tr("Nothing to redo"));
}

void AppointmentsWidget::onStored(const QString &mpan, bool ok, const QString &error)
{
    QString failure;
    if (m_pending && m_pending->mpan == mpan) {
        const Pending p = *std::exchange(m_pending, std::nullopt);
        setBusy(false);
        QList<store::AppointmentRecord> after = storedRows(p.mpan, p.role);
        if (ok && after != p.before)
            m_undo->push(new AppointmentEdit(this, p.mpan, p.role, p.before, std::move(after), p.text));
        if (!ok)
            failure = tr("Not changed: %1").arg(error);
    } else if (!m_restoring.isEmpty() && m_restoring == mpan) {
        m_restoring.clear();
        setBusy(false);
        if (!ok) {
            // The stack's position no longer matches the stored history; starting it afresh is honest.
            m_undo->clear();
            failure = tr("%1 failed: %2. The undo history is cleared.").arg(m_restoringWhat, error);
        }
    }
    if (mpan != m_shown)
        return;
    reload();
    if (!failure.isEmpty())
        m_message->setText(QStringLiteral("<span style='color:#c62828'>%1</span>").arg(failure.toHtmlEscaped()));
    emit changed(ok);
}

} // namespace dipwb::ui
