// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/pack_reader.h"

namespace dipwb::scenario::detail {

inline QString at(const QString &path, int i)
{
    return QStringLiteral("%1[%2]").arg(path).arg(i);
}

inline QString sub(const QString &path, const QString &key)
{
    return path + QLatin1Char('.') + key;
}

/// Builds the pack model from the YAML tree; structural errors only (types, keys, durations): the
/// checks of references and values against the catalogue are checkPack()'s (pack_checks.cpp).
/// The pack's own sections are read in pack_parser.cpp, its scenarios, cases, steps and messages
/// in pack_parser_cases.cpp.
class PackParser
{
public:
    PackParser(Reader &r, const QString &dir) : m_r(r), m_dir(dir) {}

    std::optional<Pack> read(const YAML::Node &root);
    /// Also what a stand-in file holds per participant (loadStandIns()).
    QList<Rule> readRules(const YAML::Node &n, const QString &path, int line);

private:
    void readHeader(const MapView &m, Pack *p);
    void readSettings(const YAML::Node &n, int line, PackSettings *s);
    void readParticipants(const YAML::Node &n, int line, Pack *p);
    QList<Assertion> readWhere(const YAML::Node &n, const QString &path, int line);
    MessageSpec readMessage(const YAML::Node &n, const QString &path, int line, bool isTemplate);
    void readFixtures(const YAML::Node &n, int line, Pack *p);
    QList<QPair<QString, OJson>> readVars(const YAML::Node &n, const QString &path, int line);
    void readTemplates(const YAML::Node &n, int line, Pack *p);
    void readScenarios(const YAML::Node &n, int line, Pack *p);
    TestCase readCase(const YAML::Node &n, const QString &path, int line);
    std::optional<Step> readStep(const YAML::Node &n, const QString &path, int line);

    Reader &m_r;
    QString m_dir;
};

} // namespace dipwb::scenario::detail
