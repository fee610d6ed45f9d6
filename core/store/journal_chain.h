// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/records.h"

namespace dipwb::store {

/// The canonical text of a journal row that its hash covers:
/// "id|atMs|requestId|messageId|deliveryId|stage|status|detail" (decimal numbers, UTF-8 text).
QByteArray journalRowText(const JournalEntry &e);

/// hex(SHA-256(prevHash + "|" + journalRowText(e))): the link of e in the chain.
QByteArray journalRowHash(const QByteArray &prevHash, const JournalEntry &e);

} // namespace dipwb::store
