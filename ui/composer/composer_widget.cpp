// SPDX-License-Identifier: GPL-3.0-or-later
#include "composer/composer_widget.h"

#include "common/clock.h"
#include "common/dip_time.h"
#include "common/json_util.h"
#include "composer/composer_target.h"
#include "composer/payload_form.h"
#include "dip/dip_client.h"
#include "schema/schema_set.h"
#include "tracker/message_template.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTextCursor>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace dipwb::ui {

namespace {

const QString kLocal = QStringLiteral("local");

QString outcomeOf(const QByteArray &body)
{
    const OJson answer = OJson::parse(body.constBegin(), body.constEnd(), nullptr, false);
    if (answer.is_object() && answer.contains("messageArray") && answer["messageArray"].is_array() && !answer["messageArray"].empty())
        return stringAt(answer["messageArray"][0], "message");
    return {};
}

} // namespace

ComposerWidget::ComposerWidget(catalogue::CataloguePtr catalogue, std::shared_ptr<const schema::SchemaSet> schemas,
                               QWidget *parent)
    : QWidget(parent), m_catalogue(std::move(catalogue)), m_schemas(std::move(schemas)), m_checkTimer(new QTimer(this))
{
    m_channel = new QComboBox(this);
    for (const auto *ch : m_catalogue->channels())
        m_channel->addItem(ch->id + QStringLiteral("  ") + ch->title, ch->id);
    m_event = new QComboBox(this);
    m_sender = new QComboBox(this);
    m_primary = new QLineEdit(this);
    m_primary->setPlaceholderText(tr("DIP ids, comma-separated (A0.primaryRecipients)"));
    m_target = new QComboBox(this);
    m_target->setToolTip(tr("The local DIP, or a remote DIP profile of the workspace (dipwb profile add)"));
    m_sign = new QCheckBox(tr("Sign as the sender"), this);
    m_sign->setToolTip(tr("Local DIP: sign with the sender's certificate from the workspace CA and send its API key. "
                          "A profile always signs with its own certificate."));
    // Long choices (channel titles, participant names) must not widen the panel.
    for (QComboBox *c : {m_channel, m_event, m_sender, m_target})
        c->setMinimumWidth(120);
    auto *targetRow = new QHBoxLayout;
    targetRow->addWidget(m_target, 1);
    targetRow->addWidget(m_sign);

    auto *fresh = new QPushButton(tr("New from example"), this);
    fresh->setToolTip(tr("Replace the editor with a fresh message for these choices (Ctrl+Shift+N)"));
    fresh->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    m_templates = new QToolButton(this);
    m_templates->setText(tr("Templates"));
    m_templates->setPopupMode(QToolButton::InstantPopup);
    m_templates->setMenu(new QMenu(m_templates));
    m_templates->setToolTip(tr("Start from a saved template, or save this message as one (Ctrl+S)"));
    auto *saveShortcut = new QAction(this);
    saveShortcut->setShortcut(QKeySequence::Save);
    saveShortcut->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(saveShortcut);
    connect(saveShortcut, &QAction::triggered, this, [this] { saveTemplate(); });
    connect(m_templates->menu(), &QMenu::aboutToShow, this, &ComposerWidget::fillTemplatesMenu);
    m_send = new QPushButton(tr("Send"), this);
    m_send->setDefault(true);
    m_send->setToolTip(tr("Send to the chosen DIP (Ctrl+Return)"));
    m_send->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));

    auto *form = new QFormLayout;
    form->addRow(tr("Send to"), targetRow);
    form->addRow(tr("Channel"), m_channel);
    form->addRow(tr("Event"), m_event);
    form->addRow(tr("Sender"), m_sender);
    form->addRow(tr("Primary recipients"), m_primary);

    m_editor = new QPlainTextEdit(this);
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setTabChangesFocus(false);
    m_form = new PayloadForm(this);
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(m_editor, tr("JSON"));
    m_tabs->addTab(m_form, tr("Form"));
    m_check = new QLabel(this);
    m_check->setWordWrap(true);
    m_responseStatus = new QLabel(this);
    m_responseStatus->setWordWrap(true);
    m_response = new QPlainTextEdit(this);
    m_response->setReadOnly(true);
    m_response->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_response->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_historyView = new QTreeWidget(this);
    m_historyView->setRootIsDecorated(false);
    m_historyView->setHeaderLabels({tr("Sent (UTC)"), tr("To"), tr("Channel"), tr("Sender"), tr("HTTP"), tr("Answer")});
    m_historyView->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_historyView->setToolTip(tr("Messages sent from here, newest first: double-click (or Enter) to put one back in the editor"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_check, 1);
    buttons->addWidget(m_templates);
    buttons->addWidget(fresh);
    buttons->addWidget(m_send);

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addLayout(form);
    topLayout->addWidget(m_tabs, 1);
    topLayout->addLayout(buttons);
    auto *answer = new QWidget(this);
    auto *answerLayout = new QVBoxLayout(answer);
    answerLayout->setContentsMargins(0, 0, 0, 0);
    answerLayout->addWidget(m_responseStatus);
    answerLayout->addWidget(m_response, 1);
    auto *bottom = new QTabWidget(this);
    bottom->addTab(answer, tr("Answer"));
    bottom->addTab(m_historyView, tr("Sent"));
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(bottom);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    m_response->setMinimumHeight(60);
    m_tabs->setMinimumHeight(100);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);

    m_checkTimer->setSingleShot(true);
    m_checkTimer->setInterval(300);
    connect(m_checkTimer, &QTimer::timeout, this, &ComposerWidget::checkEditor);
    connect(m_editor, &QPlainTextEdit::textChanged, m_checkTimer, qOverload<>(&QTimer::start));
    connect(m_channel, &QComboBox::currentIndexChanged, this, [this] {
        fillEvents();
        newFromTemplate();
    });
    connect(m_event, &QComboBox::activated, this, &ComposerWidget::newFromTemplate);
    connect(m_sender, &QComboBox::activated, this, &ComposerWidget::newFromTemplate);
    connect(fresh, &QPushButton::clicked, this, &ComposerWidget::newFromTemplate);
    connect(m_send, &QPushButton::clicked, this, &ComposerWidget::send);
    connect(m_target, &QComboBox::currentIndexChanged, this, [this] {
        const bool local = m_target->currentData().toString() == kLocal;
        m_sign->setEnabled(local);
        m_send->setEnabled(!m_sending && (!local || !m_baseUrl.isEmpty()));
    });
    // A form edit rewrites the JSON as one undoable edit; the JSON tab stays the source.
    connect(m_form, &PayloadForm::edited, this, [this](const OJson &doc) { replaceText(qs(doc.dump(2))); });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int tab) {
        if (tab == 1)
            checkEditor();
    });
    connect(m_historyView, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const qint64 at = item->data(0, Qt::UserRole).toLongLong();
        const QList<SentEntry> &all = m_history.entries();
        for (qsizetype i = all.size() - 1; i >= 0; --i)
            if (all.at(i).atMs == at) {
                restoreSent(int(i));
                return;
            }
    });
    fillEvents();
    fillTargets();
    setTarget({}, m_environment);
}

ComposerWidget::~ComposerWidget() = default;

void ComposerWidget::setTarget(const QString &baseUrl, const QString &environment)
{
    m_baseUrl = baseUrl;
    m_environment = environment;
    fillTargets();
    const bool local = m_target->currentData().toString() == kLocal;
    m_send->setEnabled(!m_sending && (!local || !baseUrl.isEmpty()));
    m_responseStatus->setText(baseUrl.isEmpty() ? tr("The local DIP is stopped: start it to send to it.")
                                                : tr("The local DIP is at %1").arg(baseUrl));
}

void ComposerWidget::setWorkspace(const QString &dir)
{
    m_workspaceDir = dir;
    m_history = SentHistory(dir);
    int skipped = 0;
    m_history.load(&skipped);
    m_historyView->clear();
    for (const SentEntry &e : m_history.entries())
        addHistoryRow(e);
    if (skipped > 0)
        m_responseStatus->setText(tr("%n line(s) of the sent history could not be read and were left out.", nullptr, skipped));
    fillTargets();
}

void ComposerWidget::fillTargets()
{
    const QString current = m_target->currentData().toString();
    const QSignalBlocker block(m_target);
    m_target->clear();
    m_target->addItem(m_baseUrl.isEmpty() ? tr("Local DIP (stopped)") : tr("Local DIP  %1").arg(m_baseUrl), kLocal);
    for (const QString &p : composerProfiles(m_workspaceDir))
        m_target->addItem(tr("Profile %1").arg(p), p);
    const int i = m_target->findData(current);
    m_target->setCurrentIndex(i >= 0 ? i : 0);
    m_sign->setEnabled(m_target->currentData().toString() == kLocal);
}

void ComposerWidget::selectTarget(const QString &target)
{
    fillTargets();
    const int i = m_target->findData(target);
    if (i >= 0)
        m_target->setCurrentIndex(i);
}

void ComposerWidget::setSigned(bool on)
{
    m_sign->setChecked(on);
}

void ComposerWidget::setParticipants(const QList<participants::Participant> &list)
{
    const QString current = m_sender->currentData().toString();
    m_participants = list;
    m_sender->clear();
    for (const auto &p : list)
        m_sender->addItem(QStringLiteral("%1  %2 %3  %4").arg(p.dipId, p.role, p.mpid, p.name), p.dipId);
    if (!current.isEmpty())
        selectSender(current);
    else
        newFromTemplate();
}

void ComposerWidget::selectChannel(const QString &channelId, const QString &eventCode)
{
    const int i = m_channel->findData(channelId);
    if (i >= 0)
        m_channel->setCurrentIndex(i);
    if (!eventCode.isEmpty()) {
        const int e = m_event->findText(eventCode);
        if (e >= 0)
            m_event->setCurrentIndex(e);
        newFromTemplate();
    }
}

void ComposerWidget::selectSender(const QString &dipId)
{
    const int i = m_sender->findData(dipId);
    if (i >= 0)
        m_sender->setCurrentIndex(i);
    newFromTemplate();
}

void ComposerWidget::setPrimaryRecipients(const QString &commaSeparated)
{
    m_primary->setText(commaSeparated);
    newFromTemplate();
}

void ComposerWidget::fillEvents()
{
    m_event->clear();
    const auto *ch = m_catalogue->channel(m_channel->currentData().toString());
    if (!ch)
        return;
    m_event->addItems(ch->eventCodes());
    // Start with a sender and a recipient that may take part in this channel.
    for (int i = 0; i < m_participants.size(); ++i)
        if (ch->senderRoles.isEmpty() || ch->senderRoles.contains(m_participants.at(i).role)) {
            m_sender->setCurrentIndex(i);
            break;
        }
    QString primary;
    if (ch->secondaryRoles.isEmpty())
        for (const auto &p : m_participants)
            if (ch->receiverRoles.contains(p.role)) {
                primary = p.dipId;
                break;
            }
    m_primary->setText(primary);
}

const participants::Participant *ComposerWidget::currentSender() const
{
    const int i = m_sender->currentIndex();
    return i >= 0 && i < m_participants.size() ? &m_participants.at(i) : nullptr;
}

void ComposerWidget::replaceText(const QString &text)
{
    // Through the cursor, not setPlainText(): the change stays on the editor's undo stack.
    QTextCursor c(m_editor->document());
    c.beginEditBlock();
    c.select(QTextCursor::Document);
    c.insertText(text);
    c.endEditBlock();
}

void ComposerWidget::newFromTemplate()
{
    tracker::TemplateRequest r;
    r.channel = m_catalogue->channel(m_channel->currentData().toString());
    r.eventCode = m_event->currentText();
    if (const auto *s = currentSender())
        r.sender = *s;
    r.environment = m_environment;
    for (const QString &p : m_primary->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        r.primaryRecipients << p.trimmed();
    r.nowMs = Clock::nowMs();
    r.schemas = m_schemas.get();
    replaceText(qs(OJson::array({tracker::messageTemplate(r)}).dump(2)));
    checkEditor();
}

void ComposerWidget::checkEditor()
{
    const QByteArray text = m_editor->toPlainText().toUtf8();
    const OJson doc = OJson::parse(text.constData(), text.constData() + text.size(), nullptr, false);
    if (doc.is_discarded()) {
        m_check->setText(tr("<span style='color:#c62828'>Not valid JSON.</span>"));
        m_form->setEnabled(false);
        return;
    }
    m_form->setEnabled(true);
    if (m_form->document() != doc)
        m_form->setDocument(doc);
    if (!doc.is_array() || doc.empty()) {
        m_check->setText(tr("<span style='color:#c62828'>The body must be a JSON array of {\"payload\": …} elements.</span>"));
        m_form->markProblems({});
        return;
    }
    if (!m_schemas) {
        m_check->setText(tr("<span style='color:#2e7d32'>JSON ok.</span> No payload schemas loaded: payloads are not schema-checked."));
        return;
    }
    QStringList problems;
    QList<QPair<QString, QString>> marks;
    int i = 0;
    for (const auto &element : doc) {
        const OJson *payload = element.is_object() && element.contains("payload") ? &element["payload"] : nullptr;
        if (!payload || !payload->is_object()) {
            problems << tr("[%1]: no payload object").arg(i);
            marks << qMakePair(QStringLiteral("[%1]").arg(i), tr("no payload object"));
        } else {
            const OJson &s0 = (*payload)["CommonBlock"]["S0"];
            const schema::SchemaKey key{stringAt(s0, "interfaceID"), stringAt(s0, "eventCode"), stringAt(s0, "schemaVersion")};
            for (const auto &e : m_schemas->validate(key, *payload)) {
                problems << QStringLiteral("[%1].%2").arg(i).arg(e.toString());
                marks << qMakePair(QStringLiteral("[%1].%2").arg(i).arg(e.path), e.message);
            }
        }
        ++i;
    }
    m_form->markProblems(marks);
    if (problems.isEmpty())
        m_check->setText(tr("<span style='color:#2e7d32'>Valid against specification %1.</span>").arg(m_schemas->specVersion()));
    else
        m_check->setText(QStringLiteral("<span style='color:#c62828'>%1</span>")
                             .arg(problems.mid(0, 4).join(QStringLiteral("<br>")).toHtmlEscaped().replace(QStringLiteral("&lt;br&gt;"), QStringLiteral("<br>"))));
}

void ComposerWidget::send()
{
    if (m_sending)
        return;
    const QString target = m_target->currentData().toString();
    const QString sender = m_sender->currentData().toString();
    ComposerClient c = target == kLocal ? (m_baseUrl.isEmpty() ? ComposerClient{} : localClient(m_workspaceDir, m_baseUrl, sender, m_sign->isChecked()))
                                        : profileClient(m_workspaceDir, target, sender);
    if (!c.client) {
        m_responseStatus->setText(tr("<span style='color:#c62828'>Cannot send: %1</span>")
                                      .arg((c.error.isEmpty() ? tr("the local DIP is stopped") : c.error).toHtmlEscaped()));
        return;
    }
    m_client = std::move(c.client);
    SentEntry pending;
    pending.atMs = Clock::nowMs();
    pending.target = target;
    pending.channel = m_channel->currentData().toString();
    pending.event = m_event->currentText();
    pending.senderDipId = sender;
    pending.body = m_editor->toPlainText().toUtf8();
    m_sending = true;
    m_send->setEnabled(false);
    m_responseStatus->setText(tr("Sending to %1/dip-channel/%2, %3 …").arg(c.url, pending.channel, c.note));
    m_client->send(pending.channel, pending.body, [this, pending, note = c.note](const http::ClientResponse &r) mutable {
        m_sending = false;
        m_send->setEnabled(m_target->currentData().toString() != kLocal || !m_baseUrl.isEmpty());
        const OJson answer = OJson::parse(r.body.constData(), r.body.constData() + r.body.size(), nullptr, false);
        if (r.status == 0)
            m_responseStatus->setText(tr("<span style='color:#c62828'>No answer: %1</span>").arg(r.error.toHtmlEscaped()));
        else
            m_responseStatus->setText(tr("<span style='color:%1'>HTTP %2</span> in %3 ms, %4")
                                          .arg(r.status / 100 == 2 ? QStringLiteral("#2e7d32") : QStringLiteral("#c62828"))
                                          .arg(r.status)
                                          .arg(r.elapsedMs)
                                          .arg(note.toHtmlEscaped()));
        m_response->setPlainText(answer.is_discarded() ? QString::fromUtf8(r.body) : qs(answer.dump(2)));
        pending.httpStatus = r.status;
        pending.response = r.body;
        pending.outcome = r.status == 0 ? r.error : outcomeOf(r.body);
        QString error;
        if (!m_history.append(pending, &error))
            m_responseStatus->setText(m_responseStatus->text() + QStringLiteral("<br>") + tr("The history was not saved: %1").arg(error.toHtmlEscaped()));
        addHistoryRow(pending);
        emit answered(r.status, r.body);
    });
}

void ComposerWidget::addHistoryRow(const SentEntry &e)
{
    auto *item = new QTreeWidgetItem;
    item->setText(0, dt::formatDt003Utc(e.atMs).left(19).replace(QLatin1Char('T'), QLatin1Char(' ')));
    item->setText(1, e.target == kLocal ? tr("local") : e.target);
    item->setText(2, e.channel + QLatin1Char(' ') + e.event);
    item->setText(3, e.senderDipId);
    item->setText(4, e.httpStatus ? QString::number(e.httpStatus) : tr("none"));
    item->setText(5, e.outcome);
    item->setForeground(4, e.httpStatus / 100 == 2 ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28));
    item->setData(0, Qt::UserRole, e.atMs); // an index would move when old entries go
    m_historyView->insertTopLevelItem(0, item); // newest first
    while (m_historyView->topLevelItemCount() > SentHistory::kMax)
        delete m_historyView->takeTopLevelItem(m_historyView->topLevelItemCount() - 1);
}

void ComposerWidget::restoreSent(int index)
{
    const QList<SentEntry> &all = m_history.entries();
    if (index < 0 || index >= all.size())
        return;
    const SentEntry &e = all.at(index);
    selectTarget(e.target);
    const int ch = m_channel->findData(e.channel);
    if (ch >= 0) {
        const QSignalBlocker block(m_channel);
        m_channel->setCurrentIndex(ch);
        fillEvents();
    }
    const int ev = m_event->findText(e.event);
    if (ev >= 0)
        m_event->setCurrentIndex(ev);
    const int s = m_sender->findData(e.senderDipId);
    if (s >= 0)
        m_sender->setCurrentIndex(s);
    replaceText(QString::fromUtf8(e.body));
    checkEditor();
    const OJson answer = OJson::parse(e.response.constBegin(), e.response.constEnd(), nullptr, false);
    m_response->setPlainText(answer.is_discarded() ? QString::fromUtf8(e.response) : qs(answer.dump(2)));
    m_responseStatus->setText(tr("Sent %1 UTC, answered HTTP %2 %3").arg(dt::formatDt003Utc(e.atMs).left(19), QString::number(e.httpStatus), e.outcome.toHtmlEscaped()));
}

QStringList ComposerWidget::templateNames() const
{
    return m_workspaceDir.isEmpty() ? QStringList() : TemplateShelf(m_workspaceDir).names();
}

bool ComposerWidget::saveTemplate(const QString &givenName)
{
    if (m_workspaceDir.isEmpty())
        return false;
    QString name = givenName;
    if (name.isEmpty()) {
        bool ok = false;
        name = QInputDialog::getText(this, tr("Save as template"), tr("Template name:"), QLineEdit::Normal,
                                     m_channel->currentData().toString() + QLatin1Char(' ') + m_event->currentText().remove(QLatin1Char('[')).remove(QLatin1Char(']')), &ok);
        if (!ok || name.isEmpty())
            return false;
    }
    ComposerTemplate t;
    t.name = name.trimmed();
    t.channel = m_channel->currentData().toString();
    t.event = m_event->currentText();
    t.senderDipId = m_sender->currentData().toString();
    t.primaryRecipients = m_primary->text();
    t.body = m_editor->toPlainText().toUtf8();
    QString error;
    if (!TemplateShelf(m_workspaceDir).save(t, &error)) {
        m_responseStatus->setText(tr("<span style='color:#c62828'>Template not saved: %1</span>").arg(error.toHtmlEscaped()));
        return false;
    }
    m_responseStatus->setText(tr("Saved as template '%1'.").arg(t.name.toHtmlEscaped()));
    return true;
}

bool ComposerWidget::loadTemplate(const QString &name)
{
    QString error;
    const auto t = TemplateShelf(m_workspaceDir).load(name, &error);
    if (!t) {
        m_responseStatus->setText(tr("<span style='color:#c62828'>%1</span>").arg(error.toHtmlEscaped()));
        return false;
    }
    const int ch = m_channel->findData(t->channel);
    if (ch >= 0) {
        const QSignalBlocker block(m_channel);
        m_channel->setCurrentIndex(ch);
        fillEvents();
    }
    const int ev = m_event->findText(t->event);
    if (ev >= 0)
        m_event->setCurrentIndex(ev);
    const int s = m_sender->findData(t->senderDipId);
    if (s >= 0)
        m_sender->setCurrentIndex(s);
    m_primary->setText(t->primaryRecipients);
    replaceText(QString::fromUtf8(t->body));
    checkEditor();
    m_responseStatus->setText(tr("Started from template '%1'.").arg(name.toHtmlEscaped()));
    return true;
}

void ComposerWidget::fillTemplatesMenu()
{
    QMenu *menu = m_templates->menu();
    menu->clear();
    QAction *save = menu->addAction(tr("Save as template…"), this, [this] { saveTemplate(); });
    save->setShortcut(QKeySequence::Save);
    save->setEnabled(!m_workspaceDir.isEmpty());
    const QStringList names = templateNames();
    if (names.isEmpty()) {
        menu->addSection(tr("No saved templates"));
        return;
    }
    menu->addSection(tr("Start from"));
    for (const QString &n : names)
        menu->addAction(n, this, [this, n] { loadTemplate(n); });
    QMenu *remove = menu->addMenu(tr("Delete"));
    for (const QString &n : names)
        remove->addAction(n, this, [this, n] {
            if (QMessageBox::question(this, tr("Delete template"), tr("Delete the template '%1'?").arg(n)) != QMessageBox::Yes)
                return;
            QString error;
            if (!TemplateShelf(m_workspaceDir).remove(n, &error))
                m_responseStatus->setText(tr("<span style='color:#c62828'>%1</span>").arg(error.toHtmlEscaped()));
        });
}

} // namespace dipwb::ui
