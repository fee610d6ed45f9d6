// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/security_settings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

namespace dipwb::ui {

namespace {
const QString kGroup = QStringLiteral("LocalDip/security");
}

dip::SecurityChoices loadSecurityChoices()
{
    dip::SecurityChoices c;
    c.signatures = dip::SignatureMode::Warn;
    QSettings s;
    s.beginGroup(kGroup);
    if (const auto mode = dip::parseSignatureMode(s.value(QStringLiteral("signatures"), QStringLiteral("warn")).toString()))
        c.signatures = *mode;
    c.skewSeconds = std::max(0, s.value(QStringLiteral("skewSeconds"), 300).toInt());
    c.signWebhooks = s.value(QStringLiteral("signWebhooks"), true).toBool();
    c.tls = s.value(QStringLiteral("tls"), false).toBool();
    c.mutualTls = c.tls && s.value(QStringLiteral("mutualTls"), false).toBool();
    c.apiKeys = s.value(QStringLiteral("apiKeys"), false).toBool();
    return c;
}

void saveSecurityChoices(const dip::SecurityChoices &c)
{
    QSettings s;
    s.beginGroup(kGroup);
    s.setValue(QStringLiteral("signatures"), dip::signatureModeName(c.signatures));
    s.setValue(QStringLiteral("skewSeconds"), c.skewSeconds);
    s.setValue(QStringLiteral("signWebhooks"), c.signWebhooks);
    s.setValue(QStringLiteral("tls"), c.tls);
    s.setValue(QStringLiteral("mutualTls"), c.mutualTls);
    s.setValue(QStringLiteral("apiKeys"), c.apiKeys);
}

SecurityDialog::SecurityDialog(const dip::SecurityChoices &c, QWidget *parent)
    : QDialog(parent), m_signatures(new QComboBox(this)), m_skew(new QSpinBox(this)), m_signWebhooks(new QCheckBox(this)),
      m_tls(new QCheckBox(this)), m_mtls(new QCheckBox(this)), m_apiKeys(new QCheckBox(this))
{
    setWindowTitle(tr("Local DIP security"));
    m_signatures->addItem(tr("Require: a bad or missing signature is refused (401), as the DIP does"), int(dip::SignatureMode::Require));
    m_signatures->addItem(tr("Warn: checked and recorded, never refused"), int(dip::SignatureMode::Warn));
    m_signatures->addItem(tr("Off: not checked"), int(dip::SignatureMode::Off));
    m_signatures->setCurrentIndex(std::max(0, m_signatures->findData(int(c.signatures))));
    m_skew->setRange(0, 24 * 3600);
    m_skew->setSuffix(tr(" s"));
    m_skew->setValue(c.skewSeconds);
    m_skew->setToolTip(tr("How far X-DIP-Signature-Date may be from now, either way"));
    m_signWebhooks->setText(tr("Sign every webhook call, as the DIP does"));
    m_signWebhooks->setChecked(c.signWebhooks);
    m_tls->setText(tr("Serve HTTPS (the workspace's emulator server certificate)"));
    m_tls->setChecked(c.tls);
    m_mtls->setText(tr("Require a client certificate from the workspace CA, issued to the sender (mutual TLS)"));
    m_mtls->setChecked(c.mutualTls);
    m_mtls->setEnabled(c.tls);
    connect(m_tls, &QCheckBox::toggled, this, [this](bool on) {
        m_mtls->setEnabled(on);
        if (!on)
            m_mtls->setChecked(false);
    });
    m_apiKeys->setText(tr("Require each sender's X-API-Key (issued with its certificate)"));
    m_apiKeys->setChecked(c.apiKeys);

    auto *form = new QFormLayout;
    form->addRow(tr("Signatures of requests"), m_signatures);
    form->addRow(tr("Allowed clock skew"), m_skew);
    form->addRow(tr("Webhook calls"), m_signWebhooks);
    form->addRow(tr("Transport"), m_tls);
    form->addRow(QString(), m_mtls);
    form->addRow(tr("API keys"), m_apiKeys);
    auto *note = new QLabel(tr("Certificates come from the workspace's test CA (created on first use; "
                               "<tt>dipwb certs issue DIPID</tt> issues participants'). Applying restarts the local DIP."),
                            this);
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
}

dip::SecurityChoices SecurityDialog::choices() const
{
    dip::SecurityChoices c;
    c.signatures = dip::SignatureMode(m_signatures->currentData().toInt());
    c.skewSeconds = m_skew->value();
    c.signWebhooks = m_signWebhooks->isChecked();
    c.tls = m_tls->isChecked();
    c.mutualTls = c.tls && m_mtls->isChecked();
    c.apiKeys = m_apiKeys->isChecked();
    return c;
}

} // namespace dipwb::ui
