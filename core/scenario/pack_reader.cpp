// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/pack_reader.h"

#include "schema/yaml_source.h"

#include <QRegularExpression>

#include <algorithm>

namespace dipwb::scenario::detail {

namespace {

QString kindOf(const YAML::Node &n)
{
    if (n.IsSequence())
        return QStringLiteral("a list");
    if (n.IsMap())
        return QStringLiteral("a map");
    if (n.IsNull())
        return QStringLiteral("empty");
    return QStringLiteral("'%1'").arg(QString::fromStdString(n.Scalar()));
}

QString join(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + QLatin1Char('.') + key;
}

} // namespace

const MapView::Entry *MapView::find(const QString &key) const
{
    for (const Entry &e : entries)
        if (e.key == key)
            return &e;
    return nullptr;
}

std::optional<qint64> parseDuration(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)\\s*$"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const double n = m.captured(1).toDouble();
    const QString unit = m.captured(2);
    const double factor = unit == QLatin1String("ms") ? 1 : unit == QLatin1String("s") ? 1000 : unit == QLatin1String("m") ? 60000 : 3600000;
    return qint64(n * factor + 0.5);
}

void Reader::error(const QString &code, const QString &text, int line)
{
    m_failed = true;
    m_issues->append(Issue::error(code, text, pos(line).toString()));
}

void Reader::warning(const QString &code, const QString &text, int line)
{
    m_issues->append(Issue::warning(code, text, pos(line).toString()));
}

std::optional<MapView> Reader::map(const YAML::Node &n, const QString &path, const QStringList &allowed, int line)
{
    if (!n.IsDefined() || !n.IsMap()) {
        error(code::kType, QStringLiteral("%1 must be a map of keys, not %2").arg(path.isEmpty() ? QStringLiteral("the pack") : path,
                                                                                 n.IsDefined() ? kindOf(n) : QStringLiteral("missing")),
              n.IsDefined() ? lineOf(n) : line);
        return std::nullopt;
    }
    MapView view;
    view.line = lineOf(n);
    for (auto it = n.begin(); it != n.end(); ++it) {
        MapView::Entry e;
        e.key = it->first.IsScalar() ? QString::fromStdString(it->first.Scalar()) : QString();
        e.value = it->second;
        e.line = lineOf(it->first);
        if (view.find(e.key)) {
            error(code::kDuplicate, QStringLiteral("%1 is given twice").arg(join(path, e.key)), e.line);
            continue;
        }
        if (!allowed.isEmpty() && !allowed.contains(e.key)) {
            const QString meant = likelyKey(e.key, allowed);
            const QString where = path.isEmpty() ? QString() : path + QStringLiteral(": ");
            error(code::kUnknownKey,
                  meant.isEmpty() ? QStringLiteral("%1unknown key '%2' (expected one of: %3)").arg(where, e.key, allowed.join(QStringLiteral(", ")))
                                  : QStringLiteral("%1unknown key '%2' (did you mean '%3'?)").arg(where, e.key, meant),
                  e.line);
            continue;
        }
        view.entries << e;
    }
    return view;
}

std::optional<QList<YAML::Node>> Reader::list(const YAML::Node &n, const QString &path, int line)
{
    QList<YAML::Node> out;
    if (!n.IsDefined() || n.IsNull())
        return out;
    if (!n.IsSequence()) {
        error(code::kType, QStringLiteral("%1 must be a list, not %2").arg(path, kindOf(n)), lineOf(n) ? lineOf(n) : line);
        return std::nullopt;
    }
    for (auto it = n.begin(); it != n.end(); ++it)
        out << *it;
    return out;
}

QString Reader::text(const MapView &m, const QString &key, const QString &path, bool required, const QString &fallback)
{
    const MapView::Entry *e = m.find(key);
    if (!e || e->value.IsNull()) {
        if (required)
            error(code::kMissing, QStringLiteral("%1 is required").arg(join(path, key)), e ? e->line : m.line);
        return fallback;
    }
    if (!e->value.IsScalar()) {
        error(code::kType, QStringLiteral("%1 must be a single value, not %2").arg(join(path, key), kindOf(e->value)), e->line);
        return fallback;
    }
    return QString::fromStdString(e->value.Scalar());
}

QStringList Reader::texts(const MapView &m, const QString &key, const QString &path)
{
    const MapView::Entry *e = m.find(key);
    if (!e || e->value.IsNull())
        return {};
    if (e->value.IsScalar())
        return {QString::fromStdString(e->value.Scalar())};
    if (!e->value.IsSequence()) {
        error(code::kType, QStringLiteral("%1 must be a list of values, not %2").arg(join(path, key), kindOf(e->value)), e->line);
        return {};
    }
    QStringList out;
    int i = 0;
    for (auto it = e->value.begin(); it != e->value.end(); ++it, ++i) {
        if (!it->IsScalar()) {
            error(code::kType, QStringLiteral("%1[%2] must be a single value, not %3").arg(join(path, key)).arg(i).arg(kindOf(*it)), lineOf(*it));
            continue;
        }
        out << QString::fromStdString(it->Scalar());
    }
    return out;
}

std::optional<bool> Reader::flag(const MapView &m, const QString &key, const QString &path)
{
    const MapView::Entry *e = m.find(key);
    if (!e || e->value.IsNull())
        return std::nullopt;
    const QString t = e->value.IsScalar() ? QString::fromStdString(e->value.Scalar()) : QString();
    if (t == QLatin1String("true"))
        return true;
    if (t == QLatin1String("false"))
        return false;
    error(code::kType, QStringLiteral("%1: %2 is not true or false").arg(join(path, key), kindOf(e->value)), e->line);
    return std::nullopt;
}

qint64 Reader::duration(const MapView &m, const QString &key, const QString &path)
{
    const MapView::Entry *e = m.find(key);
    if (!e || e->value.IsNull())
        return -1;
    const QString t = e->value.IsScalar() ? QString::fromStdString(e->value.Scalar()) : QString();
    if (const auto ms = parseDuration(t))
        return *ms;
    error(code::kDuration,
          QStringLiteral("%1: %2 is not a duration (write e.g. 500ms, 3s, 1.5s, 2m)").arg(join(path, key), kindOf(e->value)), e->line);
    return -1;
}

OJson Reader::json(const YAML::Node &n) const
{
    return schema::YamlSource::toJson(n);
}

} // namespace dipwb::scenario::detail
