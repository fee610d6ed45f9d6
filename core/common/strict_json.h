// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/json_util.h"

#include <QByteArrayView>

namespace dipwb::detail {

/// The fast path of parseUntrustedJson(): reads a document that is plainly valid (RFC 8259, UTF-8,
/// no duplicate key, at most maxDepth levels) into out, with the same value types nlohmann's parser
/// gives (non-negative integers unsigned, negative ones signed, the rest double). It returns false
/// for anything else, without saying why, and then the caller's full parser decides and explains;
/// so it may refuse what is valid (a byte-order mark, a number that underflows), never the reverse.
bool readStrictJson(QByteArrayView text, OJson &out, int maxDepth);

} // namespace dipwb::detail
