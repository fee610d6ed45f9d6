// SPDX-License-Identifier: GPL-3.0-or-later
#include "schema/openapi_translate.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace dipwb::schema {

namespace {

constexpr std::array<std::string_view, 7> kOpenApiOnly{
    "example", "xml", "discriminator", "readOnly", "writeOnly", "deprecated", "externalDocs"};

// Keywords whose value is a schema, a list of schemas or a map of schemas. Only these are descended
// into, so that a property *named* "example" or "nullable" is left alone.
constexpr std::array<std::string_view, 6> kSchemaValued{"additionalProperties", "items", "not", "if", "then", "else"};
constexpr std::array<std::string_view, 3> kSchemaLists{"allOf", "anyOf", "oneOf"};
constexpr std::array<std::string_view, 3> kSchemaMaps{"properties", "patternProperties", "definitions"};

template<typename Set>
bool in(const Set &set, std::string_view key)
{
    for (std::string_view k : set)
        if (k == key)
            return true;
    return false;
}

template<typename J>
J translate(const J &in_)
{
    if (!in_.is_object())
        return in_;
    J out = J::object();
    for (auto it = in_.begin(); it != in_.end(); ++it) {
        const std::string &key = it.key();
        const J &value = it.value();
        if (in(kOpenApiOnly, key) || key.rfind("x-", 0) == 0 || key == "nullable")
            continue;
        if (key == "exclusiveMinimum" || key == "exclusiveMaximum") {
            if (value.is_boolean()) {
                const char *bound = key == "exclusiveMinimum" ? "minimum" : "maximum";
                if (value.template get<bool>() && in_.contains(bound))
                    out[key] = in_[bound];
            } else {
                out[key] = value;
            }
            continue;
        }
        if ((key == "minimum" || key == "maximum")) {
            const char *flag = key == "minimum" ? "exclusiveMinimum" : "exclusiveMaximum";
            if (in_.contains(flag) && in_[flag].is_boolean() && in_[flag].template get<bool>())
                continue; // moved into the exclusive keyword above
        }
        if (in(kSchemaValued, key) && (value.is_object())) {
            out[key] = translate(value);
        } else if ((in(kSchemaLists, key) || key == "items") && value.is_array()) {
            J list = J::array();
            for (const J &item : value)
                list.push_back(translate(item));
            out[key] = std::move(list);
        } else if (in(kSchemaMaps, key) && value.is_object()) {
            J map = J::object();
            for (auto m = value.begin(); m != value.end(); ++m)
                map[m.key()] = translate(m.value());
            out[key] = std::move(map);
        } else {
            out[key] = value;
        }
    }
    const auto nullable = in_.find("nullable");
    if (nullable != in_.end() && nullable->is_boolean() && nullable->template get<bool>()) {
        auto type = out.find("type");
        if (type != out.end() && type->is_string()) {
            if (type->template get<std::string>() != "null")
                *type = J::array({*type, "null"});
        } else if (type != out.end() && type->is_array()) {
            if (std::find(type->begin(), type->end(), J("null")) == type->end())
                type->push_back("null");
        }
        auto values = out.find("enum");
        if (values != out.end() && values->is_array()
            && std::find(values->begin(), values->end(), J(nullptr)) == values->end())
            values->push_back(nullptr);
    }
    return out;
}

} // namespace

nlohmann::json translateOpenApiSchema(const nlohmann::json &openApiSchema) { return translate(openApiSchema); }
OJson translateOpenApiSchema(const OJson &openApiSchema) { return translate(openApiSchema); }

} // namespace dipwb::schema
