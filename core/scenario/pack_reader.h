// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/key_hint.h"
#include "common/issue.h"
#include "common/json_util.h"
#include "scenario/pack.h"

#include <QString>
#include <QStringList>

#include <yaml-cpp/yaml.h>

#include <optional>

namespace dipwb::scenario::detail {

/// Issue codes of pack loading (docs/pack-format.md, "Errors").
namespace code {
inline const QString kUnreadable = QStringLiteral("PACK001");
inline const QString kSyntax = QStringLiteral("PACK002");
inline const QString kType = QStringLiteral("PACK003");
inline const QString kUnknownKey = QStringLiteral("PACK004");
inline const QString kMissing = QStringLiteral("PACK005");
inline const QString kDuration = QStringLiteral("PACK006");
inline const QString kUnknownStep = QStringLiteral("PACK007");
inline const QString kBadValue = QStringLiteral("PACK008");
inline const QString kDuplicate = QStringLiteral("PACK010");
inline const QString kUnknownParticipant = QStringLiteral("PACK011");
inline const QString kUnknownChannel = QStringLiteral("PACK012");
inline const QString kUnknownEvent = QStringLiteral("PACK013");
inline const QString kUnknownVariable = QStringLiteral("PACK014");
inline const QString kUnknownTemplate = QStringLiteral("PACK015");
inline const QString kIncludeCycle = QStringLiteral("PACK016");
inline const QString kUnknownFixture = QStringLiteral("PACK017");
inline const QString kGenerator = QStringLiteral("PACK018");
inline const QString kNoCases = QStringLiteral("PACK019");
} // namespace code

/// The entries of one YAML mapping with their key lines, read once, so unknown keys can be
/// reported (with the key probably meant) and values looked up without yaml-cpp's write traps.
class MapView
{
public:
    struct Entry
    {
        QString key;
        YAML::Node value;
        int line = 0;
    };
    QList<Entry> entries;
    int line = 0;

    const Entry *find(const QString &key) const;
    bool has(const QString &key) const { return find(key) != nullptr; }
};

/// Reading state of one pack file: the origin for positions, and the issues found.
class Reader
{
public:
    Reader(QString file, Issues *issues) : m_file(std::move(file)), m_issues(issues) {}

    SourcePos pos(int line) const { return {m_file, line}; }
    static int lineOf(const YAML::Node &n) { return n.Mark().line >= 0 ? n.Mark().line + 1 : 0; }

    void error(const QString &code, const QString &text, int line);
    void warning(const QString &code, const QString &text, int line);
    bool failed() const { return m_failed; }

    /// The mapping at n, checking its keys against `allowed`; nullopt (reported) when n is not a map.
    std::optional<MapView> map(const YAML::Node &n, const QString &path, const QStringList &allowed, int line);
    /// The items of a list (a missing or null node is an empty list).
    std::optional<QList<YAML::Node>> list(const YAML::Node &n, const QString &path, int line);
    /// A scalar as text; a missing key reads as `fallback`, or is reported when required.
    QString text(const MapView &m, const QString &key, const QString &path, bool required, const QString &fallback = {});
    /// A list of texts, or a single text taken as a one-item list.
    QStringList texts(const MapView &m, const QString &key, const QString &path);
    std::optional<bool> flag(const MapView &m, const QString &key, const QString &path);
    /// A duration ("500ms", "3s", "1.5s", "2m", "1h"); -1 when absent, reported when malformed.
    qint64 duration(const MapView &m, const QString &key, const QString &path);
    /// Any value as JSON (YAML 1.2 core scalars: quoted stays a string).
    OJson json(const YAML::Node &n) const;

    const QString &file() const { return m_file; }

private:
    QString m_file;
    Issues *m_issues;
    bool m_failed = false;
};

/// "500ms" -> 500; nullopt when the text is not a duration.
std::optional<qint64> parseDuration(const QString &text);
/// The allowed key closest to a mistyped one, or empty (common/key_hint.h).
using dipwb::likelyKey;

} // namespace dipwb::scenario::detail
