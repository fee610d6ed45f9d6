// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/journal_chain.h"

#include <openssl/sha.h>

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
    // OpenSSL's SHA-256 uses the processor's SHA instructions where it has them; every row of the
    // journal is hashed on the writer thread, inside the commit.
    QByteArray text = prevHash;
    text += '|';
    text += journalRowText(e);
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char *>(text.constData()), size_t(text.size()), digest);
    return QByteArray::fromRawData(reinterpret_cast<const char *>(digest), SHA256_DIGEST_LENGTH).toHex();
}

} // namespace dipwb::store
