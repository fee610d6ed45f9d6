// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/json_util.h"

#include <QByteArrayView>

#include <string>
#include <unordered_set>

namespace dipwb::detail {

/// The fast path of parseUntrustedJson(): reads a document that is plainly valid (RFC 8259, UTF-8,
/// no duplicate key, at most maxDepth levels) into out, with the same value types nlohmann's parser
/// gives (non-negative integers unsigned, negative ones signed, the rest double). It returns false
/// for anything else, without saying why, and then the caller's full parser decides and explains;
/// so it may refuse what is valid (a byte-order mark, a number that underflows), never the reverse.
bool readStrictJson(QByteArrayView text, OJson &out, int maxDepth);

/// Whether key is already one of the members (pairs of key and value) of an object being read, for
/// both JSON readers. Small objects (every envelope block and custom block) are searched by
/// comparing, which is cheaper than a hash set with its allocation per key; seen is filled only
/// once an object reaches 32 keys, and must be empty for each new object.
template<typename Members>
bool keyIsTaken(const Members &members, std::unordered_set<std::string> &seen, const std::string &key)
{
    constexpr size_t kLinearKeySearch = 32;
    if (seen.empty() && members.size() < kLinearKeySearch) {
        for (const auto &kv : members)
            if (kv.first == key)
                return true;
        return false;
    }
    if (seen.empty())
        for (const auto &kv : members)
            seen.insert(kv.first);
    return !seen.insert(key).second;
}

} // namespace dipwb::detail
