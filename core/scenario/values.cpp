// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/values.h"

#include "common/clock.h"
#include "common/dip_time.h"
#include "common/ids.h"
#include "routing/json_path.h"
#include "scenario/pack.h"
#include "scenario/pack_reader.h"
#include "schema/example_builder.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTimeZone>

#include <atomic>

namespace dipwb::scenario {

namespace {

QDate londonToday()
{
    return QDateTime::fromMSecsSinceEpoch(Clock::nowMs(), QTimeZone("Europe/London")).date();
}

QString stringOf(const OJson &spec, const char *key, const QString &fallback = {})
{
    if (!spec.contains(key))
        return fallback;
    const OJson &v = spec[key];
    return v.is_string() ? qs(v.get<std::string>()) : qs(v.dump());
}

int intOf(const OJson &spec, const char *key, int fallback = 0)
{
    if (!spec.contains(key))
        return fallback;
    const OJson &v = spec[key];
    if (v.is_number_integer())
        return v.get<int>();
    return v.is_string() ? qs(v.get<std::string>()).toInt() : fallback;
}

/// "-1h", "+30m", "2s": a signed duration in ms (0 when malformed; the loader checked it).
qint64 signedDuration(const QString &t)
{
    QString s = t.trimmed();
    qint64 sign = 1;
    if (s.startsWith(QLatin1Char('-')) || s.startsWith(QLatin1Char('+'))) {
        sign = s.startsWith(QLatin1Char('-')) ? -1 : 1;
        s = s.mid(1);
    }
    return sign * detail::parseDuration(s).value_or(0);
}

OJson *childCi(OJson &obj, const std::string &key)
{
    auto it = obj.find(key);
    if (it != obj.end())
        return &*it;
    for (auto i = obj.begin(); i != obj.end(); ++i)
        if (qs(i.key()).compare(qs(key), Qt::CaseInsensitive) == 0)
            return &i.value();
    return nullptr;
}

} // namespace

Values::Values(const Pack &pack) : m_pack(pack)
{
    for (const auto &p : pack.participants)
        m_values.insert(p.id, OJson{{"id", ss(p.id)}, {"dipId", ss(p.dipId)}, {"role", ss(p.role)}, {"mpid", ss(p.mpid)}, {"name", ss(p.name)}});
    m_values.insert(QStringLiteral("pack"), OJson{{"id", ss(pack.id)}, {"version", ss(pack.version)}, {"environment", ss(pack.environment)}});
    m_values.insert(QStringLiteral("today"), ss(londonToday().toString(Qt::ISODate)));
}

void Values::bind(const QString &name, OJson value)
{
    m_values.insert(name, std::move(value));
}

QStringList Values::takeUnresolved()
{
    QStringList out;
    out.swap(m_unresolved);
    return out;
}

const OJson *Values::lookup(const QString &ref)
{
    const QString root = ref.section(QLatin1Char('.'), 0, 0);
    const QString rest = ref.section(QLatin1Char('.'), 1);
    if (root == QLatin1String("now")) {
        m_values.insert(QStringLiteral("now"), ss(dt::formatDt003London(Clock::nowMs())));
    }
    auto it = m_values.find(root);
    if (it == m_values.end())
        return nullptr;
    if (rest.isEmpty())
        return &*it;
    return routing::jsonAtPath(*it, rest);
}

QString Values::text(const QString &t)
{
    if (!t.contains(QLatin1String("${")))
        return t;
    static const QRegularExpression re(QStringLiteral("\\$\\{([^}]*)\\}"));
    QString out;
    qsizetype last = 0;
    for (auto it = re.globalMatch(t); it.hasNext();) {
        const auto m = it.next();
        out += t.mid(last, m.capturedStart() - last);
        const QString ref = m.captured(1).trimmed();
        if (const OJson *v = lookup(ref))
            out += valueText(*v);
        else
            m_unresolved << ref;
        last = m.capturedEnd();
    }
    out += t.mid(last);
    return out;
}

OJson Values::evaluate(const OJson &spec)
{
    if (spec.is_string()) {
        const QString t = qs(spec.get<std::string>());
        static const QRegularExpression whole(QStringLiteral("^\\$\\{([^}]*)\\}$"));
        const auto m = whole.match(t);
        if (m.hasMatch()) {
            if (const OJson *v = lookup(m.captured(1).trimmed()))
                return *v;
            m_unresolved << m.captured(1).trimmed();
            return nullptr;
        }
        return ss(text(t));
    }
    if (spec.is_object()) {
        if (spec.contains("generate"))
            return generate(spec);
        OJson out = OJson::object();
        for (auto it = spec.begin(); it != spec.end(); ++it)
            out[it.key()] = evaluate(it.value());
        return out;
    }
    if (spec.is_array()) {
        OJson out = OJson::array();
        for (const auto &v : spec)
            out.push_back(evaluate(v));
        return out;
    }
    return spec;
}

OJson Values::generate(const OJson &spec)
{
    const QString kind = stringOf(spec, "generate");
    const qint64 now = Clock::nowMs();
    const int days = intOf(spec, "days");
    if (kind == QLatin1String("mpan")) {
        QString prefix = stringOf(spec, "prefix");
        if (prefix.isEmpty() && spec.contains("distributor"))
            if (const PackParticipant *d = m_pack.participant(stringOf(spec, "distributor")))
                prefix = d->mpanPrefix;
        return ss(generateMpan(prefix.isEmpty() ? QStringLiteral("20") : prefix));
    }
    if (kind == QLatin1String("correlationId"))
        return ss(ids::correlationId(now));
    if (kind == QLatin1String("reference"))
        return ss(uniqueReference(stringOf(spec, "channel", QStringLiteral("IF-001")), stringOf(spec, "dipId", QStringLiteral("0000000000")),
                                  stringOf(spec, "role", QStringLiteral("SUP")), now));
    if (kind == QLatin1String("timestamp"))
        return ss(dt::formatDt003London(now + signedDuration(stringOf(spec, "offset", QStringLiteral("0s")))));
    const QDate day = londonToday().addDays(days);
    if (kind == QLatin1String("ukMidnight"))
        return ss(dt::formatDt003London(dt::ukMidnightMs(day)));
    if (kind == QLatin1String("date"))
        return ss(day.toString(Qt::ISODate));
    // Settlement data is UTC (DOMAIN.md 9): the day is a UTC date, its 48 periods end on :00 and :30.
    const QDate utcDay = QDateTime::fromMSecsSinceEpoch(now, QTimeZone::utc()).date().addDays(days);
    const qint64 dayStart = QDateTime(utcDay, QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
    if (kind == QLatin1String("settlementDay"))
        return ss(dt::formatDt003Utc(dayStart));
    if (kind == QLatin1String("settlementPeriods")) {
        const QString value = stringOf(spec, "value", QStringLiteral("0.250"));
        const QString quality = stringOf(spec, "quality", QStringLiteral("A"));
        OJson periods = OJson::array();
        for (int i = 1; i <= 48; ++i) {
            OJson p = OJson::object();
            p["sp"] = ss(dt::formatDt003Utc(dayStart + qint64(i) * 30 * 60 * 1000));
            p["v"] = ss(value);
            p["q"] = ss(quality);
            p["e"] = nullptr;
            p["arc"] = nullptr;
            periods.push_back(p);
        }
        return periods;
    }
    m_unresolved << QStringLiteral("generate: ") + kind;
    return nullptr;
}

QString Values::generateMpan(const QString &prefix)
{
    QString first12 = prefix.left(12);
    while (first12.size() < 12)
        first12 += QChar(u'0' + QRandomGenerator::global()->bounded(10));
    return first12 + QString::number(schema::mpanCheckDigit(first12));
}

QString Values::uniqueReference(const QString &channel, const QString &dipId, const QString &role, qint64 nowMs)
{
    static std::atomic<int> counter{0};
    const QString day = QDateTime::fromMSecsSinceEpoch(nowMs, QTimeZone::utc()).toString(QStringLiteral("yyyyMMdd"));
    return QStringLiteral("S-%1-%2-%3-%4-%5%6").arg(channel, dipId, role, day, ids::randomAlnum(8).toUpper()).arg(++counter);
}

void setAtPath(OJson &root, const QString &path, OJson value)
{
    const QStringList parts = path.split(QLatin1Char('.'));
    OJson *cur = &root;
    for (int i = 0; i < parts.size(); ++i) {
        const QString &part = parts[i];
        const bool last = i == parts.size() - 1;
        bool isIndex = false;
        const int index = part.toInt(&isIndex);
        if (isIndex && (cur->is_array() || cur->is_null())) {
            if (cur->is_null())
                *cur = OJson::array();
            while (int(cur->size()) <= index)
                cur->push_back(nullptr);
            cur = &(*cur)[size_t(index)];
        } else {
            if (!cur->is_object())
                *cur = OJson::object();
            OJson *next = childCi(*cur, ss(part));
            cur = next ? next : &(*cur)[ss(part)];
        }
        if (last)
            *cur = std::move(value);
    }
}

bool removeAtPath(OJson &root, const QString &path)
{
    const int dot = int(path.lastIndexOf(QLatin1Char('.')));
    OJson *parent = &root;
    if (dot > 0) {
        const OJson *p = routing::jsonAtPath(root, path.left(dot));
        if (!p)
            return false;
        parent = const_cast<OJson *>(p);
    }
    const QString key = path.mid(dot + 1);
    if (parent->is_object()) {
        for (auto it = parent->begin(); it != parent->end(); ++it)
            if (qs(it.key()).compare(key, Qt::CaseInsensitive) == 0) {
                parent->erase(it);
                return true;
            }
        return false;
    }
    bool ok = false;
    const int index = key.toInt(&ok);
    if (parent->is_array() && ok && index >= 0 && size_t(index) < parent->size()) {
        parent->erase(parent->begin() + index);
        return true;
    }
    return false;
}

QString valueText(const OJson &v)
{
    if (v.is_string())
        return qs(v.get<std::string>());
    if (v.is_object() && v.contains("core"))
        return valueText(v["core"]);
    return qs(v.dump());
}

} // namespace dipwb::scenario
