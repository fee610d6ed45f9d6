// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "participants/participant.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace dipwb::ui {

class EmulatorHost;
class ParticipantsModel;

/// Lists the participants and edits one: DIP id, role, MPID, name, webhooks. Saving stores it
/// through the emulator (so the running DIP routes to it at once); checks are the loader's.
/// Exports a participant's test certificate for its own system to use.
class ParticipantsWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ParticipantsWidget)
public:
    explicit ParticipantsWidget(EmulatorHost *host, QWidget *parent = nullptr);
    void setParticipants(const QList<participants::Participant> &list);
    ParticipantsModel *model() const { return m_model; }
    /// Selects a participant and shows it in the form.
    void select(const QString &dipId);
    /// The workspace whose test CA issues participants' certificates.
    void setWorkspace(const QString &dir) { m_workspaceDir = dir; }
    /// Copies the participant's certificate, key, PFX bundle, CA certificate and API key into
    /// <folder>/<dipId>, issuing them from the workspace CA first when there are none yet.
    bool exportCertificate(const QString &dipId, const QString &folder, QString *error);

signals:
    /// The certificate went to this folder.
    void certificateExported(const QString &folder);

private:
    void showParticipant(int row);
    void save();
    void remove();

    EmulatorHost *m_host;
    QString m_workspaceDir;
    ParticipantsModel *m_model;
    QTableView *m_view;
    QLineEdit *m_dipId;
    QComboBox *m_role;
    QLineEdit *m_mpid;
    QLineEdit *m_name;
    QCheckBox *m_simulated;
    QLineEdit *m_statusWebhook;
    QLineEdit *m_webhooks;
    QLabel *m_problem;
};

} // namespace dipwb::ui
