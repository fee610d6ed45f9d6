// SPDX-License-Identifier: GPL-3.0-or-later
// valijson reports problems by throwing; every call into it is wrapped so nothing escapes this file.
#define VALIJSON_USE_EXCEPTIONS 1

#include "schema/json_schema_validator.h"

#include "schema/engine_schema_prep.h"
#include "schema/fast_schema_check.h"
#include "schema/ojson_valijson_adapter.h"

#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <array>
#include <charconv>
#include <exception>

namespace dipwb::schema {

namespace {

// valijson says which keyword failed only in its English text; these prefixes map the text back to
// the keyword. An empty keyword marks a wrapper ("property X failed") that only repeats an inner error.
struct RuleText
{
    const char *prefix;
    const char *rule;
};
constexpr std::array kRuleTexts{
    RuleText{"Missing required property", "required"},
    RuleText{"Object contains a property that could not be validated", "additionalProperties"},
    RuleText{"String should be no more than", "maxLength"},
    RuleText{"String should be no fewer than", "minLength"},
    RuleText{"Failed to match regex specified by 'pattern'", "pattern"},
    RuleText{"Failed to match against any enum values", "enum"},
    RuleText{"Value type not permitted by 'type'", "type"},
    RuleText{"Expected number greater than or equal to", "minimum"},
    RuleText{"Expected number greater than", "exclusiveMinimum"},
    RuleText{"Expected number less than or equal to", "maximum"},
    RuleText{"Expected number less than", "exclusiveMaximum"},
    RuleText{"Value should be a multiple of", "multipleOf"},
    RuleText{"Value could not be converted", "multipleOf"},
    RuleText{"Array should contain no fewer than", "minItems"},
    RuleText{"Array should contain no more than", "maxItems"},
    RuleText{"Array contains more items than allowed", "additionalItems"},
    RuleText{"Object should have no fewer than", "minProperties"},
    RuleText{"Object should have no more than", "maxProperties"},
    RuleText{"Elements at indexes", "uniqueItems"},
    RuleText{"Failed to match expected value set by 'const'", "const"},
    RuleText{"Target value and comparison value are not equal", "const"},
    RuleText{"String should be a valid", "format"},
    RuleText{"Target should not validate against schema specified in 'not'", "not"},
    RuleText{"Failed to validate against exactly one child schema", "oneOf"},
    RuleText{"Failed to validate against any child schemas allowed by oneOf", "oneOf"},
    RuleText{"Failed to validate against any schemas allowed by anyOf", "anyOf"},
    RuleText{"Failed to any values against subschema in 'contains'", "contains"},
    RuleText{"Missing dependency", "dependencies"},
    RuleText{"Failed to validate against dependent schema", ""},
    RuleText{"Failed to validate against a conditional schema", ""},
    RuleText{"Failed to validate against child schema", ""},
    RuleText{"Failed to validate against schema associated with", ""},
    RuleText{"Failed to validate against additional properties schema", ""},
    RuleText{"Failed to validate item", ""},
    RuleText{"Cannot validate item", ""},
};

// The quoted name at the end of "Missing required property 'B070'." and of the additionalProperties text.
std::string lastQuoted(const std::string &text)
{
    const auto close = text.rfind('\'');
    if (close == std::string::npos || close == 0)
        return {};
    const auto open = text.rfind('\'', close - 1);
    if (open == std::string::npos)
        return {};
    return text.substr(open + 1, close - open - 1);
}

// valijson's context is {"<root>", "[CommonBlock]", "[0]", ...}: member names and indices look the
// same, so the instance decides which one a step is.
std::vector<PathStep> toPath(const std::vector<std::string> &context, const OJson &instance)
{
    std::vector<PathStep> path;
    const OJson *node = &instance;
    for (std::size_t i = 1; i < context.size(); ++i) {
        const std::string &raw = context[i];
        const std::string step = raw.size() >= 2 && raw.front() == '[' && raw.back() == ']'
                                     ? raw.substr(1, raw.size() - 2)
                                     : raw;
        std::size_t index = 0;
        const auto parsed = std::from_chars(step.data(), step.data() + step.size(), index);
        const bool numeric = !step.empty() && parsed.ec == std::errc() && parsed.ptr == step.data() + step.size();
        if (node && node->is_array() && numeric) {
            path.emplace_back(index);
            node = index < node->size() ? &(*node)[index] : nullptr;
        } else {
            path.emplace_back(step);
            node = node && node->is_object() && node->contains(step) ? &(*node)[step] : nullptr;
        }
    }
    return path;
}

// Each thread validates with its own valijson::Validator because the validator caches compiled
// regular expressions in a plain map; sharing one across threads would race.
valijson::Validator &threadValidator()
{
    thread_local valijson::Validator validator(valijson::Validator::kStrongTypes);
    return validator;
}

} // namespace

struct JsonSchemaValidator::Private
{
    valijson::Schema schema;
    FastSchemaCheck fast;
    bool compiled = false;
    bool hasFast = false;
};

JsonSchemaValidator::JsonSchemaValidator() : d(std::make_unique<Private>()) {}
JsonSchemaValidator::~JsonSchemaValidator() = default;

bool JsonSchemaValidator::compile(const OJson &schema, QString *error, const DocumentLoader &loader)
{
    d = std::make_unique<Private>();
    using Adapter = valijson::adapters::OJsonAdapter;
    try {
        const OJson prepared = prepareForEngine(schema, std::string());
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        if (loader) {
            auto fetch = [&loader](const std::string &uri) -> const OJson * {
                std::optional<OJson> doc = loader(uri);
                return doc ? new OJson(prepareForEngine(*doc, uri)) : nullptr;
            };
            auto release = [](const OJson *doc) { delete doc; };
            parser.populateSchema<Adapter>(Adapter(prepared), d->schema, fetch, release);
        } else {
            parser.populateSchema(Adapter(prepared), d->schema);
        }
        d->compiled = true;
        d->hasFast = d->fast.compile(schema);
        return true;
    } catch (const std::exception &e) {
        d = std::make_unique<Private>();
        if (error)
            *error = QStringLiteral("the schema cannot be compiled: %1").arg(QString::fromUtf8(e.what()));
        return false;
    }
}

bool JsonSchemaValidator::isCompiled() const { return d->compiled; }
bool JsonSchemaValidator::hasFastPath() const { return d->hasFast; }

bool JsonSchemaValidator::isValid(const OJson &instance) const
{
    if (d->hasFast)
        return d->fast.check(instance);
    return isValidByEngine(instance);
}

bool JsonSchemaValidator::isValidByEngine(const OJson &instance) const
{
    if (!d->compiled)
        return true;
    try {
        return threadValidator().validate(d->schema, valijson::adapters::OJsonAdapter(instance), nullptr);
    } catch (const std::exception &) {
        return false;
    }
}

std::vector<RawSchemaError> JsonSchemaValidator::validate(const OJson &instance) const
{
    std::vector<RawSchemaError> out;
    if (!d->compiled)
        return out;
    valijson::ValidationResults results;
    try {
        if (threadValidator().validate(d->schema, valijson::adapters::OJsonAdapter(instance), &results))
            return out;
    } catch (const std::exception &e) {
        out.push_back({{}, "schema", std::string("the value cannot be checked: ") + e.what()});
        return out;
    }
    std::vector<RawSchemaError> wrappers;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        const char *rule = "schema";
        for (const RuleText &known : kRuleTexts) {
            if (error.description.rfind(known.prefix, 0) == 0) {
                rule = known.rule;
                break;
            }
        }
        RawSchemaError raw{toPath(error.context, instance), rule, error.description};
        if (raw.rule == "required" || raw.rule == "additionalProperties")
            raw.detail = lastQuoted(error.description);
        if (raw.rule.empty())
            wrappers.push_back(std::move(raw));
        else
            out.push_back(std::move(raw));
    }
    // A wrapper alone would mean valijson found a problem it did not describe; keep it rather than
    // report a rejected value without a reason.
    if (out.empty()) {
        for (RawSchemaError &w : wrappers) {
            w.rule = "schema";
            out.push_back(std::move(w));
        }
    }
    return out;
}

} // namespace dipwb::schema
