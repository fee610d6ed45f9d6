// SPDX-License-Identifier: GPL-3.0-or-later
#include "schema/schema_set.h"

#include "schema/example_builder.h"
#include "schema/json_schema_validator.h"
#include "schema/schema_document.h"
#include "schema/spec_importer.h"
#include "schema/validation_messages.h"

#include <QHash>
#include <QLoggingCategory>

namespace dipwb::schema {

Q_LOGGING_CATEGORY(lcSchema, "dipwb.core.schema")

namespace {

QString normalisedEventCode(QString code)
{
    code = code.trimmed();
    if (!code.isEmpty() && !code.startsWith(QLatin1Char('[')))
        code = QLatin1Char('[') + code + QLatin1Char(']');
    return code;
}

QString indexKey(const QString &channel, const QString &eventCode, const QString &version)
{
    return channel.trimmed() + QLatin1Char('|') + normalisedEventCode(eventCode) + QLatin1Char('|') + version.trimmed();
}

QString stringField(const OJson &object, const char *key)
{
    return object.is_object() && object.contains(key) && object[key].is_string() ? qs(object[key].get<std::string>()) : QString();
}

} // namespace

struct SchemaSet::Entry
{
    QString name;
    OJson schema; // draft-07, every $ref resolved
    JsonSchemaValidator validator;
};

struct SchemaSet::Private
{
    OJson document; // the persisted form, kept for toJson()
    QString specVersion;
    QList<ImportedEvent> events;
    QHash<QString, int> index;                 // indexKey -> events[i]
    QHash<QString, int> entryByName;           // schema name -> entries[i]
    std::vector<std::unique_ptr<Entry>> entries;
};

SchemaSet::SchemaSet() : d(std::make_unique<Private>()) {}
SchemaSet::~SchemaSet() = default;

std::shared_ptr<const SchemaSet> SchemaSet::importDirectory(const QString &dir, ImportResult *result)
{
    ImportResult local;
    ImportResult *r = result ? result : &local;
    // Nothing thrown by yaml-cpp or nlohmann may leave the schema area: it becomes an error issue.
    try {
        SpecImporter importer(dir);
        const std::optional<OJson> document = importer.run(r);
        if (!document || !r->ok())
            return nullptr;
        return build(*document, dir, &r->issues);
    } catch (const std::exception &e) {
        r->issues.append(Issue::error(QStringLiteral("SCH012"), QStringLiteral("import stopped: %1").arg(QString::fromUtf8(e.what())), dir));
        return nullptr;
    }
}

std::shared_ptr<const SchemaSet> SchemaSet::fromJson(const QByteArray &json, const QString &origin, Issues *issues)
{
    Issues local;
    Issues *out = issues ? issues : &local;
    OJson document;
    try {
        document = OJson::parse(json.constBegin(), json.constEnd());
    } catch (const OJson::parse_error &e) {
        out->append(Issue::error(QStringLiteral("SCH010"),
                                 QStringLiteral("not a JSON document: %1").arg(QString::fromUtf8(e.what())), origin));
        return nullptr;
    }
    try {
        return build(document, origin, out);
    } catch (const std::exception &e) {
        out->append(Issue::error(QStringLiteral("SCH010"), QStringLiteral("unusable document: %1").arg(QString::fromUtf8(e.what())), origin));
        return nullptr;
    }
}

std::shared_ptr<const SchemaSet> SchemaSet::build(const OJson &document, const QString &origin, Issues *issues)
{
    auto fail = [&](const QString &text) {
        issues->append(Issue::error(QStringLiteral("SCH010"), text, origin));
        return nullptr;
    };
    if (!document.is_object() || stringField(document, "format") != QLatin1String(doc::kFormat))
        return fail(QStringLiteral("not a schema set document (\"format\" is not \"%1\")").arg(QLatin1String(doc::kFormat)));
    const OJson formatVersion = document.value("formatVersion", OJson());
    if (!formatVersion.is_number_integer() || formatVersion.get<int>() != doc::kFormatVersion)
        return fail(QStringLiteral("unsupported formatVersion %1 (this program reads %2)")
                        .arg(qs(formatVersion.dump())).arg(doc::kFormatVersion));
    const OJson definitions = document.value("definitions", OJson());
    const OJson schemas = document.value("schemas", OJson());
    const OJson events = document.value("events", OJson());
    if (!definitions.is_object() || !schemas.is_object() || !events.is_array())
        return fail(QStringLiteral("\"definitions\", \"schemas\" and \"events\" must all be present"));

    std::shared_ptr<SchemaSet> set(new SchemaSet);
    Private &p = *set->d;
    p.document = document;
    p.specVersion = stringField(document, "specVersion");
    bool ok = true;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const OJson &e = events[i];
        const ImportedEvent event{stringField(e, "channel"), stringField(e, "eventCode"), stringField(e, "schemaVersion"),
                                  stringField(e, "schemaName")};
        const QString where = QStringLiteral("%1: events[%2]").arg(origin).arg(i);
        if (event.channel.isEmpty() || event.eventCode.isEmpty() || event.schemaName.isEmpty()) {
            issues->append(Issue::error(QStringLiteral("SCH010"), QStringLiteral("channel, eventCode and schemaName are required"), where));
            ok = false;
            continue;
        }
        if (!p.entryByName.contains(event.schemaName)) {
            const OJson ref = schemas.value(ss(event.schemaName), OJson());
            QString error;
            std::optional<OJson> inlined;
            if (ref.is_string())
                inlined = doc::inlineDefinitions(OJson{{"$ref", ref}}, definitions, &error);
            else
                error = QStringLiteral("schema '%1' is not listed in \"schemas\"").arg(event.schemaName);
            auto entry = std::make_unique<Entry>();
            if (inlined && !entry->validator.compile(*inlined, &error))
                inlined.reset();
            if (!inlined) {
                issues->append(Issue::error(QStringLiteral("SCH011"), QStringLiteral("%1: %2").arg(event.schemaName, error), where));
                ok = false;
                continue;
            }
            entry->name = event.schemaName;
            entry->schema = std::move(*inlined);
            if (!entry->validator.hasFastPath())
                qCDebug(lcSchema) << "no fast path for" << event.schemaName;
            p.entryByName.insert(event.schemaName, int(p.entries.size()));
            p.entries.push_back(std::move(entry));
        }
        const QString key = indexKey(event.channel, event.eventCode, event.schemaVersion);
        if (!p.index.contains(key)) {
            p.index.insert(key, int(p.events.size()));
            p.events.append(event);
        }
    }
    if (!ok)
        return nullptr;
    return set;
}

QByteArray SchemaSet::toJson() const { return qb(d->document.dump()); }

QString SchemaSet::specVersion() const { return d->specVersion; }

QList<ImportedEvent> SchemaSet::events() const { return d->events; }

QList<SchemaKey> SchemaSet::keys() const
{
    QList<SchemaKey> out;
    out.reserve(d->events.size());
    for (const ImportedEvent &e : d->events)
        out.append(SchemaKey{e.channel, e.eventCode, e.schemaVersion});
    return out;
}

int SchemaSet::find(const SchemaKey &key) const
{
    const auto it = d->index.constFind(indexKey(key.channel, key.eventCode, key.schemaVersion));
    if (it != d->index.constEnd())
        return *it;
    if (!key.schemaVersion.trimmed().isEmpty())
        return -1;
    // No version given: the first one the specification lists for that event.
    const QString channel = key.channel.trimmed();
    const QString code = normalisedEventCode(key.eventCode);
    for (int i = 0; i < d->events.size(); ++i)
        if (d->events[i].channel == channel && d->events[i].eventCode == code)
            return i;
    return -1;
}

bool SchemaSet::has(const SchemaKey &key) const { return find(key) >= 0; }

QString SchemaSet::schemaName(const SchemaKey &key) const
{
    const int i = find(key);
    return i < 0 ? QString() : d->events[i].schemaName;
}

OJson SchemaSet::jsonSchema(const SchemaKey &key) const
{
    const int i = find(key);
    return i < 0 ? OJson() : d->entries[d->entryByName.value(d->events[i].schemaName)]->schema;
}

QList<ValidationError> SchemaSet::validate(const SchemaKey &key, const OJson &payload) const
{
    const int i = find(key);
    if (i < 0) {
        return {ValidationError{QStringLiteral("payload"), QStringLiteral("schema"),
                                QStringLiteral("no payload schema for %1 %2 version %3 in specification %4")
                                    .arg(key.channel, normalisedEventCode(key.eventCode), key.schemaVersion, d->specVersion)}};
    }
    const Entry &entry = *d->entries[d->entryByName.value(d->events[i].schemaName)];
    if (entry.validator.isValid(payload))
        return {};
    const std::vector<RawSchemaError> raw = entry.validator.validate(payload);
    if (raw.empty()) {
        // valijson is the reference; the quick check must never be stricter. Say so loudly.
        qCWarning(lcSchema) << "quick check and valijson disagree for" << entry.name << "- valijson's verdict (valid) is used";
        return {};
    }
    return describeErrors(raw, entry.schema, payload);
}

OJson SchemaSet::example(const SchemaKey &key) const
{
    const int i = find(key);
    if (i < 0)
        return nullptr;
    const ImportedEvent &e = d->events[i];
    return buildExample(d->entries[d->entryByName.value(e.schemaName)]->schema,
                        SchemaKey{e.channel, e.eventCode, e.schemaVersion});
}

} // namespace dipwb::schema
