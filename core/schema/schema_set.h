// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/issue.h"
#include "common/json_util.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <memory>

namespace dipwb::schema {

/// Which payload schema a message uses: channel "IF-033", event code "[MSAppSPRequest]" (with the
/// brackets; lookups also accept it without), schema version "011".
struct SchemaKey
{
    QString channel;
    QString eventCode;
    QString schemaVersion;
    friend bool operator==(const SchemaKey &, const SchemaKey &) = default;
};

/// One (channel, event code, schema version) found in the specification and the schema it uses.
struct ImportedEvent
{
    QString channel;
    QString eventCode;
    QString schemaVersion;
    QString schemaName; ///< the component name, e.g. "IF-033-MSAppSPRequest" or "IF-021-Payload"
};

/// What importing one official specification folder found.
struct ImportResult
{
    QString specVersion;                  ///< info.version, e.g. "2.1.0"
    QList<ImportedEvent> events;
    QStringList channels;                 ///< sorted
    QStringList validatePathChannels;     ///< channels named by /validate paths in SubmitEvents (for comparison)
    QMap<QString, QString> responseCodes; ///< from ResponseCodes-unresolved.yaml if present (code -> text)
    Issues issues;                        ///< warnings (skipped web refs) and errors (file:line, reference)
    bool ok() const { return !hasErrors(issues); }
};

/// A schema violation in a tester's words.
struct ValidationError
{
    QString path;    ///< "payload.CommonBlock.S1.senderTimestamp" (the caller prefixes "payload[i]")
    QString rule;    ///< "maxLength", "required", "additionalProperties", "enum", "pattern", "type", ...
    QString message; ///< "20 characters, must be exactly 25 (DT-003)"
    QString toString() const { return path + QStringLiteral(": ") + message; }
};

/// The payload schemas of one version of the DIP specification, translated to JSON Schema draft-07
/// with every $ref resolved, each compiled once.
///
/// Immutable after it is built: every const member may be called from any thread at the same time.
class SchemaSet final
{
public:
    /// Imports an official specification folder (elexon-dip-api-x.y.z: unresolved YAML with
    /// cross-file $refs). Web $refs are mapped to the file of the same name in the folder; when there
    /// is none they are skipped with a warning. Returns nullptr when result has errors.
    static std::shared_ptr<const SchemaSet> importDirectory(const QString &dir, ImportResult *result);

    /// The persisted form: one JSON document (our own format) with the translated schemas and the
    /// index; fromJson(toJson()) validates exactly like the original.
    QByteArray toJson() const;
    /// Builds a set from toJson() output. origin names the document in issues (a file path, "built-in").
    /// Returns nullptr, with errors in *issues, when the document is not usable.
    static std::shared_ptr<const SchemaSet> fromJson(const QByteArray &json, const QString &origin, Issues *issues);

    /// The payload schemas the program ships (our own data, resources/catalogue/builtin-schemas.json):
    /// every event of the built-in channel catalogue, as in the DIP specification the catalogue's
    /// version names ("builtin-2.1.0"). Used when a workspace pins no imported version. Built on
    /// first use, once, from any thread.
    static std::shared_ptr<const SchemaSet> builtIn();
    /// Builds a set from the compact source form of the built-in schemas (builtin_schema_source.h).
    static std::shared_ptr<const SchemaSet> fromBuiltinSource(const QByteArray &json, const QString &origin, Issues *issues);

    QString specVersion() const;
    QList<SchemaKey> keys() const;
    QList<ImportedEvent> events() const;
    bool has(const SchemaKey &key) const;
    /// The component name of the schema used for key, or empty.
    QString schemaName(const SchemaKey &key) const;
    /// The translated, fully resolved JSON Schema for key (null when unknown).
    OJson jsonSchema(const SchemaKey &key) const;

    /// Validates one payload object (the value of "payload") against the schema of key.
    /// Empty when valid; an unknown key gives one error with rule "schema".
    QList<ValidationError> validate(const SchemaKey &key, const OJson &payload) const;
    /// A minimal valid payload for key: required fields only, with sensible values (a valid MPAN check
    /// digit, DT-003 timestamps, dates, first enum members, strings that meet length and pattern).
    OJson example(const SchemaKey &key) const;

    ~SchemaSet();
    SchemaSet(const SchemaSet &) = delete;
    SchemaSet &operator=(const SchemaSet &) = delete;

private:
    SchemaSet();
    static std::shared_ptr<const SchemaSet> build(const OJson &document, const QString &origin, Issues *issues);
    struct Entry;
    int find(const SchemaKey &key) const;

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace dipwb::schema
