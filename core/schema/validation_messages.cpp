// SPDX-License-Identifier: GPL-3.0-or-later
#include "schema/validation_messages.h"

#include "schema/schema_document.h"

#include <algorithm>


namespace dipwb::schema {

namespace {

// The subschema that applies at path, following properties / additionalProperties / items.
const OJson *schemaAt(const OJson &schema, const std::vector<PathStep> &path)
{
    const OJson *node = &schema;
    for (const PathStep &step : path) {
        if (!node->is_object())
            return nullptr;
        if (const auto *name = std::get_if<std::string>(&step)) {
            const auto props = node->find("properties");
            if (props != node->end() && props->contains(*name))
                node = &(*props)[*name];
            else if (node->contains("additionalProperties") && (*node)["additionalProperties"].is_object())
                node = &(*node)["additionalProperties"];
            else
                return nullptr;
        } else {
            const auto items = node->find("items");
            if (items == node->end())
                return nullptr;
            const std::size_t index = std::get<std::size_t>(step);
            if (items->is_array())
                node = index < items->size() ? &(*items)[index] : nullptr;
            else
                node = &*items;
            if (!node)
                return nullptr;
        }
    }
    return node;
}

const OJson *valueAt(const OJson &value, const std::vector<PathStep> &path)
{
    const OJson *node = &value;
    for (const PathStep &step : path) {
        if (const auto *name = std::get_if<std::string>(&step)) {
            if (!node->is_object() || !node->contains(*name))
                return nullptr;
            node = &(*node)[*name];
        } else {
            const std::size_t index = std::get<std::size_t>(step);
            if (!node->is_array() || index >= node->size())
                return nullptr;
            node = &(*node)[index];
        }
    }
    return node;
}

qint64 characters(const std::string &s)
{
    qint64 n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
            ++n;
    return n;
}

QString shown(const OJson &v)
{
    if (v.is_string())
        return QLatin1Char('\'') + qs(v.get<std::string>()) + QLatin1Char('\'');
    return qs(v.dump());
}

QString member(const OJson &v) { return v.is_string() ? qs(v.get<std::string>()) : qs(v.dump()); }

QString number(const OJson &v) { return v.is_number() ? qs(v.dump()) : QStringLiteral("?"); }

QString expectedTypes(const OJson &type)
{
    QStringList names;
    const OJson list = type.is_array() ? type : OJson::array({type});
    for (const OJson &t : list) {
        const std::string n = t.is_string() ? t.get<std::string>() : std::string();
        if (n == "null")
            names << QStringLiteral("null");
        else if (n == "integer" || n == "array" || n == "object")
            names << QStringLiteral("an ") + qs(n);
        else
            names << QStringLiteral("a ") + qs(n);
    }
    return names.join(QStringLiteral(" or "));
}

QString withDataType(QString text, const OJson *schema)
{
    const QString id = schema ? doc::dataTypeId(*schema) : QString();
    return id.isEmpty() ? text : text + QStringLiteral(" (") + id + QLatin1Char(')');
}

QString lengthText(const std::string &rule, const OJson *value, const OJson *schema)
{
    const qint64 len = value && value->is_string() ? characters(value->get<std::string>()) : -1;
    const OJson min = schema && schema->contains("minLength") ? (*schema)["minLength"] : OJson();
    const OJson max = schema && schema->contains("maxLength") ? (*schema)["maxLength"] : OJson();
    QString text;
    if (!min.is_null() && min == max)
        text = QStringLiteral("%1 characters, must be exactly %2").arg(len).arg(number(max));
    else if (rule == "maxLength")
        text = QStringLiteral("%1 characters, must be at most %2").arg(len).arg(number(max));
    else
        text = QStringLiteral("%1 characters, must be at least %2").arg(len).arg(number(min));
    return withDataType(text, schema);
}

QString enumText(const OJson *value, const OJson *schema)
{
    QStringList members;
    std::size_t total = 0;
    if (schema && schema->contains("enum") && (*schema)["enum"].is_array()) {
        const OJson &list = (*schema)["enum"];
        total = list.size();
        for (const OJson &m : list) {
            if (members.size() == 15)
                break;
            members << member(m);
        }
    }
    QString all = members.join(QStringLiteral(", "));
    if (total > std::size_t(members.size()))
        all += QStringLiteral(", ... (%1 values)").arg(total);
    return QStringLiteral("%1 is not one of: %2").arg(value ? shown(*value) : QStringLiteral("the value"), all);
}

QString numberText(const std::string &rule, const OJson *value, const OJson *schema)
{
    const QString v = value ? shown(*value) : QStringLiteral("the value");
    auto bound = [&](const char *key) { return schema && schema->contains(key) ? number((*schema)[key]) : QStringLiteral("?"); };
    if (rule == "minimum")
        return QStringLiteral("%1 is less than the minimum %2").arg(v, bound("minimum"));
    if (rule == "maximum")
        return QStringLiteral("%1 is more than the maximum %2").arg(v, bound("maximum"));
    if (rule == "exclusiveMinimum")
        return QStringLiteral("%1 must be more than %2").arg(v, bound("exclusiveMinimum"));
    if (rule == "exclusiveMaximum")
        return QStringLiteral("%1 must be less than %2").arg(v, bound("exclusiveMaximum"));
    return QStringLiteral("%1 is not a multiple of %2").arg(v, bound("multipleOf"));
}

ValidationError describe(const RawSchemaError &e, const OJson &schemaRoot, const OJson &payload, const QString &root)
{
    const OJson *schema = schemaAt(schemaRoot, e.path);
    const OJson *value = valueAt(payload, e.path);
    const std::string &rule = e.rule;
    ValidationError out{pathText(root, e.path), qs(rule), {}};
    if (rule == "required") {
        out.message = QStringLiteral("required field '%1' is missing").arg(qs(e.detail));
    } else if (rule == "additionalProperties") {
        std::vector<PathStep> field = e.path;
        field.emplace_back(e.detail);
        out.path = pathText(root, field);
        out.message = QStringLiteral("unknown field '%1' (not allowed by the schema)").arg(qs(e.detail));
    } else if (rule == "maxLength" || rule == "minLength") {
        out.message = lengthText(rule, value, schema);
    } else if (rule == "enum") {
        out.message = enumText(value, schema);
    } else if (rule == "pattern") {
        const QString pattern = schema && schema->contains("pattern") ? member((*schema)["pattern"]) : QString();
        out.message = withDataType(QStringLiteral("%1 does not have the required form %2").arg(value ? shown(*value) : QString(), pattern), schema);
    } else if (rule == "type") {
        const QString expected = schema && schema->contains("type") ? expectedTypes((*schema)["type"]) : QStringLiteral("another type");
        out.message = QStringLiteral("%1, must be %2").arg(value ? jsonTypeName(*value) : QStringLiteral("a value"), expected);
    } else if (rule == "minimum" || rule == "maximum" || rule == "exclusiveMinimum" || rule == "exclusiveMaximum"
               || rule == "multipleOf") {
        out.message = numberText(rule, value, schema);
    } else if (rule == "minItems" || rule == "maxItems") {
        const qint64 count = value && value->is_array() ? qint64(value->size()) : -1;
        const QString limit = schema && schema->contains(rule) ? number((*schema)[rule]) : QStringLiteral("?");
        out.message = QStringLiteral("%1 items, must have at %2 %3").arg(count).arg(rule == "minItems" ? QStringLiteral("least") : QStringLiteral("most"), limit);
    } else if (rule == "format") {
        const QString format = schema && schema->contains("format") ? member((*schema)["format"]) : QString();
        out.message = QStringLiteral("%1 is not a valid %2").arg(value ? shown(*value) : QString(), format);
    } else if (rule == "const") {
        out.message = QStringLiteral("must be exactly %1").arg(schema && schema->contains("const") ? shown((*schema)["const"]) : QString());
    } else if (rule == "oneOf") {
        out.message = e.detail.find("exactly one") != std::string::npos
                          ? QStringLiteral("matches more than one of the allowed variants")
                          : QStringLiteral("matches none of the allowed variants");
    } else if (rule == "anyOf") {
        out.message = QStringLiteral("matches none of the allowed alternatives");
    } else {
        out.message = qs(e.detail);
    }
    return out;
}

} // namespace

QString pathText(const QString &root, const std::vector<PathStep> &path)
{
    QString text = root;
    for (const PathStep &step : path) {
        if (const auto *name = std::get_if<std::string>(&step))
            text += QLatin1Char('.') + qs(*name);
        else
            text += QLatin1Char('[') + QString::number(std::get<std::size_t>(step)) + QLatin1Char(']');
    }
    return text;
}

QList<ValidationError> describeErrors(const std::vector<RawSchemaError> &raw, const OJson &schema,
                                      const OJson &payload, const QString &root)
{
    QList<ValidationError> out;
    for (const RawSchemaError &e : raw) {
        ValidationError error = describe(e, schema, payload, root);
        const bool seen = std::any_of(out.cbegin(), out.cend(), [&](const ValidationError &o) {
            return o.path == error.path && o.rule == error.rule && o.message == error.message;
        });
        if (!seen)
            out.append(std::move(error));
    }
    return out;
}

} // namespace dipwb::schema
