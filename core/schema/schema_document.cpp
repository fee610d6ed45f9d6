// SPDX-License-Identifier: GPL-3.0-or-later
#include "schema/schema_document.h"

#include <QRegularExpression>

#include <map>
#include <vector>

namespace dipwb::schema::doc {

namespace {

constexpr std::size_t kMaxDepth = 256;

class Inliner
{
public:
    Inliner(const OJson &definitions, QString *error) : m_definitions(definitions), m_error(error) {}

    bool expand(const OJson &node, OJson *out)
    {
        if (m_stack.size() > kMaxDepth)
            return fail(QStringLiteral("references nest more than %1 deep").arg(kMaxDepth));
        if (node.is_array()) {
            *out = OJson::array();
            for (const OJson &item : node) {
                OJson expanded;
                if (!expand(item, &expanded))
                    return false;
                out->push_back(std::move(expanded));
            }
            return true;
        }
        if (!node.is_object()) {
            *out = node;
            return true;
        }
        const auto ref = node.find("$ref");
        if (ref != node.end())
            return expandRef(*ref, out);
        *out = OJson::object();
        for (auto it = node.begin(); it != node.end(); ++it) {
            const std::string &key = it.key();
            // Values, not schemas: a "$ref" inside an enum member is data.
            if (key == "enum" || key == "const" || key == "default" || key == "examples") {
                (*out)[key] = it.value();
                continue;
            }
            OJson expanded;
            if (!expand(it.value(), &expanded))
                return false;
            (*out)[key] = std::move(expanded);
        }
        return true;
    }

private:
    bool fail(const QString &text)
    {
        if (m_error && m_error->isEmpty())
            *m_error = text;
        return false;
    }

    bool expandRef(const OJson &ref, OJson *out)
    {
        const std::string prefix = kDefinitionsPrefix;
        if (!ref.is_string() || ref.get_ref<const std::string &>().rfind(prefix, 0) != 0)
            return fail(QStringLiteral("unsupported reference %1 (only %2<name>)").arg(qs(ref.dump()), qs(prefix)));
        const std::string key = ref.get<std::string>().substr(prefix.size());
        const auto cached = m_done.find(key);
        if (cached != m_done.end()) {
            *out = cached->second;
            return true;
        }
        for (std::size_t i = 0; i < m_stack.size(); ++i) {
            if (m_stack[i] == key) {
                QStringList chain;
                for (std::size_t j = i; j < m_stack.size(); ++j)
                    chain << qs(m_stack[j]);
                chain << qs(key);
                return fail(QStringLiteral("reference cycle: %1").arg(chain.join(QStringLiteral(" -> "))));
            }
        }
        const auto target = m_definitions.find(key);
        if (target == m_definitions.end())
            return fail(QStringLiteral("reference to '%1', which is not defined").arg(qs(key)));
        m_stack.push_back(key);
        OJson expanded;
        const bool ok = expand(*target, &expanded);
        m_stack.pop_back();
        if (!ok)
            return false;
        const auto dot = key.find('.');
        if (expanded.is_object() && !expanded.contains("title") && dot != std::string::npos)
            expanded["title"] = key.substr(dot + 1);
        m_done.emplace(key, expanded);
        *out = std::move(expanded);
        return true;
    }

    const OJson &m_definitions;
    QString *m_error;
    std::vector<std::string> m_stack;
    std::map<std::string, OJson> m_done; // a definition expands the same wherever it is used
};

} // namespace

std::optional<OJson> inlineDefinitions(const OJson &schema, const OJson &definitions, QString *error)
{
    if (!definitions.is_object()) {
        if (error)
            *error = QStringLiteral("\"definitions\" is not an object");
        return std::nullopt;
    }
    Inliner inliner(definitions, error);
    OJson out;
    if (!inliner.expand(schema, &out))
        return std::nullopt;
    return out;
}

QString dataTypeId(const OJson &schema)
{
    static const QRegularExpression re(QStringLiteral("^(DT-\\d{3})N?-"));
    if (!schema.is_object())
        return {};
    const auto title = schema.find("title");
    if (title == schema.end() || !title->is_string())
        return {};
    const QRegularExpressionMatch m = re.match(qs(title->get<std::string>()));
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace dipwb::schema::doc
