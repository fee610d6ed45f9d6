#pragma once

#include "common/json_util.h"

#include <QStringList>

namespace dipwb::dip {

/// What the DIP adds to a publication copy on egress.
struct EgressStamp
{
    QStringList primary, secondary, always;   ///< A0, complete
    QString transactionId;                    ///< D0.transactionID of this copy
    qint64 transactionMs = 0;
    QString publicationId;                    ///< "PUB-033"
    QString initialCorrelationId;             ///< empty: null
    bool replay = false;
};

/// The webhook body for one copy: a one-element JSON array holding the message with its
/// CommonBlock blocks in schema order (S0, S1, A0, D0, then the sender's other blocks).
QByteArray egressBody(const OJson &element, const EgressStamp &stamp);
/// The same body with D0.replayIndicator set to true (replay and requeue).
QByteArray markReplay(const QByteArray &egressBody);

} // namespace dipwb::dip
