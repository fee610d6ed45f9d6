// SPDX-License-Identifier: GPL-3.0-or-later
// Pack loading (positioned errors, reference checks), values and generators, assertions.
#include "catalogue/catalogue.h"
#include "routing/json_path.h"
#include "scenario/assertions.h"
#include "scenario/message_builder.h"
#include "scenario/pack_loader.h"
#include "scenario/values.h"
#include "schema/example_builder.h"
#include "schema/schema_set.h"

#include <QDateTime>
#include <QTest>
#include <QTimeZone>

using namespace dipwb;
using namespace dipwb::scenario;

namespace {

// A small valid pack; each malformed case below changes one thing in it.
QByteArray basePack()
{
    return QStringList{
        "pack: {id: t, title: T, version: '1', stage: SIT, environment: SIT}",
        "participants:",
        "  - {id: sup, dipId: '2300000185', role: SUP, mpid: SUPA}",
        "  - {id: regs, dipId: '1100000001', role: REGS, mpid: REGA}",
        "  - {id: ldso, dipId: '2500000033', role: LDSO, mpid: LDSA, mpanPrefix: '14'}",
        "fixtures:",
        "  mpans:",
        "    - {id: home, distributor: ldso}",
        "variables:",
        "  start: {generate: ukMidnight, days: 0}",
        "templates:",
        "  req: {channel: IF-031, event: '[MSApp]', from: sup, to: [regs]}",
        "scenarios:",
        "  - id: S",
        "    cases:",
        "      - id: C-1",
        "        title: one",
        "        fixtures: [home]",
        "        steps:",
        "          - send: {template: req, set: {CustomBlock.B070.proposedMeteringServiceDIPEffectiveFromDate: '${start}'}}",
        "          - expect: {channel: IF-031, to: regs, within: 3s}",
    }.join(QLatin1Char('\n')).toUtf8() + '\n';
}

QByteArray edited(const char *from, const char *to)
{
    QByteArray b = basePack();
    const int at = int(b.indexOf(from));
    if (at < 0)
        qFatal("test pack has no '%s'", from);
    return b.replace(at, int(qstrlen(from)), to);
}

std::optional<Pack> parse(const QByteArray &yaml, Issues *issues)
{
    return parsePack(yaml, QStringLiteral("pack.yaml"), QStringLiteral("."), *catalogue::Catalogue::builtIn(), issues);
}

QString allText(const Issues &issues)
{
    QStringList l;
    for (const Issue &i : issues)
        l << i.code + QLatin1Char(' ') + i.toString();
    return l.join(QLatin1Char('\n'));
}

} // namespace

class TestScenario : public QObject
{
    Q_OBJECT
private slots:
    void basePackLoads()
    {
        Issues issues;
        const auto pack = parse(basePack(), &issues);
        QVERIFY2(pack, qPrintable(allText(issues)));
        QCOMPARE(pack->caseCount(), 1);
        QCOMPARE(pack->scenarios[0].cases[0].steps.size(), 2);
        QCOMPARE(pack->scenarios[0].cases[0].steps[1].withinMs, qint64(3000));
        QCOMPARE(pack->participant(QStringLiteral("ldso"))->mpanPrefix, QStringLiteral("14"));
    }

    void malformedPacks_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("fragment");
        QTest::addColumn<int>("line");
        const auto row = [](const char *name, QByteArray y, const char *code, const char *fragment, int line) {
            QTest::newRow(name) << y << QString::fromLatin1(code) << QString::fromUtf8(fragment) << line;
        };
        row("bad YAML", edited("title: one", "title: [one"), "PACK002", "not valid YAML", 0);
        row("top level is a list", QByteArray("- a\n- b\n"), "PACK003", "the pack must be a map", 1);
        row("unknown top-level key", edited("scenarios:", "scenario:"), "PACK004", "unknown key 'scenario' (did you mean 'scenarios'?)", 13);
        row("no pack header", edited("pack: {id: t, title: T, version: '1', stage: SIT, environment: SIT}", "settings: {}"), "PACK005", "pack is required", 0);
        row("bad stage", edited("stage: SIT", "stage: UAT"), "PACK008", "pack.stage: 'UAT' is not one of PIT, SIT, QT", 1);
        row("unknown step", edited("- expect:", "- expekt:"), "PACK007", "steps[1]: unknown step 'expekt' (did you mean 'expect'?)", 21);
        row("two steps in one item", edited("- expect: {channel: IF-031, to: regs, within: 3s}", "- expect: {channel: IF-031, to: regs}\n            wait: 1s"),
            "PACK008", "one step per list item", 22);
        row("bad duration", edited("within: 3s", "within: 3 sec"), "PACK006", "scenarios[0].cases[0].steps[1].expect.within: '3 sec' is not a duration", 21);
        row("bad wait", edited("- expect: {channel: IF-031, to: regs, within: 3s}", "- wait: soon"), "PACK006", "steps[1].wait: 'soon' is not a duration", 21);
        row("unknown recipient", edited("to: [regs]", "to: [regz]"), "PACK011", "'regz' is neither a participant of the pack nor a 10-character DIP id", 12);
        row("unknown expect participant", edited("to: regs, within", "to: nobody, within"), "PACK011", "expect.to: 'nobody' is not a participant", 21);
        row("unknown sender", edited("from: sup", "from: supp"), "PACK011", "from: 'supp' is not a participant", 12);
        row("duplicate case id", edited("          - expect: {channel: IF-031, to: regs, within: 3s}\n",
                                        "          - expect: {channel: IF-031, to: regs, within: 3s}\n"
                                        "      - id: C-1\n        title: again\n        steps: [{wait: 1s}]\n"),
            "PACK010", "test case id 'C-1' is already used", 22);
        row("duplicate participant id", edited("  - {id: regs,", "  - {id: sup,"), "PACK010", "'sup' is already the id of", 4);
        row("duplicate DIP id", edited("dipId: '1100000001'", "dipId: '2300000185'"), "PACK010", "'2300000185' is already the DIP id of 'sup'", 4);
        row("unknown template", edited("template: req", "template: reqq"), "PACK015", "template: 'reqq' is not a template of the pack", 20);
        row("cyclic include", edited("  req: {channel: IF-031, event: '[MSApp]', from: sup, to: [regs]}",
                                     "  req: {include: a, channel: IF-031, event: '[MSApp]', from: sup, to: [regs]}\n"
                                     "  a: {include: b}\n  b: {include: req}"),
            "PACK016", "templates include each other in a cycle: a -> b -> req -> a", 0);
        row("unknown channel", edited("expect: {channel: IF-031", "expect: {channel: IF-999"), "PACK012", "'IF-999' is not a channel of catalogue", 21);
        row("unknown event", edited("event: '[MSApp]'", "event: '[MSAppX]'"), "PACK013", "[MSAppX] is not an event of IF-031 (it has [MSApp], [DSApp])", 0);
        row("unknown variable", edited("'${start}'", "'${stat}'"), "PACK014", "${stat} names no variable, fixture or participant", 20);
        row("trigger outside a rule", edited("'${start}'", "'${trigger.sender}'"), "PACK014", "(trigger is only known inside a rule)", 20);
        row("unknown fixture", edited("fixtures: [home]", "fixtures: [house]"), "PACK017", "'house' is not an MPAN fixture", 16);
        row("unknown generator", edited("generate: ukMidnight", "generate: midnight"), "PACK018", "'midnight' is not a generator", 0);
        row("bad regex", edited("within: 3s}", "within: 3s, where: {CommonBlock.S1.senderDIPID: {regex: '(['}}}"), "PACK008", "is not a valid regular expression", 21);
        row("two assertion forms", edited("within: 3s}", "within: 3s, where: {x: {equals: 1, absent: true}}}"), "PACK008", "where.x must have exactly one of", 21);
        row("bad role", edited("role: REGS", "role: REG"), "PACK008", "participant 'regs': role", 4);
        row("rejection before any send", edited("          - send: {template: req, set: {CustomBlock.B070.proposedMeteringServiceDIPEffectiveFromDate: '${start}'}}",
                                                "          - expectRejection: {code: MSG1031}"),
            "PACK008", "no send comes before", 20);
        row("bad rejection code", edited("- expect: {channel: IF-031, to: regs, within: 3s}", "- expectRejection: {code: 1031}"), "PACK008", "'1031' is not a DIP code", 21);
        row("no test cases", edited("    cases:", "    cases: []\n    x_cases:"), "PACK004", "unknown key 'x_cases'", 0);
        row("steps not a list", edited("        steps:\n", "        steps: {a: 1}\n        x:\n"), "PACK004", "unknown key 'x'", 0);
        row("bad reply status", edited("  - {id: regs, dipId: '1100000001', role: REGS, mpid: REGA}",
                                       "  - {id: regs, dipId: '1100000001', role: REGS, mpid: REGA, rules: [{on: {channel: IF-031}, reply: 700}]}"),
            "PACK008", "reply must be an HTTP status from 100 to 599", 0);
        row("bad GSP group", edited("{id: home, distributor: ldso}", "{id: home, distributor: ldso, gsp: _I}"), "PACK008", "gsp '_I' is not a GSP group", 8);
        row("stand-in on a simulated party", edited("  - {id: regs, dipId: '1100000001', role: REGS, mpid: REGA}",
                                                    "  - {id: regs, dipId: '1100000001', role: REGS, mpid: REGA, standIn: [{on: {channel: IF-031}}]}"),
            "PACK008", "only a participant under test has a stand-in", 4);
        row("misspelt participant key", edited("mpid: SUPA}", "mpid: SUPA, dipID: x}"), "PACK004", "unknown key 'dipID' (did you mean 'dipId'?)", 3);
    }

    void malformedPacks()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, code);
        QFETCH(QString, fragment);
        QFETCH(int, line);
        Issues issues;
        const auto pack = parse(yaml, &issues);
        QVERIFY2(!pack, "a malformed pack must not load (so nothing of it can run)");
        bool found = false;
        for (const Issue &i : std::as_const(issues)) {
            if (i.code != code || !i.text.contains(fragment))
                continue;
            found = true;
            QVERIFY2(i.context.startsWith(QLatin1String("pack.yaml")), qPrintable(i.toString()));
            if (line > 0)
                QCOMPARE(i.context, QStringLiteral("pack.yaml:%1").arg(line));
        }
        QVERIFY2(found, qPrintable(QStringLiteral("expected %1 with '%2', got:\n%3").arg(code, fragment, allText(issues))));
    }

    void standInFileErrorsAreChecked()
    {
        QTemporaryDir dir;
        Issues issues;
        auto pack = parse(edited("  - {id: sup, dipId: '2300000185', role: SUP, mpid: SUPA}",
                                 "  - {id: sup, dipId: '2300000185', role: SUP, mpid: SUPA, underTest: true}"),
                          &issues);
        QVERIFY2(pack, qPrintable(allText(issues)));
        QFile f(dir.filePath(QStringLiteral("broken.yaml")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("standIns:\n  regs:\n    - on: {channel: IF-031}\n  sup:\n    - on: {channel: IF-777}\n");
        f.close();
        Issues standIssues;
        QVERIFY(!loadStandIns(f.fileName(), *pack, *catalogue::Catalogue::builtIn(), &standIssues));
        const QString text = allText(standIssues);
        QVERIFY2(text.contains(QLatin1String("standIns.regs: not a participant under test")), qPrintable(text));
    }

    void generatorsMakeValidValues()
    {
        Issues issues;
        const auto pack = parse(basePack(), &issues);
        QVERIFY(pack);
        Values v(*pack);
        for (int i = 0; i < 50; ++i) {
            const QString mpan = qs(v.evaluate(OJson{{"generate", "mpan"}, {"distributor", "ldso"}}).get<std::string>());
            QCOMPARE(mpan.size(), 13);
            QVERIFY(mpan.startsWith(QLatin1String("14")));
            QCOMPARE(QString::number(schema::mpanCheckDigit(mpan.left(12))), mpan.right(1));
        }
        const OJson periods = v.evaluate(OJson{{"generate", "settlementPeriods"}, {"days", -1}, {"value", "1.500"}});
        QCOMPARE(int(periods.size()), 48);
        QCOMPARE(qs(periods[47]["v"].get<std::string>()), QStringLiteral("1.500"));
        const QString first = qs(periods[0]["sp"].get<std::string>());
        QCOMPARE(first.size(), 25);
        QVERIFY2(first.endsWith(QLatin1String("T00:30:00+00:00")), qPrintable(first));
        QVERIFY(qs(periods[47]["sp"].get<std::string>()).endsWith(QLatin1String("T00:00:00+00:00")));
        const QString midnight = qs(v.evaluate(OJson{{"generate", "ukMidnight"}, {"days", 1}}).get<std::string>());
        QCOMPARE(midnight.size(), 25);
        QVERIFY2(midnight.contains(QLatin1String("T00:00:00+0")), qPrintable(midnight));
        const QString ts = qs(v.evaluate(OJson{{"generate", "timestamp"}, {"offset", "-1h"}}).get<std::string>());
        QCOMPARE(ts.size(), 25);
        QCOMPARE(qs(v.evaluate(OJson("${sup.dipId}")).get<std::string>()), QStringLiteral("2300000185"));
        QCOMPARE(qs(v.evaluate(OJson("id ${sup.mpid}-${regs.role}")).get<std::string>()), QStringLiteral("id SUPA-REGS"));
        QVERIFY(v.evaluate(OJson("${nothing.here}")).is_null());
        QCOMPARE(v.takeUnresolved(), QStringList{QStringLiteral("nothing.here")});
    }

    void pathsSetAndRemove()
    {
        OJson j = OJson::parse("{\"CommonBlock\":{\"S1\":{\"senderDIPID\":\"x\"}}}");
        setAtPath(j, QStringLiteral("commonblock.s1.senderdipid"), "y"); // case-insensitive: no second key
        QCOMPARE(qs(j.dump()), QStringLiteral("{\"CommonBlock\":{\"S1\":{\"senderDIPID\":\"y\"}}}"));
        setAtPath(j, QStringLiteral("CustomBlock.L.1.v"), "2");
        QCOMPARE(qs(j["CustomBlock"]["L"].dump()), QStringLiteral("[null,{\"v\":\"2\"}]"));
        QVERIFY(removeAtPath(j, QStringLiteral("CommonBlock.S1.senderDIPID")));
        QVERIFY(!removeAtPath(j, QStringLiteral("CommonBlock.S1.senderDIPID")));
    }

    void assertionsExplainFailures()
    {
        Issues issues;
        const auto pack = parse(basePack(), &issues);
        QVERIFY(pack);
        Values v(*pack);
        const OJson payload = OJson::parse("{\"CustomBlock\":{\"B007\":{\"responseCode\":\"R\",\"n\":\"12.5\"},\"x\":null}}");
        const auto a = [](const char *path, Assertion::Op op, OJson value = nullptr) {
            Assertion x;
            x.path = QString::fromLatin1(path);
            x.op = op;
            x.value = std::move(value);
            return x;
        };
        Assertion range = a("CustomBlock.B007.n", Assertion::Op::Range);
        range.min = 0;
        range.max = 10;
        const QStringList failed = failedAssertions({a("CustomBlock.B007.responseCode", Assertion::Op::Equals, "A"),
                                                     a("CustomBlock.B007.responseCode", Assertion::Op::Regex, "[AR]"),
                                                     a("CustomBlock.x", Assertion::Op::Absent),
                                                     a("CustomBlock.B007.missing", Assertion::Op::Exists),
                                                     a("CustomBlock.B007.responseCode", Assertion::Op::OneOf, OJson::array({"A", "W"})),
                                                     range},
                                                    payload, v);
        QCOMPARE(failed.size(), 4);
        QCOMPARE(failed[0], QStringLiteral("CustomBlock.B007.responseCode: expected 'A', got 'R'"));
        QCOMPARE(failed[1], QStringLiteral("CustomBlock.B007.missing: expected a value, got nothing (the field is absent)"));
        QCOMPARE(failed[2], QStringLiteral("CustomBlock.B007.responseCode: expected one of [\"A\",\"W\"], got 'R'"));
        QCOMPARE(failed[3], QStringLiteral("CustomBlock.B007.n: expected a number from 0 to 10, got '12.5'"));
    }

    void messagesAreBuiltFromTheSchemaExample()
    {
        Issues issues;
        const auto pack = parse(basePack(), &issues);
        QVERIFY(pack);
        const auto schemas = schema::SchemaSet::builtIn();
        QVERIFY(schemas);
        Values v(*pack);
        v.bind(QStringLiteral("start"), "2024-07-01T00:00:00+01:00");
        BuildContext ctx;
        ctx.pack = &*pack;
        ctx.catalogue = catalogue::Catalogue::builtIn().get();
        ctx.schemas = schemas.get();
        ctx.values = &v;
        ctx.mpan = {QStringLiteral("1400000000017"), QStringLiteral("_C"), QStringLiteral("2500000033")};
        ctx.correlationId = QStringLiteral("CI-1");
        const Step &send = pack->scenarios[0].cases[0].steps[0];
        const BuiltMessage m = buildMessage(send.message, ctx);
        QVERIFY2(m.problems.isEmpty(), qPrintable(m.problems.join(QLatin1Char('\n'))));
        QCOMPARE(m.channel, QStringLiteral("IF-031"));
        QCOMPARE(m.recipients, QStringList{QStringLiteral("1100000001")});
        QCOMPARE(routing::stringAtPath(m.payload, QStringLiteral("CommonBlock.S1.senderDIPID")), QStringLiteral("2300000185"));
        QCOMPARE(routing::stringAtPath(m.payload, QStringLiteral("CommonBlock.M0.GSPGroupID")), QStringLiteral("_C"));
        QCOMPARE(routing::stringAtPath(m.payload, QStringLiteral("CustomBlock.B070.proposedMeteringServiceDIPEffectiveFromDate")),
                 QStringLiteral("2024-07-01T00:00:00+01:00"));
        const auto errors = schemas->validate({m.channel, m.event, QStringLiteral("011")}, m.payload);
        QStringList texts;
        for (const auto &e : errors)
            texts << e.toString();
        QVERIFY2(errors.isEmpty(), qPrintable(texts.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(TestScenario)
#include "test_scenario.moc"
