// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/pack_loader.h"

#include "scenario/pack_parser.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace dipwb::scenario {

using namespace detail;

std::optional<Pack> parsePack(const QByteArray &yaml, const QString &file, const QString &dir,
                              const catalogue::Catalogue &catalogue, Issues *issues)
{
    Reader reader(file, issues);
    YAML::Node root;
    try {
        root = YAML::Load(yaml.toStdString());
    } catch (const YAML::Exception &e) {
        issues->append(Issue::error(code::kSyntax, QStringLiteral("not valid YAML: %1").arg(QString::fromStdString(e.msg)),
                                    SourcePos{file, e.mark.line + 1}.toString()));
        return std::nullopt;
    }
    PackParser parser(reader, dir);
    std::optional<Pack> pack;
    try {
        pack = parser.read(root);
    } catch (const YAML::Exception &e) {
        issues->append(Issue::error(code::kSyntax, QStringLiteral("cannot read: %1").arg(QString::fromStdString(e.msg)),
                                    SourcePos{file, e.mark.line + 1}.toString()));
        return std::nullopt;
    }
    if (!pack || reader.failed())
        return std::nullopt;
    pack->file = file;
    pack->dir = dir;
    Issues checks;
    checkPack(*pack, catalogue, &checks);
    issues->append(checks);
    if (hasErrors(checks))
        return std::nullopt;
    return pack;
}

std::optional<QHash<QString, QList<Rule>>> loadStandIns(const QString &path, const Pack &pack,
                                                        const catalogue::Catalogue &catalogue, Issues *issues)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        issues->append(Issue::error(code::kUnreadable, QStringLiteral("cannot read the stand-in file: %1").arg(f.errorString()), path));
        return std::nullopt;
    }
    Reader reader(path, issues);
    YAML::Node root;
    try {
        root = YAML::Load(f.readAll().toStdString());
    } catch (const YAML::Exception &e) {
        issues->append(Issue::error(code::kSyntax, QStringLiteral("not valid YAML: %1").arg(QString::fromStdString(e.msg)),
                                    SourcePos{path, e.mark.line + 1}.toString()));
        return std::nullopt;
    }
    QHash<QString, QList<Rule>> out;
    PackParser parser(reader, QFileInfo(path).absolutePath());
    const auto top = reader.map(root, QString(), {QStringLiteral("standIns")}, 1);
    if (!top)
        return std::nullopt;
    const auto *e = top->find(QStringLiteral("standIns"));
    if (!e) {
        reader.error(code::kMissing, QStringLiteral("standIns is required: participant id -> rules"), top->line);
        return std::nullopt;
    }
    if (const auto m = reader.map(e->value, QStringLiteral("standIns"), {}, e->line)) {
        for (const auto &entry : m->entries) {
            const PackParticipant *pp = pack.participant(entry.key);
            if (!pp || !pp->underTest) {
                reader.error(code::kUnknownParticipant,
                             QStringLiteral("standIns.%1: not a participant under test of pack %2").arg(entry.key, pack.id), entry.line);
                continue;
            }
            out.insert(entry.key, parser.readRules(entry.value, QStringLiteral("standIns.") + entry.key, entry.line));
        }
    }
    if (reader.failed())
        return std::nullopt;
    // The same reference checks as the pack's own rules.
    Pack probe = pack;
    for (auto &pp : probe.participants)
        if (out.contains(pp.id))
            pp.standIn = out.value(pp.id);
    Issues checks;
    checkPack(probe, catalogue, &checks);
    issues->append(checks);
    if (hasErrors(checks))
        return std::nullopt;
    return out;
}

std::optional<Pack> loadPack(const QString &path, const catalogue::Catalogue &catalogue, Issues *issues)
{
    QFileInfo info(path);
    QString file = path;
    if (info.isDir()) {
        const QDir dir(path);
        file = dir.filePath(QStringLiteral("pack.yaml"));
        if (!QFileInfo::exists(file) && QFileInfo::exists(dir.filePath(QStringLiteral("pack.json"))))
            file = dir.filePath(QStringLiteral("pack.json"));
    }
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) {
        issues->append(Issue::error(code::kUnreadable, QStringLiteral("cannot read the pack: %1").arg(f.errorString()), file));
        return std::nullopt;
    }
    return parsePack(f.readAll(), QDir::cleanPath(file), QFileInfo(file).absolutePath(), catalogue, issues);
}

} // namespace dipwb::scenario
