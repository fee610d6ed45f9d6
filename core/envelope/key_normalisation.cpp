// SPDX-License-Identifier: GPL-3.0-or-later
#include "envelope/envelope_internal.h"
#include "envelope/l1_checks.h"

#include <array>
#include <span>
#include <string_view>

namespace dipwb::envelope {

namespace {

using Names = std::span<const std::string_view>;
using namespace detail;

struct Block
{
    const char *name;
    const char *path;
    Names keys;
};
constexpr Block kBlocks[] = {
    {"S0", "payload.CommonBlock.S0", kS0Keys}, {"S1", "payload.CommonBlock.S1", kS1Keys},
    {"M0", "payload.CommonBlock.M0", kM0Keys}, {"M1", "payload.CommonBlock.M1", kM1Keys},
    {"A0", "payload.CommonBlock.A0", kA0Keys}, {"D0", "payload.CommonBlock.D0", kD0Keys},
    {"R0", "payload.CommonBlock.R0", kR0Keys},
};

int canonicalIndex(const std::string &key, Names names)
{
    for (size_t i = 0; i < names.size(); ++i)
        if (key == names[i])
            return int(i);
    for (size_t i = 0; i < names.size(); ++i)
        if (detail::equalsNoCase(key, names[i]))
            return int(i);
    return -1;
}

// Renames the keys of one object. Nearly every request is already in schema casing, so the first
// loop only compares; the object is rebuilt (in its original order) only when a key must change.
bool normaliseLevel(OJson &obj, Names names, const char *path, QString *pathOut, QString *reason)
{
    auto &map = obj.get_ref<OJson::object_t &>();
    bool rename = false;
    for (const auto &kv : map) {
        const int idx = canonicalIndex(kv.first, names);
        if (idx >= 0 && kv.first != names[size_t(idx)]) {
            rename = true;
            break;
        }
    }
    if (!rename)
        return true;

    std::array<const std::string *, 8> claimedBy{};
    for (const auto &kv : map) {
        const int idx = canonicalIndex(kv.first, names);
        if (idx < 0)
            continue;
        if (const std::string *earlier = claimedBy[size_t(idx)]) {
            *pathOut = QLatin1String(path);
            *reason = QStringLiteral("keys \"%1\" and \"%2\" are the same key %3 once letter case is ignored")
                          .arg(qs(*earlier), qs(kv.first), qs(std::string(names[size_t(idx)])));
            return false;
        }
        claimedBy[size_t(idx)] = &kv.first;
    }

    OJson::object_t fresh;
    fresh.reserve(map.size());
    for (auto &kv : map) {
        const int idx = canonicalIndex(kv.first, names);
        // The vector's own emplace_back: keys are known to be unique here, no search needed.
        if (idx >= 0)
            fresh.emplace_back(std::string(names[size_t(idx)]), std::move(kv.second));
        else
            fresh.emplace_back(kv.first, std::move(kv.second));
    }
    map = std::move(fresh);
    return true;
}

OJson *objectMember(OJson &obj, const char *key)
{
    const auto it = obj.find(key);
    return it != obj.end() && it->is_object() ? &*it : nullptr;
}

} // namespace

bool detail::normaliseKeys(OJson &element, QString *path, QString *reason)
{
    if (!element.is_object())
        return true;
    if (!normaliseLevel(element, kElementKeys, "", path, reason))
        return false;
    OJson *payload = objectMember(element, "payload");
    if (!payload)
        return true;
    if (!normaliseLevel(*payload, kPayloadKeys, "payload", path, reason))
        return false;
    OJson *common = objectMember(*payload, "CommonBlock");
    if (!common)
        return true;
    if (!normaliseLevel(*common, kCommonKeys, "payload.CommonBlock", path, reason))
        return false;
    for (const Block &b : kBlocks) {
        if (OJson *block = objectMember(*common, b.name)) {
            if (!normaliseLevel(*block, b.keys, b.path, path, reason))
                return false;
        }
    }
    return true;
}

bool normaliseKeys(OJson &element, QString *why)
{
    QString path, reason;
    if (detail::normaliseKeys(element, &path, &reason))
        return true;
    if (why)
        *why = path.isEmpty() ? reason : path + QStringLiteral(": ") + reason;
    return false;
}

} // namespace dipwb::envelope
