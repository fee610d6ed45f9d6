// SPDX-License-Identifier: GPL-3.0-or-later
#include "schema/builtin_schema_source.h"

#include "schema/schema_document.h"
#include "schema/schema_set.h"

#include <QFile>
#include <QLoggingCategory>

namespace dipwb::schema {

Q_DECLARE_LOGGING_CATEGORY(lcSchema)

namespace {

constexpr const char *kValuePrefix = "value.";
constexpr const char *kBlockPrefix = "block.";
constexpr const char *kPayloadPrefix = "payload.";

class Expander
{
public:
    Expander(const OJson &source, const QString &origin, Issues *issues)
        : m_source(source), m_origin(origin), m_issues(issues)
    {
    }

    std::optional<OJson> run()
    {
        if (!m_source.is_object() || stringAt(m_source, "format") != QLatin1String(kBuiltinSourceFormat))
            return fail(QStringLiteral("not a built-in schema source (\"format\" is not \"%1\")").arg(QLatin1String(kBuiltinSourceFormat)), {});
        const OJson version = m_source.value("formatVersion", OJson());
        if (!version.is_number_integer() || version.get<int>() != 1)
            return fail(QStringLiteral("unsupported formatVersion %1 (this program reads 1)").arg(qs(version.dump())), {});
        m_values = m_source.value("values", OJson());
        m_blocks = m_source.value("blocks", OJson());
        const OJson payloads = m_source.value("payloads", OJson());
        if (!m_values.is_object() || !m_blocks.is_object() || !payloads.is_array())
            return fail(QStringLiteral("\"values\", \"blocks\" and \"payloads\" must all be present"), {});
        if (stringAt(m_source, "specVersion").isEmpty())
            return fail(QStringLiteral("\"specVersion\" is missing"), {});

        OJson definitions = OJson::object();
        for (auto it = m_values.begin(); it != m_values.end(); ++it)
            definitions[kValuePrefix + it.key()] = value(it.key(), it.value());
        for (auto it = m_blocks.begin(); it != m_blocks.end(); ++it)
            definitions[kBlockPrefix + it.key()] = block(it.key(), it.value());
        OJson events = OJson::array();
        OJson schemas = OJson::object();
        for (std::size_t i = 0; i < payloads.size(); ++i)
            payload(payloads[i], QStringLiteral("payloads[%1]").arg(i), &definitions, &schemas, &events);
        if (!m_ok)
            return std::nullopt;
        return OJson{{"format", doc::kFormat},
                     {"formatVersion", doc::kFormatVersion},
                     {"specVersion", m_source["specVersion"]},
                     {"source", m_source.value("source", OJson(""))},
                     {"events", std::move(events)},
                     {"schemas", std::move(schemas)},
                     {"definitions", std::move(definitions)}};
    }

private:
    std::nullopt_t fail(const QString &text, const QString &where)
    {
        m_issues->append(Issue::error(QStringLiteral("SCH013"), text,
                                      where.isEmpty() ? m_origin : m_origin + QStringLiteral(": ") + where));
        m_ok = false;
        return std::nullopt;
    }

    OJson ref(const std::string &name, const QString &where)
    {
        const bool isValue = m_values.contains(name);
        const bool isBlock = m_blocks.contains(name);
        if (isValue == isBlock)
            fail(isValue ? QStringLiteral("'%1' names both a value and a block").arg(qs(name))
                         : QStringLiteral("'%1' is neither a value nor a block").arg(qs(name)),
                 where);
        return OJson{{"$ref", std::string(doc::kDefinitionsPrefix) + (isBlock ? kBlockPrefix : kValuePrefix) + name}};
    }

    // A schema where a string names a value or a block; under "items" and "properties" too.
    OJson schema(const OJson &node, const QString &where)
    {
        if (node.is_string())
            return ref(node.get<std::string>(), where);
        if (!node.is_object()) {
            fail(QStringLiteral("expected a name or a schema object, found %1").arg(jsonTypeName(node)), where);
            return OJson::object();
        }
        OJson out = node;
        if (const auto items = node.find("items"); items != node.end())
            out["items"] = schema(*items, where + QStringLiteral(".items"));
        return out;
    }

    OJson value(const std::string &name, const OJson &node)
    {
        const QString where = QStringLiteral("values.%1").arg(qs(name));
        if (!node.is_object()) {
            fail(QStringLiteral("a value is a schema object"), where);
            return OJson::object();
        }
        OJson out = schema(node, where);
        // The data type id leads the title, where error texts ("... (DT-003)") and examples look.
        if (const auto dataType = out.find("dataType"); dataType != out.end()) {
            if (dataType->is_string())
                out["title"] = dataType->get<std::string>() + "-" + name;
            else
                fail(QStringLiteral("\"dataType\" must be a string such as \"DT-003\""), where);
            out.erase("dataType");
        }
        return out;
    }

    OJson block(const std::string &name, const OJson &node)
    {
        const QString where = QStringLiteral("blocks.%1").arg(qs(name));
        const OJson fields = node.is_object() ? node.value("fields", OJson()) : OJson();
        if (!fields.is_object()) {
            fail(QStringLiteral("a block needs \"fields\" (an object)"), where);
            return OJson::object();
        }
        OJson properties = OJson::object();
        OJson required = OJson::array();
        for (auto it = fields.begin(); it != fields.end(); ++it) {
            const auto [field, optional] = splitOptional(it.key());
            properties[field] = schema(it.value(), where + QStringLiteral(".fields.") + qs(it.key()));
            if (!optional)
                required.push_back(field);
        }
        return object(std::move(properties), std::move(required), !node.value("open", false));
    }

    void payload(const OJson &p, const QString &where, OJson *definitions, OJson *schemas, OJson *events)
    {
        const QString channel = stringAt(p, "channel");
        const QString version = stringAt(p, "schemaVersion");
        const OJson codes = p.is_object() ? p.value("events", OJson()) : OJson();
        if (channel.isEmpty() || version.isEmpty() || !codes.is_array() || codes.empty()) {
            fail(QStringLiteral("a payload needs \"channel\", \"schemaVersion\" and a non-empty \"events\" list"), where);
            return;
        }
        QString name = stringAt(p, "name");
        if (name.isEmpty() && codes.size() == 1 && codes[0].is_string())
            name = channel + QLatin1Char('-') + qs(codes[0].get<std::string>()).remove(QLatin1Char('[')).remove(QLatin1Char(']'));
        if (name.isEmpty()) {
            fail(QStringLiteral("a payload with several events needs a \"name\""), where);
            return;
        }
        const std::string key = kPayloadPrefix + ss(name);
        if (definitions->contains(key)) {
            fail(QStringLiteral("the payload name '%1' is used twice").arg(name), where);
            return;
        }
        OJson s0 = object(OJson{{"interfaceID", oneOf(OJson::array({ss(channel)}))},
                                {"schemaVersion", oneOf(OJson::array({ss(version)}))},
                                {"eventCode", oneOf(codes)}},
                          OJson::array({"interfaceID", "schemaVersion", "eventCode"}), !p.value("openS0", false));
        OJson common = part(p.value("commonBlock", OJson()), &s0, where + QStringLiteral(".commonBlock"));
        OJson custom = part(p.value("customBlock", OJson()), nullptr, where + QStringLiteral(".customBlock"));
        (*definitions)[key] = object(OJson{{"CommonBlock", std::move(common)}, {"CustomBlock", std::move(custom)}},
                                     OJson::array({"CommonBlock", "CustomBlock"}), true);
        (*schemas)[ss(name)] = std::string(doc::kDefinitionsPrefix) + key;
        for (const OJson &code : codes) {
            if (!code.is_string()) {
                fail(QStringLiteral("event codes are strings such as \"[MSAppSPRequest]\""), where + QStringLiteral(".events"));
                continue;
            }
            events->push_back(OJson{{"channel", ss(channel)}, {"eventCode", code}, {"schemaVersion", ss(version)},
                                    {"schemaName", ss(name)}});
        }
    }

    // CommonBlock or CustomBlock: a list of block names, "BnnnList" an array of Bnnn.
    OJson part(const OJson &list, const OJson *s0, const QString &where)
    {
        OJson properties = OJson::object();
        OJson required = OJson::array();
        if (!list.is_array()) {
            fail(QStringLiteral("expected a list of block names"), where);
            return OJson::object();
        }
        for (std::size_t i = 0; i < list.size(); ++i) {
            const QString at = QStringLiteral("%1[%2]").arg(where).arg(i);
            const OJson &entry = list[i];
            const OJson name = entry.is_object() ? entry.value("field", OJson()) : entry;
            if (!name.is_string()) {
                fail(QStringLiteral("expected a block name or {\"field\": name, ...}"), at);
                continue;
            }
            const auto [field, optional] = splitOptional(name.get<std::string>());
            OJson member;
            if (field == "S0" && s0) {
                member = *s0;
            } else if (field.size() > 4 && field.ends_with("List")) {
                member = OJson{{"type", "array"}, {"items", ref(field.substr(0, field.size() - 4), at)}};
                if (entry.is_object())
                    for (auto it = entry.begin(); it != entry.end(); ++it)
                        if (it.key() != "field")
                            member[it.key()] = it.value();
            } else {
                member = ref(field, at);
            }
            properties[field] = std::move(member);
            if (!optional)
                required.push_back(field);
        }
        return object(std::move(properties), std::move(required), true);
    }

    static std::pair<std::string, bool> splitOptional(const std::string &name)
    {
        if (!name.empty() && name.back() == '?')
            return {name.substr(0, name.size() - 1), true};
        return {name, false};
    }

    static OJson oneOf(const OJson &members) { return OJson{{"type", "string"}, {"enum", members}}; }

    static OJson object(OJson properties, OJson required, bool closed)
    {
        OJson out{{"type", "object"}};
        if (closed)
            out["additionalProperties"] = false;
        out["properties"] = std::move(properties);
        if (!required.empty())
            out["required"] = std::move(required);
        return out;
    }

    const OJson &m_source;
    const QString m_origin;
    Issues *m_issues;
    OJson m_values;
    OJson m_blocks;
    bool m_ok = true;
};

} // namespace

std::optional<OJson> expandBuiltinSource(const OJson &source, const QString &origin, Issues *issues)
{
    Issues local;
    return Expander(source, origin, issues ? issues : &local).run();
}

std::shared_ptr<const SchemaSet> SchemaSet::fromBuiltinSource(const QByteArray &json, const QString &origin, Issues *issues)
{
    Issues local;
    Issues *out = issues ? issues : &local;
    const OJson source = OJson::parse(json.constBegin(), json.constEnd(), nullptr, false);
    if (source.is_discarded()) {
        out->append(Issue::error(QStringLiteral("SCH013"), QStringLiteral("not a JSON document"), origin));
        return nullptr;
    }
    const std::optional<OJson> document = expandBuiltinSource(source, origin, out);
    if (!document)
        return nullptr;
    try {
        return build(*document, origin, out);
    } catch (const std::exception &e) {
        out->append(Issue::error(QStringLiteral("SCH013"), QStringLiteral("unusable source: %1").arg(QString::fromUtf8(e.what())), origin));
        return nullptr;
    }
}

std::shared_ptr<const SchemaSet> SchemaSet::builtIn()
{
    // A function-local static is built once, and safely when several threads ask at the same time.
    static const std::shared_ptr<const SchemaSet> set = [] {
        QFile f(QStringLiteral(":/dipwb/catalogue/builtin-schemas.json"));
        if (!f.open(QIODevice::ReadOnly))
            qFatal("built-in payload schemas resource missing");
        Issues issues;
        auto s = fromBuiltinSource(f.readAll(), f.fileName(), &issues);
        for (const Issue &i : std::as_const(issues))
            qCCritical(lcSchema) << i.toString();
        if (!s)
            qFatal("built-in payload schemas do not load");
        return s;
    }();
    return set;
}

} // namespace dipwb::schema
