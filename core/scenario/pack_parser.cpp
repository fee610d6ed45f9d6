// SPDX-License-Identifier: GPL-3.0-or-later
// Reading a pack's own sections: header, settings, participants and their rules, fixtures,
// variables, templates.
#include "scenario/pack_parser.h"

#include "schema/yaml_source.h"

#include <QRegularExpression>

namespace dipwb::scenario::detail {

std::optional<Pack> PackParser::read(const YAML::Node &root)
{
    static const QStringList top{QStringLiteral("pack"),         QStringLiteral("settings"),  QStringLiteral("participants"),
                                 QStringLiteral("fixtures"),     QStringLiteral("variables"), QStringLiteral("templates"),
                                 QStringLiteral("scenarios")};
    const auto m = m_r.map(root, QString(), top, 1);
    if (!m)
        return std::nullopt;
    Pack p;
    readHeader(*m, &p);
    if (const auto *e = m->find(QStringLiteral("settings")))
        readSettings(e->value, e->line, &p.settings);
    if (const auto *e = m->find(QStringLiteral("participants")))
        readParticipants(e->value, e->line, &p);
    else
        m_r.error(code::kMissing, QStringLiteral("participants is required (the parties of the pack)"), m->line);
    if (const auto *e = m->find(QStringLiteral("fixtures")))
        readFixtures(e->value, e->line, &p);
    if (const auto *e = m->find(QStringLiteral("variables")))
        p.variables = readVars(e->value, QStringLiteral("variables"), e->line);
    if (const auto *e = m->find(QStringLiteral("templates")))
        readTemplates(e->value, e->line, &p);
    if (const auto *e = m->find(QStringLiteral("scenarios")))
        readScenarios(e->value, e->line, &p);
    if (p.caseCount() == 0 && !m_r.failed())
        m_r.error(code::kNoCases, QStringLiteral("scenarios: the pack has no test case"), m->line);
    return p;
}

void PackParser::readHeader(const MapView &m, Pack *p)
{
    const auto *e = m.find(QStringLiteral("pack"));
    if (!e) {
        m_r.error(code::kMissing, QStringLiteral("pack is required (id, title, version, stage, environment, catalogue)"), m.line);
        return;
    }
    static const QStringList keys{QStringLiteral("id"),          QStringLiteral("title"),    QStringLiteral("version"),
                                  QStringLiteral("stage"),       QStringLiteral("environment"), QStringLiteral("catalogue"),
                                  QStringLiteral("description")};
    const auto h = m_r.map(e->value, QStringLiteral("pack"), keys, e->line);
    if (!h)
        return;
    const QString path = QStringLiteral("pack");
    p->id = m_r.text(*h, QStringLiteral("id"), path, true);
    p->title = m_r.text(*h, QStringLiteral("title"), path, true);
    p->version = m_r.text(*h, QStringLiteral("version"), path, true);
    p->stage = m_r.text(*h, QStringLiteral("stage"), path, true);
    p->environment = m_r.text(*h, QStringLiteral("environment"), path, false, QStringLiteral("SIT"));
    p->catalogue = m_r.text(*h, QStringLiteral("catalogue"), path, false);
    p->description = m_r.text(*h, QStringLiteral("description"), path, false);
    static const QStringList stages{QStringLiteral("PIT"), QStringLiteral("SIT"), QStringLiteral("QT")};
    if (!p->stage.isEmpty() && !stages.contains(p->stage))
        m_r.error(code::kBadValue, QStringLiteral("pack.stage: '%1' is not one of PIT, SIT, QT").arg(p->stage), h->find(QStringLiteral("stage"))->line);
    static const QStringList envs{QStringLiteral("DEV"), QStringLiteral("SIT"), QStringLiteral("SITB"), QStringLiteral("UIT"), QStringLiteral("PRD")};
    if (!envs.contains(p->environment))
        m_r.error(code::kBadValue, QStringLiteral("pack.environment: '%1' is not one of DEV, SIT, SITB, UIT, PRD").arg(p->environment), h->line);
}

void PackParser::readSettings(const YAML::Node &n, int line, PackSettings *s)
{
    static const QStringList keys{QStringLiteral("deliveryWithin"), QStringLiteral("nothingWithin"), QStringLiteral("rejectionWithin"),
                                  QStringLiteral("caseTimeout"),    QStringLiteral("parallel"),      QStringLiteral("jobs")};
    const QString path = QStringLiteral("settings");
    const auto m = m_r.map(n, path, keys, line);
    if (!m)
        return;
    const auto set = [&](const char *key, qint64 *out) {
        const qint64 v = m_r.duration(*m, QLatin1String(key), path);
        if (v >= 0)
            *out = v;
    };
    set("deliveryWithin", &s->deliveryWithinMs);
    set("nothingWithin", &s->nothingWithinMs);
    set("rejectionWithin", &s->rejectionWithinMs);
    set("caseTimeout", &s->caseTimeoutMs);
    if (const auto f = m_r.flag(*m, QStringLiteral("parallel"), path))
        s->parallel = *f;
    if (const auto *e = m->find(QStringLiteral("jobs"))) {
        bool ok = false;
        const int j = QString::fromStdString(e->value.IsScalar() ? e->value.Scalar() : std::string()).toInt(&ok);
        if (!ok || j < 1 || j > 64)
            m_r.error(code::kBadValue, QStringLiteral("settings.jobs must be a whole number from 1 to 64"), e->line);
        else
            s->jobs = j;
    }
}

void PackParser::readParticipants(const YAML::Node &n, int line, Pack *p)
{
    const QString path = QStringLiteral("participants");
    const auto items = m_r.list(n, path, line);
    if (!items)
        return;
    static const QStringList keys{QStringLiteral("id"),         QStringLiteral("dipId"),    QStringLiteral("role"),
                                  QStringLiteral("mpid"),       QStringLiteral("name"),     QStringLiteral("underTest"),
                                  QStringLiteral("webhooks"),   QStringLiteral("statusWebhook"), QStringLiteral("mpanPrefix"),
                                  QStringLiteral("rules"),      QStringLiteral("standIn")};
    for (int i = 0; i < items->size(); ++i) {
        const QString ip = at(path, i);
        const auto m = m_r.map(items->at(i), ip, keys, line);
        if (!m)
            continue;
        PackParticipant pp;
        pp.pos = m_r.pos(m->line);
        pp.id = m_r.text(*m, QStringLiteral("id"), ip, true);
        pp.dipId = m_r.text(*m, QStringLiteral("dipId"), ip, true);
        pp.role = m_r.text(*m, QStringLiteral("role"), ip, true);
        pp.mpid = m_r.text(*m, QStringLiteral("mpid"), ip, true);
        pp.name = m_r.text(*m, QStringLiteral("name"), ip, false, pp.role + QLatin1Char(' ') + pp.mpid);
        pp.underTest = m_r.flag(*m, QStringLiteral("underTest"), ip).value_or(false);
        pp.statusWebhook = m_r.text(*m, QStringLiteral("statusWebhook"), ip, false);
        pp.mpanPrefix = m_r.text(*m, QStringLiteral("mpanPrefix"), ip, false);
        if (const auto *e = m->find(QStringLiteral("webhooks"))) {
            if (const auto w = m_r.map(e->value, sub(ip, QStringLiteral("webhooks")), {}, e->line))
                for (const auto &we : w->entries)
                    pp.webhooks.insert(we.key, we.value.IsScalar() ? QString::fromStdString(we.value.Scalar()) : QString());
        }
        if (const auto *e = m->find(QStringLiteral("rules")))
            pp.rules = readRules(e->value, sub(ip, QStringLiteral("rules")), e->line);
        if (const auto *e = m->find(QStringLiteral("standIn")))
            pp.standIn = readRules(e->value, sub(ip, QStringLiteral("standIn")), e->line);
        if (!pp.underTest && !pp.standIn.isEmpty())
            m_r.error(code::kBadValue, QStringLiteral("%1.standIn: only a participant under test has a stand-in; use rules").arg(ip), m->line);
        if (pp.underTest && !pp.rules.isEmpty())
            m_r.error(code::kBadValue, QStringLiteral("%1.rules: a participant under test is an external system; its self-test behaviour goes in standIn").arg(ip), m->line);
        for (const auto &other : std::as_const(p->participants))
            if (!pp.id.isEmpty() && other.id == pp.id)
                m_r.error(code::kDuplicate, QStringLiteral("%1.id: '%2' is already the id of %3").arg(ip, pp.id, other.pos.toString()), m->line);
            else if (!pp.dipId.isEmpty() && other.dipId == pp.dipId)
                m_r.error(code::kDuplicate, QStringLiteral("%1.dipId: '%2' is already the DIP id of '%3'").arg(ip, pp.dipId, other.id), m->line);
        p->participants << pp;
    }
}

QList<Rule> PackParser::readRules(const YAML::Node &n, const QString &path, int line)
{
    QList<Rule> out;
    const auto items = m_r.list(n, path, line);
    if (!items)
        return out;
    static const QStringList keys{QStringLiteral("on"), QStringLiteral("reply"), QStringLiteral("after"), QStringLiteral("send")};
    static const QStringList onKeys{QStringLiteral("channel"), QStringLiteral("event"), QStringLiteral("where")};
    for (int i = 0; i < items->size(); ++i) {
        const QString ip = at(path, i);
        const auto m = m_r.map(items->at(i), ip, keys, line);
        if (!m)
            continue;
        Rule r;
        r.pos = m_r.pos(m->line);
        const auto *on = m->find(QStringLiteral("on"));
        if (!on) {
            m_r.error(code::kMissing, QStringLiteral("%1.on is required (the channel and event that trigger the rule)").arg(ip), m->line);
        } else if (const auto o = m_r.map(on->value, sub(ip, QStringLiteral("on")), onKeys, on->line)) {
            r.channel = m_r.text(*o, QStringLiteral("channel"), sub(ip, QStringLiteral("on")), true);
            r.event = m_r.text(*o, QStringLiteral("event"), sub(ip, QStringLiteral("on")), false);
            if (!r.event.isEmpty() && !r.event.startsWith(QLatin1Char('[')))
                r.event = QLatin1Char('[') + r.event + QLatin1Char(']');
            if (const auto *w = o->find(QStringLiteral("where")))
                r.where = readWhere(w->value, sub(ip, QStringLiteral("on.where")), w->line);
        }
        if (const auto *e = m->find(QStringLiteral("reply"))) {
            bool ok = false;
            const int status = e->value.IsScalar() ? QString::fromStdString(e->value.Scalar()).toInt(&ok) : 0;
            if (!ok || status < 100 || status > 599)
                m_r.error(code::kBadValue, QStringLiteral("%1.reply must be an HTTP status from 100 to 599").arg(ip), e->line);
            else
                r.reply = status;
        }
        const qint64 after = m_r.duration(*m, QStringLiteral("after"), ip);
        r.afterMs = after < 0 ? 0 : after;
        if (const auto *e = m->find(QStringLiteral("send"))) {
            if (e->value.IsMap()) {
                r.send << readMessage(e->value, sub(ip, QStringLiteral("send")), e->line, false);
            } else if (const auto sends = m_r.list(e->value, sub(ip, QStringLiteral("send")), e->line)) {
                for (int j = 0; j < sends->size(); ++j)
                    r.send << readMessage(sends->at(j), at(sub(ip, QStringLiteral("send")), j), e->line, false);
            }
        }
        out << r;
    }
    return out;
}

QList<Assertion> PackParser::readWhere(const YAML::Node &n, const QString &path, int line)
{
    QList<Assertion> out;
    const auto m = m_r.map(n, path, {}, line);
    if (!m)
        return out;
    static const QStringList ops{QStringLiteral("equals"), QStringLiteral("regex"), QStringLiteral("exists"),
                                 QStringLiteral("absent"), QStringLiteral("oneOf"), QStringLiteral("range")};
    for (const auto &e : m->entries) {
        Assertion a;
        a.path = e.key;
        a.pos = m_r.pos(e.line);
        const QString ap = sub(path, e.key);
        if (!e.value.IsMap()) {
            a.op = Assertion::Op::Equals;   // `path: value` is short for equals
            a.value = m_r.json(e.value);
            out << a;
            continue;
        }
        const auto am = m_r.map(e.value, ap, ops, e.line);
        if (!am)
            continue;
        if (am->entries.size() != 1) {
            m_r.error(code::kBadValue, QStringLiteral("%1 must have exactly one of: %2").arg(ap, ops.join(QStringLiteral(", "))), e.line);
            continue;
        }
        const auto &op = am->entries.first();
        if (op.key == QLatin1String("equals")) {
            a.op = Assertion::Op::Equals;
            a.value = m_r.json(op.value);
        } else if (op.key == QLatin1String("regex")) {
            a.op = Assertion::Op::Regex;
            const QString pattern = op.value.IsScalar() ? QString::fromStdString(op.value.Scalar()) : QString();
            if (!QRegularExpression(pattern).isValid())
                m_r.error(code::kBadValue, QStringLiteral("%1.regex: '%2' is not a valid regular expression (%3)")
                                               .arg(ap, pattern, QRegularExpression(pattern).errorString()), op.line);
            a.value = ss(pattern);
        } else if (op.key == QLatin1String("exists") || op.key == QLatin1String("absent")) {
            a.op = op.key == QLatin1String("exists") ? Assertion::Op::Exists : Assertion::Op::Absent;
            if (!op.value.IsScalar() || op.value.Scalar() != "true")
                m_r.error(code::kBadValue, QStringLiteral("%1.%2 takes the value true").arg(ap, op.key), op.line);
        } else if (op.key == QLatin1String("oneOf")) {
            a.op = Assertion::Op::OneOf;
            a.value = m_r.json(op.value);
            if (!a.value.is_array() || a.value.empty())
                m_r.error(code::kBadValue, QStringLiteral("%1.oneOf must be a non-empty list of values").arg(ap), op.line);
        } else {
            a.op = Assertion::Op::Range;
            const OJson range = m_r.json(op.value);
            const auto bound = [&](const char *k) -> std::optional<double> {
                if (!range.is_object() || !range.contains(k))
                    return std::nullopt;
                const OJson &v = range[k];
                if (v.is_number())
                    return v.get<double>();
                bool ok = false;
                const double d = v.is_string() ? qs(v.get<std::string>()).toDouble(&ok) : 0;
                if (ok)
                    return d;
                m_r.error(code::kBadValue, QStringLiteral("%1.range.%2 must be a number").arg(ap, QLatin1String(k)), op.line);
                return std::nullopt;
            };
            a.min = bound("min");
            a.max = bound("max");
            if (!range.is_object() || (!a.min && !a.max))
                m_r.error(code::kBadValue, QStringLiteral("%1.range needs min, max or both: {min: 0, max: 10}").arg(ap), op.line);
        }
        out << a;
    }
    return out;
}

void PackParser::readFixtures(const YAML::Node &n, int line, Pack *p)
{
    const auto m = m_r.map(n, QStringLiteral("fixtures"), {QStringLiteral("mpans")}, line);
    if (!m)
        return;
    const auto *e = m->find(QStringLiteral("mpans"));
    if (!e)
        return;
    const QString path = QStringLiteral("fixtures.mpans");
    const auto items = m_r.list(e->value, path, e->line);
    if (!items)
        return;
    static const QStringList keys{QStringLiteral("id"), QStringLiteral("core"), QStringLiteral("gsp"), QStringLiteral("distributor"),
                                  QStringLiteral("appointments")};
    for (int i = 0; i < items->size(); ++i) {
        const QString ip = at(path, i);
        const auto fm = m_r.map(items->at(i), ip, keys, e->line);
        if (!fm)
            continue;
        MpanFixture f;
        f.pos = m_r.pos(fm->line);
        f.id = m_r.text(*fm, QStringLiteral("id"), ip, true);
        f.gsp = m_r.text(*fm, QStringLiteral("gsp"), ip, false, QStringLiteral("_A"));
        f.distributor = m_r.text(*fm, QStringLiteral("distributor"), ip, true);
        if (const auto *c = fm->find(QStringLiteral("core")))
            f.core = m_r.json(c->value);
        if (const auto *a = fm->find(QStringLiteral("appointments"))) {
            const QString ap = sub(ip, QStringLiteral("appointments"));
            if (const auto rows = m_r.list(a->value, ap, a->line)) {
                for (int j = 0; j < rows->size(); ++j) {
                    const auto am = m_r.map(rows->at(j), at(ap, j), {QStringLiteral("role"), QStringLiteral("party"), QStringLiteral("from")}, a->line);
                    if (!am)
                        continue;
                    Appointment ap1;
                    ap1.pos = m_r.pos(am->line);
                    ap1.role = m_r.text(*am, QStringLiteral("role"), at(ap, j), true);
                    ap1.party = m_r.text(*am, QStringLiteral("party"), at(ap, j), true);
                    ap1.from = m_r.text(*am, QStringLiteral("from"), at(ap, j), true);
                    f.appointments << ap1;
                }
            }
        }
        for (const auto &other : std::as_const(p->fixtures))
            if (other.id == f.id)
                m_r.error(code::kDuplicate, QStringLiteral("%1.id: '%2' is already a fixture (%3)").arg(ip, f.id, other.pos.toString()), fm->line);
        p->fixtures << f;
    }
}

QList<QPair<QString, OJson>> PackParser::readVars(const YAML::Node &n, const QString &path, int line)
{
    QList<QPair<QString, OJson>> out;
    if (const auto m = m_r.map(n, path, {}, line))
        for (const auto &e : m->entries)
            out << qMakePair(e.key, m_r.json(e.value));
    return out;
}

void PackParser::readTemplates(const YAML::Node &n, int line, Pack *p)
{
    const auto m = m_r.map(n, QStringLiteral("templates"), {}, line);
    if (!m)
        return;
    for (const auto &e : m->entries) {
        const QString path = sub(QStringLiteral("templates"), e.key);
        Template t;
        t.name = e.key;
        t.pos = m_r.pos(e.line);
        t.message = readMessage(e.value, path, e.line, true);
        const YAML::Node include = schema::YamlSource::child(e.value, "include");
        if (include.IsScalar())
            t.include = QString::fromStdString(include.Scalar());
        p->templates.insert(t.name, t);
    }
}

} // namespace dipwb::scenario::detail
