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

/// Renders the webhook bodies of one message: a one-element JSON array holding the message with
/// its CommonBlock blocks in schema order (S0, S1, A0, D0, then the sender's other blocks).
/// Copies to different recipients differ only in D0.transactionID, so everything else is
/// serialised once here and each copy is spliced together from the parts (the hot path of a
/// fan-out: one dump per message instead of one deep copy and dump per recipient).
class EgressRenderer final
{
public:
    /// stamp.transactionId is ignored: each copy names its own in render().
    EgressRenderer(const OJson &element, const EgressStamp &stamp);
    QByteArray render(const QString &transactionId) const;
    /// The element itself as compact JSON, exactly element.dump(): put together from the same
    /// serialised blocks, so storing the message costs no second dump.
    const QByteArray &elementJson() const { return m_element; }

private:
    QByteArray m_head;     ///< up to and including "D0":{"transactionID":
    QByteArray m_tail;     ///< from ,"transactionTimestamp" to the end
    QByteArray m_element;  ///< the element as received (normalised)
};

/// One copy's body (EgressRenderer for a single recipient).
QByteArray egressBody(const OJson &element, const EgressStamp &stamp);
/// The same body with D0.replayIndicator set to true (replay and requeue).
QByteArray markReplay(const QByteArray &egressBody);

} // namespace dipwb::dip
