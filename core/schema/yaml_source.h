// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/issue.h"
#include "common/json_util.h"

#include <QString>

#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>
#include <optional>

namespace dipwb::schema {

/// Where a $ref points: a file of the specification folder and a JSON pointer inside it.
struct RefTarget
{
    QString file;    ///< path relative to the folder, e.g. "DataTypes-unresolved.yaml"
    QString pointer; ///< e.g. "/components/schemas/DT-003-DateTime"
};

/// The YAML files of one specification folder, parsed on first use. Only files inside the folder
/// are read; a $ref to a web address is mapped to the file of the same name in the folder.
/// Used by one import on one thread.
class YamlSource final
{
public:
    explicit YamlSource(QString dir);

    /// The parsed file, or nullptr (with an error in *issues the first time) when it is missing or
    /// not valid YAML.
    const YAML::Node *file(const QString &relativePath, Issues *issues);
    bool exists(const QString &relativePath) const;

    enum class RefKind { Resolved, SkippedWeb, Dangling };
    /// Works out where ref (written in fromFile) points; *why explains a skip or a dangling ref.
    RefKind locate(const QString &ref, const QString &fromFile, RefTarget *target, QString *why) const;
    /// The node at target, or an undefined node with *why filled.
    YAML::Node resolve(const RefTarget &target, Issues *issues, QString *why);

    /// node[key] without yaml-cpp's traps: never writes into the document, and a missing key (or a
    /// node that is not a mapping) gives an undefined node rather than one that throws when asked.
    static YAML::Node child(const YAML::Node &node, const char *key);

    /// "file:line" for a node of a file (lines counted from 1).
    static QString where(const QString &file, const YAML::Node &node);

    /// YAML to JSON with the YAML 1.2 core scalar rules (quoted scalars stay strings). In a schema
    /// that says `type: string`, plain enum members stay strings too ("01" is not the number 1).
    /// onRef, when given, replaces every mapping that has a "$ref" (the mapping and the ref text).
    using RefHandler = std::function<OJson(const YAML::Node &mapping, const QString &ref)>;
    static OJson toJson(const YAML::Node &node, const RefHandler &onRef = {});

private:
    QString m_dir;
    std::map<QString, std::optional<YAML::Node>> m_files; // nullopt: tried and failed
};

} // namespace dipwb::schema
