// SPDX-License-Identifier: GPL-3.0-or-later
#include "schema/example_builder.h"

#include "schema/schema_document.h"

#include <algorithm>
#include <cmath>
#include <regex>

namespace dipwb::schema {

namespace {

constexpr const char *kTimestamp = "2024-07-01T00:00:00+01:00";
constexpr const char *kDate = "2024-07-01";

// Pattern sampling: a tiny recursive-descent walk over the regex, taking the shortest choice.
class PatternSampler
{
public:
    explicit PatternSampler(const std::string &p) : m_p(p) {}

    std::optional<std::string> run()
    {
        std::string out;
        if (!alternatives(&out) || m_i != m_p.size())
            return std::nullopt;
        return out;
    }

private:
    bool alternatives(std::string *out)
    {
        std::string first;
        if (!sequence(&first))
            return false;
        while (m_i < m_p.size() && m_p[m_i] == '|') {
            ++m_i;
            std::string other;
            if (!sequence(&other))
                return false;
        }
        *out += first;
        return true;
    }

    bool sequence(std::string *out)
    {
        while (m_i < m_p.size() && m_p[m_i] != '|' && m_p[m_i] != ')') {
            std::string atom;
            if (!this->atom(&atom))
                return false;
            std::size_t min = 1;
            if (!quantifier(&min))
                return false;
            for (std::size_t k = 0; k < min; ++k)
                *out += atom;
        }
        return true;
    }

    bool atom(std::string *out)
    {
        const char c = m_p[m_i++];
        switch (c) {
        case '^':
        case '$': return true;
        case '.': *out = "a"; return true;
        case '\\': {
            if (m_i >= m_p.size())
                return false;
            const char e = m_p[m_i++];
            *out = e == 'd' ? "0" : e == 'w' ? "a" : e == 's' ? " " : std::isalpha(static_cast<unsigned char>(e)) ? "" : std::string(1, e);
            return !out->empty();
        }
        case '[': {
            if (m_i < m_p.size() && m_p[m_i] == '^')
                return false;
            std::string chosen;
            while (m_i < m_p.size() && m_p[m_i] != ']') {
                char ch = m_p[m_i++];
                if (ch == '\\' && m_i < m_p.size())
                    ch = m_p[m_i] == 'd' ? (++m_i, '0') : m_p[m_i++];
                if (chosen.empty())
                    chosen = std::string(1, ch);
            }
            if (m_i >= m_p.size() || chosen.empty())
                return false;
            ++m_i;
            *out = chosen;
            return true;
        }
        case '(': {
            if (m_p.compare(m_i, 2, "?:") == 0)
                m_i += 2;
            if (!alternatives(out) || m_i >= m_p.size() || m_p[m_i] != ')')
                return false;
            ++m_i;
            return true;
        }
        case ')':
        case '|':
        case '*':
        case '+':
        case '?':
        case '{': return false;
        default: *out = std::string(1, c); return true;
        }
    }

    bool quantifier(std::size_t *min)
    {
        if (m_i >= m_p.size())
            return true;
        const char c = m_p[m_i];
        if (c == '?' || c == '*') {
            *min = 0;
            ++m_i;
        } else if (c == '+') {
            *min = 1;
            ++m_i;
        } else if (c == '{') {
            const auto close = m_p.find('}', m_i);
            if (close == std::string::npos)
                return false;
            const std::string body = m_p.substr(m_i + 1, close - m_i - 1);
            try {
                *min = std::stoul(body);
            } catch (const std::exception &) {
                return false;
            }
            m_i = close + 1;
        } else {
            return true;
        }
        if (m_i < m_p.size() && m_p[m_i] == '?') // lazy form: same shortest match
            ++m_i;
        return true;
    }

    const std::string &m_p;
    std::size_t m_i = 0;
};

bool hasType(const OJson &schema, const char *type)
{
    const auto t = schema.find("type");
    if (t == schema.end())
        return false;
    if (t->is_string())
        return *t == type;
    return t->is_array() && std::find(t->begin(), t->end(), OJson(type)) != t->end();
}

std::size_t u8len(const std::string &s)
{
    std::size_t n = 0;
    for (char c : s)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

bool fits(const OJson &schema, const std::string &s)
{
    const std::size_t len = u8len(s);
    if (schema.contains("minLength") && schema["minLength"].is_number() && len < schema["minLength"].get<std::size_t>())
        return false;
    if (schema.contains("maxLength") && schema["maxLength"].is_number() && len > schema["maxLength"].get<std::size_t>())
        return false;
    if (schema.contains("pattern") && schema["pattern"].is_string()) {
        try {
            return std::regex_search(s, std::regex(schema["pattern"].get<std::string>()));
        } catch (const std::regex_error &) {
            return false;
        }
    }
    return true;
}

class Builder
{
public:
    explicit Builder(const SchemaKey &key) : m_key(key) {}

    OJson value(const OJson &schema, const std::string &name, const std::vector<std::string> &path)
    {
        if (!schema.is_object())
            return nullptr;
        if (schema.contains("const"))
            return schema["const"];
        if (path.size() >= 2 && path[path.size() - 2] == "S0" && path[path.size() - 1] == name) {
            if (name == "interfaceID" && !m_key.channel.isEmpty())
                return ss(m_key.channel);
            if (name == "eventCode" && !m_key.eventCode.isEmpty())
                return ss(m_key.eventCode);
            if (name == "schemaVersion" && !m_key.schemaVersion.isEmpty())
                return ss(m_key.schemaVersion);
        }
        // A nullable field is left empty: the smallest payload, and no made-up business value
        // (an estimation reason on an actual reading, say).
        if (hasType(schema, "null"))
            return nullptr;
        if (schema.contains("enum") && schema["enum"].is_array()) {
            for (const OJson &m : schema["enum"])
                if (!m.is_null())
                    return m;
            return nullptr;
        }
        for (const char *combinator : {"oneOf", "anyOf", "allOf"})
            if (schema.contains(combinator) && schema[combinator].is_array() && !schema[combinator].empty())
                return value(schema[combinator][0], name, path);
        if (hasType(schema, "object") || schema.contains("properties"))
            return object(schema, path);
        if (hasType(schema, "array"))
            return array(schema, name, path);
        if (hasType(schema, "string"))
            return string(schema, name);
        if (hasType(schema, "integer") || hasType(schema, "number"))
            return numberValue(schema);
        if (hasType(schema, "boolean"))
            return false;
        return nullptr;
    }

private:
    OJson object(const OJson &schema, std::vector<std::string> path)
    {
        OJson out = OJson::object();
        const OJson required = schema.value("required", OJson::array());
        const OJson properties = schema.value("properties", OJson::object());
        for (auto it = properties.begin(); it != properties.end(); ++it) {
            if (std::find(required.begin(), required.end(), OJson(it.key())) == required.end())
                continue;
            path.push_back(it.key());
            out[it.key()] = value(it.value(), it.key(), path);
            path.pop_back();
        }
        for (const OJson &name : required) {
            if (!name.is_string() || out.contains(name.get<std::string>()))
                continue;
            const OJson extra = schema.value("additionalProperties", OJson(true));
            out[name.get<std::string>()] = extra.is_object() ? value(extra, name.get<std::string>(), path) : OJson(nullptr);
        }
        return out;
    }

    OJson array(const OJson &schema, const std::string &name, const std::vector<std::string> &path)
    {
        OJson out = OJson::array();
        const std::size_t count = schema.value("minItems", std::size_t(0));
        const OJson items = schema.value("items", OJson::object());
        for (std::size_t i = 0; i < count; ++i)
            out.push_back(value(items.is_array() ? (i < items.size() ? items[i] : OJson::object()) : items, name, path));
        return out;
    }

    std::string mpan() const
    {
        const QString first12 = QStringLiteral("200001234567");
        return ss(first12 + QString::number(mpanCheckDigit(first12)));
    }

    OJson string(const OJson &schema, const std::string &name)
    {
        const QString dataType = doc::dataTypeId(schema);
        const QString field = qs(name);
        const QString channelNumber = m_key.channel.isEmpty() ? QStringLiteral("IF-001") : m_key.channel;
        std::vector<std::string> candidates;
        if (dataType == QLatin1String("DT-003"))
            candidates.push_back(kTimestamp);
        else if (dataType == QLatin1String("DT-021"))
            candidates.push_back(kDate);
        else if (dataType == QLatin1String("DT-002") || field.contains(QLatin1String("MPAN"), Qt::CaseInsensitive))
            candidates.push_back(mpan());
        else if (dataType == QLatin1String("DT-006") || field.endsWith(QLatin1String("DIPID")))
            candidates.push_back("1234567890");
        else if (dataType == QLatin1String("DT-009") || field.endsWith(QLatin1String("RoleID")))
            candidates.push_back("SUP");
        else if (dataType == QLatin1String("DT-995") || field == QLatin1String("senderUniqueReference"))
            candidates.push_back(ss(QStringLiteral("S-%1-1234567890-SUP-20240701-000001").arg(channelNumber)));
        else if (dataType == QLatin1String("DT-011"))
            candidates.push_back("CI-20240701-0001");
        else if (dataType == QLatin1String("DT-036"))
            candidates.push_back("test@example.com");
        const std::size_t min = schema.value("minLength", std::size_t(0));
        const std::size_t max = schema.value("maxLength", std::size_t(1000));
        if (min == 25 && max == 25)
            candidates.push_back(kTimestamp);
        if (min == 10 && max == 10 && field.contains(QLatin1String("Date")))
            candidates.push_back(kDate);
        if (schema.contains("pattern") && schema["pattern"].is_string())
            if (const auto sample = sampleForPattern(schema["pattern"].get<std::string>()))
                candidates.push_back(*sample);
        candidates.push_back(std::string(std::min(std::max<std::size_t>(min, 1), max), 'A'));
        for (const std::string &c : candidates)
            if (fits(schema, c))
                return c;
        return candidates.back();
    }

    static OJson numberValue(const OJson &schema)
    {
        const bool integer = hasType(schema, "integer");
        double lo = 0;
        if (schema.contains("minimum") && schema["minimum"].is_number())
            lo = schema["minimum"].get<double>();
        else if (schema.contains("exclusiveMinimum") && schema["exclusiveMinimum"].is_number())
            lo = schema["exclusiveMinimum"].get<double>() + (integer ? 1 : 0.5);
        if (schema.contains("maximum") && schema["maximum"].is_number() && lo > schema["maximum"].get<double>())
            lo = schema["maximum"].get<double>();
        if (schema.contains("multipleOf") && schema["multipleOf"].is_number() && schema["multipleOf"].get<double>() > 0) {
            const double m = schema["multipleOf"].get<double>();
            lo = std::ceil(lo / m) * m;
        }
        if (integer || lo == std::floor(lo))
            return static_cast<std::int64_t>(std::llround(lo));
        return lo;
    }

    SchemaKey m_key;
};

} // namespace

int mpanCheckDigit(const QString &first12)
{
    static const int primes[12] = {3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43};
    int sum = 0;
    for (int i = 0; i < 12 && i < first12.size(); ++i)
        sum += first12.at(i).digitValue() * primes[i];
    return sum % 11 % 10;
}

std::optional<std::string> sampleForPattern(const std::string &pattern)
{
    std::optional<std::string> sample = PatternSampler(pattern).run();
    if (!sample)
        return std::nullopt;
    try {
        if (!std::regex_search(*sample, std::regex(pattern)))
            return std::nullopt;
    } catch (const std::regex_error &) {
        return std::nullopt;
    }
    return sample;
}

OJson buildExample(const OJson &schema, const SchemaKey &key)
{
    Builder builder(key);
    return builder.value(schema, std::string(), {});
}

} // namespace dipwb::schema
