// SPDX-License-Identifier: GPL-3.0-or-later
// The JSON Schema of scenario packs (resources/schemas/pack.schema.json): every pack shipped under
// testpacks/ conforms to it, and packs the loader refuses for their structure are refused by it too,
// so an editor using the schema neither flags good packs nor waves bad ones through.
#include "catalogue/catalogue.h"
#include "scenario/pack_loader.h"
#include "schema/json_schema_validator.h"
#include "schema/yaml_source.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <yaml-cpp/yaml.h>

using namespace dipwb;

namespace {

QString sourceDir()
{
    const QString env = qEnvironmentVariable("DIPWB_SOURCE_DIR");
    return env.isEmpty() ? QStringLiteral(DIPWB_TEST_SOURCE_DIR) : env;
}

QString pointerOf(const std::vector<schema::PathStep> &path)
{
    QString out;
    for (const schema::PathStep &step : path)
        out += QLatin1Char('/')
               + (std::holds_alternative<std::size_t>(step) ? QString::number(std::get<std::size_t>(step))
                                                            : QString::fromStdString(std::get<std::string>(step)));
    return out;
}

QString errorsText(const std::vector<schema::RawSchemaError> &errors)
{
    QStringList lines;
    for (const auto &e : errors)
        lines << QStringLiteral("%1 [%2] %3").arg(pointerOf(e.path), QString::fromStdString(e.rule), QString::fromStdString(e.detail));
    return lines.join(QLatin1Char('\n'));
}

// A small pack the loader accepts; the negative rows change one thing in it.
const QByteArray kHead = "pack:\n"
                         "  id: probe\n"
                         "  title: Probe\n"
                         "  version: 1.0.0\n"
                         "  stage: SIT\n"
                         "settings:\n"
                         "  deliveryWithin: 3s\n"
                         "  jobs: 2\n"
                         "participants:\n"
                         "  - {id: supplier, dipId: \"2300000185\", role: SUP, mpid: SUPA}\n"
                         "  - {id: regs, dipId: \"1100000001\", role: REGS, mpid: REGA}\n"
                         "  - {id: ldso, dipId: \"2500000033\", role: LDSO, mpid: LDSA, mpanPrefix: \"14\"}\n"
                         "fixtures:\n"
                         "  mpans:\n"
                         "    - {id: home, distributor: ldso}\n"
                         "variables:\n"
                         "  midnight: {generate: ukMidnight, days: 0}\n"
                         "templates:\n"
                         "  request: {channel: IF-031, event: \"[MSApp]\", from: supplier, to: [regs]}\n";
const QByteArray kScenarios = "scenarios:\n"
                              "  - id: S\n"
                              "    cases:\n"
                              "      - id: S-001\n"
                              "        title: Probe\n"
                              "        fixtures: [home]\n"
                              "        steps:\n"
                              "          - send: {template: request}\n"
                              "          - expect: {channel: IF-032, to: supplier, within: 2s, where: {CommonBlock.S1.senderRoleID: REGS}}\n"
                              "          - wait: 1s\n";

QByteArray replaced(const QByteArray &from, const QByteArray &to)
{
    QByteArray pack = kHead + kScenarios;
    Q_ASSERT(pack.contains(from));
    return pack.replace(from, to);
}

} // namespace

class TestPackSchema : public QObject
{
    Q_OBJECT

private:
    schema::JsonSchemaValidator m_validator;

    static OJson toJson(const QByteArray &yaml) { return schema::YamlSource::toJson(YAML::Load(yaml.toStdString())); }

private slots:
    void initTestCase()
    {
        QFile f(QDir(sourceDir()).filePath(QStringLiteral("resources/schemas/pack.schema.json")));
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName() + QStringLiteral(": ") + f.errorString()));
        const QByteArray bytes = f.readAll();
        OJson schema;
        try {
            schema = OJson::parse(bytes.constData(), bytes.constData() + bytes.size());
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        QCOMPARE(QString::fromStdString(schema.value("$schema", std::string())), QStringLiteral("http://json-schema.org/draft-07/schema#"));
        QString error;
        QVERIFY2(m_validator.compile(schema, &error), qPrintable(error));
    }

    void bundledPacksValidate_data()
    {
        QTest::addColumn<QString>("path");
        const QDir packs(QDir(sourceDir()).filePath(QStringLiteral("testpacks")));
        const QStringList folders = packs.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        for (const QString &folder : folders)
            for (const QString &name : {QStringLiteral("pack.yaml"), QStringLiteral("pack.json")})
                if (QFile::exists(packs.filePath(folder + QLatin1Char('/') + name)))
                    QTest::newRow(qPrintable(folder + QLatin1Char('/') + name)) << packs.filePath(folder + QLatin1Char('/') + name);
    }

    void bundledPacksValidate()
    {
        QFETCH(QString, path);
        QFile f(path);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.errorString()));
        OJson pack;
        try {
            pack = toJson(f.readAll());
        } catch (const YAML::Exception &e) {
            QFAIL(qPrintable(path + QStringLiteral(": not valid YAML: ") + QString::fromStdString(e.msg)));
        }
        const auto errors = m_validator.validate(pack);
        QVERIFY2(errors.empty(), qPrintable(path + QStringLiteral(" does not conform to the pack schema:\n") + errorsText(errors)));
        QVERIFY(m_validator.isValid(pack));
    }

    void thePackFolderIsNotEmpty()
    {
        // The data-driven test above passes vacuously when no pack is found.
        QVERIFY(QFile::exists(QDir(sourceDir()).filePath(QStringLiteral("testpacks/sit-functional/pack.yaml"))));
    }

    void theProbePackIsValid()
    {
        const QByteArray yaml = kHead + kScenarios;
        Issues issues;
        const auto pack = scenario::parsePack(yaml, QStringLiteral("probe.yaml"), QDir::tempPath(), *catalogue::Catalogue::builtIn(), &issues);
        QStringList texts;
        for (const Issue &i : std::as_const(issues))
            texts << i.code + QLatin1Char(' ') + i.toString();
        QVERIFY2(pack.has_value(), qPrintable(texts.join(QLatin1Char('\n'))));
        const auto errors = m_validator.validate(toJson(yaml));
        QVERIFY2(errors.empty(), qPrintable(errorsText(errors)));
    }

    void wrongPacksDoNotValidate_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("loaderCode"); // what the loader says about the same pack
        QTest::addColumn<QString>("where");      // an error of the schema lies at or below this pointer

        QTest::newRow("unknown top-level key") << QByteArray(kHead + "extras: {}\n" + kScenarios) << "PACK004" << "/extras";
        QTest::newRow("step with two kinds")
            << replaced("          - wait: 1s\n", "          - {wait: 1s, send: {template: request}}\n") << "PACK008"
            << "/scenarios/0/cases/0/steps/2";
        QTest::newRow("bad duration") << replaced("within: 2s", "within: 2 sec") << "PACK006" << "/scenarios/0/cases/0/steps/1";
        QTest::newRow("duration without unit") << replaced("deliveryWithin: 3s", "deliveryWithin: 3000") << "PACK006" << "/settings/deliveryWithin";
        QTest::newRow("bad wait") << replaced("wait: 1s", "wait: soon") << "PACK006" << "/scenarios/0/cases/0/steps/2";
        QTest::newRow("unknown step kind") << replaced("wait: 1s", "pause: 1s") << "PACK007" << "/scenarios/0/cases/0/steps/2";
        QTest::newRow("misspelt settings key") << replaced("deliveryWithin:", "deliverWithin:") << "PACK004" << "/settings";
        QTest::newRow("pack id missing") << replaced("  id: probe\n", "") << "PACK005" << "/pack";
        QTest::newRow("stage not PIT, SIT or QT") << replaced("stage: SIT", "stage: UAT") << "PACK008" << "/pack/stage";
        QTest::newRow("jobs out of range") << replaced("jobs: 2", "jobs: 100") << "PACK008" << "/settings/jobs";
        QTest::newRow("expect without to") << replaced("to: supplier, ", "") << "PACK005" << "/scenarios/0/cases/0/steps/1";
        QTest::newRow("assertion with two operators")
            << replaced("senderRoleID: REGS", "senderRoleID: {equals: REGS, regex: \"R.*\"}") << "PACK008" << "/scenarios/0/cases/0/steps/1";
        QTest::newRow("unknown assertion operator")
            << replaced("senderRoleID: REGS", "senderRoleID: {matches: \"R.*\"}") << "PACK004" << "/scenarios/0/cases/0/steps/1";
        QTest::newRow("rules on a participant under test")
            << replaced("mpid: SUPA}", "mpid: SUPA, underTest: true, rules: [{on: {channel: IF-032}}]}") << "PACK008" << "/participants/0";
        QTest::newRow("stand-in on a simulated participant")
            << replaced("mpid: REGA}", "mpid: REGA, standIn: [{on: {channel: IF-031}}]}") << "PACK008" << "/participants/1";
        QTest::newRow("unknown generator") << replaced("generate: ukMidnight", "generate: yesterday") << "PACK018" << "/variables/midnight";
        QTest::newRow("template key in a template") << replaced("request: {channel:", "request: {template: other, channel:") << "PACK008"
                                                    << "/templates/request";
        QTest::newRow("no test case") << QByteArray(kHead + "scenarios:\n  - {id: S, cases: []}\n") << "PACK019" << "/scenarios";
        QTest::newRow("case without steps") << replaced("          - send: {template: request}\n"
                                                        "          - expect: {channel: IF-032, to: supplier, within: 2s, where: {CommonBlock.S1.senderRoleID: REGS}}\n"
                                                        "          - wait: 1s\n",
                                                        "          []\n")
                                            << "PACK005" << "/scenarios";
        QTest::newRow("bad rejection code")
            << replaced("          - wait: 1s\n", "          - expectRejection: {code: E1031}\n") << "PACK008" << "/scenarios/0/cases/0/steps/2";
        QTest::newRow("gsp _I") << replaced("{id: home, distributor: ldso}", "{id: home, distributor: ldso, gsp: _I}") << "PACK008"
                                << "/fixtures/mpans/0/gsp";
    }

    void wrongPacksDoNotValidate()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, loaderCode);
        QFETCH(QString, where);

        Issues issues;
        const auto pack = scenario::parsePack(yaml, QStringLiteral("probe.yaml"), QDir::tempPath(), *catalogue::Catalogue::builtIn(), &issues);
        QVERIFY2(!pack.has_value(), "the loader accepted the pack");
        QStringList codes;
        for (const Issue &i : std::as_const(issues))
            codes << i.code;
        QVERIFY2(codes.contains(loaderCode), qPrintable(QStringLiteral("loader codes: ") + codes.join(QStringLiteral(", "))));

        const OJson json = toJson(yaml);
        QVERIFY(!m_validator.isValid(json));
        const auto errors = m_validator.validate(json);
        QVERIFY(!errors.empty());
        bool placed = false;
        for (const auto &e : errors) {
            // For a key that is missing or not allowed, the place is that key.
            const bool names = e.rule == "required" || e.rule == "additionalProperties";
            const QString at = pointerOf(e.path) + (names ? QLatin1Char('/') + QString::fromStdString(e.detail) : QString());
            placed = placed || at.startsWith(where);
        }
        QVERIFY2(placed, qPrintable(QStringLiteral("no error at or below '%1':\n%2").arg(where, errorsText(errors))));
    }
};

QTEST_GUILESS_MAIN(TestPackSchema)
#include "test_pack_schema.moc"
