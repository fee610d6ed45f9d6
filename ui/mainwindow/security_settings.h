// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "dip/security_setup.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QSpinBox;

namespace dipwb::ui {

/// The local DIP's security as the desktop application keeps it (QSettings group
/// LocalDip/security). The defaults suit a first day: every signature checked and recorded but
/// none refused (warn), webhook calls signed as the DIP signs them, plain HTTP.
dip::SecurityChoices loadSecurityChoices();
void saveSecurityChoices(const dip::SecurityChoices &choices);

/// DIP > Security settings: signature checks, skew, signed webhook calls, HTTPS, mutual TLS, API keys.
class SecurityDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecurityDialog)
public:
    explicit SecurityDialog(const dip::SecurityChoices &current, QWidget *parent = nullptr);
    dip::SecurityChoices choices() const;

    QComboBox *signatures() const { return m_signatures; }
    QCheckBox *tls() const { return m_tls; }
    QCheckBox *mutualTls() const { return m_mtls; }

private:
    QComboBox *m_signatures;
    QSpinBox *m_skew;
    QCheckBox *m_signWebhooks;
    QCheckBox *m_tls;
    QCheckBox *m_mtls;
    QCheckBox *m_apiKeys;
};

} // namespace dipwb::ui
