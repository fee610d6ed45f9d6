// SPDX-License-Identifier: GPL-3.0-or-later
#include "participants/participant_loader.h"
#include "participants/participant_registry.h"

#include <QFile>
#include <QFutureSynchronizer>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent>

#include <atomic>

using namespace dipwb;
using namespace dipwb::participants;

namespace {

const QString kOrigin = QStringLiteral("seed.yaml");

const char *goodYaml = R"(# two parties
participants:
  - dipId: "2300000185"
    role: SUP
    mpid: SUPA
    name: Supplier A
    simulated: false
    apiKey: "key-123 abc"
    statusWebhook: http://127.0.0.1:9001/status
    webhooks:
      IF-033: http://127.0.0.1:9001/pub
      PUB-021: https://127.0.0.1:9002/pub?x=1
      pub-036: http://localhost:9001/pub36
      rep-002a: http://127.0.0.1:9001/rep
  - dipId: 1800000001
    role: MDS
    mpid: MDSA
    simulated: true
  - dipId: "ab12CD34ef"
    role: LDSO
    mpid: LDSA
    name:
    webhooks:
)";

const char *goodJson = R"({
	"participants": [
		{"dipId": "2300000185", "role": "SUP", "mpid": "SUPA", "name": "Supplier A", "simulated": false,
		 "apiKey": "key-123 abc", "statusWebhook": "http://127.0.0.1:9001/status",
		 "webhooks": {"IF-033": "http://127.0.0.1:9001/pub", "PUB-021": "https://127.0.0.1:9002/pub?x=1",
		              "pub-036": "http://localhost:9001/pub36", "rep-002a": "http://127.0.0.1:9001/rep"}},
		{"dipId": 1800000001, "role": "MDS", "mpid": "MDSA", "simulated": true},
		{"dipId": "ab12CD34ef", "role": "LDSO", "mpid": "LDSA", "name": null, "webhooks": {}}
	]
}
)";

QList<Participant> expectedGood()
{
    Participant a;
    a.dipId = QStringLiteral("2300000185");
    a.role = QStringLiteral("SUP");
    a.mpid = QStringLiteral("SUPA");
    a.name = QStringLiteral("Supplier A");
    a.apiKey = QStringLiteral("key-123 abc");
    a.statusWebhook = QStringLiteral("http://127.0.0.1:9001/status");
    a.webhooks = {{QStringLiteral("IF-033"), QStringLiteral("http://127.0.0.1:9001/pub")},
                  {QStringLiteral("IF-021"), QStringLiteral("https://127.0.0.1:9002/pub?x=1")},
                  {QStringLiteral("IF-036"), QStringLiteral("http://localhost:9001/pub36")},
                  {QStringLiteral("REP-002A"), QStringLiteral("http://127.0.0.1:9001/rep")}};
    Participant m;
    m.dipId = QStringLiteral("1800000001");
    m.role = QStringLiteral("MDS");
    m.mpid = QStringLiteral("MDSA");
    m.name = QStringLiteral("MDS MDSA");
    m.simulated = true;
    Participant l;
    l.dipId = QStringLiteral("ab12CD34ef");
    l.role = QStringLiteral("LDSO");
    l.mpid = QStringLiteral("LDSA");
    l.name = QStringLiteral("LDSO LDSA");
    return {a, m, l};
}

Participant party(const QString &dipId, const QString &role, const QString &mpid)
{
    Participant p;
    p.dipId = dipId;
    p.role = role;
    p.mpid = mpid;
    p.name = role + QLatin1Char(' ') + mpid;
    return p;
}

QString describe(const Issues &issues)
{
    QStringList lines;
    for (const Issue &i : issues)
        lines << i.toString();
    return lines.join(QLatin1Char('\n'));
}

/// The issue at `context` whose text holds `phrase`, if any.
const Issue *findIssue(const Issues &issues, const QString &context, const QString &phrase)
{
    for (const Issue &i : issues)
        if (i.context == context && i.text.contains(phrase))
            return &i;
    return nullptr;
}

} // namespace

class TestParticipants final : public QObject
{
    Q_OBJECT
private slots:
    void goodFileLoadsAllFields()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("participants.yaml"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(goodYaml);
        f.close();

        Issues issues;
        const QList<Participant> list = loadParticipantsFile(path, &issues);
        QVERIFY2(issues.isEmpty(), qPrintable(describe(issues)));
        const QList<Participant> expected = expectedGood();
        QCOMPARE(list.size(), expected.size());
        for (int i = 0; i < list.size(); ++i) {
            QCOMPARE(list[i].dipId, expected[i].dipId);
            QCOMPARE(list[i].role, expected[i].role);
            QCOMPARE(list[i].mpid, expected[i].mpid);
            QCOMPARE(list[i].name, expected[i].name);
            QCOMPARE(list[i].simulated, expected[i].simulated);
            QCOMPARE(list[i].apiKey, expected[i].apiKey);
            QCOMPARE(list[i].statusWebhook, expected[i].statusWebhook);
            QCOMPARE(list[i].webhooks, expected[i].webhooks);
        }
        for (const Participant &p : list)
            QVERIFY2(validateParticipant(p, kOrigin).isEmpty(), qPrintable(describe(validateParticipant(p, kOrigin))));
    }

    void jsonFormLoads()
    {
        Issues issues;
        const QList<Participant> list = parseParticipants(QByteArray(goodJson), QStringLiteral("seed.json"), &issues);
        QVERIFY2(issues.isEmpty(), qPrintable(describe(issues)));
        QCOMPARE(list, expectedGood());
    }

    void bundledExampleLoads()
    {
        // The example is what a fresh workspace starts with (compiled into dipwb_core).
        QFile f(QStringLiteral(":/dipwb/defaults/example.yaml"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        Issues issues;
        const QList<Participant> list = parseParticipants(f.readAll(), f.fileName(), &issues);
        QVERIFY2(issues.isEmpty(), qPrintable(describe(issues)));
        QCOMPARE(list.size(), 10);
        QStringList roles;
        for (const Participant &p : list) {
            roles << p.role;
            QVERIFY(p.webhooks.isEmpty());
            QVERIFY(p.statusWebhook.isEmpty());
            QVERIFY(!p.name.isEmpty());
            QVERIFY2(std::all_of(p.dipId.cbegin(), p.dipId.cend(), [](QChar c) { return c.isDigit(); }), qPrintable(p.dipId));
        }
        QCOMPARE(roles.count(QStringLiteral("SUP")), 2);
        for (const char *role : {"REGS", "SDS", "ADS", "MSS", "MSA", "LDSO", "MDS", "LSS"})
            QVERIFY2(roles.count(QLatin1String(role)) == 1, role);
        const auto mds = std::find_if(list.cbegin(), list.cend(), [](const Participant &p) { return p.role == QLatin1String("MDS"); });
        QCOMPARE(mds->dipId, QStringLiteral("1800000001"));
    }

    void malformedFileNamesLineAndField_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("phrase");

        const QByteArray head = "participants:\n";
        const QByteArray supA = "  - dipId: \"2300000185\"\n    role: SUP\n    mpid: SUPA\n"; // lines 2-4

        QTest::newRow("syntax: unclosed flow list")
            << QByteArray("participants:\n  - dipId: [2300000185\n    role: SUP\n") << 3
            << "YAML syntax error at line 3, column";
        QTest::newRow("syntax: tab indentation") << QByteArray("participants:\n\t- dipId: \"2300000185\"\n") << 2
                                                 << "YAML syntax error at line 2";
        QTest::newRow("syntax: bad indentation")
            << QByteArray("participants:\n  - dipId: \"2300000185\"\n     role: SUP\n") << 3 << "YAML syntax error at line 3, column 6: end of map not found";
        QTest::newRow("empty file") << QByteArray("# nothing here\n") << 1 << "the file is empty";
        QTest::newRow("two documents") << head + supA + "---\nparticipants: []\n" << 6 << "holds 2 YAML documents";
        QTest::newRow("top level is a list") << QByteArray("- dipId: \"2300000185\"\n") << 1
                                             << "top level must be a map with a 'participants' list, not a list";
        QTest::newRow("participants missing") << QByteArray("parties:\n  - dipId: \"2300000185\"\n") << 1
                                              << "'participants' is missing";
        QTest::newRow("unknown top-level key") << QByteArray("version: 2\n") + head + supA << 1
                                               << "unknown top-level key 'version'";
        QTest::newRow("participants is a map") << QByteArray("participants:\n  dipId: \"2300000185\"\n") << 1
                                               << "participants must be a list of participants";
        QTest::newRow("item is a value") << QByteArray("participants:\n  - 2300000185\n") << 2
                                         << "participants[0] must be a map of fields";
        QTest::newRow("unknown key, case typo") << head + supA + "    dipid: \"2300000185\"\n" << 5
                                                << "participants[0]: unknown key 'dipid' (did you mean 'dipId'?)";
        QTest::newRow("unknown key, spelling typo") << head + supA + "    webhook:\n      IF-033: http://127.0.0.1:1/p\n" << 5
                                                    << "unknown key 'webhook' (did you mean 'webhooks'?)";
        QTest::newRow("unknown key, no hint") << head + supA + "    certificate: x.pem\n" << 5
                                              << "unknown key 'certificate'; known keys are dipId, role";
        QTest::newRow("key given twice") << head + supA + "    role: REGS\n" << 5
                                         << "participants[0].role is given twice (first on line 3)";
        QTest::newRow("dipId too short") << QByteArray("participants:\n  - role: SUP\n    dipId: '23000001'\n    mpid: SUPA\n")
                                         << 3 << "participants[0].dipId: '23000001' must be exactly 10 characters";
        QTest::newRow("dipId too long")
            << QByteArray("participants:\n  - dipId: 23000001851\n    role: SUP\n    mpid: SUPA\n") << 2
            << "participants[0].dipId: '23000001851' must be exactly 10 characters";
        QTest::newRow("dipId not alphanumeric")
            << QByteArray("participants:\n  - dipId: \"2300-00185\"\n    role: SUP\n    mpid: SUPA\n") << 2
            << "participants[0].dipId: '2300-00185' may hold only letters and digits";
        QTest::newRow("dipId missing") << QByteArray("participants:\n  - role: SUP\n    mpid: SUPA\n") << 2
                                       << "participants[0].dipId is missing";
        QTest::newRow("dipId is a list") << QByteArray("participants:\n  - dipId: [1, 2]\n    role: SUP\n    mpid: SUPA\n")
                                         << 2 << "participants[0].dipId must be a single value, not a list";
        QTest::newRow("role unknown") << QByteArray("participants:\n  - dipId: \"2300000185\"\n    role: SUPP\n    mpid: SUPA\n")
                                      << 3 << "participants[0].role: 'SUPP' is not a known role code; expected one of SUP";
        QTest::newRow("role lower case") << QByteArray("participants:\n  - dipId: \"2300000185\"\n    role: sup\n    mpid: SUPA\n")
                                         << 3 << "role codes are capitals: SUP";
        QTest::newRow("role missing") << QByteArray("participants:\n  - dipId: \"2300000185\"\n    mpid: SUPA\n") << 2
                                      << "participants[0].role is missing";
        QTest::newRow("mpid with a digit") << QByteArray("participants:\n  - dipId: \"2300000185\"\n    role: SUP\n    mpid: SUP1\n")
                                           << 4 << "participants[0].mpid: 'SUP1' must be exactly 4 capital letters A-Z";
        QTest::newRow("mpid lower case") << QByteArray("participants:\n  - dipId: \"2300000185\"\n    role: SUP\n    mpid: supa\n")
                                         << 4 << "'supa' must be exactly 4 capital letters";
        QTest::newRow("mpid five letters")
            << QByteArray("participants:\n  - dipId: \"2300000185\"\n    role: SUP\n    mpid: SUPAB\n") << 4
            << "'SUPAB' must be exactly 4 capital letters";
        QTest::newRow("simulated not a boolean") << head + supA + "    simulated: maybe\n" << 5
                                                 << "participants[0].simulated must be true or false";
        QTest::newRow("name is a map") << head + supA + "    name: {first: A}\n" << 5
                                       << "participants[0].name must be a single value, not a map";
        QTest::newRow("statusWebhook relative") << head + supA + "    statusWebhook: /status\n" << 5
                                                << "participants[0].statusWebhook: '/status' must be an absolute http";
        QTest::newRow("webhook ftp URL") << head + supA + "    webhooks:\n      IF-033: ftp://127.0.0.1/pub\n" << 6
                                         << "participants[0].webhooks.IF-033: 'ftp://127.0.0.1/pub' must be an absolute";
        QTest::newRow("webhook URL without host") << head + supA + "    webhooks:\n      IF-033: http:pub\n" << 6
                                                  << "'http:pub' must be an absolute http:// or https:// URL";
        QTest::newRow("webhook URL empty") << head + supA + "    webhooks:\n      IF-033: \"\"\n" << 6
                                           << "participants[0].webhooks.IF-033: the URL is empty";
        QTest::newRow("webhook channel malformed") << head + supA + "    webhooks:\n      IF-33: http://127.0.0.1:1/p\n" << 6
                                                   << "participants[0].webhooks.IF-33: 'IF-33' is not a channel id";
        QTest::newRow("webhook channel unknown kind") << head + supA + "    webhooks:\n      REP-002C: http://127.0.0.1:1/p\n"
                                                      << 6 << "'REP-002C' is not a channel id";
        QTest::newRow("webhook channel twice via PUB")
            << head + supA + "    webhooks:\n      IF-033: http://127.0.0.1:1/a\n      pub-033: http://127.0.0.1:1/b\n" << 7
            << "participants[0].webhooks.pub-033: channel IF-033 is given twice (first on line 6)";
        QTest::newRow("webhooks is a list") << head + supA + "    webhooks:\n      - http://127.0.0.1:1/p\n" << 5
                                            << "participants[0].webhooks must be a map of channel -> URL";
        QTest::newRow("duplicate dipId")
            << head + supA + "  - dipId: \"2300000185\"\n    role: SUP\n    mpid: SUPB\n" << 5
            << "participants[1].dipId: '2300000185' is already used by participants[0] on line 2 (and again here, line 5)";
        QTest::newRow("duplicate MPID and role")
            << head + supA + "  - dipId: \"2300000186\"\n    role: SUP\n    mpid: SUPA\n" << 7
            << "participants[1]: MPID SUPA already has a DIP id for role SUP (2300000185, participants[0] on line 4)";
    }

    void malformedFileNamesLineAndField()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(int, line);
        QFETCH(QString, phrase);
        Issues issues;
        const QList<Participant> list = parseParticipants(yaml, kOrigin, &issues);
        QVERIFY2(list.isEmpty(), "a file with errors must not load anybody");
        QVERIFY(hasErrors(issues));
        const QString context = kOrigin + QLatin1Char(':') + QString::number(line);
        const Issue *issue = findIssue(issues, context, phrase);
        QVERIFY2(issue, qPrintable(QStringLiteral("expected at %1: %2\ngot:\n%3").arg(context, phrase, describe(issues))));
        QCOMPARE(issue->severity, Issue::Severity::Error);
        QVERIFY(issue->code.startsWith(QLatin1String("PAR")));
    }

    void everyErrorIsReportedNotJustTheFirst()
    {
        const QByteArray yaml = "participants:\n"
                                "  - dipId: \"23000001\"\n"   // 2
                                "    role: SUP\n"
                                "    mpid: SUPA\n"
                                "  - dipId: \"1800000001\"\n" // 5
                                "    role: MDX\n"             // 6
                                "    mpid: mdsa\n"            // 7
                                "    colour: blue\n"          // 8
                                "  - dipId: \"1900000001\"\n" // 9
                                "    role: LSS\n"
                                "    mpid: LSSA\n";
        Issues issues;
        QVERIFY(parseParticipants(yaml, kOrigin, &issues).isEmpty());
        QVERIFY2(findIssue(issues, kOrigin + QStringLiteral(":2"), QStringLiteral("participants[0].dipId")), qPrintable(describe(issues)));
        QVERIFY(findIssue(issues, kOrigin + QStringLiteral(":6"), QStringLiteral("participants[1].role: 'MDX'")));
        QVERIFY(findIssue(issues, kOrigin + QStringLiteral(":7"), QStringLiteral("participants[1].mpid: 'mdsa'")));
        QVERIFY(findIssue(issues, kOrigin + QStringLiteral(":8"), QStringLiteral("unknown key 'colour'")));
        QCOMPARE(issues.size(), 4);
    }

    void emptyListIsAWarningOnly()
    {
        Issues issues;
        QVERIFY(parseParticipants("participants: []\n", kOrigin, &issues).isEmpty());
        QCOMPARE(issues.size(), 1);
        QCOMPARE(issues[0].severity, Issue::Severity::Warning);
        QCOMPARE(issues[0].context, kOrigin + QStringLiteral(":1"));
        QVERIFY(!hasErrors(issues));
    }

    void unreadableFileSaysWhichPath()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Issues issues;
        const QString missing = dir.filePath(QStringLiteral("nope.yaml"));
        QVERIFY(loadParticipantsFile(missing, &issues).isEmpty());
        QCOMPARE(issues.size(), 1);
        QCOMPARE(issues[0].context, missing);
        QVERIFY2(issues[0].text.contains(missing) && issues[0].text.contains(QLatin1String("does not exist")),
                 qPrintable(issues[0].text));

        issues.clear();
        QVERIFY(loadParticipantsFile(dir.path(), &issues).isEmpty());
        QCOMPARE(issues.size(), 1);
        QVERIFY2(issues[0].text.contains(dir.path()) && issues[0].text.contains(QLatin1String("folder")),
                 qPrintable(issues[0].text));

        const QString locked = dir.filePath(QStringLiteral("locked.yaml"));
        QFile f(locked);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(goodYaml);
        f.close();
        QVERIFY(f.setPermissions(QFileDevice::Permissions()));
        if (f.open(QIODevice::ReadOnly))
            QSKIP("this user reads files without read permission (root)");
        issues.clear();
        QVERIFY(loadParticipantsFile(locked, &issues).isEmpty());
        QCOMPARE(issues.size(), 1);
        QCOMPARE(issues[0].context, locked);
        QVERIFY2(issues[0].text.contains(QLatin1String("cannot read participants file ") + locked), qPrintable(issues[0].text));
    }

    void validateParticipantChecksEachField_data()
    {
        QTest::addColumn<Participant>("participant");
        QTest::addColumn<QString>("phrase");
        const Participant ok = party(QStringLiteral("2300000185"), QStringLiteral("SUP"), QStringLiteral("SUPA"));
        Participant p = ok;
        QTest::newRow("valid") << ok << QString();
        p.dipId = QStringLiteral("23000001");
        QTest::newRow("dipId length") << p << "dipId: '23000001' must be exactly 10 characters";
        p = ok;
        p.dipId = QStringLiteral("230000018é");
        QTest::newRow("dipId non-ASCII") << p << "dipId: '230000018é' may hold only letters and digits";
        p = ok;
        p.role = QString();
        QTest::newRow("role empty") << p << "role: is empty";
        p = ok;
        p.mpid = QStringLiteral("SÜPA");
        QTest::newRow("mpid non-ASCII capital") << p << "mpid: 'SÜPA' must be exactly 4 capital letters";
        p = ok;
        p.apiKey = QStringLiteral("abc\r\nX-Evil: 1");
        QTest::newRow("apiKey control characters") << p << "apiKey: may hold only printable ASCII";
        p = ok;
        p.webhooks.insert(QStringLiteral("PUB-033"), QStringLiteral("http://127.0.0.1:1/p"));
        QTest::newRow("webhook channel not stored form") << p << "webhooks.PUB-033: the channel must be stored as IF-033";
        p = ok;
        p.webhooks.insert(QStringLiteral("IF-033"), QStringLiteral("127.0.0.1:1/p"));
        QTest::newRow("webhook URL without scheme") << p << "webhooks.IF-033: '127.0.0.1:1/p' must be an absolute";
        p = ok;
        p.statusWebhook = QStringLiteral(" http://127.0.0.1:1/s");
        QTest::newRow("status webhook with a space") << p << "statusWebhook: ' http://127.0.0.1:1/s' must be an absolute";
    }

    void validateParticipantChecksEachField()
    {
        QFETCH(Participant, participant);
        QFETCH(QString, phrase);
        const Issues issues = validateParticipant(participant, QStringLiteral("editor"));
        if (phrase.isEmpty()) {
            QVERIFY2(issues.isEmpty(), qPrintable(describe(issues)));
            return;
        }
        QCOMPARE(issues.size(), 1);
        QCOMPARE(issues[0].context, QStringLiteral("editor"));
        QVERIFY2(issues[0].text.startsWith(phrase), qPrintable(issues[0].text));
    }

    void rolesAreTheDipRoleCodes()
    {
        QCOMPARE(knownRoles().size(), 15);
        for (const QString &r : knownRoles())
            QVERIFY(isKnownRole(r));
        QVERIFY(!isKnownRole(QStringLiteral("sup")));
        QVERIFY(!isKnownRole(QStringLiteral("DNO")));
        QVERIFY(!isKnownRole(QString()));
    }

    void channelIdsNormalise_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("normalised");
        QTest::addColumn<bool>("valid");
        QTest::newRow("IF") << "IF-033" << "IF-033" << true;
        QTest::newRow("PUB") << "PUB-033" << "IF-033" << true;
        QTest::newRow("pub lower") << "pub-033" << "IF-033" << true;
        QTest::newRow("if lower, spaces") << " if-021 " << "IF-021" << false;
        QTest::newRow("REP with suffix") << "rep-002a" << "REP-002A" << true;
        QTest::newRow("REP plain") << "REP-001" << "REP-001" << true;
        QTest::newRow("two digits") << "IF-33" << "IF-33" << false;
        QTest::newRow("REP bad suffix") << "REP-002C" << "REP-002C" << false;
        QTest::newRow("IF with suffix") << "IF-002A" << "IF-002A" << false;
        QTest::newRow("empty") << "" << "" << false;
    }

    void channelIdsNormalise()
    {
        QFETCH(QString, input);
        QFETCH(QString, normalised);
        QFETCH(bool, valid);
        QCOMPARE(normaliseChannelId(input), normalised);
        QCOMPARE(isChannelId(input), valid);
        if (valid)
            QVERIFY(isChannelId(normaliseChannelId(input)));
    }

    void registryKeepsOneEntryPerDipIdSorted()
    {
        ParticipantRegistry reg;
        QCOMPARE(reg.count(), 0);
        QVERIFY(!reg.find(QStringLiteral("2300000185")));
        reg.replaceAll({party(QStringLiteral("2300000185"), QStringLiteral("SUP"), QStringLiteral("SUPA")),
                        party(QStringLiteral("1100000001"), QStringLiteral("REGS"), QStringLiteral("REGA"))});
        QCOMPARE(reg.count(), 2);
        Participant changed = party(QStringLiteral("2300000185"), QStringLiteral("SUP"), QStringLiteral("SUPB"));
        reg.upsert(changed);
        reg.upsert(party(QStringLiteral("1800000001"), QStringLiteral("MDS"), QStringLiteral("MDSA")));
        QCOMPARE(reg.count(), 3);
        QCOMPARE(reg.find(QStringLiteral("2300000185")), std::optional<Participant>(changed));
        const QList<Participant> all = reg.all();
        QCOMPARE(all.size(), 3);
        QCOMPARE(all[0].dipId, QStringLiteral("1100000001"));
        QCOMPARE(all[1].dipId, QStringLiteral("1800000001"));
        QCOMPARE(all[2].dipId, QStringLiteral("2300000185"));
        QVERIFY(reg.remove(QStringLiteral("1100000001")));
        QVERIFY(!reg.remove(QStringLiteral("1100000001")));
        QCOMPARE(reg.count(), 2);
        reg.replaceAll({party(QStringLiteral("1900000001"), QStringLiteral("LSS"), QStringLiteral("LSSA"))});
        QCOMPARE(reg.count(), 1);
        QVERIFY(!reg.find(QStringLiteral("2300000185")));
    }

    void registryWebhooksAsPubconfigDoes()
    {
        ParticipantRegistry reg;
        const QString sup = QStringLiteral("2300000185");
        reg.upsert(party(sup, QStringLiteral("SUP"), QStringLiteral("SUPA")));
        const QString url = QStringLiteral("http://127.0.0.1:9001/pub");

        QVERIFY(!reg.setWebhook(QStringLiteral("9999999999"), QStringLiteral("IF-033"), url));
        QVERIFY(reg.setWebhook(sup, QStringLiteral("IF-033"), url));
        QCOMPARE(reg.webhookFor(sup, QStringLiteral("IF-033")), url);
        QCOMPARE(reg.webhookFor(sup, QStringLiteral("PUB-033")), url);
        QCOMPARE(reg.webhookFor(sup, QStringLiteral("IF-021")), QString());
        QCOMPARE(reg.webhookFor(QStringLiteral("9999999999"), QStringLiteral("IF-033")), QString());

        QVERIFY(reg.setWebhook(sup, QStringLiteral("pub-021"), url + QStringLiteral("21")));
        QCOMPARE(reg.find(sup)->webhooks.value(QStringLiteral("IF-021")), url + QStringLiteral("21"));
        QVERIFY(!reg.find(sup)->webhooks.contains(QStringLiteral("pub-021")));
        QVERIFY(reg.setWebhook(sup, QStringLiteral("IF-033"), url + QStringLiteral("2")));
        QCOMPARE(reg.webhookFor(sup, QStringLiteral("IF-033")), url + QStringLiteral("2"));
        QCOMPARE(reg.find(sup)->webhooks.size(), 2);

        QVERIFY(reg.removeWebhook(sup, QStringLiteral("PUB-033")));
        QVERIFY(!reg.removeWebhook(sup, QStringLiteral("IF-033")));
        QVERIFY(!reg.removeWebhook(QStringLiteral("9999999999"), QStringLiteral("IF-021")));
        QCOMPARE(reg.webhookFor(sup, QStringLiteral("IF-033")), QString());
        QCOMPARE(reg.webhookFor(sup, QStringLiteral("IF-021")), url + QStringLiteral("21"));

        QVERIFY(!reg.removeStatusWebhook(sup));
        QVERIFY(!reg.setStatusWebhook(QStringLiteral("9999999999"), url));
        QVERIFY(reg.setStatusWebhook(sup, QStringLiteral("http://127.0.0.1:9001/status")));
        QCOMPARE(reg.find(sup)->statusWebhook, QStringLiteral("http://127.0.0.1:9001/status"));
        QVERIFY(reg.removeStatusWebhook(sup));
        QVERIFY(reg.find(sup)->statusWebhook.isEmpty());
        QVERIFY(!reg.removeStatusWebhook(QStringLiteral("9999999999")));
    }

    void registryReadersSeeWholeParticipantsWhileWritten()
    {
        // Readers on the global pool while this thread writes: each participant a reader gets must
        // be one the writer stored as a whole (name, webhook and status webhook from the same round).
        ParticipantRegistry reg;
        const int parties = 50;
        auto version = [](const QString &dipId, int round) {
            Participant p = party(dipId, QStringLiteral("SUP"), QStringLiteral("SUPA"));
            p.name = QString::number(round);
            p.webhooks.insert(QStringLiteral("IF-033"), QStringLiteral("http://127.0.0.1:1/%1").arg(round));
            p.statusWebhook = QStringLiteral("http://127.0.0.1:1/s%1").arg(round);
            return p;
        };
        auto dipIdOf = [](int i) { return QStringLiteral("23%1").arg(i, 8, 10, QLatin1Char('0')); };
        for (int i = 0; i < parties; ++i)
            reg.upsert(version(dipIdOf(i), 0));

        std::atomic<bool> stop{false};
        std::atomic<int> torn{0};
        std::atomic<qint64> reads{0};
        auto reader = [&](int seed) {
            int i = seed;
            while (!stop.load()) {
                i = (i + 7) % parties;
                if (const auto p = reg.find(dipIdOf(i))) {
                    const QString round = p->name;
                    if (p->webhooks.value(QStringLiteral("IF-033")) != QStringLiteral("http://127.0.0.1:1/") + round
                        || p->statusWebhook != QStringLiteral("http://127.0.0.1:1/s") + round)
                        ++torn;
                }
                const QList<Participant> all = reg.all();
                for (int k = 1; k < all.size(); ++k)
                    if (!(all[k - 1].dipId < all[k].dipId))
                        ++torn;
                reg.webhookFor(dipIdOf(i), QStringLiteral("PUB-033"));
                reg.count();
                ++reads;
            }
        };
        const int readers = std::max(4, QThreadPool::globalInstance()->maxThreadCount());
        QThreadPool::globalInstance()->setMaxThreadCount(readers);
        QFutureSynchronizer<void> sync;
        for (int r = 0; r < readers; ++r)
            sync.addFuture(QtConcurrent::run(reader, r));

        QElapsedTimer timer;
        timer.start();
        int round = 1;
        while (timer.elapsed() < 500) {
            for (int i = 0; i < parties; ++i)
                reg.upsert(version(dipIdOf(i), round));
            reg.setWebhook(dipIdOf(round % parties), QStringLiteral("IF-021"), QStringLiteral("http://127.0.0.1:1/21"));
            reg.removeWebhook(dipIdOf(round % parties), QStringLiteral("IF-021"));
            ++round;
        }
        stop = true;
        sync.waitForFinished();
        QCOMPARE(torn.load(), 0);
        QVERIFY(reads.load() > 0);
        QCOMPARE(reg.count(), parties);
        QCOMPARE(reg.find(dipIdOf(0))->name, QString::number(round - 1));
    }
};

QTEST_GUILESS_MAIN(TestParticipants)
#include "test_participants.moc"
