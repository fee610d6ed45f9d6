// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/pack_loader.h"

#include "scenario/pack_reader.h"
#include "schema/yaml_source.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace dipwb::scenario {

using namespace detail;

namespace {

QString at(const QString &path, int i)
{
    return QStringLiteral("%1[%2]").arg(path).arg(i);
}

QString sub(const QString &path, const QString &key)
{
    return path + QLatin1Char('.') + key;
}

/// Builds the pack model from the YAML tree; structural errors only (types, keys, durations).
class PackParser
{
public:
    PackParser(Reader &r, const QString &dir) : m_r(r), m_dir(dir) {}

    std::optional<Pack> read(const YAML::Node &root)
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

private:
    void readHeader(const MapView &m, Pack *p)
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

    void readSettings(const YAML::Node &n, int line, PackSettings *s)
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

    void readParticipants(const YAML::Node &n, int line, Pack *p)
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

public:
    QList<Rule> readRules(const YAML::Node &n, const QString &path, int line)
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

private:
    QList<Assertion> readWhere(const YAML::Node &n, const QString &path, int line)
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

    MessageSpec readMessage(const YAML::Node &n, const QString &path, int line, bool isTemplate)
    {
        MessageSpec s;
        QStringList keys{QStringLiteral("template"), QStringLiteral("channel"), QStringLiteral("event"), QStringLiteral("schemaVersion"),
                         QStringLiteral("from"),     QStringLiteral("to"),      QStringLiteral("mpan"),  QStringLiteral("set"),
                         QStringLiteral("remove")};
        if (isTemplate)
            keys << QStringLiteral("include") << QStringLiteral("body") << QStringLiteral("bodyFile");
        const auto m = m_r.map(n, path, keys, line);
        if (!m)
            return s;
        s.pos = m_r.pos(m->line);
        s.templateName = m_r.text(*m, QStringLiteral("template"), path, false);
        s.channel = m_r.text(*m, QStringLiteral("channel"), path, false).toUpper();
        s.event = m_r.text(*m, QStringLiteral("event"), path, false);
        if (!s.event.isEmpty() && !s.event.startsWith(QLatin1Char('[')))
            s.event = QLatin1Char('[') + s.event + QLatin1Char(']');
        s.schemaVersion = m_r.text(*m, QStringLiteral("schemaVersion"), path, false);
        s.from = m_r.text(*m, QStringLiteral("from"), path, false);
        s.to = m_r.texts(*m, QStringLiteral("to"), path);
        s.toGiven = m->has(QStringLiteral("to"));
        s.mpan = m_r.text(*m, QStringLiteral("mpan"), path, false);
        s.remove = m_r.texts(*m, QStringLiteral("remove"), path);
        if (const auto *e = m->find(QStringLiteral("set"))) {
            if (const auto sm = m_r.map(e->value, sub(path, QStringLiteral("set")), {}, e->line))
                for (const auto &se : sm->entries)
                    s.set << qMakePair(se.key, m_r.json(se.value));
        }
        if (const auto *e = m->find(QStringLiteral("body"))) {
            s.body = m_r.json(e->value);
            if (!s.body.is_object())
                m_r.error(code::kType, QStringLiteral("%1.body must be a payload object {CommonBlock, CustomBlock}").arg(path), e->line);
        }
        if (const auto *e = m->find(QStringLiteral("bodyFile"))) {
            const QString rel = e->value.IsScalar() ? QString::fromStdString(e->value.Scalar()) : QString();
            QFile f(QDir(m_dir).filePath(rel));
            if (!f.open(QIODevice::ReadOnly)) {
                m_r.error(code::kUnreadable, QStringLiteral("%1.bodyFile: cannot read '%2': %3").arg(path, f.fileName(), f.errorString()), e->line);
            } else {
                const QByteArray bytes = f.readAll();
                try {
                    OJson body = OJson::parse(bytes.constData(), bytes.constData() + bytes.size());
                    if (body.is_array() && body.size() == 1 && body[0].contains("payload"))
                        body = body[0]["payload"];
                    else if (body.is_object() && body.contains("payload"))
                        body = body["payload"];
                    s.body = body;
                } catch (const std::exception &ex) {
                    m_r.error(code::kSyntax, QStringLiteral("%1.bodyFile: '%2' is not valid JSON: %3").arg(path, rel, QString::fromUtf8(ex.what())), e->line);
                }
            }
        }
        return s;
    }

    void readFixtures(const YAML::Node &n, int line, Pack *p)
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

    QList<QPair<QString, OJson>> readVars(const YAML::Node &n, const QString &path, int line)
    {
        QList<QPair<QString, OJson>> out;
        if (const auto m = m_r.map(n, path, {}, line))
            for (const auto &e : m->entries)
                out << qMakePair(e.key, m_r.json(e.value));
        return out;
    }

    void readTemplates(const YAML::Node &n, int line, Pack *p)
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

    void readScenarios(const YAML::Node &n, int line, Pack *p)
    {
        const QString path = QStringLiteral("scenarios");
        const auto items = m_r.list(n, path, line);
        if (!items)
            return;
        QHash<QString, QString> caseIds;
        for (int i = 0; i < items->size(); ++i) {
            const QString sp = at(path, i);
            const auto m = m_r.map(items->at(i), sp, {QStringLiteral("id"), QStringLiteral("title"), QStringLiteral("cases")}, line);
            if (!m)
                continue;
            Scenario s;
            s.pos = m_r.pos(m->line);
            s.id = m_r.text(*m, QStringLiteral("id"), sp, true);
            s.title = m_r.text(*m, QStringLiteral("title"), sp, false, s.id);
            if (const auto *c = m->find(QStringLiteral("cases"))) {
                if (const auto cases = m_r.list(c->value, sub(sp, QStringLiteral("cases")), c->line)) {
                    for (int j = 0; j < cases->size(); ++j) {
                        TestCase tc = readCase(cases->at(j), at(sub(sp, QStringLiteral("cases")), j), c->line);
                        if (!tc.id.isEmpty()) {
                            if (caseIds.contains(tc.id))
                                m_r.error(code::kDuplicate, QStringLiteral("%1.id: test case id '%2' is already used at %3")
                                                                .arg(at(sub(sp, QStringLiteral("cases")), j), tc.id, caseIds.value(tc.id)),
                                          tc.pos.line);
                            caseIds.insert(tc.id, tc.pos.toString());
                        }
                        s.cases << tc;
                    }
                }
            } else {
                m_r.error(code::kMissing, QStringLiteral("%1.cases is required").arg(sp), m->line);
            }
            p->scenarios << s;
        }
    }

    TestCase readCase(const YAML::Node &n, const QString &path, int line)
    {
        TestCase tc;
        static const QStringList keys{QStringLiteral("id"),   QStringLiteral("title"),  QStringLiteral("requirements"), QStringLiteral("fixtures"),
                                      QStringLiteral("vars"), QStringLiteral("steps"),  QStringLiteral("serial")};
        const auto m = m_r.map(n, path, keys, line);
        if (!m)
            return tc;
        tc.pos = m_r.pos(m->line);
        tc.id = m_r.text(*m, QStringLiteral("id"), path, true);
        tc.title = m_r.text(*m, QStringLiteral("title"), path, true);
        tc.requirements = m_r.texts(*m, QStringLiteral("requirements"), path);
        tc.fixtures = m_r.texts(*m, QStringLiteral("fixtures"), path);
        tc.serial = m_r.flag(*m, QStringLiteral("serial"), path).value_or(false);
        if (const auto *e = m->find(QStringLiteral("vars")))
            tc.vars = readVars(e->value, sub(path, QStringLiteral("vars")), e->line);
        const auto *st = m->find(QStringLiteral("steps"));
        if (!st) {
            m_r.error(code::kMissing, QStringLiteral("%1.steps is required").arg(path), m->line);
            return tc;
        }
        const QString sp = sub(path, QStringLiteral("steps"));
        if (const auto steps = m_r.list(st->value, sp, st->line)) {
            for (int i = 0; i < steps->size(); ++i)
                if (auto s = readStep(steps->at(i), at(sp, i), st->line))
                    tc.steps << *s;
            if (steps->isEmpty())
                m_r.error(code::kMissing, QStringLiteral("%1 is empty: a test case needs at least one step").arg(sp), st->line);
        }
        return tc;
    }

    std::optional<Step> readStep(const YAML::Node &n, const QString &path, int line)
    {
        static const QStringList kinds{QStringLiteral("send"),          QStringLiteral("expect"), QStringLiteral("expectRejection"),
                                       QStringLiteral("expectNothing"), QStringLiteral("wait"),   QStringLiteral("appoint"),
                                       QStringLiteral("checkAppointment")};
        if (!n.IsMap()) {
            m_r.error(code::kType, QStringLiteral("%1 must be a map with one of: %2").arg(path, kinds.join(QStringLiteral(", "))), Reader::lineOf(n));
            return std::nullopt;
        }
        const auto m = m_r.map(n, path, {}, line);
        Step s;
        s.pos = m_r.pos(m->line);
        QString kind;
        const MapView::Entry *body = nullptr;
        for (const auto &e : m->entries) {
            if (e.key == QLatin1String("name")) {
                s.label = e.value.IsScalar() ? QString::fromStdString(e.value.Scalar()) : QString();
                continue;
            }
            if (!kinds.contains(e.key)) {
                const QString meant = likelyKey(e.key, kinds);
                m_r.error(code::kUnknownStep,
                          QStringLiteral("%1: unknown step '%2' (%3)")
                              .arg(path, e.key, meant.isEmpty() ? QStringLiteral("a step is one of: ") + kinds.join(QStringLiteral(", "))
                                                                : QStringLiteral("did you mean '%1'?").arg(meant)),
                          e.line);
                return std::nullopt;
            }
            if (body) {
                m_r.error(code::kBadValue, QStringLiteral("%1: one step per list item ('%2' and '%3' given)").arg(path, kind, e.key), e.line);
                return std::nullopt;
            }
            kind = e.key;
            body = &e;
        }
        if (!body) {
            m_r.error(code::kMissing, QStringLiteral("%1: no step given (one of: %2)").arg(path, kinds.join(QStringLiteral(", "))), m->line);
            return std::nullopt;
        }
        const QString bp = sub(path, kind);
        if (kind == QLatin1String("send")) {
            s.kind = Step::Kind::Send;
            s.message = readMessage(body->value, bp, body->line, false);
        } else if (kind == QLatin1String("wait")) {
            s.kind = Step::Kind::Wait;
            const QString t = body->value.IsScalar() ? QString::fromStdString(body->value.Scalar()) : QString();
            const auto ms = parseDuration(t);
            if (!ms)
                m_r.error(code::kDuration, QStringLiteral("%1: '%2' is not a duration (write e.g. 500ms, 3s, 1.5s, 2m)").arg(bp, t), body->line);
            s.waitMs = ms.value_or(0);
        } else if (kind == QLatin1String("expect") || kind == QLatin1String("expectNothing")) {
            s.kind = kind == QLatin1String("expect") ? Step::Kind::Expect : Step::Kind::ExpectNothing;
            QStringList keys{QStringLiteral("channel"), QStringLiteral("event"), QStringLiteral("to"), QStringLiteral("mpan"),
                             QStringLiteral("within"),  QStringLiteral("where")};
            if (s.kind == Step::Kind::Expect)
                keys << QStringLiteral("status");
            const auto em = m_r.map(body->value, bp, keys, body->line);
            if (!em)
                return std::nullopt;
            s.channel = m_r.text(*em, QStringLiteral("channel"), bp, true).toUpper();
            if (s.channel.startsWith(QLatin1String("PUB-")))
                s.channel = QStringLiteral("IF-") + s.channel.mid(4);
            s.event = m_r.text(*em, QStringLiteral("event"), bp, false);
            if (!s.event.isEmpty() && !s.event.startsWith(QLatin1Char('[')))
                s.event = QLatin1Char('[') + s.event + QLatin1Char(']');
            s.to = m_r.text(*em, QStringLiteral("to"), bp, true);
            s.mpan = m_r.text(*em, QStringLiteral("mpan"), bp, false);
            s.withinMs = m_r.duration(*em, QStringLiteral("within"), bp);
            s.status = m_r.text(*em, QStringLiteral("status"), bp, false, QStringLiteral("Delivered"));
            static const QStringList statuses{QStringLiteral("Delivered"), QStringLiteral("RejectedByRecipient"), QStringLiteral("Retrying"),
                                              QStringLiteral("RetriesExhausted"), QStringLiteral("DeliveryFailure"), QStringLiteral("any")};
            if (!statuses.contains(s.status))
                m_r.error(code::kBadValue, QStringLiteral("%1.status: '%2' is not one of %3").arg(bp, s.status, statuses.join(QStringLiteral(", "))), em->line);
            if (const auto *w = em->find(QStringLiteral("where")))
                s.where = readWhere(w->value, sub(bp, QStringLiteral("where")), w->line);
        } else if (kind == QLatin1String("expectRejection")) {
            s.kind = Step::Kind::ExpectRejection;
            const auto em = m_r.map(body->value, bp, {QStringLiteral("code"), QStringLiteral("within")}, body->line);
            if (!em)
                return std::nullopt;
            s.code = m_r.text(*em, QStringLiteral("code"), bp, true);
            static const QRegularExpression codeRe(QStringLiteral("^(MSG\\d{4}|RCP\\d{4}|HTTP\\d{3})$"));
            if (!s.code.isEmpty() && !codeRe.match(s.code).hasMatch())
                m_r.error(code::kBadValue, QStringLiteral("%1.code: '%2' is not a DIP code such as MSG1031 (or HTTP413)").arg(bp, s.code), em->line);
            s.withinMs = m_r.duration(*em, QStringLiteral("within"), bp);
        } else {
            s.kind = kind == QLatin1String("appoint") ? Step::Kind::Appoint : Step::Kind::CheckAppointment;
            const QString dateKey = s.kind == Step::Kind::Appoint ? QStringLiteral("from") : QStringLiteral("at");
            const auto am = m_r.map(body->value, bp, {QStringLiteral("mpan"), QStringLiteral("role"), QStringLiteral("party"), dateKey}, body->line);
            if (!am)
                return std::nullopt;
            s.mpan = m_r.text(*am, QStringLiteral("mpan"), bp, false);
            s.role = m_r.text(*am, QStringLiteral("role"), bp, true);
            s.party = m_r.text(*am, QStringLiteral("party"), bp, true);
            s.date = m_r.text(*am, dateKey, bp, true);
        }
        return s;
    }

    Reader &m_r;
    QString m_dir;
};

} // namespace

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
