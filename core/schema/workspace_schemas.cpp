// SPDX-License-Identifier: GPL-3.0-or-later
#include "schema/workspace_schemas.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

namespace dipwb::schema {

bool storeSchemaSet(const Workspace &ws, const SchemaSet &set, QString *error)
{
    const QString path = ws.cataloguePath(set.specVersion());
    if (path.isEmpty()) {
        if (error)
            *error = QStringLiteral("the specification version '%1' cannot name a file (letters, digits, '.', '-', '_')")
                         .arg(set.specVersion());
        return false;
    }
    if (!QDir().mkpath(ws.cataloguesDir())) {
        if (error)
            *error = QStringLiteral("cannot create the folder %1").arg(ws.cataloguesDir());
        return false;
    }
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(set.toJson()) < 0 || !f.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

bool isBuiltinVersion(const QString &version)
{
    return version == QLatin1String(kBuiltinCatalogueName) || version == SchemaSet::builtIn()->specVersion();
}

std::shared_ptr<const SchemaSet> loadSchemaSet(const Workspace &ws, const QString &specVersion, Issues *issues)
{
    // Imports are named by the specification's own version ("2.1.0"), so the built-in name never
    // hides a stored file.
    if (isBuiltinVersion(specVersion))
        return SchemaSet::builtIn();
    const QString path = ws.cataloguePath(specVersion);
    if (path.isEmpty() || !QFile::exists(path)) {
        const QStringList stored = ws.catalogueVersions();
        issues->append(Issue::error(
            QStringLiteral("SCH020"),
            QStringLiteral("catalogue version '%1' is not stored in this workspace (stored: %2); import it with "
                           "'dipwb catalogue import DIR'")
                .arg(specVersion, stored.isEmpty() ? QStringLiteral("none") : stored.join(QStringLiteral(", "))),
            ws.cataloguesDir()));
        return nullptr;
    }
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        issues->append(Issue::error(QStringLiteral("SCH020"), QStringLiteral("cannot read: %1").arg(f.errorString()), path));
        return nullptr;
    }
    auto set = SchemaSet::fromJson(f.readAll(), path, issues);
    if (set && set->specVersion() != specVersion) {
        issues->append(Issue::error(QStringLiteral("SCH020"),
                                    QStringLiteral("holds specification version '%1', not '%2'").arg(set->specVersion(), specVersion),
                                    path));
        return nullptr;
    }
    return set;
}

std::shared_ptr<const SchemaSet> loadPinnedSchemaSet(const Workspace &ws, Issues *issues)
{
    const QString pinned = ws.pinnedCatalogue();
    return pinned.isEmpty() ? SchemaSet::builtIn() : loadSchemaSet(ws, pinned, issues);
}

} // namespace dipwb::schema
