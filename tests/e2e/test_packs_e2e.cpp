// SPDX-License-Identifier: GPL-3.0-or-later
// Every bundled pack through the real `dipwb run` in self-test mode, the broken stand-ins next to
// them, and packs that must not run.
#include "common/json_util.h"
#include "dipwb_command.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace dipwb;
using namespace dipwb::testsupport;

namespace {

QString packsDir()
{
    return qEnvironmentVariable("DIPWB_SOURCE_DIR") + QStringLiteral("/testpacks");
}

QStringList bundledPacks()
{
    QStringList out;
    const QDir dir(packsDir());
    for (const QString &name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
        if (QFile::exists(dir.filePath(name + QStringLiteral("/pack.yaml"))))
            out << dir.filePath(name);
    return out;
}

OJson readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return nullptr;
    const QByteArray b = f.readAll();
    return OJson::parse(b.constData(), b.constData() + b.size(), nullptr, false);
}

/// Test case names of a JUnit file, with whether each carries a failure or an error.
QHash<QString, bool> junitCases(const QString &path, QString *error)
{
    QHash<QString, bool> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("no JUnit file at ") + path;
        return out;
    }
    QXmlStreamReader xml(&f);
    QString current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("testcase")) {
            current = xml.attributes().value(QStringLiteral("name")).toString().section(QLatin1Char(' '), 0, 0);
            out.insert(current, false);
        } else if (xml.isStartElement() && (xml.name() == QLatin1String("failure") || xml.name() == QLatin1String("error"))) {
            out[current] = true;
        }
    }
    if (xml.hasError())
        *error = QStringLiteral("%1: %2").arg(path, xml.errorString());
    return out;
}

QString caseReasons(const OJson &results)
{
    QStringList l;
    for (const auto &c : results.value("cases", OJson::array()))
        if (c.value("verdict", std::string()) != "passed")
            l << qs(c.value("id", std::string())) + QStringLiteral(": ") + qs(c.value("reason", std::string()));
    return l.join(QLatin1Char('\n'));
}

} // namespace

class TestPacksE2e : public QObject
{
    Q_OBJECT
private slots:
    void bundledPacksPassInSelfTest_data()
    {
        QTest::addColumn<QString>("pack");
        for (const QString &p : bundledPacks())
            QTest::newRow(qPrintable(QFileInfo(p).fileName())) << p;
    }

    void bundledPacksPassInSelfTest()
    {
        QFETCH(QString, pack);
        QTemporaryDir dir;
        const QString junit = dir.filePath(QStringLiteral("results.xml"));
        const QString json = dir.filePath(QStringLiteral("results.json"));
        const CommandRun r = runDipwbCommand({QStringLiteral("run"), pack, QStringLiteral("--self-test"), QStringLiteral("--workspace"),
                                              dir.filePath(QStringLiteral("ws")), QStringLiteral("--junit"), junit,
                                              QStringLiteral("--json"), json, QStringLiteral("--quiet")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        const OJson results = readJson(json);
        QVERIFY2(results.is_object(), "the JSON results are written");
        QCOMPARE(results["summary"]["failed"].get<int>(), 0);
        QCOMPARE(results["summary"]["error"].get<int>(), 0);
        const int cases = int(results["cases"].size());
        QVERIFY(cases >= 5);
        QCOMPARE(results["summary"]["passed"].get<int>(), cases);
        QString error;
        const auto listed = junitCases(junit, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(int(listed.size()), cases);   // JUnit lists every case
        for (const auto &c : results["cases"]) {
            const QString id = qs(c["id"].get<std::string>());
            QVERIFY2(listed.contains(id), qPrintable(id + QStringLiteral(" is missing from the JUnit file")));
            QVERIFY2(!listed.value(id), qPrintable(id));
            QVERIFY2(!c["requirements"].empty(), qPrintable(id + QStringLiteral(" has no requirement reference")));
            for (const auto &s : c["steps"])
                if (s["kind"] == "send" || s["kind"] == "expect")
                    QVERIFY2(!s["transactionIds"].empty() || s["detail"].get<std::string>().find("400") != std::string::npos,
                             qPrintable(id + QStringLiteral(": a step without the transaction ids it involved: ") + qs(s.dump())));
        }
        QVERIFY2(r.out.contains(QStringLiteral("stored as run 1")), qPrintable(r.out));
    }

    void bundledPacksHaveThirtyCases()
    {
        QVERIFY2(bundledPacks().size() >= 3, "the product ships at least three packs");
        int total = 0;
        for (const QString &pack : bundledPacks()) {
            const CommandRun r = runDipwbCommand({QStringLiteral("run"), pack, QStringLiteral("--check")});
            QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
            const auto m = QRegularExpression(QStringLiteral("(\\d+) test cases")).match(r.out);
            QVERIFY2(m.hasMatch(), qPrintable(r.out));
            total += m.captured(1).toInt();
        }
        QVERIFY2(total >= 30, qPrintable(QStringLiteral("%1 test cases in the bundled packs").arg(total)));
    }

    // Each broken stand-in says in a "# Must fail:" line which cases it must make fail; all others pass.
    void brokenStandInsFailExactlyTheirCases_data()
    {
        QTest::addColumn<QString>("pack");
        QTest::addColumn<QString>("standIn");
        QTest::addColumn<QStringList>("failing");
        int rows = 0;
        for (const QString &pack : bundledPacks()) {
            const QDir broken(pack + QStringLiteral("/broken"));
            for (const QString &f : broken.entryList({QStringLiteral("*.yaml")}, QDir::Files, QDir::Name)) {
                QFile file(broken.filePath(f));
                QVERIFY(file.open(QIODevice::ReadOnly));
                const auto m = QRegularExpression(QStringLiteral("^# Must fail:\\s+(.+)$"), QRegularExpression::MultilineOption)
                                   .match(QString::fromUtf8(file.readAll()));
                // A file without the line gets an empty list and fails in the test function, visibly.
                QTest::newRow(qPrintable(QFileInfo(pack).fileName() + QLatin1Char('/') + f))
                    << pack << broken.filePath(f) << (m.hasMatch() ? m.captured(1).split(QLatin1Char(' '), Qt::SkipEmptyParts) : QStringList());
                ++rows;
            }
        }
        // Qt Test cannot run a data-driven function without rows; brokenStandInsCoverTheKinds fails then.
        if (!rows)
            QTest::newRow("no broken stand-ins") << QString() << QString() << QStringList();
    }

    void brokenStandInsCoverTheKinds()
    {
        // Late, a 500, a dropped field and a rejection: at least one file of each kind is kept.
        int found = 0;
        for (const QString &pack : bundledPacks())
            found += int(QDir(pack + QStringLiteral("/broken")).entryList({QStringLiteral("*.yaml")}, QDir::Files).size());
        QVERIFY2(found >= 4, qPrintable(QStringLiteral("%1 broken stand-in files").arg(found)));
    }

    void brokenStandInsFailExactlyTheirCases()
    {
        QFETCH(QString, pack);
        QFETCH(QString, standIn);
        QFETCH(QStringList, failing);
        if (pack.isEmpty())
            QSKIP("no broken stand-in files: brokenStandInsCoverTheKinds reports it");
        QVERIFY2(!failing.isEmpty(), qPrintable(standIn + QStringLiteral(" has no '# Must fail: CASE...' line")));
        QTemporaryDir dir;
        const QString json = dir.filePath(QStringLiteral("results.json"));
        const CommandRun r = runDipwbCommand({QStringLiteral("run"), pack, QStringLiteral("--stand-in"), standIn, QStringLiteral("--workspace"),
                                              dir.filePath(QStringLiteral("ws")), QStringLiteral("--json"), json, QStringLiteral("--quiet")});
        QVERIFY2(r.exitCode == 1, qPrintable(r.all()));
        const OJson results = readJson(json);
        QVERIFY(results.is_object());
        QStringList failed;
        for (const auto &c : results["cases"]) {
            const QString id = qs(c["id"].get<std::string>());
            const std::string verdict = c["verdict"].get<std::string>();
            if (verdict == "failed" || verdict == "error") {
                failed << id;
                // A reason a tester understands: which step, where in the pack, what was expected.
                const QString reason = qs(c["reason"].get<std::string>());
                QVERIFY2(reason.contains(QLatin1String("step ")) && reason.contains(QLatin1String("pack.yaml:")), qPrintable(reason));
                QVERIFY2(reason.contains(QLatin1String("expected")) || reason.contains(QLatin1String("did not finish")), qPrintable(reason));
            }
        }
        failed.sort();
        failing.sort();
        QVERIFY2(failed == failing, qPrintable(QStringLiteral("expected to fail: %1\nfailed: %2\n%3")
                                                   .arg(failing.join(QLatin1Char(' ')), failed.join(QLatin1Char(' ')), caseReasons(results))));
    }

    void aWrongExpectationFailsWithItsReason()
    {
        QTemporaryDir dir;
        QFile in(packsDir() + QStringLiteral("/sit-functional/pack.yaml"));
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray yaml = in.readAll();
        const QByteArray from = "- expect: {channel: IF-034, to: regs, where: {CustomBlock.B007.responseCode: A}}";
        QVERIFY(yaml.contains(from));
        yaml.replace(from, "- expect: {channel: IF-034, to: regs, within: 1s, where: {CustomBlock.B007.responseCode: W}}");
        QFile out(dir.filePath(QStringLiteral("pack.yaml")));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(yaml);
        out.close();
        const QString json = dir.filePath(QStringLiteral("r.json"));
        const CommandRun r = runDipwbCommand({QStringLiteral("run"), dir.path(), QStringLiteral("--case"), QStringLiteral("SIT-APP-001"),
                                              QStringLiteral("--workspace"), dir.filePath(QStringLiteral("ws")), QStringLiteral("--json"), json});
        QCOMPARE(r.exitCode, 1);
        const OJson results = readJson(json);
        QCOMPARE(results["summary"]["failed"].get<int>(), 1);
        QCOMPARE(results["summary"]["skipped"].get<int>(), 14);   // only the one case ran
        const QString reason = caseReasons(results);
        QVERIFY2(reason.contains(QLatin1String("SIT-APP-001: step 4 (expect, ")), qPrintable(reason));
        QVERIFY2(reason.contains(QLatin1String("expected PUB-034 to regs (REGS 1100000001)")), qPrintable(reason));
        QVERIFY2(reason.contains(QLatin1String("CustomBlock.B007.responseCode: expected 'W', got 'A'")), qPrintable(reason));
        QVERIFY2(r.out.contains(QLatin1String("FAILED   SIT-APP-001")), qPrintable(r.out));
        QVERIFY2(!r.out.contains(QLatin1String("SIT-APP-002")), "cases not selected are counted, not listed");
    }

    void badPacksAndOptionsRunNothing()
    {
        QTemporaryDir dir;
        const QString ws = dir.filePath(QStringLiteral("ws"));
        QFile bad(dir.filePath(QStringLiteral("bad.yaml")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("pack: {id: b, title: B, version: '1', stage: SIT}\nparticipants: []\nscenarios:\n  - id: S\n    cases:\n"
                  "      - {id: C, title: c, steps: [{expect: {channel: IF-032, to: ghost, within: 3 sec}}]}\n");
        bad.close();
        const CommandRun r = runDipwbCommand({QStringLiteral("run"), bad.fileName(), QStringLiteral("--workspace"), ws});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("bad.yaml:6: scenarios[0].cases[0].steps[0].expect.within: '3 sec' is not a duration")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("the pack was not run")), qPrintable(r.err));
        QVERIFY2(!QFile::exists(ws), "nothing is created for a pack that does not load");

        const CommandRun unknownCase = runDipwbCommand({QStringLiteral("run"), packsDir() + QStringLiteral("/sit-functional"),
                                                        QStringLiteral("--case"), QStringLiteral("NOPE-1"), QStringLiteral("--workspace"), ws});
        QCOMPARE(unknownCase.exitCode, 2);
        QVERIFY2(unknownCase.all().contains(QLatin1String("no test case or scenario with the id NOPE-1")), qPrintable(unknownCase.all()));
    }
};

QTEST_GUILESS_MAIN(TestPacksE2e)
#include "test_packs_e2e.moc"
