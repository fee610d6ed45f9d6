// SPDX-License-Identifier: GPL-3.0-or-later
// Reading a pack's scenarios: test cases, their steps, and the messages they send.
#include "scenario/pack_parser.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace dipwb::scenario::detail {

void PackParser::readScenarios(const YAML::Node &n, int line, Pack *p)
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

TestCase PackParser::readCase(const YAML::Node &n, const QString &path, int line)
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

std::optional<Step> PackParser::readStep(const YAML::Node &n, const QString &path, int line)
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

MessageSpec PackParser::readMessage(const YAML::Node &n, const QString &path, int line, bool isTemplate)
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

} // namespace dipwb::scenario::detail
