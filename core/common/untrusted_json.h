// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/json_util.h"

#include <QByteArrayView>
#include <QString>

namespace dipwb {

/// Nesting deeper than this is refused. The envelope and the deepest MHHS payloads stay within
/// about a dozen levels; the limit keeps every recursive walk over a parsed body (serialising,
/// schema validation) far from the end of a thread's stack.
inline constexpr int kMaxJsonDepth = 64;

/// Parses JSON that arrived from outside (a request body) into an ordered value, in time linear in
/// its size. Unlike OJson::parse it refuses duplicate keys in one object (parsers disagree on which
/// one wins, so a recipient could read another value than the one checked), refuses nesting deeper
/// than maxDepth, and does not search the object's keys for each insertion (which made an object
/// of 40,000 keys take seconds). On failure it returns a discarded value and *why says where and
/// why in words: "not valid JSON at byte 7: syntax error ...", "key \"a\" appears twice in one
/// object", "nested deeper than 64 levels at byte 130".
OJson parseUntrustedJson(QByteArrayView text, QString *why = nullptr, int maxDepth = kMaxJsonDepth);

} // namespace dipwb
