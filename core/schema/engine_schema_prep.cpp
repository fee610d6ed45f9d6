// SPDX-License-Identifier: GPL-3.0-or-later
#include "schema/engine_schema_prep.h"

#include <QUrl>

#include <functional>
#include <map>

namespace dipwb::schema {

namespace {

// Keywords whose value is one subschema, a list of them, or a map of them.
constexpr const char *kSingle[] = {"additionalItems", "additionalProperties", "contains", "propertyNames", "not", "if", "then", "else", "items"};
constexpr const char *kLists[] = {"allOf", "anyOf", "oneOf", "items"};
constexpr const char *kMaps[] = {"properties", "patternProperties", "definitions", "dependencies"};

std::string escapePointer(const std::string &s)
{
    std::string out;
    for (char c : s) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

std::string withoutFragment(const std::string &uri)
{
    const auto hash = uri.find('#');
    return hash == std::string::npos ? uri : uri.substr(0, hash);
}

// RFC 3986 reference resolution; fragments are joined by hand so JSON pointer escapes stay as written.
std::string resolveUri(const std::string &base, const std::string &ref)
{
    if (ref.empty())
        return base;
    if (ref.front() == '#')
        return withoutFragment(base) + ref;
    if (base.empty())
        return ref;
    const auto hash = ref.find('#');
    const std::string location = hash == std::string::npos ? ref : ref.substr(0, hash);
    const std::string fragment = hash == std::string::npos ? std::string() : ref.substr(hash);
    const QUrl resolved = QUrl(QString::fromStdString(withoutFragment(base))).resolved(QUrl(QString::fromStdString(location)));
    return resolved.toString(QUrl::FullyEncoded).toStdString() + fragment;
}

using Visit = std::function<void(const OJson &child, const std::string &pointer)>;

// Calls visit for every subschema directly below node.
void forEachSubschema(const OJson &node, const std::string &pointer, const Visit &visit)
{
    if (!node.is_object())
        return;
    for (const char *k : kSingle)
        if (node.contains(k) && (node[k].is_object() || node[k].is_boolean()))
            visit(node[k], pointer + "/" + k);
    for (const char *k : kLists)
        if (node.contains(k) && node[k].is_array())
            for (std::size_t i = 0; i < node[k].size(); ++i)
                visit(node[k][i], pointer + "/" + k + "/" + std::to_string(i));
    for (const char *k : kMaps)
        if (node.contains(k) && node[k].is_object())
            for (auto it = node[k].begin(); it != node[k].end(); ++it)
                if (it.value().is_object() || it.value().is_boolean())
                    visit(it.value(), pointer + "/" + k + "/" + escapePointer(it.key()));
}

std::string scopeOf(const OJson &node, const std::string &base)
{
    if (node.is_object() && node.contains("$id") && node["$id"].is_string())
        return resolveUri(base, node["$id"].get<std::string>());
    return base;
}

class Preparer
{
public:
    explicit Preparer(const std::string &documentUri) : m_documentUri(documentUri) {}

    OJson run(const OJson &schema)
    {
        collect(schema, m_documentUri, std::string());
        if (!withoutFragment(m_documentUri).empty())
            m_embedded.emplace(withoutFragment(m_documentUri), std::string());
        return rewrite(schema, m_documentUri, false);
    }

private:
    // Every "$id" in the document, as an absolute URI, with the JSON pointer of its subschema.
    void collect(const OJson &node, const std::string &base, const std::string &pointer)
    {
        const std::string scope = scopeOf(node, base);
        if (scope != base || pointer.empty()) {
            const std::string key = scope.size() && scope.back() == '#' ? scope.substr(0, scope.size() - 1) : scope;
            if (!key.empty())
                m_embedded.emplace(key, pointer);
        }
        forEachSubschema(node, pointer, [&](const OJson &child, const std::string &p) { collect(child, withoutFragment(scope), p); });
    }

    OJson rewrite(const OJson &node, const std::string &base, bool keepBoolean)
    {
        if (node.is_boolean() && !keepBoolean)
            return node.get<bool>() ? OJson::object() : OJson{{"not", OJson::object()}};
        if (!node.is_object())
            return node;
        const std::string scope = withoutFragment(scopeOf(node, base));
        OJson out = node;
        out.erase("$id");
        if (node.contains("$ref") && node["$ref"].is_string())
            out["$ref"] = target(resolveUri(scope, node["$ref"].get<std::string>()), node["$ref"].get<std::string>());
        for (const char *k : kSingle)
            if (node.contains(k) && (node[k].is_object() || node[k].is_boolean()))
                out[k] = rewrite(node[k], scope, std::string(k) == "additionalProperties" || std::string(k) == "additionalItems");
        for (const char *k : kLists)
            if (node.contains(k) && node[k].is_array())
                for (std::size_t i = 0; i < node[k].size(); ++i)
                    out[k][i] = rewrite(node[k][i], scope, false);
        for (const char *k : kMaps)
            if (node.contains(k) && node[k].is_object())
                for (auto it = node[k].begin(); it != node[k].end(); ++it)
                    if (it.value().is_object() || it.value().is_boolean())
                        out[k][it.key()] = rewrite(it.value(), scope, false);
        return out;
    }

    std::string target(const std::string &absolute, const std::string &asWritten) const
    {
        if (const auto whole = m_embedded.find(absolute); whole != m_embedded.end()) // "#foo" style names
            return "#" + whole->second;
        const std::string document = withoutFragment(absolute);
        const std::string fragment = absolute.size() > document.size() ? absolute.substr(document.size() + 1) : std::string();
        if (document.empty())
            return !asWritten.empty() && asWritten.front() == '#' ? "#" + fragment : absolute;
        if (const auto embedded = m_embedded.find(document); embedded != m_embedded.end())
            if (fragment.empty() || fragment.front() == '/')
                return "#" + embedded->second + fragment;
        return absolute;
    }

    std::string m_documentUri;
    std::map<std::string, std::string> m_embedded;
};

} // namespace

OJson prepareForEngine(const OJson &schema, const std::string &documentUri)
{
    return Preparer(documentUri).run(schema);
}

} // namespace dipwb::schema
