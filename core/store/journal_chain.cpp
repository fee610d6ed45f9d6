// SPDX-License-Identifier: GPL-3.0-or-later
#include "store/journal_chain.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <memory>

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
    // SHA256() looks the algorithm up in OpenSSL 3's provider tables on every call (a lock and a
    // search, half of its time for a short row); each thread fetches it once and keeps a context.
    thread_local const std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> md(EVP_MD_fetch(nullptr, "SHA256", nullptr), &EVP_MD_free);
    thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    unsigned char digest[SHA256_DIGEST_LENGTH];
    unsigned int length = 0;
    if (!md || !ctx || !EVP_DigestInit_ex2(ctx.get(), md.get(), nullptr)
        || !EVP_DigestUpdate(ctx.get(), text.constData(), size_t(text.size())) || !EVP_DigestFinal_ex(ctx.get(), digest, &length))
        SHA256(reinterpret_cast<const unsigned char *>(text.constData()), size_t(text.size()), digest);
    return QByteArray::fromRawData(reinterpret_cast<const char *>(digest), SHA256_DIGEST_LENGTH).toHex();
}

} // namespace dipwb::store
