// SPDX-License-Identifier: GPL-3.0-or-later
#include "schema/fast_schema_check.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>

namespace dipwb::schema {

namespace {

enum TypeBit : unsigned {
    kNull = 1u << 0,
    kBoolean = 1u << 1,
    kInteger = 1u << 2,
    kNumber = 1u << 3,
    kString = 1u << 4,
    kArray = 1u << 5,
    kObject = 1u << 6,
    kAnyType = 0x7fu,
};

std::optional<unsigned> typeBit(const std::string &name)
{
    if (name == "null")
        return kNull;
    if (name == "boolean")
        return kBoolean;
    if (name == "integer")
        return kInteger;
    if (name == "number")
        return kNumber | kInteger;
    if (name == "string")
        return kString;
    if (name == "array")
        return kArray;
    if (name == "object")
        return kObject;
    return std::nullopt;
}

unsigned instanceBit(const OJson &v)
{
    switch (v.type()) {
    case OJson::value_t::null: return kNull;
    case OJson::value_t::boolean: return kBoolean;
    case OJson::value_t::number_integer:
    case OJson::value_t::number_unsigned: return kInteger;
    case OJson::value_t::number_float: return kNumber;
    case OJson::value_t::string: return kString;
    case OJson::value_t::array: return kArray;
    case OJson::value_t::object: return kObject;
    default: return 0;
    }
}

// Characters as valijson counts them (UTF-8 lead bytes up to the first NUL), so both engines agree.
std::uint64_t utf8Length(const std::string &s)
{
    std::uint64_t n = 0;
    for (char c : s) {
        if (c == 0)
            break;
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
            ++n;
    }
    return n;
}

double asDouble(const OJson &v)
{
    return v.is_number_float() ? v.get<double>()
           : v.is_number_unsigned() ? static_cast<double>(v.get<std::uint64_t>())
                                    : static_cast<double>(v.get<std::int64_t>());
}

// Keywords that never change the outcome (annotations), and formats valijson does not check.
bool isAnnotation(std::string_view key)
{
    return key == "title" || key == "description" || key == "$comment" || key == "default" || key == "examples"
           || key == "$schema" || key == "definitions" || key == "readOnly" || key == "writeOnly";
}

} // namespace

struct FastSchemaCheck::Node
{
    bool alwaysFalse = false;
    unsigned types = kAnyType;
    std::optional<std::uint64_t> minLength, maxLength;
    std::optional<std::regex> pattern;
    bool hasEnum = false;
    bool enumNull = false;
    std::vector<std::string> enumStrings;
    std::optional<double> minimum, maximum;
    bool exclusiveMinimum = false, exclusiveMaximum = false;
    std::optional<double> multipleOfDouble;
    std::optional<std::int64_t> multipleOfInt;
    std::vector<std::pair<std::string, const Node *>> properties;
    std::vector<std::string> required;
    enum class Extra { Any, None, Schema } extra = Extra::Any;
    const Node *extraSchema = nullptr;
    std::optional<std::size_t> minProperties, maxProperties;
    const Node *items = nullptr;
    std::optional<std::size_t> minItems, maxItems;
};

namespace {

using Node = FastSchemaCheck::Node;

bool nonNegative(const OJson &v, std::uint64_t *out)
{
    if (!v.is_number_integer() || (!v.is_number_unsigned() && v.get<std::int64_t>() < 0))
        return false;
    *out = v.get<std::uint64_t>();
    return true;
}

bool checkNode(const Node &n, const OJson &v);

bool checkObject(const Node &n, const OJson &v)
{
    if (n.minProperties && v.size() < *n.minProperties)
        return false;
    if (n.maxProperties && v.size() > *n.maxProperties)
        return false;
    for (const std::string &name : n.required)
        if (!v.contains(name))
            return false;
    for (auto it = v.begin(); it != v.end(); ++it) {
        const Node *child = nullptr;
        for (const auto &[name, node] : n.properties) {
            if (name == it.key()) {
                child = node;
                break;
            }
        }
        if (!child) {
            if (n.extra == Node::Extra::None)
                return false;
            child = n.extra == Node::Extra::Schema ? n.extraSchema : nullptr;
        }
        if (child && !checkNode(*child, it.value()))
            return false;
    }
    return true;
}

bool checkNumber(const Node &n, const OJson &v)
{
    const double d = asDouble(v);
    if (n.minimum && (n.exclusiveMinimum ? d <= *n.minimum : d < *n.minimum))
        return false;
    if (n.maximum && (n.exclusiveMaximum ? d >= *n.maximum : d > *n.maximum))
        return false;
    if (n.multipleOfInt) {
        const std::int64_t i = v.is_number_float() ? static_cast<std::int64_t>(d) : v.get<std::int64_t>();
        if (i != 0 && i % *n.multipleOfInt != 0)
            return false;
    }
    if (n.multipleOfDouble && d != 0
        && std::fabs(std::remainder(d, *n.multipleOfDouble)) > std::numeric_limits<double>::epsilon())
        return false;
    return true;
}

bool checkNode(const Node &n, const OJson &v)
{
    if (n.alwaysFalse)
        return false;
    const unsigned bit = instanceBit(v);
    if (!(n.types & bit))
        return false;
    if (n.hasEnum) {
        bool found = false;
        if (bit == kNull) {
            found = n.enumNull;
        } else if (bit == kString) {
            const std::string &s = v.get_ref<const std::string &>();
            for (const std::string &e : n.enumStrings) {
                if (e == s) {
                    found = true;
                    break;
                }
            }
        }
        if (!found)
            return false;
    }
    switch (bit) {
    case kString: {
        const std::string &s = v.get_ref<const std::string &>();
        if (n.minLength || n.maxLength) {
            const std::uint64_t len = utf8Length(s);
            if ((n.minLength && len < *n.minLength) || (n.maxLength && len > *n.maxLength))
                return false;
        }
        return !n.pattern || std::regex_search(s, *n.pattern);
    }
    case kInteger:
    case kNumber: return checkNumber(n, v);
    case kObject: return checkObject(n, v);
    case kArray:
        if (n.minItems && v.size() < *n.minItems)
            return false;
        if (n.maxItems && v.size() > *n.maxItems)
            return false;
        if (n.items)
            for (const OJson &item : v)
                if (!checkNode(*n.items, item))
                    return false;
        return true;
    default: return true;
    }
}

class Builder
{
public:
    explicit Builder(std::vector<std::unique_ptr<Node>> &nodes) : m_nodes(nodes) {}

    const Node *build(const OJson &s, std::string *why)
    {
        auto owned = std::make_unique<Node>();
        Node *n = owned.get();
        m_nodes.push_back(std::move(owned));
        if (s.is_boolean()) {
            n->alwaysFalse = !s.get<bool>();
            return n;
        }
        if (!s.is_object())
            return fail(why, "a schema that is not an object");
        for (auto it = s.begin(); it != s.end(); ++it) {
            if (!keyword(*n, s, it.key(), it.value(), why))
                return nullptr;
        }
        return n;
    }

private:
    const Node *fail(std::string *why, const std::string &text)
    {
        if (why && why->empty())
            *why = text;
        return nullptr;
    }

    bool keyword(Node &n, const OJson &s, const std::string &key, const OJson &v, std::string *why)
    {
        std::uint64_t count = 0;
        if (isAnnotation(key))
            return true;
        if (key == "format")
            return v.is_string() && v != "date" && v != "time" && v != "date-time"
                   ? true
                   : (fail(why, "format " + v.dump()), false);
        if (key == "type") {
            n.types = 0;
            const OJson list = v.is_array() ? v : OJson::array({v});
            for (const OJson &t : list) {
                const auto b = t.is_string() ? typeBit(t.get<std::string>()) : std::nullopt;
                if (!b)
                    return fail(why, "type " + t.dump()), false;
                n.types |= *b;
            }
            return true;
        }
        if ((key == "minLength" || key == "maxLength") && nonNegative(v, &count)) {
            (key == "minLength" ? n.minLength : n.maxLength) = count;
            return true;
        }
        if ((key == "minItems" || key == "maxItems") && nonNegative(v, &count)) {
            (key == "minItems" ? n.minItems : n.maxItems) = std::size_t(count);
            return true;
        }
        if ((key == "minProperties" || key == "maxProperties") && nonNegative(v, &count)) {
            (key == "minProperties" ? n.minProperties : n.maxProperties) = std::size_t(count);
            return true;
        }
        if (key == "pattern" && v.is_string()) {
            try {
                n.pattern.emplace(v.get<std::string>());
            } catch (const std::regex_error &) {
                return fail(why, "pattern " + v.dump()), false;
            }
            return true;
        }
        if (key == "enum" && v.is_array()) {
            n.hasEnum = true;
            for (const OJson &e : v) {
                if (e.is_null())
                    n.enumNull = true;
                else if (e.is_string())
                    n.enumStrings.push_back(e.get<std::string>());
                else
                    return fail(why, "enum member " + e.dump()), false;
            }
            return true;
        }
        if ((key == "minimum" || key == "maximum") && v.is_number()) {
            const char *exclusive = key == "minimum" ? "exclusiveMinimum" : "exclusiveMaximum";
            if (s.contains(exclusive))
                return fail(why, "both " + key + " and " + exclusive), false;
            (key == "minimum" ? n.minimum : n.maximum) = asDouble(v);
            return true;
        }
        if ((key == "exclusiveMinimum" || key == "exclusiveMaximum") && v.is_number()) {
            const char *inclusive = key == "exclusiveMinimum" ? "minimum" : "maximum";
            if (s.contains(inclusive))
                return fail(why, "both " + key + " and " + inclusive), false;
            const bool min = key == "exclusiveMinimum";
            (min ? n.minimum : n.maximum) = asDouble(v);
            (min ? n.exclusiveMinimum : n.exclusiveMaximum) = true;
            return true;
        }
        if (key == "multipleOf" && v.is_number() && asDouble(v) > 0) {
            if (v.is_number_integer())
                n.multipleOfInt = v.get<std::int64_t>();
            else
                n.multipleOfDouble = v.get<double>();
            return true;
        }
        if (key == "required" && v.is_array()) {
            for (const OJson &name : v) {
                if (!name.is_string())
                    return fail(why, "required " + v.dump()), false;
                n.required.push_back(name.get<std::string>());
            }
            return true;
        }
        if (key == "properties" && v.is_object()) {
            for (auto it = v.begin(); it != v.end(); ++it) {
                const Node *child = build(it.value(), why);
                if (!child)
                    return false;
                n.properties.emplace_back(it.key(), child);
            }
            return true;
        }
        if (key == "additionalProperties") {
            if (v.is_boolean()) {
                n.extra = v.get<bool>() ? Node::Extra::Any : Node::Extra::None;
                return true;
            }
            n.extra = Node::Extra::Schema;
            n.extraSchema = build(v, why);
            return n.extraSchema != nullptr;
        }
        if (key == "items" && (v.is_object() || v.is_boolean())) {
            n.items = build(v, why);
            return n.items != nullptr;
        }
        return fail(why, "keyword " + key), false;
    }

    std::vector<std::unique_ptr<Node>> &m_nodes;
};

} // namespace

FastSchemaCheck::FastSchemaCheck() = default;
FastSchemaCheck::~FastSchemaCheck() = default;

bool FastSchemaCheck::compile(const OJson &schema, std::string *why)
{
    m_nodes.clear();
    Builder builder(m_nodes);
    if (builder.build(schema, why))
        return true;
    m_nodes.clear();
    return false;
}

bool FastSchemaCheck::check(const OJson &instance) const
{
    return m_nodes.empty() || checkNode(*m_nodes.front(), instance);
}

} // namespace dipwb::schema
