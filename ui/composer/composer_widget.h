// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "catalogue/catalogue.h"
#include "composer/composer_store.h"
#include "participants/participant.h"

#include <QWidget>
#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QTabWidget;
class QToolButton;
class QTreeWidget;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTimer;

namespace dipwb::schema {
class SchemaSet;
}
namespace dipwb::dip {
class DipClient;
}

namespace dipwb::ui {

class PayloadForm;

/// Writes and sends one request: channel and event from the catalogue, a sending participant, a
/// message started from the schema's example, the bare envelope or a saved template, edited as
/// JSON or as a form, with the parse and schema result shown as you type (in the form at the
/// field); sent to the local DIP (signed with the workspace CA if wanted) or a remote profile;
/// the DIP's StandardResponse appears below, and every send stays in the history.
class ComposerWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ComposerWidget)
public:
    ComposerWidget(catalogue::CataloguePtr catalogue, std::shared_ptr<const schema::SchemaSet> schemas,
                   QWidget *parent = nullptr);
    ~ComposerWidget() override;

    /// Where sends go; empty disables sending to the local DIP (emulator stopped).
    void setTarget(const QString &baseUrl, const QString &environment);
    /// The workspace of templates, history, certificates and profiles.
    void setWorkspace(const QString &dir);
    void setParticipants(const QList<participants::Participant> &list);

    void selectChannel(const QString &channelId, const QString &eventCode = {});
    void selectSender(const QString &dipId);
    void setPrimaryRecipients(const QString &commaSeparated);
    /// Replaces the editor with a fresh message for the current choices.
    void newFromTemplate();
    void send();
    /// Saves the editor as a template under name (asks for one when empty).
    bool saveTemplate(const QString &name = {});
    bool loadTemplate(const QString &name);
    /// Puts a sent message back in the editor, its answer below.
    void restoreSent(int index);
    /// "local" or a profile name.
    void selectTarget(const QString &target);
    void setSigned(bool on);

    QPlainTextEdit *editor() const { return m_editor; }
    PayloadForm *form() const { return m_form; }
    QTabWidget *editTabs() const { return m_tabs; }
    QTreeWidget *historyView() const { return m_historyView; }
    QLabel *checkLabel() const { return m_check; }
    QLabel *statusLabel() const { return m_responseStatus; }
    const SentHistory &history() const { return m_history; }
    QStringList templateNames() const;
    QPlainTextEdit *responseView() const { return m_response; }
    QPushButton *sendButton() const { return m_send; }

signals:
    /// A send was answered: HTTP status (0 when none), and the answer's body.
    void answered(int httpStatus, const QByteArray &body);

private:
    void fillEvents();
    void checkEditor();
    void fillTargets();
    void fillTemplatesMenu();
    void addHistoryRow(const SentEntry &e);
    void replaceText(const QString &text);
    const participants::Participant *currentSender() const;

    catalogue::CataloguePtr m_catalogue;
    std::shared_ptr<const schema::SchemaSet> m_schemas;
    QList<participants::Participant> m_participants;
    QString m_baseUrl;
    QString m_environment = QStringLiteral("SIT");
    QString m_workspaceDir;
    std::unique_ptr<dip::DipClient> m_client;  // of the send in flight
    bool m_sending = false;
    SentHistory m_history{QString()};
    QComboBox *m_target;
    QCheckBox *m_sign;
    QTabWidget *m_tabs;
    PayloadForm *m_form;
    QToolButton *m_templates;
    QTreeWidget *m_historyView;
    QComboBox *m_channel;
    QComboBox *m_event;
    QComboBox *m_sender;
    QLineEdit *m_primary;
    QPlainTextEdit *m_editor;
    QLabel *m_check;
    QPushButton *m_send;
    QLabel *m_responseStatus;
    QPlainTextEdit *m_response;
    QTimer *m_checkTimer;
};

} // namespace dipwb::ui
