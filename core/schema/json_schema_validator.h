// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/json_util.h"

#include <QString>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace dipwb::schema {

/// One step of a path into a JSON document: an object member name or an array index.
using PathStep = std::variant<std::string, std::size_t>;

/// A schema violation in the engine's own terms, before it is put into words for people.
struct RawSchemaError
{
    std::vector<PathStep> path; ///< from the validated value down to the offending value
    std::string rule;           ///< the JSON Schema keyword: "maxLength", "required", "additionalProperties"...
    std::string detail;         ///< the engine's text; for required / additionalProperties the field name
};

/// A compiled JSON Schema (draft-07): compile once, validate many times.
///
/// The one place that knows the validation engine (valijson); everything else in the schema area goes
/// through this class, so the engine can be replaced. After compile() the object is immutable and
/// validate()/isValid() may be called from any number of threads at once (each thread keeps its own
/// cache of compiled regular expressions).
class JsonSchemaValidator final
{
public:
    /// Returns the document at uri (without fragment), or nullopt when it is unknown. Used for $refs
    /// to other documents; nothing is ever fetched from the network.
    using DocumentLoader = std::function<std::optional<OJson>(const std::string &uri)>;

    JsonSchemaValidator();
    ~JsonSchemaValidator();
    JsonSchemaValidator(const JsonSchemaValidator &) = delete;
    JsonSchemaValidator &operator=(const JsonSchemaValidator &) = delete;

    /// Compiles schema. On failure returns false and sets *error; the validator then rejects nothing.
    bool compile(const OJson &schema, QString *error = nullptr, const DocumentLoader &loader = {});
    bool isCompiled() const;
    /// True when isValid() runs on the allocation-free check (FastSchemaCheck) rather than valijson.
    bool hasFastPath() const;

    /// True when instance conforms; stops at the first violation (the fast path).
    bool isValid(const OJson &instance) const;
    /// Every violation, innermost ones only (the "property X failed" wrappers are left out); always
    /// valijson's verdict, so an empty list here is the reference answer.
    std::vector<RawSchemaError> validate(const OJson &instance) const;
    /// validate() without the fast path's shortcut: valijson's own yes/no (for cross-checking).
    bool isValidByEngine(const OJson &instance) const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace dipwb::schema
