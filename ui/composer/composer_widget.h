// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "catalogue/catalogue.h"
#include "participants/participant.h"

#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
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

/// Writes and sends one request: channel and event from the catalogue, a sending participant, a
/// message started from the schema's example (or the bare envelope), edited as JSON with the parse
/// and schema result shown as you type; the DIP's StandardResponse appears below.
class ComposerWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ComposerWidget)
public:
    ComposerWidget(catalogue::CataloguePtr catalogue, std::shared_ptr<const schema::SchemaSet> schemas,
                   QWidget *parent = nullptr);
    ~ComposerWidget() override;

    /// Where sends go; empty disables sending (emulator stopped).
    void setTarget(const QString &baseUrl, const QString &environment);
    void setParticipants(const QList<participants::Participant> &list);

    void selectChannel(const QString &channelId, const QString &eventCode = {});
    void selectSender(const QString &dipId);
    void setPrimaryRecipients(const QString &commaSeparated);
    /// Replaces the editor with a fresh message for the current choices.
    void newFromTemplate();
    void send();

    QPlainTextEdit *editor() const { return m_editor; }
    QPlainTextEdit *responseView() const { return m_response; }
    QPushButton *sendButton() const { return m_send; }

signals:
    /// A send was answered: HTTP status (0 when none), and the answer's body.
    void answered(int httpStatus, const QByteArray &body);

private:
    void fillEvents();
    void checkEditor();
    const participants::Participant *currentSender() const;

    catalogue::CataloguePtr m_catalogue;
    std::shared_ptr<const schema::SchemaSet> m_schemas;
    QList<participants::Participant> m_participants;
    QString m_baseUrl;
    QString m_environment = QStringLiteral("SIT");
    std::unique_ptr<dip::DipClient> m_client;
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
