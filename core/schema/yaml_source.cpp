// SPDX-License-Identifier: GPL-3.0-or-later
#include "schema/yaml_source.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUrl>

#include <regex>

namespace dipwb::schema {

namespace {

OJson plainScalar(const std::string &s)
{
    static const std::regex intRe("[-+]?[0-9]+");
    static const std::regex floatRe("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
        return nullptr;
    if (s == "true" || s == "True" || s == "TRUE")
        return true;
    if (s == "false" || s == "False" || s == "FALSE")
        return false;
    if (std::regex_match(s, intRe)) {
        try {
            return std::stoll(s);
        } catch (const std::exception &) {
            return s;
        }
    }
    if (std::regex_match(s, floatRe)) {
        try {
            return std::stod(s);
        } catch (const std::exception &) {
            return s;
        }
    }
    return s;
}

bool isQuoted(const YAML::Node &node) { return node.Tag() == "!"; }

OJson convert(const YAML::Node &node, bool keepPlainAsString, const YamlSource::RefHandler &onRef)
{
    switch (node.Type()) {
    case YAML::NodeType::Scalar: {
        const std::string &text = node.Scalar();
        if (isQuoted(node))
            return text;
        OJson value = plainScalar(text);
        return keepPlainAsString && !value.is_null() ? OJson(text) : value;
    }
    case YAML::NodeType::Sequence: {
        OJson list = OJson::array();
        for (const YAML::Node &item : node)
            list.push_back(convert(item, keepPlainAsString, onRef));
        return list;
    }
    case YAML::NodeType::Map: {
        if (onRef) {
            const YAML::Node ref = YamlSource::child(node, "$ref");
            if (ref.IsDefined() && ref.IsScalar())
                return onRef(node, qs(ref.Scalar()));
        }
        const YAML::Node type = YamlSource::child(node, "type");
        const bool stringEnum = type.IsDefined() && type.IsScalar() && type.Scalar() == "string";
        OJson object = OJson::object();
        for (auto it = node.begin(); it != node.end(); ++it) {
            const std::string key = it->first.Scalar();
            object[key] = convert(it->second, stringEnum && key == "enum", onRef);
        }
        return object;
    }
    default: return nullptr;
    }
}

// "/components/schemas/A~1B" -> {"components", "schemas", "A/B"}; also undoes %-escapes.
QStringList pointerSegments(const QString &pointer)
{
    QStringList out;
    const QStringList raw = pointer.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (QString s : raw) {
        s = QUrl::fromPercentEncoding(s.toUtf8());
        s.replace(QStringLiteral("~1"), QStringLiteral("/"));
        s.replace(QStringLiteral("~0"), QStringLiteral("~"));
        out << s;
    }
    return out;
}

} // namespace

YamlSource::YamlSource(QString dir) : m_dir(std::move(dir)) {}

bool YamlSource::exists(const QString &relativePath) const
{
    return QFileInfo(QDir(m_dir).filePath(relativePath)).isFile();
}

const YAML::Node *YamlSource::file(const QString &relativePath, Issues *issues)
{
    auto it = m_files.find(relativePath);
    if (it == m_files.end()) {
        std::optional<YAML::Node> parsed;
        QFile f(QDir(m_dir).filePath(relativePath));
        if (!f.open(QIODevice::ReadOnly)) {
            issues->append(Issue::error(QStringLiteral("SCH002"),
                                        QStringLiteral("cannot read the file: %1").arg(f.errorString()),
                                        relativePath));
        } else {
            try {
                parsed = YAML::Load(f.readAll().toStdString());
            } catch (const YAML::Exception &e) {
                issues->append(Issue::error(
                    QStringLiteral("SCH001"), QStringLiteral("not valid YAML: %1").arg(qs(e.msg)),
                    QStringLiteral("%1:%2:%3").arg(relativePath).arg(e.mark.line + 1).arg(e.mark.column + 1)));
            }
        }
        it = m_files.emplace(relativePath, std::move(parsed)).first;
    }
    return it->second ? &*it->second : nullptr;
}

YamlSource::RefKind YamlSource::locate(const QString &ref, const QString &fromFile, RefTarget *target,
                                       QString *why) const
{
    const qsizetype hash = ref.indexOf(QLatin1Char('#'));
    const QString location = hash < 0 ? ref : ref.left(hash);
    target->pointer = hash < 0 ? QString() : ref.mid(hash + 1);
    if (location.isEmpty()) {
        target->file = fromFile;
        return RefKind::Resolved;
    }
    if (location.startsWith(QLatin1String("http://")) || location.startsWith(QLatin1String("https://"))) {
        // The official files point at their own published copies; the file of the same name in this
        // folder is that copy. Nothing is ever fetched.
        const QString name = QUrl(location).fileName();
        if (name.isEmpty() || !exists(name)) {
            *why = QStringLiteral("web reference skipped: no local file named '%1' in the folder").arg(name);
            return RefKind::SkippedWeb;
        }
        target->file = name;
        return RefKind::Resolved;
    }
    const QString relative = QDir::cleanPath(QFileInfo(fromFile).path() + QLatin1Char('/') + location);
    if (relative.startsWith(QLatin1String("../")) || QDir::isAbsolutePath(relative)) {
        *why = QStringLiteral("points outside the specification folder");
        return RefKind::Dangling;
    }
    if (!exists(relative)) {
        *why = QStringLiteral("the file '%1' does not exist").arg(relative);
        return RefKind::Dangling;
    }
    target->file = relative;
    return RefKind::Resolved;
}

YAML::Node YamlSource::resolve(const RefTarget &target, Issues *issues, QString *why)
{
    const YAML::Node *root = file(target.file, issues);
    if (!root) {
        *why = QStringLiteral("the file '%1' cannot be read").arg(target.file);
        return YAML::Node(YAML::NodeType::Undefined);
    }
    // Node::operator= would write into the document (yaml-cpp assigns through references), so the
    // walk moves with reset() and looks up through const nodes only.
    YAML::Node node;
    node.reset(*root);
    QString walked;
    for (const QString &segment : pointerSegments(target.pointer)) {
        walked += QLatin1Char('/') + segment;
        const YAML::Node current = node;
        YAML::Node next;
        if (current.IsMap()) {
            next.reset(child(current, segment.toUtf8().constData()));
        } else if (current.IsSequence()) {
            bool ok = false;
            const int index = segment.toInt(&ok);
            if (ok && index >= 0 && std::size_t(index) < current.size())
                next.reset(current[std::size_t(index)]);
        }
        if (!next.IsDefined() || (next.IsNull() && !current.IsMap())) {
            *why = QStringLiteral("'%1' does not exist in %2").arg(walked, target.file);
            return YAML::Node(YAML::NodeType::Undefined);
        }
        node.reset(next);
    }
    return node;
}

YAML::Node YamlSource::child(const YAML::Node &node, const char *key)
{
    if (!node.IsDefined() || !node.IsMap())
        return YAML::Node(YAML::NodeType::Undefined);
    const YAML::Node found = node[key];
    return found.IsDefined() ? found : YAML::Node(YAML::NodeType::Undefined);
}

QString YamlSource::where(const QString &file, const YAML::Node &node)
{
    return QStringLiteral("%1:%2").arg(file).arg(node.Mark().line + 1);
}

OJson YamlSource::toJson(const YAML::Node &node, const RefHandler &onRef)
{
    return convert(node, false, onRef);
}

} // namespace dipwb::schema
