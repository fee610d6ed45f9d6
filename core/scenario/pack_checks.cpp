// SPDX-License-Identifier: GPL-3.0-or-later
// The reference checks of a pack: everything a step names must exist before anything runs.
#include "scenario/pack_loader.h"

#include "participants/participant_loader.h"
#include "scenario/pack_reader.h"

#include <QRegularExpression>
#include <QSet>

namespace dipwb::scenario {

using namespace detail;

QStringList variableReferences(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("\\$\\{([^}]*)\\}"));
    QStringList out;
    for (auto it = re.globalMatch(text); it.hasNext();)
        out << it.next().captured(1).trimmed();
    return out;
}

QStringList variableReferences(const OJson &value)
{
    QStringList out;
    if (value.is_string())
        return variableReferences(qs(value.get<std::string>()));
    if (value.is_array() || value.is_object())
        for (const auto &v : value)
            out << variableReferences(v);
    return out;
}

namespace {

/// Names a ${...} may start with, beyond the pack's and case's own variables.
const QStringList &builtinRoots()
{
    static const QStringList roots{QStringLiteral("case"), QStringLiteral("pack"), QStringLiteral("now"), QStringLiteral("today")};
    return roots;
}

class Checker
{
public:
    Checker(const Pack &p, const catalogue::Catalogue &c, Issues *issues) : m_pack(p), m_cat(c), m_issues(issues) {}

    void run()
    {
        for (const auto &pp : m_pack.participants)
            checkParticipant(pp);
        for (const auto &f : m_pack.fixtures)
            checkFixture(f);
        QSet<QString> packVars;
        for (const auto &[name, value] : m_pack.variables) {
            checkValue(value, rootsWith(packVars), {}, QStringLiteral("variables.") + name, SourcePos{m_pack.file, 0});
            checkGenerator(value, QStringLiteral("variables.") + name, SourcePos{m_pack.file, 0});
            packVars << name;
        }
        m_packVars = packVars;
        for (const auto &t : m_pack.templates)
            checkTemplate(t);
        for (int i = 0; i < m_pack.scenarios.size(); ++i) {
            const auto &s = m_pack.scenarios[i];
            for (int j = 0; j < s.cases.size(); ++j)
                checkCase(s.cases[j], QStringLiteral("scenarios[%1].cases[%2]").arg(i).arg(j));
        }
    }

private:
    void error(const QString &code, const QString &text, const SourcePos &pos)
    {
        m_issues->append(Issue::error(code, text, pos.toString()));
    }

    QSet<QString> rootsWith(const QSet<QString> &vars) const
    {
        QSet<QString> r = vars;
        for (const auto &b : builtinRoots())
            r << b;
        for (const auto &p : m_pack.participants)
            r << p.id;
        for (const auto &f : m_pack.fixtures)
            r << f.id;
        return r;
    }

    void checkValue(const OJson &value, const QSet<QString> &roots, const QString &extraRoot, const QString &path, const SourcePos &pos)
    {
        for (const QString &ref : variableReferences(value))
            checkRef(ref, roots, extraRoot, path, pos);
    }
    void checkText(const QString &text, const QSet<QString> &roots, const QString &extraRoot, const QString &path, const SourcePos &pos)
    {
        for (const QString &ref : variableReferences(text))
            checkRef(ref, roots, extraRoot, path, pos);
    }
    void checkRef(const QString &ref, const QSet<QString> &roots, const QString &extraRoot, const QString &path, const SourcePos &pos)
    {
        const QString root = ref.section(QLatin1Char('.'), 0, 0);
        if (roots.contains(root) || (!extraRoot.isEmpty() && root == extraRoot))
            return;
        error(code::kUnknownVariable,
              QStringLiteral("%1: ${%2} names no variable, fixture or participant of the pack%3")
                  .arg(path, ref, root == QLatin1String("trigger") ? QStringLiteral(" (trigger is only known inside a rule)") : QString()),
              pos);
    }

    void checkGenerator(const OJson &value, const QString &path, const SourcePos &pos)
    {
        if (!value.is_object() || !value.contains("generate"))
            return;
        static const QStringList kinds{QStringLiteral("mpan"),       QStringLiteral("reference"),  QStringLiteral("correlationId"),
                                       QStringLiteral("timestamp"),  QStringLiteral("ukMidnight"), QStringLiteral("date"),
                                       QStringLiteral("settlementDay"), QStringLiteral("settlementPeriods")};
        const QString kind = value["generate"].is_string() ? qs(value["generate"].get<std::string>()) : QString();
        if (!kinds.contains(kind))
            error(code::kGenerator, QStringLiteral("%1.generate: '%2' is not a generator (one of: %3)").arg(path, kind, kinds.join(QStringLiteral(", "))), pos);
        if (value.contains("distributor")) {
            const QString d = value["distributor"].is_string() ? qs(value["distributor"].get<std::string>()) : QString();
            if (!m_pack.participant(d))
                error(code::kUnknownParticipant, QStringLiteral("%1.distributor: '%2' is not a participant of the pack").arg(path, d), pos);
        }
    }

    void checkParticipant(const PackParticipant &pp)
    {
        participants::Participant p;
        p.dipId = pp.dipId;
        p.role = pp.role;
        p.mpid = pp.mpid;
        for (Issue i : participants::validateParticipant(p, pp.pos.toString())) {
            i.code = code::kBadValue;
            i.text = QStringLiteral("participant '%1': %2").arg(pp.id, i.text);
            m_issues->append(i);
        }
        if (!pp.mpanPrefix.isEmpty() && !QRegularExpression(QStringLiteral("^\\d{2}$")).match(pp.mpanPrefix).hasMatch())
            error(code::kBadValue, QStringLiteral("participant '%1': mpanPrefix '%2' must be two digits").arg(pp.id, pp.mpanPrefix), pp.pos);
        for (auto it = pp.webhooks.cbegin(); it != pp.webhooks.cend(); ++it)
            if (!m_cat.channel(participants::normaliseChannelId(it.key())))
                error(code::kUnknownChannel, QStringLiteral("participant '%1': webhooks: '%2' is not a channel of catalogue %3")
                                                 .arg(pp.id, it.key(), m_cat.version()), pp.pos);
        const QString base = QStringLiteral("participant '%1'").arg(pp.id);
        for (int i = 0; i < pp.rules.size(); ++i)
            checkRule(pp.rules[i], QStringLiteral("%1 rules[%2]").arg(base).arg(i));
        for (int i = 0; i < pp.standIn.size(); ++i)
            checkRule(pp.standIn[i], QStringLiteral("%1 standIn[%2]").arg(base).arg(i));
    }

    void checkRule(const Rule &r, const QString &path)
    {
        checkChannelEvent(r.channel, r.event, path + QStringLiteral(".on"), r.pos);
        // A rule fires outside any case: it sees the pack's variables, participants and trigger.
        QSet<QString> roots = m_packVarsAll();
        for (const auto &p : m_pack.participants)
            roots << p.id;
        roots << QStringLiteral("pack") << QStringLiteral("now") << QStringLiteral("today");
        for (const auto &a : r.where)
            checkValue(a.value, roots, QStringLiteral("trigger"), path + QStringLiteral(".on.where.") + a.path, a.pos);
        for (int i = 0; i < r.send.size(); ++i)
            checkMessage(r.send[i], roots, QStringLiteral("trigger"), QStringLiteral("%1.send[%2]").arg(path).arg(i), true);
    }

    QSet<QString> m_packVarsAll() const
    {
        QSet<QString> s;
        for (const auto &[name, value] : m_pack.variables)
            s << name;
        return s;
    }

    void checkChannelEvent(const QString &channel, const QString &event, const QString &path, const SourcePos &pos)
    {
        const catalogue::ChannelDef *def = m_cat.channel(participants::normaliseChannelId(channel));
        if (!def) {
            error(code::kUnknownChannel, QStringLiteral("%1.channel: '%2' is not a channel of catalogue %3").arg(path, channel, m_cat.version()), pos);
            return;
        }
        if (!event.isEmpty() && !def->event(event))
            error(code::kUnknownEvent, QStringLiteral("%1.event: %2 is not an event of %3 (it has %4)")
                                           .arg(path, event, def->id, def->eventCodes().join(QStringLiteral(", "))), pos);
    }

    /// The channel and event a message ends up with after its template chain.
    QPair<QString, QString> effective(const MessageSpec &m) const
    {
        QString channel = m.channel, event = m.event, t = m.templateName;
        QSet<QString> seen;
        while (!t.isEmpty() && !seen.contains(t) && m_pack.templates.contains(t)) {
            seen << t;
            const Template &tp = m_pack.templates[t];
            if (channel.isEmpty())
                channel = tp.message.channel;
            if (event.isEmpty())
                event = tp.message.event;
            t = tp.include;
        }
        return {channel, event};
    }

    void checkMessage(const MessageSpec &m, const QSet<QString> &roots, const QString &extraRoot, const QString &path, bool inRule)
    {
        if (!m.templateName.isEmpty() && !m_pack.templates.contains(m.templateName))
            error(code::kUnknownTemplate, QStringLiteral("%1.template: '%2' is not a template of the pack").arg(path, m.templateName), m.pos);
        const auto [channel, event] = effective(m);
        if (channel.isEmpty())
            error(code::kMissing, QStringLiteral("%1.channel is required (or a template that gives one)").arg(path), m.pos);
        else if (event.isEmpty())
            error(code::kMissing, QStringLiteral("%1.event is required (or a template that gives one)").arg(path), m.pos);
        else
            checkChannelEvent(channel, event, path, m.pos);
        QString from = m.from;
        for (QString t = m.templateName; from.isEmpty() && m_pack.templates.contains(t); t = m_pack.templates[t].include)
            from = m_pack.templates[t].message.from;
        if (from.isEmpty() && !inRule)
            error(code::kMissing, QStringLiteral("%1.from is required (the participant that sends)").arg(path), m.pos);
        else if (!m.from.contains(QLatin1String("${")) && !m.from.isEmpty() && !m_pack.participant(m.from))
            // (a sender given by the template is checked with the template)
            error(code::kUnknownParticipant, QStringLiteral("%1.from: '%2' is not a participant of the pack").arg(path, m.from), m.pos);
        static const QRegularExpression dipId(QStringLiteral("^[0-9A-Za-z]{10}$"));
        for (const QString &to : m.to) {
            if (to.contains(QLatin1String("${")))
                checkText(to, roots, extraRoot, path + QStringLiteral(".to"), m.pos);
            else if (!m_pack.participant(to) && !dipId.match(to).hasMatch())
                error(code::kUnknownParticipant, QStringLiteral("%1.to: '%2' is neither a participant of the pack nor a 10-character DIP id").arg(path, to), m.pos);
        }
        checkMpan(m.mpan, roots, extraRoot, path, m.pos);
        for (const auto &[p, v] : m.set)
            checkValue(v, roots, extraRoot, path + QStringLiteral(".set.") + p, m.pos);
    }

    void checkMpan(const QString &mpan, const QSet<QString> &roots, const QString &extraRoot, const QString &path, const SourcePos &pos)
    {
        if (mpan.isEmpty())
            return;
        if (mpan.contains(QLatin1String("${")))
            checkText(mpan, roots, extraRoot, path + QStringLiteral(".mpan"), pos);
        else if (!m_pack.fixture(mpan) && !QRegularExpression(QStringLiteral("^\\d{13}$")).match(mpan).hasMatch())
            error(code::kUnknownFixture, QStringLiteral("%1.mpan: '%2' is neither an MPAN fixture of the pack nor a 13-digit MPAN core").arg(path, mpan), pos);
    }

    void checkTemplate(const Template &t)
    {
        const QString path = QStringLiteral("templates.") + t.name;
        QStringList chain{t.name};
        QString next = t.include;
        while (!next.isEmpty()) {
            if (!m_pack.templates.contains(next)) {
                error(code::kUnknownTemplate, QStringLiteral("%1.include: '%2' is not a template of the pack").arg(path, next), t.pos);
                return;
            }
            if (chain.contains(next)) {
                chain << next;
                error(code::kIncludeCycle, QStringLiteral("%1.include: templates include each other in a cycle: %2").arg(path, chain.join(QStringLiteral(" -> "))), t.pos);
                return;
            }
            chain << next;
            next = m_pack.templates[next].include;
        }
        // Participants named outright must exist; ${...} ones are resolved where the template is used.
        if (!t.message.from.isEmpty() && !t.message.from.contains(QLatin1String("${")) && !m_pack.participant(t.message.from))
            error(code::kUnknownParticipant, QStringLiteral("%1.from: '%2' is not a participant of the pack").arg(path, t.message.from), t.pos);
        static const QRegularExpression dipId(QStringLiteral("^[0-9A-Za-z]{10}$"));
        for (const QString &to : t.message.to)
            if (!to.contains(QLatin1String("${")) && !m_pack.participant(to) && !dipId.match(to).hasMatch())
                error(code::kUnknownParticipant,
                      QStringLiteral("%1.to: '%2' is neither a participant of the pack nor a 10-character DIP id").arg(path, to), t.pos);
        if (!t.message.templateName.isEmpty())
            error(code::kBadValue, QStringLiteral("%1: a template starts from another with include, not template").arg(path), t.pos);
        const auto [channel, event] = effective(t.message);
        if (!channel.isEmpty())
            checkChannelEvent(channel, event, path, t.pos);
        // Templates are filled in the case or rule that uses them, so any root is checked there.
    }

    void checkFixture(const MpanFixture &f)
    {
        const QString path = QStringLiteral("fixture '%1'").arg(f.id);
        if (!m_pack.participant(f.distributor))
            error(code::kUnknownParticipant, QStringLiteral("%1: distributor '%2' is not a participant of the pack").arg(path, f.distributor), f.pos);
        static const QRegularExpression gsp(QStringLiteral("^_[A-HJ-NP]$"));
        if (!gsp.match(f.gsp).hasMatch())
            error(code::kBadValue, QStringLiteral("%1: gsp '%2' is not a GSP group (_A to _P, without _I and _O)").arg(path, f.gsp), f.pos);
        checkGenerator(f.core, path + QStringLiteral(".core"), f.pos);
        for (const auto &a : f.appointments) {
            if (!m_pack.participant(a.party))
                error(code::kUnknownParticipant, QStringLiteral("%1: appointment party '%2' is not a participant of the pack").arg(path, a.party), a.pos);
            if (!participants::isKnownRole(a.role))
                error(code::kBadValue, QStringLiteral("%1: appointment role '%2' is not a role code").arg(path, a.role), a.pos);
            checkText(a.from, rootsWith(m_packVarsAll()), {}, path + QStringLiteral(".from"), a.pos);
        }
    }

    void checkCase(const TestCase &tc, const QString &path)
    {
        for (const QString &f : tc.fixtures)
            if (!m_pack.fixture(f))
                error(code::kUnknownFixture, QStringLiteral("%1.fixtures: '%2' is not an MPAN fixture of the pack").arg(path, f), tc.pos);
        QSet<QString> vars = m_packVars;
        for (const auto &[name, value] : tc.vars) {
            checkValue(value, rootsWith(vars), {}, path + QStringLiteral(".vars.") + name, tc.pos);
            checkGenerator(value, path + QStringLiteral(".vars.") + name, tc.pos);
            vars << name;
        }
        const QSet<QString> roots = rootsWith(vars);
        bool sentBefore = false;
        for (int i = 0; i < tc.steps.size(); ++i) {
            const Step &s = tc.steps[i];
            const QString sp = QStringLiteral("%1.steps[%2].%3").arg(path).arg(i).arg(stepKindName(s.kind));
            switch (s.kind) {
            case Step::Kind::Send:
                checkMessage(s.message, roots, {}, sp, false);
                sentBefore = true;
                break;
            case Step::Kind::Expect:
            case Step::Kind::ExpectNothing:
                checkChannelEvent(s.channel, s.event, sp, s.pos);
                if (!m_pack.participant(s.to))
                    error(code::kUnknownParticipant, QStringLiteral("%1.to: '%2' is not a participant of the pack").arg(sp, s.to), s.pos);
                checkMpan(s.mpan, roots, {}, sp, s.pos);
                for (const auto &a : s.where)
                    checkValue(a.value, roots, {}, sp + QStringLiteral(".where.") + a.path, a.pos);
                break;
            case Step::Kind::ExpectRejection:
                if (!sentBefore)
                    error(code::kBadValue, QStringLiteral("%1: checks the answer to the send before it, but no send comes before").arg(sp), s.pos);
                break;
            case Step::Kind::Appoint:
            case Step::Kind::CheckAppointment:
                checkMpan(s.mpan, roots, {}, sp, s.pos);
                if (!participants::isKnownRole(s.role))
                    error(code::kBadValue, QStringLiteral("%1.role: '%2' is not a role code").arg(sp, s.role), s.pos);
                if (s.party != QLatin1String("none") && !m_pack.participant(s.party))
                    error(code::kUnknownParticipant, QStringLiteral("%1.party: '%2' is not a participant of the pack").arg(sp, s.party), s.pos);
                checkText(s.date, roots, {}, sp, s.pos);
                break;
            case Step::Kind::Wait:
                break;
            }
            if ((s.kind == Step::Kind::Send || s.kind == Step::Kind::Expect || s.kind == Step::Kind::ExpectNothing
                 || s.kind == Step::Kind::Appoint || s.kind == Step::Kind::CheckAppointment)
                && s.mpan.isEmpty() && s.message.mpan.isEmpty() && tc.fixtures.isEmpty() && usesMpan(s))
                error(code::kUnknownFixture, QStringLiteral("%1: names no mpan and the case lists no fixtures").arg(sp), s.pos);
        }
    }

    bool usesMpan(const Step &s) const
    {
        if (s.kind == Step::Kind::Send) {
            const auto [channel, event] = effective(s.message);
            const catalogue::ChannelDef *def = m_cat.channel(participants::normaliseChannelId(channel));
            return def && def->mpanBlock;
        }
        return s.kind == Step::Kind::Appoint || s.kind == Step::Kind::CheckAppointment;
    }

    const Pack &m_pack;
    const catalogue::Catalogue &m_cat;
    Issues *m_issues;
    QSet<QString> m_packVars;
};

} // namespace

void checkPack(const Pack &pack, const catalogue::Catalogue &catalogue, Issues *issues)
{
    Checker(pack, catalogue, issues).run();
}

} // namespace dipwb::scenario
