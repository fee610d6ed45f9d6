// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "schema/schema_set.h"
#include "schema/yaml_source.h"

#include <QHash>
#include <QSet>

#include <optional>

namespace dipwb::schema {

/// Reads an official specification folder into the persisted SchemaSet document (schema_document.h):
/// finds the event schemas in Interfaces-EventCodes-unresolved.yaml, follows their $refs through the
/// other files, translates each referenced component once into a draft-07 definition, and reports
/// every problem with file:line and the reference. One import, one thread.
class SpecImporter final
{
public:
    explicit SpecImporter(const QString &dir);
    /// The document, or nullopt when the folder cannot be imported at all; details in result.
    std::optional<OJson> run(ImportResult *result);

private:
    struct RefSite
    {
        QString where; // file:line of the $ref
        QString text;  // the $ref as written
    };
    struct Definition
    {
        RefTarget target;
        QStringList refs;              // definition keys it refers to, in order of appearance
        QHash<QString, RefSite> sites; // referenced key -> first $ref to it
    };

    QString keyFor(const RefTarget &target);
    OJson refTo(const QString &ownerKey, const QString &file, const YAML::Node &mapping, const QString &ref);
    void convert(const QString &key);
    bool findCycle(const QString &key, QStringList *stack, QSet<QString> *done);
    void collectEvents(const QString &channel, const QString &schemaName, const OJson &schema);
    void readSubmitEvents();
    void readResponseCodes();

    QString m_dir;
    YamlSource m_source;
    ImportResult *m_result = nullptr;
    OJson m_definitions = OJson::object();
    QHash<QString, Definition> m_defs;      // key -> where it came from
    QHash<QString, QString> m_keyByTarget;  // "file#pointer" -> key
    QStringList m_queue;
    QSet<QString> m_reportedSkips;
};

} // namespace dipwb::schema
