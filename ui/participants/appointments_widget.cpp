// SPDX-License-Identifier: GPL-3.0-or-later
#include "participants/appointments_widget.h"

#include "common/dip_time.h"
#include "mainwindow/emulator_host.h"
#include "store/store.h"

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
#include <QTreeWidget>
#include <QVBoxLayout>

namespace dipwb::ui {

namespace {

QString utc(qint64 ms)
{
    return dt::formatDt003Utc(ms).left(19).replace(QLatin1Char('T'), QLatin1Char(' '));
}

} // namespace

AppointmentsWidget::AppointmentsWidget(EmulatorHost *host, QWidget *parent)
    : QWidget(parent), m_host(host), m_mpan(new QLineEdit(this)), m_history(new QTreeWidget(this)), m_role(new QComboBox(this)),
      m_party(new QComboBox(this)), m_at(new QDateTimeEdit(this)), m_appoint(new QPushButton(tr("Appoint from"), this)),
      m_end(new QPushButton(tr("End at"), this)), m_message(new QLabel(this))
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
    m_appoint->setEnabled(true);
    m_end->setEnabled(true);
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
    m_message->setText(end ? tr("Ending %1's %2 appointment at %3 UTC…").arg(dipId, role, utc(atMs))
                           : tr("Appointing %1 as %2 from %3 UTC…").arg(dipId, role, utc(atMs)));
    m_host->appoint(m_shown, role, dipId, atMs, end);
}

void AppointmentsWidget::onStored(const QString &mpan, bool ok, const QString &error)
{
    if (mpan != m_shown)
        return;
    reload();
    if (!ok)
        m_message->setText(tr("<span style='color:#c62828'>Not changed: %1</span>").arg(error.toHtmlEscaped()));
    emit changed(ok);
}

} // namespace dipwb::ui
