// SPDX-License-Identifier: GPL-3.0-or-later
#include "schema/spec_importer.h"

#include "schema/openapi_translate.h"
#include "schema/schema_document.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>

namespace dipwb::schema {

namespace {

const QString kEventsFile = QStringLiteral("Interfaces-EventCodes-unresolved.yaml");
const QString kSubmitFile = QStringLiteral("SubmitEvents-unresolved.yaml");
const QString kResponseCodesFile = QStringLiteral("ResponseCodes-unresolved.yaml");
const QString kSchemasPointer = QStringLiteral("/components/schemas/");

QString scalarAt(const YAML::Node &root, std::initializer_list<const char *> path)
{
    YAML::Node node;
    node.reset(root);
    for (const char *step : path) {
        node.reset(YamlSource::child(node, step));
        if (!node.IsDefined())
            return {};
    }
    return node.IsScalar() ? qs(node.Scalar()) : QString();
}

QStringList stringEnum(const OJson &schema)
{
    QStringList out;
    if (!schema.is_object() || !schema.contains("enum") || !schema["enum"].is_array())
        return out;
    for (const OJson &v : schema["enum"])
        if (v.is_string())
            out << qs(v.get<std::string>());
    return out;
}

const OJson *child(const OJson &schema, std::initializer_list<const char *> properties)
{
    const OJson *node = &schema;
    for (const char *name : properties) {
        if (!node->is_object() || !node->contains("properties") || !(*node)["properties"].contains(name))
            return nullptr;
        node = &(*node)["properties"][name];
    }
    return node;
}

} // namespace

SpecImporter::SpecImporter(const QString &dir) : m_dir(dir), m_source(dir) {}

QString SpecImporter::keyFor(const RefTarget &target)
{
    const QString id = target.file + QLatin1Char('#') + target.pointer;
    if (const auto it = m_keyByTarget.constFind(id); it != m_keyByTarget.constEnd())
        return *it;
    QString stem = target.file;
    stem.remove(QRegularExpression(QStringLiteral("(-unresolved)?\\.ya?ml$")));
    QString name = target.pointer.startsWith(kSchemasPointer)
                       ? target.pointer.mid(kSchemasPointer.size())
                       : target.pointer.split(QLatin1Char('/'), Qt::SkipEmptyParts).join(QLatin1Char('.'));
    // Keys become JSON pointer segments ("#/definitions/<key>"): keep them free of '/' and '~'.
    QString key = stem + QLatin1Char('.') + name;
    key.replace(QLatin1Char('/'), QLatin1Char('_')).replace(QLatin1Char('~'), QLatin1Char('_'));
    const QString base = key;
    for (int n = 2; m_defs.contains(key); ++n)
        key = base + QLatin1Char('_') + QString::number(n);
    m_keyByTarget.insert(id, key);
    m_defs.insert(key, Definition{target, {}, {}});
    m_queue << key;
    return key;
}

OJson SpecImporter::refTo(const QString &ownerKey, const QString &file, const YAML::Node &mapping, const QString &ref)
{
    const QString where = YamlSource::where(file, YamlSource::child(mapping, "$ref"));
    RefTarget target;
    QString why;
    switch (m_source.locate(ref, file, &target, &why)) {
    case YamlSource::RefKind::SkippedWeb:
        if (!m_reportedSkips.contains(ref)) {
            m_reportedSkips.insert(ref);
            m_result->issues.append(Issue::warning(QStringLiteral("SCH005"),
                                                   QStringLiteral("$ref '%1': %2; accepted as any value").arg(ref, why), where));
        }
        return OJson{{"$comment", ss(QStringLiteral("unresolved web reference ") + ref)}};
    case YamlSource::RefKind::Dangling:
        m_result->issues.append(Issue::error(QStringLiteral("SCH003"), QStringLiteral("$ref '%1' does not resolve: %2").arg(ref, why), where));
        return OJson::object();
    case YamlSource::RefKind::Resolved: break;
    }
    const YAML::Node node = m_source.resolve(target, &m_result->issues, &why);
    if (!node.IsDefined()) {
        m_result->issues.append(Issue::error(QStringLiteral("SCH003"), QStringLiteral("$ref '%1' does not resolve: %2").arg(ref, why), where));
        return OJson::object();
    }
    const QString key = keyFor(target);
    if (!ownerKey.isEmpty()) {
        Definition &owner = m_defs[ownerKey];
        if (!owner.sites.contains(key)) {
            owner.refs << key;
            owner.sites.insert(key, RefSite{where, ref});
        }
    }
    return OJson{{"$ref", doc::kDefinitionsPrefix + ss(key)}};
}

void SpecImporter::convert(const QString &key)
{
    const RefTarget target = m_defs.value(key).target;
    QString why;
    const YAML::Node node = m_source.resolve(target, &m_result->issues, &why);
    if (!node.IsDefined())
        return; // reported where it was referenced
    const OJson openApi = YamlSource::toJson(node, [&](const YAML::Node &mapping, const QString &ref) {
        return refTo(key, target.file, mapping, ref);
    });
    m_definitions[ss(key)] = translateOpenApiSchema(openApi);
}

bool SpecImporter::findCycle(const QString &key, QStringList *stack, QSet<QString> *done)
{
    if (done->contains(key))
        return false;
    if (const qsizetype at = stack->indexOf(key); at >= 0) {
        const QString from = stack->last();
        const RefSite site = m_defs.value(from).sites.value(key);
        QStringList chain = stack->mid(at);
        chain << key;
        m_result->issues.append(Issue::error(
            QStringLiteral("SCH004"),
            QStringLiteral("$ref '%1' closes a reference cycle: %2").arg(site.text, chain.join(QStringLiteral(" -> "))),
            site.where));
        return true;
    }
    stack->append(key);
    bool cycle = false;
    const QStringList refs = m_defs.value(key).refs;
    for (const QString &next : refs) {
        if (findCycle(next, stack, done)) {
            cycle = true;
            break;
        }
    }
    stack->removeLast();
    if (!cycle)
        done->insert(key);
    return cycle;
}

void SpecImporter::collectEvents(const QString &channel, const QString &schemaName, const OJson &schema)
{
    const OJson *s0 = child(schema, {"CommonBlock", "S0"});
    const OJson *codeNode = s0 ? child(*s0, {"eventCode"}) : nullptr;
    const QStringList codes = codeNode ? stringEnum(*codeNode) : QStringList();
    const OJson *versionNode = s0 ? child(*s0, {"schemaVersion"}) : nullptr;
    const QStringList versions = versionNode ? stringEnum(*versionNode) : QStringList();
    const OJson *interfaceNode = s0 ? child(*s0, {"interfaceID"}) : nullptr;
    const QStringList interfaces = interfaceNode ? stringEnum(*interfaceNode) : QStringList();
    if (codes.isEmpty() || versions.isEmpty()) {
        m_result->issues.append(Issue::warning(QStringLiteral("SCH006"),
                                               QStringLiteral("%1 has no CommonBlock.S0 eventCode/schemaVersion list; it cannot be used").arg(schemaName),
                                               kEventsFile));
        return;
    }
    if (!interfaces.isEmpty() && !interfaces.contains(channel))
        m_result->issues.append(Issue::warning(QStringLiteral("SCH008"),
                                               QStringLiteral("%1 is listed under %2 but its S0.interfaceID allows only %3").arg(schemaName, channel, interfaces.join(QStringLiteral(", "))),
                                               kEventsFile));
    for (const QString &code : codes) {
        for (const QString &version : versions) {
            const auto same = std::find_if(m_result->events.cbegin(), m_result->events.cend(), [&](const ImportedEvent &e) {
                return e.channel == channel && e.eventCode == code && e.schemaVersion == version;
            });
            if (same != m_result->events.cend()) {
                // Prefer the variant named after the event (IF-020-RelatedAdd for [RelatedAdd]): it is
                // the one the /validate path of that event points at.
                const QString named = channel + QLatin1Char('-') + QString(code).remove(QLatin1Char('[')).remove(QLatin1Char(']'));
                const QString used = schemaName == named ? schemaName : same->schemaName;
                m_result->issues.append(Issue::warning(QStringLiteral("SCH007"),
                                                       QStringLiteral("%1 %2 version %3 is defined by both %4 and %5; %6 is used")
                                                           .arg(channel, code, version, same->schemaName, schemaName, used),
                                                       kEventsFile));
                if (used == schemaName)
                    m_result->events[same - m_result->events.cbegin()].schemaName = schemaName;
                continue;
            }
            m_result->events.append(ImportedEvent{channel, code, version, schemaName});
        }
    }
}

void SpecImporter::readSubmitEvents()
{
    if (!m_source.exists(kSubmitFile)) {
        m_result->issues.append(Issue::warning(QStringLiteral("SCH009"), QStringLiteral("no %1: the /validate paths cannot be compared").arg(kSubmitFile), m_dir));
        return;
    }
    const YAML::Node *root = m_source.file(kSubmitFile, &m_result->issues);
    const YAML::Node paths = root ? YamlSource::child(*root, "paths") : YAML::Node(YAML::NodeType::Undefined);
    if (!paths.IsMap())
        return;
    static const QRegularExpression validate(QStringLiteral("^/validate/([^/{}]+)/"));
    QStringList channels;
    for (const auto &path : paths) {
        const QRegularExpressionMatch m = validate.match(qs(path.first.Scalar()));
        if (m.hasMatch() && !channels.contains(m.captured(1)))
            channels << m.captured(1);
    }
    channels.sort();
    m_result->validatePathChannels = channels;
}

void SpecImporter::readResponseCodes()
{
    if (!m_source.exists(kResponseCodesFile) || !m_source.file(kResponseCodesFile, &m_result->issues))
        return;
    // The texts are only in the comments ("- MSG1001  #  Schema Failure"), which YAML parsers drop.
    QFile f(QDir(m_dir).filePath(kResponseCodesFile));
    if (!f.open(QIODevice::ReadOnly))
        return;
    static const QRegularExpression line(QStringLiteral("^\\s*-\\s*'?([A-Z]{2,6}\\d{3,5})'?\\s*(?:#\\s*(.*?))?\\s*$"));
    const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
    for (const QString &text : lines) {
        const QRegularExpressionMatch m = line.match(text);
        if (m.hasMatch())
            m_result->responseCodes.insert(m.captured(1), m.captured(2));
    }
}

std::optional<OJson> SpecImporter::run(ImportResult *result)
{
    m_result = result;
    *result = ImportResult{};
    if (!QFileInfo(m_dir).isDir()) {
        result->issues.append(Issue::error(QStringLiteral("SCH002"), QStringLiteral("the specification folder does not exist"), m_dir));
        return std::nullopt;
    }
    if (!m_source.exists(kEventsFile)) {
        result->issues.append(Issue::error(QStringLiteral("SCH002"), QStringLiteral("%1 is missing: not a DIP specification folder").arg(kEventsFile), m_dir));
        return std::nullopt;
    }
    const YAML::Node *events = m_source.file(kEventsFile, &result->issues);
    if (!events)
        return std::nullopt;
    result->specVersion = scalarAt(*events, {"info", "version"});
    const YAML::Node schemas = YamlSource::child(YamlSource::child(*events, "components"), "schemas");
    if (!schemas.IsMap()) {
        result->issues.append(Issue::error(QStringLiteral("SCH002"), QStringLiteral("no components.schemas"), kEventsFile));
        return std::nullopt;
    }

    // Each <channel>-Payload is either one event schema or a oneOf of per-event variants.
    struct Root { QString channel, schemaName, key; };
    QList<Root> roots;
    static const QRegularExpression payloadName(QStringLiteral("^((?:IF|REP)-\\d{3}[A-Z]?)-Payload$"));
    for (const auto &entry : schemas) {
        const QString name = qs(entry.first.Scalar());
        const QRegularExpressionMatch m = payloadName.match(name);
        if (!m.hasMatch())
            continue;
        const YAML::Node variants = YamlSource::child(entry.second, "oneOf");
        QList<YAML::Node> refs;
        if (variants.IsSequence())
            for (const YAML::Node &v : variants)
                if (YamlSource::child(v, "$ref").IsScalar())
                    refs << v;
        if (refs.isEmpty()) {
            roots << Root{m.captured(1), name, keyFor(RefTarget{kEventsFile, kSchemasPointer + name})};
            continue;
        }
        for (const YAML::Node &v : refs) {
            const OJson ref = refTo({}, kEventsFile, v, qs(v["$ref"].Scalar()));
            if (!ref.contains("$ref"))
                continue;
            const QString key = qs(ref["$ref"].get<std::string>()).mid(int(std::string(doc::kDefinitionsPrefix).size()));
            const QString pointer = m_defs.value(key).target.pointer;
            roots << Root{m.captured(1), pointer.section(QLatin1Char('/'), -1), key};
        }
    }
    while (!m_queue.isEmpty())
        convert(m_queue.takeFirst());

    OJson schemaIndex = OJson::object();
    QSet<QString> done;
    for (const Root &root : std::as_const(roots)) {
        QStringList stack;
        if (findCycle(root.key, &stack, &done))
            continue;
        QString error;
        const std::optional<OJson> inlined = doc::inlineDefinitions(OJson{{"$ref", doc::kDefinitionsPrefix + ss(root.key)}}, m_definitions, &error);
        if (!inlined) {
            result->issues.append(Issue::error(QStringLiteral("SCH003"), error, m_defs.value(root.key).target.file));
            continue;
        }
        collectEvents(root.channel, root.schemaName, *inlined);
        schemaIndex[ss(root.schemaName)] = doc::kDefinitionsPrefix + ss(root.key);
    }

    readSubmitEvents();
    readResponseCodes();
    QStringList channels;
    OJson eventList = OJson::array();
    for (const ImportedEvent &e : std::as_const(result->events)) {
        if (!channels.contains(e.channel))
            channels << e.channel;
        eventList.push_back({{"channel", ss(e.channel)}, {"eventCode", ss(e.eventCode)},
                             {"schemaVersion", ss(e.schemaVersion)}, {"schemaName", ss(e.schemaName)}});
    }
    channels.sort();
    result->channels = channels;

    OJson document = OJson::object();
    document["format"] = doc::kFormat;
    document["formatVersion"] = doc::kFormatVersion;
    document["specVersion"] = ss(result->specVersion);
    document["source"] = ss(QFileInfo(m_dir).fileName());
    document["events"] = std::move(eventList);
    document["schemas"] = std::move(schemaIndex);
    document["definitions"] = m_definitions;
    return document;
}

} // namespace dipwb::schema
