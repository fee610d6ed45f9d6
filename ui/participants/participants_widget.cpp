// SPDX-License-Identifier: GPL-3.0-or-later
#include "participants/participants_widget.h"

#include "common/workspace.h"
#include "security/test_ca.h"

#include "mainwindow/emulator_host.h"
#include "participants/participant_loader.h"
#include "participants/participants_model.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>

namespace dipwb::ui {

ParticipantsWidget::ParticipantsWidget(EmulatorHost *host, QWidget *parent)
    : QWidget(parent), m_host(host), m_model(new ParticipantsModel(this)), m_view(new QTableView(this))
{
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAlternatingRowColors(true);

    m_dipId = new QLineEdit(this);
    m_dipId->setPlaceholderText(tr("10 digits"));
    m_role = new QComboBox(this);
    m_role->addItems(participants::knownRoles());
    m_mpid = new QLineEdit(this);
    m_mpid->setPlaceholderText(tr("4 capitals"));
    m_name = new QLineEdit(this);
    m_simulated = new QCheckBox(tr("Simulated by the workbench"), this);
    m_statusWebhook = new QLineEdit(this);
    m_statusWebhook->setPlaceholderText(tr("http://127.0.0.1:9000/status"));
    m_webhooks = new QLineEdit(this);
    m_webhooks->setPlaceholderText(tr("IF-033=http://127.0.0.1:9000/pub, IF-021=…"));
    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color:#c62828"));
    auto *save = new QPushButton(tr("Save"), this);
    auto *remove = new QPushButton(tr("Remove"), this);
    auto *fresh = new QPushButton(tr("New"), this);
    auto *exportCert = new QPushButton(tr("Export certificate…"), this);
    exportCert->setToolTip(tr("The participant's test certificate, key, PFX bundle, CA certificate and API key, "
                              "for its own system (issued from the workspace CA if needed)"));

    auto *form = new QFormLayout;
    form->addRow(tr("DIP id"), m_dipId);
    form->addRow(tr("Role"), m_role);
    form->addRow(tr("MPID"), m_mpid);
    form->addRow(tr("Name"), m_name);
    form->addRow(QString(), m_simulated);
    form->addRow(tr("Status webhook"), m_statusWebhook);
    form->addRow(tr("Webhooks"), m_webhooks);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(fresh);
    buttons->addWidget(exportCert);
    buttons->addStretch(1);
    buttons->addWidget(remove);
    buttons->addWidget(save);
    form->addRow(m_problem);
    form->addRow(buttons);
    auto *formBox = new QWidget(this);
    formBox->setLayout(form);
    formBox->setMaximumWidth(460);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_view, 1);
    layout->addWidget(formBox);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showParticipant(current.row()); });
    connect(save, &QPushButton::clicked, this, &ParticipantsWidget::save);
    connect(remove, &QPushButton::clicked, this, &ParticipantsWidget::remove);
    connect(exportCert, &QPushButton::clicked, this, [this] {
        const QString dipId = m_dipId->text().trimmed();
        if (dipId.isEmpty()) {
            m_problem->setText(tr("Choose a participant first."));
            return;
        }
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Export the certificate of %1 to").arg(dipId));
        if (folder.isEmpty())
            return;
        QString error;
        if (exportCertificate(dipId, folder, &error))
            m_problem->setText(QString());
        else
            m_problem->setText(error);
    });
    connect(fresh, &QPushButton::clicked, this, [this] {
        m_view->clearSelection();
        showParticipant(-1);
        m_dipId->setFocus();
    });
}

bool ParticipantsWidget::exportCertificate(const QString &dipId, const QString &folder, QString *error)
{
    if (!security::WorkspaceCa::isDipIdName(dipId)) {
        *error = tr("'%1' is not a DIP id (10 letters or digits)").arg(dipId);
        return false;
    }
    security::WorkspaceCa ca(Workspace(m_workspaceDir).certificatesDir());
    if (!ca.init(m_host->config().dipId, error))
        return false;
    if (!QFile::exists(ca.participantCertPath(dipId)) && !ca.issue(dipId, error))
        return false;
    const QString target = QDir(folder).filePath(dipId);
    if (!QDir().mkpath(target)) {
        *error = tr("cannot create %1").arg(target);
        return false;
    }
    const QList<QPair<QString, QString>> files{
        {ca.participantCertPath(dipId), QStringLiteral("cert.pem")},
        {ca.participantKeyPath(dipId), QStringLiteral("key.pem")},
        {ca.participantPfxPath(dipId), QStringLiteral("bundle.pfx")},
        {ca.participantApiKeyPath(dipId), QStringLiteral("api-key")},
        {ca.caCertPath(), QStringLiteral("ca-cert.pem")},
    };
    for (const auto &[from, name] : files) {
        const QString to = QDir(target).filePath(name);
        QFile::remove(to);
        if (!QFile::copy(from, to)) {
            *error = tr("cannot copy %1 to %2").arg(from, to);
            return false;
        }
    }
    // The key leaves the workspace's protection: only its owner may read it.
    QFile::setPermissions(QDir(target).filePath(QStringLiteral("key.pem")), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    emit certificateExported(target);
    return true;
}

void ParticipantsWidget::setParticipants(const QList<participants::Participant> &list)
{
    const QString current = m_dipId->text();
    m_model->setParticipants(list);
    m_view->resizeColumnsToContents();
    const int row = m_model->rowOf(current);
    if (row >= 0)
        m_view->selectRow(row);
}

void ParticipantsWidget::select(const QString &dipId)
{
    const int row = m_model->rowOf(dipId);
    if (row >= 0)
        m_view->selectRow(row);
}

void ParticipantsWidget::showParticipant(int row)
{
    const participants::Participant *p = m_model->participant(row);
    const participants::Participant empty;
    const participants::Participant &q = p ? *p : empty;
    m_dipId->setText(q.dipId);
    m_role->setCurrentText(q.role.isEmpty() ? QStringLiteral("SUP") : q.role);
    m_mpid->setText(q.mpid);
    m_name->setText(q.name);
    m_simulated->setChecked(q.simulated);
    m_statusWebhook->setText(q.statusWebhook);
    m_webhooks->setText(ParticipantsModel::webhooksText(q));
    m_problem->clear();
}

void ParticipantsWidget::save()
{
    participants::Participant p;
    if (const auto *existing = m_model->participant(m_model->rowOf(m_dipId->text().trimmed())))
        p = *existing; // keeps what the form does not show (API key)
    p.dipId = m_dipId->text().trimmed();
    p.role = m_role->currentText();
    p.mpid = m_mpid->text().trimmed();
    p.name = m_name->text().trimmed();
    p.simulated = m_simulated->isChecked();
    p.statusWebhook = m_statusWebhook->text().trimmed();
    QString error;
    p.webhooks = ParticipantsModel::parseWebhooks(m_webhooks->text(), &error);
    if (!error.isEmpty()) {
        m_problem->setText(error);
        return;
    }
    QStringList problems;
    for (const Issue &i : participants::validateParticipant(p, tr("participant")))
        problems << i.toString();
    if (!problems.isEmpty()) {
        m_problem->setText(problems.join(QLatin1Char('\n')));
        return;
    }
    m_problem->clear();
    m_host->seedParticipants({p});
}

void ParticipantsWidget::remove()
{
    const QString dipId = m_dipId->text().trimmed();
    if (m_model->rowOf(dipId) >= 0)
        m_host->removeParticipant(dipId);
}

} // namespace dipwb::ui
