// SPDX-License-Identifier: GPL-3.0-or-later
#include "tracker/tracker_view.h"

#include "catalogue/catalogue.h"
#include "common/json_util.h"
#include "dip/dip_client.h"
#include "store/store.h"
#include "tracker/filter_extras.h"
#include "tracker/message_table_model.h"
#include "tracker/saved_filters.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QScrollBar>
#include <QTimer>
#include <QUrl>
#include <QToolButton>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

namespace dipwb::ui {
namespace {

// A filter field whose preferred width is what it takes to read its placeholder: the row lays
// fields out at that width when there is room, and squeezes them only in a narrow window.
class FilterEdit final : public QLineEdit
{
public:
    using QLineEdit::QLineEdit;
    int preferredWidth = 0;
    QSize sizeHint() const override
    {
        const QSize h = QLineEdit::sizeHint();
        return preferredWidth > 0 ? QSize(preferredWidth, h.height()) : h;
    }
};

QLineEdit *filterEdit(const QString &placeholder, int width, QWidget *parent)
{
    auto *e = new FilterEdit(parent);
    e->preferredWidth = std::min(e->fontMetrics().horizontalAdvance(placeholder) + 30, width > 0 ? width : 160);
    e->setPlaceholderText(placeholder);
    e->setClearButtonEnabled(true);
    // The row grows each field up to its width (enough to read the placeholder) as space allows;
    // a narrow window (a 1366-pixel laptop) squeezes them to 80 pixels rather than overflow, and
    // the placeholder stays as the tooltip.
    e->setMinimumWidth(std::min(80, e->fontMetrics().horizontalAdvance(placeholder) + 30));
    e->setToolTip(placeholder);
    if (width > 0)
        e->setMaximumWidth(std::max(width, e->fontMetrics().horizontalAdvance(placeholder) + 30));
    return e;
}

QString shellQuote(const QString &s)
{
    QString out = s;
    out.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

} // namespace

TrackerView::TrackerView(store::Store *store, const catalogue::Catalogue &catalogue, QWidget *parent)
    : QWidget(parent), m_store(store), m_model(new MessageTableModel(store, this)), m_view(new QTableView(this)),
      m_debounce(new QTimer(this))
{
    m_channel = new QComboBox(this);
    m_channel->setEditable(true);
    m_channel->addItem(QString());
    for (const auto *ch : catalogue.channels())
        m_channel->addItem(ch->id);
    m_channel->lineEdit()->setPlaceholderText(tr("Channel"));
    m_channel->setMinimumContentsLength(8);
    m_event = filterEdit(tr("Event"), 170, this);
    m_sender = filterEdit(tr("Sender DIP id"), 120, this);
    m_recipient = filterEdit(tr("Recipient DIP id"), 130, this);
    m_mpan = filterEdit(tr("MPAN"), 130, this);
    m_mpan->setMinimumWidth(m_mpan->fontMetrics().horizontalAdvance(QStringLiteral("0000000000000")) + 30); // a whole MPAN
    m_status = new QComboBox(this);
    m_status->addItem(tr("Any status"), QString());
    for (const QString &s : tracker::knownStatuses())
        m_status->addItem(s, s);
    m_status->setToolTip(tr("Status of the message or of any of its copies"));
    // Whole texts as room allows (the size hint); a few letters in a narrow window.
    for (QComboBox *c : {m_channel, m_status})
        c->setMinimumWidth(std::min(c->sizeHint().width(), 90));
    m_anyId = filterEdit(tr("Correlation / transaction id"), 220, this);
    m_text = filterEdit(tr("Free text (ids, routing, payload)"), -1, this);
    static_cast<FilterEdit *>(m_text)->preferredWidth = 200;
    m_text->setMinimumWidth(100);
    m_pause = new QToolButton(this);
    m_pause->setText(tr("Pause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Pause the live tail (Ctrl+P)"));
    auto *clear = new QToolButton(this);
    clear->setText(tr("Clear"));
    m_statusLabel = new QLabel(this);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    for (QWidget *w : std::initializer_list<QWidget *>{m_channel, m_event, m_sender, m_recipient, m_mpan, m_status, m_anyId, m_text, clear, m_pause})
        bar->addWidget(w);
    // Beyond their preferred widths the free text takes the room.
    bar->setStretchFactor(m_text, 1);
    m_extras = new FilterExtras(this);
    connect(m_extras, &FilterExtras::changed, this, &TrackerView::applyFilterSoon);
    connect(m_extras->savedButton()->menu(), &QMenu::aboutToShow, this, &TrackerView::fillSavedMenu);

    m_view->setModel(m_model);
    // A table, not a tree: QTreeView lays out all its rows again on every insertion, which stalls
    // the live tail at a million rows. Fixed row heights keep the vertical header cheap.
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 4);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    // Several rows at once (Ctrl/Shift-click) for an evidence report of them; the current row is
    // still the one the inspector shows.
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    const int widths[MessageTableModel::ColumnCount] = {50, 175, 190, 65, 165, 145, 115, 130, 230, 200, 300, 320};
    for (int c = 0; c < MessageTableModel::ColumnCount; ++c)
        m_view->setColumnWidth(c, widths[c]);
    m_view->setColumnHidden(MessageTableModel::Transaction, true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_extras);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_statusLabel);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);
    connect(m_debounce, &QTimer::timeout, this, &TrackerView::applyFilter);
    for (QLineEdit *e : {m_event, m_sender, m_recipient, m_mpan, m_anyId, m_text})
        connect(e, &QLineEdit::textChanged, this, &TrackerView::applyFilterSoon);
    connect(m_channel, &QComboBox::currentTextChanged, this, &TrackerView::applyFilterSoon);
    connect(m_status, &QComboBox::currentTextChanged, this, &TrackerView::applyFilterSoon);
    connect(clear, &QToolButton::clicked, this, [this] { setFilter({}); });
    connect(m_pause, &QToolButton::toggled, this, [this](bool on) {
        m_model->setPaused(on);
        updateStatus();
    });
    connect(m_model, &MessageTableModel::loadingChanged, this, &TrackerView::updateStatus);
    connect(m_model, &MessageTableModel::pausedCountChanged, this, &TrackerView::updateStatus);
    connect(m_model, &MessageTableModel::modelReset, this, &TrackerView::updateStatus);
    connect(m_model, &MessageTableModel::rowsAppended, this, [this] {
        updateStatus();
        // Live tail: follow new rows unless the user scrolled away from the bottom.
        QScrollBar *sb = m_view->verticalScrollBar();
        if (!m_model->isPaused() && !m_model->isLoading() && sb->value() >= sb->maximum() - 3 * m_view->verticalHeader()->defaultSectionSize())
            QTimer::singleShot(0, m_view, &QTableView::scrollToBottom);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { emit currentMessageChanged(m_model->messageId(current.row())); });
    connect(m_view, &QTableView::customContextMenuRequested, this, &TrackerView::showContextMenu);
    connect(m_view->horizontalHeader(), &QHeaderView::customContextMenuRequested, this, &TrackerView::showHeaderMenu);
    updateStatus();
}

TrackerView::~TrackerView() = default;

void TrackerView::setBaseUrl(const QString &url)
{
    if (url == m_baseUrl)
        return;
    m_baseUrl = url;
    m_client = url.isEmpty() ? nullptr : std::make_unique<dip::DipClient>(QUrl(url));
}

void TrackerView::requeue(qint64 messageId)
{
    const auto m = m_store->message(messageId);
    if (!m || !m_client) {
        emit notice(tr("Requeue needs the local DIP running."));
        return;
    }
    QHash<QString, QStringList> byRecipient;
    for (const auto &d : m_store->deliveriesOfMessage(messageId))
        if (d.kind == store::DeliveryRecord::Kind::Publication && !d.replay)
            byRecipient[d.recipientDipId] << d.transactionId;
    if (byRecipient.isEmpty()) {
        emit notice(tr("Message #%1 has no publication copies to requeue.").arg(messageId));
        return;
    }
    for (auto it = byRecipient.cbegin(); it != byRecipient.cend(); ++it) {
        OJson ids = OJson::array();
        for (const QString &tx : it.value())
            ids.push_back(ss(tx));
        const QString recipient = it.key();
        m_client->call("POST", QStringLiteral("/dip-channel/%1/requeue/%2").arg(m->channel, recipient),
                       qb(OJson{{"transactionIDs", ids}}.dump()), [this, recipient](const http::ClientResponse &r) {
                           emit notice(r.status == 200 ? tr("Requeued to %1").arg(recipient)
                                                       : tr("Requeue to %1 answered HTTP %2 %3")
                                                             .arg(recipient)
                                                             .arg(r.status)
                                                             .arg(r.status ? QString::fromUtf8(r.body.left(200)) : r.error));
                       });
    }
}

void TrackerView::applyFilterSoon()
{
    if (!m_settingFilter)
        m_debounce->start();
}

tracker::MessageFilter TrackerView::filter() const
{
    tracker::MessageFilter f;
    f.channel = m_channel->currentText();
    f.eventCode = m_event->text();
    f.senderDipId = m_sender->text();
    f.recipientDipId = m_recipient->text();
    f.mpan = m_mpan->text();
    f.status = m_status->currentData().toString();
    f.anyId = m_anyId->text();
    f.text = m_text->text();
    m_extras->fill(f);
    return f;
}

void TrackerView::setFilter(const tracker::MessageFilter &f)
{
    m_settingFilter = true;
    m_channel->setCurrentText(f.channel);
    m_event->setText(f.eventCode);
    m_sender->setText(f.senderDipId);
    m_recipient->setText(f.recipientDipId);
    m_mpan->setText(f.mpan);
    m_status->setCurrentIndex(std::max(0, m_status->findData(f.status)));
    m_anyId->setText(f.anyId);
    m_text->setText(f.text);
    m_extras->show(f);
    m_settingFilter = false;
    applyFilter();
}

bool TrackerView::saveFilterAs(const QString &name, QString *why)
{
    const QString n = name.trimmed();
    if (n.isEmpty() || n.contains(QLatin1Char('/')) || n.contains(QLatin1Char('\\'))) {
        if (why)
            *why = tr("A filter's name must not be empty or contain '/' or '\\'.");
        return false;
    }
    SavedFilters::Entry e{filter(), m_extras->timePreset()};
    if (!e.timePreset.isEmpty() && e.timePreset != QLatin1String("custom"))
        e.filter.fromMs = e.filter.toMs = 0; // kept as "last hour", not as the hour it was saved in
    SavedFilters().save(n, e);
    emit notice(tr("Saved the filter '%1'").arg(n));
    return true;
}

bool TrackerView::applySavedFilter(const QString &name, QString *why)
{
    QString reason;
    const auto e = SavedFilters().load(name, &reason);
    if (!e) {
        if (why)
            *why = reason;
        emit notice(reason);
        return false;
    }
    m_settingFilter = true;
    setFilter(e->filter);
    m_settingFilter = true;
    if (!e->timePreset.isEmpty() && e->timePreset != QLatin1String("custom"))
        m_extras->setTimePreset(e->timePreset);
    m_settingFilter = false;
    applyFilter();
    return true;
}

void TrackerView::fillSavedMenu()
{
    QMenu *menu = m_extras->savedButton()->menu();
    menu->clear();
    SavedFilters saved;
    const QStringList names = saved.names();
    for (const QString &name : names)
        connect(menu->addAction(name), &QAction::triggered, this, [this, name] { applySavedFilter(name); });
    if (names.isEmpty())
        menu->addAction(tr("No saved filters yet"))->setEnabled(false);
    menu->addSeparator();
    connect(menu->addAction(tr("Save the current filter as…")), &QAction::triggered, this, [this] {
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Save filter"), tr("Name:"), QLineEdit::Normal, m_model->filter().describe().left(60), &ok);
        if (!ok)
            return;
        if (SavedFilters().names().contains(name.trimmed())
            && QMessageBox::question(this, tr("Save filter"), tr("Replace the saved filter '%1'?").arg(name.trimmed())) != QMessageBox::Yes)
            return;
        QString why;
        if (!saveFilterAs(name, &why))
            QMessageBox::warning(this, tr("Save filter"), why);
    });
    QMenu *remove = menu->addMenu(tr("Delete"));
    remove->setEnabled(!names.isEmpty());
    for (const QString &name : names)
        connect(remove->addAction(name), &QAction::triggered, this, [this, name] {
            SavedFilters().remove(name);
            emit notice(tr("Deleted the saved filter '%1'").arg(name));
        });
}

void TrackerView::applyFilter()
{
    m_debounce->stop();
    m_model->setFilter(filter());
    updateStatus();
}

void TrackerView::updateStatus()
{
    QString text = tr("%n message(s)", nullptr, m_model->rowCount());
    if (!m_model->filter().isEmpty())
        text += tr(" matching the filter");
    if (m_model->isLoading())
        text += tr(" · loading…");
    if (m_model->isPaused())
        text += tr(" · live tail paused, %n new", nullptr, m_model->pendingWhilePaused());
    m_statusLabel->setText(text);
    m_pause->setChecked(m_model->isPaused());
}

void TrackerView::focusFilter()
{
    m_text->setFocus(Qt::ShortcutFocusReason);
    m_text->selectAll();
}

void TrackerView::togglePause()
{
    m_pause->toggle();
}

void TrackerView::selectMessage(qint64 messageId)
{
    const int row = m_model->rowOf(messageId);
    if (row < 0)
        return;
    const QModelIndex index = m_model->index(row, 0);
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
}

QByteArray TrackerView::saveHeaderState() const
{
    return m_view->horizontalHeader()->saveState();
}

void TrackerView::restoreHeaderState(const QByteArray &state)
{
    if (!state.isEmpty())
        m_view->horizontalHeader()->restoreState(state);
}

void TrackerView::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    if (!index.isValid())
        return;
    const tracker::MessageSummary s = m_model->summary(index.row());
    QMenu menu(this);
    QAction *byMpan = menu.addAction(tr("Filter by this MPAN"));
    byMpan->setEnabled(!s.mpan.isEmpty());
    connect(byMpan, &QAction::triggered, this, [this, mpan = s.mpan] {
        tracker::MessageFilter f;
        f.mpan = mpan;
        setFilter(f);
    });
    QAction *appointments = menu.addAction(tr("Appointments of this MPAN"));
    appointments->setEnabled(!s.mpan.isEmpty());
    connect(appointments, &QAction::triggered, this, [this, mpan = s.mpan] { emit appointmentsRequested(mpan); });
    QAction *byCorrelation = menu.addAction(tr("Filter by this correlation id"));
    byCorrelation->setEnabled(!s.correlationId.isEmpty());
    connect(byCorrelation, &QAction::triggered, this, [this, id = s.correlationId] {
        tracker::MessageFilter f;
        f.anyId = id;
        setFilter(f);
    });
    menu.addSeparator();
    connect(menu.addAction(tr("Export JSON…")), &QAction::triggered, this, [this, id = s.id] { exportJson(id); });
    connect(menu.addAction(tr("Copy as curl")), &QAction::triggered, this, [this, id = s.id] { copyAsCurl(id); });
    QAction *requeueAction = menu.addAction(tr("Requeue to its recipients"));
    requeueAction->setEnabled(m_client != nullptr && s.deliveries > 0);
    connect(requeueAction, &QAction::triggered, this, [this, id = s.id] { requeue(id); });
    connect(menu.addAction(tr("Copy transaction id")), &QAction::triggered, this,
            [tx = s.transactionId] { QApplication::clipboard()->setText(tx); });
    menu.addSeparator();
    const int selected = int(selectedMessageIds().size());
    connect(menu.addAction(tr("Evidence report of the %n selected message(s)…", nullptr, std::max(selected, 1))), &QAction::triggered, this,
            [this, id = s.id] {
                if (selectedMessageIds().isEmpty())
                    selectMessage(id);
                requestReportOfSelection();
            });
    connect(menu.addAction(tr("Evidence report of all messages the filter shows…")), &QAction::triggered, this,
            &TrackerView::requestReportOfFilter);
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

QList<qint64> TrackerView::selectedMessageIds() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        rows << index.row();
    std::sort(rows.begin(), rows.end());
    QList<qint64> ids;
    for (int row : std::as_const(rows))
        if (const qint64 id = m_model->messageId(row))
            ids << id;
    return ids;
}

void TrackerView::requestReportOfSelection()
{
    const QList<qint64> ids = selectedMessageIds();
    if (ids.isEmpty()) {
        emit notice(tr("Select the messages to report first (Ctrl or Shift and click to select several)."));
        return;
    }
    emit reportRequested(ids, tr("%n message(s) selected in the tracker", nullptr, int(ids.size())));
}

void TrackerView::requestReportOfFilter()
{
    constexpr int kMost = 10000;
    const tracker::MessageFilter f = filter().normalised();
    QList<qint64> ids = m_store->messageIds(f, 0, kMost + 1);
    if (ids.isEmpty()) {
        emit notice(tr("The filter shows no messages to report."));
        return;
    }
    if (ids.size() > kMost) {
        emit notice(tr("The filter shows more than %L1 messages: narrow it (MPAN, correlation id, channel) for a report.").arg(kMost));
        return;
    }
    const QString parts = f.describe();
    emit reportRequested(ids, tr("%n message(s) shown by the tracker filter", nullptr, int(ids.size()))
                                  + (parts.isEmpty() ? tr(" (no filter)") : QStringLiteral(" (%1)").arg(parts)));
}

void TrackerView::showHeaderMenu(const QPoint &pos)
{
    QMenu menu(this);
    for (int c = 0; c < MessageTableModel::ColumnCount; ++c) {
        QAction *a = menu.addAction(m_model->headerData(c, Qt::Horizontal).toString());
        a->setCheckable(true);
        a->setChecked(!m_view->isColumnHidden(c));
        connect(a, &QAction::toggled, this, [this, c](bool on) { m_view->setColumnHidden(c, !on); });
    }
    menu.exec(m_view->horizontalHeader()->mapToGlobal(pos));
}

void TrackerView::exportJson(qint64 messageId)
{
    const auto m = m_store->message(messageId);
    if (!m)
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export message"), m->senderUniqueReference + QStringLiteral(".json"),
                                                      tr("JSON (*.json)"));
    if (path.isEmpty())
        return;
    QFile f(path);
    const QByteArray body = qb(OJson::array({OJson::parse(m->payload.toStdString(), nullptr, false)}).dump(2));
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(body) != body.size())
        QMessageBox::warning(this, tr("Export message"), tr("Cannot write %1: %2").arg(path, f.errorString()));
}

void TrackerView::copyAsCurl(qint64 messageId)
{
    const auto m = m_store->message(messageId);
    if (!m)
        return;
    const QString body = QString::fromUtf8(qb(OJson::array({OJson::parse(m->payload.toStdString(), nullptr, false)}).dump()));
    const QString base = m_baseUrl.isEmpty() ? QStringLiteral("http://127.0.0.1:7070") : m_baseUrl;
    QApplication::clipboard()->setText(QStringLiteral("curl -X POST %1 -H 'Content-Type: application/json' --data-binary %2")
                                           .arg(shellQuote(base + QStringLiteral("/dip-channel/") + m->channel), shellQuote(body)));
}

} // namespace dipwb::ui
