// SPDX-License-Identifier: GPL-3.0-or-later
#include "composer/composer_widget.h"

#include "common/clock.h"
#include "common/json_util.h"
#include "dip/dip_client.h"
#include "schema/schema_set.h"
#include "tracker/message_template.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

namespace dipwb::ui {

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
    auto *fresh = new QPushButton(tr("New from example"), this);
    fresh->setToolTip(tr("Replace the editor with a fresh message for these choices (Ctrl+Shift+N)"));
    m_send = new QPushButton(tr("Send"), this);
    m_send->setDefault(true);
    m_send->setToolTip(tr("Send to the local DIP (Ctrl+Return)"));
    m_send->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));

    auto *form = new QFormLayout;
    form->addRow(tr("Channel"), m_channel);
    form->addRow(tr("Event"), m_event);
    form->addRow(tr("Sender"), m_sender);
    form->addRow(tr("Primary recipients"), m_primary);

    m_editor = new QPlainTextEdit(this);
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_editor->setTabChangesFocus(false);
    m_check = new QLabel(this);
    m_check->setWordWrap(true);
    m_responseStatus = new QLabel(this);
    m_response = new QPlainTextEdit(this);
    m_response->setReadOnly(true);
    m_response->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_response->setLineWrapMode(QPlainTextEdit::NoWrap);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_check, 1);
    buttons->addWidget(fresh);
    buttons->addWidget(m_send);

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addLayout(form);
    topLayout->addWidget(m_editor, 1);
    topLayout->addLayout(buttons);
    auto *bottom = new QWidget(this);
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(m_responseStatus);
    bottomLayout->addWidget(m_response, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(bottom);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    m_response->setMinimumHeight(140);
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
    fillEvents();
    setTarget({}, m_environment);
}

ComposerWidget::~ComposerWidget() = default;

void ComposerWidget::setTarget(const QString &baseUrl, const QString &environment)
{
    m_baseUrl = baseUrl;
    m_environment = environment;
    m_client = baseUrl.isEmpty() ? nullptr : std::make_unique<dip::DipClient>(QUrl(baseUrl));
    m_send->setEnabled(!baseUrl.isEmpty());
    m_responseStatus->setText(baseUrl.isEmpty() ? tr("The local DIP is stopped: start it to send.")
                                                : tr("Sends go to %1").arg(baseUrl));
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
    m_editor->setPlainText(qs(OJson::array({tracker::messageTemplate(r)}).dump(2)));
    checkEditor();
}

void ComposerWidget::checkEditor()
{
    const QByteArray text = m_editor->toPlainText().toUtf8();
    const OJson doc = OJson::parse(text.constData(), text.constData() + text.size(), nullptr, false);
    if (doc.is_discarded()) {
        m_check->setText(tr("<span style='color:#c62828'>Not valid JSON.</span>"));
        return;
    }
    if (!doc.is_array() || doc.empty()) {
        m_check->setText(tr("<span style='color:#c62828'>The body must be a JSON array of {\"payload\": …} elements.</span>"));
        return;
    }
    if (!m_schemas) {
        m_check->setText(tr("<span style='color:#2e7d32'>JSON ok.</span> No payload schemas loaded: payloads are not schema-checked."));
        return;
    }
    QStringList problems;
    int i = 0;
    for (const auto &element : doc) {
        const OJson *payload = element.is_object() && element.contains("payload") ? &element["payload"] : nullptr;
        if (!payload || !payload->is_object()) {
            problems << tr("[%1]: no payload object").arg(i);
        } else {
            const OJson &s0 = (*payload)["CommonBlock"]["S0"];
            const schema::SchemaKey key{stringAt(s0, "interfaceID"), stringAt(s0, "eventCode"), stringAt(s0, "schemaVersion")};
            for (const auto &e : m_schemas->validate(key, *payload))
                problems << QStringLiteral("[%1].%2").arg(i).arg(e.toString());
        }
        ++i;
    }
    if (problems.isEmpty())
        m_check->setText(tr("<span style='color:#2e7d32'>Valid against specification %1.</span>").arg(m_schemas->specVersion()));
    else
        m_check->setText(QStringLiteral("<span style='color:#c62828'>%1</span>")
                             .arg(problems.mid(0, 4).join(QStringLiteral("<br>")).toHtmlEscaped().replace(QStringLiteral("&lt;br&gt;"), QStringLiteral("<br>"))));
}

void ComposerWidget::send()
{
    if (!m_client)
        return;
    const QString channel = m_channel->currentData().toString();
    const QByteArray body = m_editor->toPlainText().toUtf8();
    m_send->setEnabled(false);
    m_responseStatus->setText(tr("Sending to %1/dip-channel/%2 …").arg(m_baseUrl, channel));
    m_client->send(channel, body, [this](const http::ClientResponse &r) {
        m_send->setEnabled(m_client != nullptr);
        const OJson answer = OJson::parse(r.body.constData(), r.body.constData() + r.body.size(), nullptr, false);
        if (r.status == 0)
            m_responseStatus->setText(tr("<span style='color:#c62828'>No answer: %1</span>").arg(r.error.toHtmlEscaped()));
        else
            m_responseStatus->setText(tr("<span style='color:%1'>HTTP %2</span> in %3 ms")
                                          .arg(r.status / 100 == 2 ? QStringLiteral("#2e7d32") : QStringLiteral("#c62828"))
                                          .arg(r.status)
                                          .arg(r.elapsedMs));
        m_response->setPlainText(answer.is_discarded() ? QString::fromUtf8(r.body) : qs(answer.dump(2)));
        emit answered(r.status, r.body);
    });
}

} // namespace dipwb::ui
