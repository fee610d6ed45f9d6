// SPDX-License-Identifier: GPL-3.0-or-later
#include "tracker/filter_extras.h"

#include "common/clock.h"
#include "participants/participant_loader.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QTimeZone>
#include <QToolButton>

namespace dipwb::ui {

namespace {

qint64 startOfTodayLondon(qint64 nowMs)
{
    const QTimeZone london("Europe/London");
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs, london);
    return QDateTime(now.date(), QTime(0, 0), london).toMSecsSinceEpoch();
}

} // namespace

FilterExtras::FilterExtras(QWidget *parent)
    : QWidget(parent), m_time(new QComboBox(this)), m_from(new QDateTimeEdit(this)), m_to(new QDateTimeEdit(this)),
      m_role(new QComboBox(this)), m_environment(new QComboBox(this)), m_replay(new QComboBox(this)), m_stage(new QComboBox(this)), m_saved(new QToolButton(this))
{
    m_time->addItem(tr("Any time"), QString());
    m_time->addItem(tr("Last 15 minutes"), QStringLiteral("15m"));
    m_time->addItem(tr("Last hour"), QStringLiteral("1h"));
    m_time->addItem(tr("Last 24 hours"), QStringLiteral("24h"));
    m_time->addItem(tr("Today (UK)"), QStringLiteral("today"));
    m_time->addItem(tr("Custom range (UTC)"), QStringLiteral("custom"));
    m_time->setToolTip(tr("When the DIP received the message"));
    for (QDateTimeEdit *e : {m_from, m_to}) {
        e->setTimeSpec(Qt::UTC);
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        e->setCalendarPopup(true);
        e->setDateTime(QDateTime::currentDateTimeUtc());
        connect(e, &QDateTimeEdit::dateTimeChanged, this, [this] {
            if (!m_showing)
                emit changed();
        });
    }
    m_from->setToolTip(tr("Received at or after (UTC)"));
    m_to->setToolTip(tr("Received before (UTC)"));
    m_from->setDateTime(QDateTime::currentDateTimeUtc().addSecs(-3600));

    m_role->addItem(tr("Any role"), QString());
    for (const QString &r : participants::knownRoles())
        m_role->addItem(r, r);
    m_role->setToolTip(tr("The sender's role or a recipient's role"));
    m_environment->addItem(tr("Any environment"), QString());
    for (const char *env : {"DEV", "SIT", "SITB", "UIT", "PRD"})
        m_environment->addItem(QLatin1String(env), QLatin1String(env));
    m_environment->setToolTip(tr("The environmentTag the message was sent with"));
    m_replay->addItem(tr("Replayed or not"), int(tracker::MessageFilter::Replay::Any));
    m_replay->addItem(tr("Replayed"), int(tracker::MessageFilter::Replay::Replayed));
    m_replay->addItem(tr("Never replayed"), int(tracker::MessageFilter::Replay::NotReplayed));
    m_replay->setToolTip(tr("Whether a copy of the message was ever replayed"));
    m_stage->addItem(tr("Any stage"), QString());
    for (const QString &stage : tracker::knownStages())
        m_stage->addItem(stage, stage);
    m_stage->setToolTip(tr("A journal row of the message (or of a copy) at this stage; with a status, one at this stage "
                           "with that status (Outbound + Retrying: a copy that was ever retried)"));
    m_saved->setText(tr("Saved filters"));
    m_saved->setPopupMode(QToolButton::InstantPopup);
    m_saved->setMenu(new QMenu(m_saved)); // filled by the tracker each time it opens
    m_saved->setToolTip(tr("Apply, save or delete a named filter"));

    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_time);
    row->addWidget(m_from);
    row->addWidget(new QLabel(QStringLiteral("–"), this));
    row->addWidget(m_to);
    row->addWidget(m_role);
    row->addWidget(m_environment);
    row->addWidget(m_replay);
    row->addWidget(m_stage);
    row->addStretch(1);
    row->addWidget(m_saved);
    // Each shows its whole text as room allows (the size hint), and shrinks to a few letters in
    // a narrow window (the full texts stay in the list).
    for (QComboBox *c : {m_time, m_role, m_environment, m_replay, m_stage})
        c->setMinimumWidth(std::min(c->sizeHint().width(), 80));
    for (QComboBox *c : {m_time, m_role, m_environment, m_replay, m_stage})
        connect(c, &QComboBox::currentIndexChanged, this, [this] {
            updateCustom();
            if (!m_showing)
                emit changed();
        });
    updateCustom();
}

void FilterExtras::updateCustom()
{
    const bool custom = timePreset() == QLatin1String("custom");
    m_from->setVisible(custom);
    m_to->setVisible(custom);
    findChild<QLabel *>()->setVisible(custom);
}

QString FilterExtras::timePreset() const
{
    return m_time->currentData().toString();
}

void FilterExtras::setTimePreset(const QString &key)
{
    m_time->setCurrentIndex(std::max(0, m_time->findData(key)));
}

void FilterExtras::fill(tracker::MessageFilter &f) const
{
    const qint64 now = Clock::nowMs();
    const QString preset = timePreset();
    f.fromMs = f.toMs = 0;
    if (preset == QLatin1String("15m"))
        f.fromMs = now - 15 * 60 * 1000;
    else if (preset == QLatin1String("1h"))
        f.fromMs = now - 3600 * 1000;
    else if (preset == QLatin1String("24h"))
        f.fromMs = now - 24 * 3600 * 1000;
    else if (preset == QLatin1String("today"))
        f.fromMs = startOfTodayLondon(now);
    else if (preset == QLatin1String("custom")) {
        f.fromMs = m_from->dateTime().toMSecsSinceEpoch();
        f.toMs = m_to->dateTime().toMSecsSinceEpoch();
    }
    f.role = m_role->currentData().toString();
    f.environment = m_environment->currentData().toString();
    f.replay = tracker::MessageFilter::Replay(m_replay->currentData().toInt());
    f.stage = m_stage->currentData().toString();
}

void FilterExtras::show(const tracker::MessageFilter &f)
{
    m_showing = true;
    if (f.fromMs || f.toMs) {
        setTimePreset(QStringLiteral("custom"));
        m_from->setDateTime(f.fromMs ? QDateTime::fromMSecsSinceEpoch(f.fromMs, Qt::UTC) : QDateTime::fromSecsSinceEpoch(0, Qt::UTC));
        m_to->setDateTime(f.toMs ? QDateTime::fromMSecsSinceEpoch(f.toMs, Qt::UTC) : QDateTime::currentDateTimeUtc().addYears(1));
    } else {
        setTimePreset(QString());
    }
    m_role->setCurrentIndex(std::max(0, m_role->findData(f.role.trimmed().toUpper())));
    m_environment->setCurrentIndex(std::max(0, m_environment->findData(f.environment.trimmed().toUpper())));
    m_replay->setCurrentIndex(std::max(0, m_replay->findData(int(f.replay))));
    m_stage->setCurrentIndex(std::max(0, m_stage->findData(f.normalised().stage)));
    updateCustom();
    m_showing = false;
}

} // namespace dipwb::ui
