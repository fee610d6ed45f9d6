// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "catalogue/catalogue.h"
#include "common/json_util.h"
#include "participants/participant.h"

namespace dipwb::schema {
class SchemaSet;
}

namespace dipwb::tracker {

/// What a new message starts from in the composer.
struct TemplateRequest
{
    const catalogue::ChannelDef *channel = nullptr;
    QString eventCode;                     ///< "[MSAppSPRequest]"
    participants::Participant sender;
    QString environment = QStringLiteral("SIT");
    QString mpan = QStringLiteral("1012345678904");
    QString distributorDipId = QStringLiteral("2500000033");
    QStringList primaryRecipients;
    qint64 nowMs = 0;
    const schema::SchemaSet *schemas = nullptr; ///< when it has the event: its minimal valid example
};

/// One message element {"payload":{...}}: the envelope filled for the sender (fresh sender unique
/// reference, DT-003 timestamp), and a CustomBlock from the schema example when one is known, else
/// empty for the user to fill.
OJson messageTemplate(const TemplateRequest &r);

/// "S-IF-033-<10 hex>-ROLE-YYYYMMDD-<alnum>" for that sender.
QString senderUniqueReference(const QString &channel, const QString &senderDipId, const QString &role, qint64 nowMs);

} // namespace dipwb::tracker
