// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/journal_chain.h"

#include <QCryptographicHash>

namespace dipwb::store {

QByteArray journalRowText(const JournalEntry &e)
{
    const char sep = '|';
    QByteArray t;
    t.reserve(64 + e.detail.size() * 2);
    t += QByteArray::number(e.id);
    t += sep;
    t += QByteArray::number(e.atMs);
    t += sep;
    t += QByteArray::number(e.requestId);
    t += sep;
    t += QByteArray::number(e.messageId);
    t += sep;
    t += QByteArray::number(e.deliveryId);
    t += sep;
    t += e.stage.toUtf8();
    t += sep;
    t += e.status.toUtf8();
    t += sep;
    t += e.detail.toUtf8();
    return t;
}

QByteArray journalRowHash(const QByteArray &prevHash, const JournalEntry &e)
{
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(prevHash);
    h.addData(QByteArrayView("|"));
    h.addData(journalRowText(e));
    return h.result().toHex();
}

} // namespace dipwb::store
