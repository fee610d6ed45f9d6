// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/json_util.h"

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace dipwb::schema {

/// A yes/no check for the JSON Schema keywords the DIP schemas use, compiled into a plain tree with
/// precompiled regular expressions and no allocation while checking.
///
/// It exists for speed: valijson copies its error context at every node even when nobody asks for
/// errors, which makes a 48-period IF-021 cost about 100 µs. JsonSchemaValidator asks this check
/// first and only goes to valijson for the error report or when compile() refused the schema
/// (a keyword outside the subset, or a $ref). Immutable after compile(); check() is thread-safe.
class FastSchemaCheck final
{
public:
    FastSchemaCheck();
    ~FastSchemaCheck();
    FastSchemaCheck(const FastSchemaCheck &) = delete;
    FastSchemaCheck &operator=(const FastSchemaCheck &) = delete;

    /// False when the schema uses something this check does not implement; the reason in *why.
    bool compile(const OJson &schema, std::string *why = nullptr);
    /// Only meaningful after compile() returned true.
    bool check(const OJson &instance) const;

    struct Node;

private:
    std::vector<std::unique_ptr<Node>> m_nodes; // m_nodes[0] is the root; children point into this list
};

} // namespace dipwb::schema
