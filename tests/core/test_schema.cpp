// SPDX-License-Identifier: GPL-3.0-or-later
#include "schema/json_schema_validator.h"
#include "schema/openapi_translate.h"
#include "schema/schema_set.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent>

#include <map>

using namespace dipwb;
using namespace dipwb::schema;

namespace {

QString referenceDir()
{
    const QString dir = qEnvironmentVariable("DIPWB_REFERENCE_DIR");
    return !dir.isEmpty() && QFileInfo(dir).isDir() ? dir : QString();
}

#define REQUIRE_REFERENCE(dir)                                                                                     \
    const QString dir = referenceDir();                                                                            \
    if (dir.isEmpty())                                                                                             \
        QSKIP("DIPWB_REFERENCE_DIR is unset or missing: set it to the shared/reference folder holding the "     \
              "official elexon-dip-api-x.y.z specifications to run this test");

QString keyText(const SchemaKey &k) { return k.channel + QLatin1Char(' ') + k.eventCode + QLatin1Char(' ') + k.schemaVersion; }

QString errorsText(const QList<ValidationError> &errors)
{
    QStringList lines;
    for (const ValidationError &e : errors)
        lines << e.rule + QStringLiteral(" @ ") + e.toString();
    return lines.join(QLatin1Char('\n'));
}

bool hasError(const QList<ValidationError> &errors, const QString &path, const QString &rule)
{
    return std::any_of(errors.cbegin(), errors.cend(), [&](const ValidationError &e) { return e.path == path && e.rule == rule; });
}

void writeFile(const QString &path, const QByteArray &text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

// One import per reference version for the whole run (about a second each).
std::shared_ptr<const SchemaSet> referenceSet(const QString &version, ImportResult *result = nullptr)
{
    static std::map<QString, std::pair<std::shared_ptr<const SchemaSet>, ImportResult>> cache;
    auto it = cache.find(version);
    if (it == cache.end()) {
        ImportResult r;
        auto set = SchemaSet::importDirectory(QDir(referenceDir()).filePath(QStringLiteral("elexon-dip-api-") + version), &r);
        it = cache.emplace(version, std::make_pair(set, r)).first;
    }
    if (result)
        *result = it->second.second;
    return it->second.first;
}

// Walks the example next to its schema and applies every mutation a tester would try.
struct MutationCounts
{
    int required = 0, unknown = 0, tooLong = 0, notInEnum = 0, zuluTimestamp = 0, openObjects = 0;
    QStringList failures;
};

class Mutator
{
public:
    Mutator(const SchemaSet &set, const SchemaKey &key, const OJson &example, const JsonSchemaValidator &reference,
            MutationCounts *counts)
        : m_set(set), m_key(key), m_example(example), m_reference(reference), m_counts(counts) {}

    void walk(const OJson &schema, const OJson::json_pointer &at, const QString &path)
    {
        const OJson &value = m_example.at(at);
        if (value.is_object() && schema.contains("properties")) {
            const OJson required = schema.value("required", OJson::array());
            for (const OJson &name : required) {
                OJson copy = m_example;
                if (!copy.at(at).erase(name.get<std::string>()))
                    continue;
                expect(copy, path, QStringLiteral("required"), &m_counts->required);
            }
            if (schema.value("additionalProperties", OJson(true)) == OJson(false)) {
                OJson copy = m_example;
                copy.at(at)["zzUnknownField"] = "x";
                expect(copy, path + QStringLiteral(".zzUnknownField"), QStringLiteral("additionalProperties"), &m_counts->unknown);
            } else {
                ++m_counts->openObjects;
            }
            for (auto it = value.begin(); it != value.end(); ++it)
                walk(schema["properties"][it.key()], at / it.key(), path + QLatin1Char('.') + qs(it.key()));
        } else if (value.is_array() && schema.contains("items")) {
            for (std::size_t i = 0; i < value.size(); ++i)
                walk(schema["items"], at / i, path + QStringLiteral("[%1]").arg(i));
        } else if (value.is_string()) {
            if (schema.contains("maxLength"))
                mutate(at, OJson(std::string(schema["maxLength"].get<std::size_t>() + 1, '9')), path, QStringLiteral("maxLength"), &m_counts->tooLong);
            if (schema.contains("enum"))
                mutate(at, OJson("NOT-A-MEMBER"), path, QStringLiteral("enum"), &m_counts->notInEnum);
            if (schema.value("title", std::string()).rfind("DT-003", 0) == 0)
                mutate(at, OJson("2024-07-01T00:00:00Z"), path, QStringLiteral("minLength"), &m_counts->zuluTimestamp);
        }
    }

private:
    void mutate(const OJson::json_pointer &at, const OJson &replacement, const QString &path, const QString &rule, int *count)
    {
        OJson copy = m_example;
        copy.at(at) = replacement;
        expect(copy, path, rule, count);
    }

    void expect(const OJson &payload, const QString &path, const QString &rule, int *count)
    {
        const QList<ValidationError> errors = m_set.validate(m_key, payload);
        const bool quick = m_reference.isValid(payload);
        const bool engine = m_reference.isValidByEngine(payload);
        if (!hasError(errors, path, rule) || quick || engine)
            m_counts->failures << QStringLiteral("%1: expected %2 at %3 (quick check %4, valijson %5); got:\n%6")
                                      .arg(keyText(m_key), rule, path, quick ? QStringLiteral("valid") : QStringLiteral("invalid"),
                                           engine ? QStringLiteral("valid") : QStringLiteral("invalid"), errorsText(errors));
        else
            ++*count;
    }

    const SchemaSet &m_set;
    SchemaKey m_key;
    const OJson &m_example;
    const JsonSchemaValidator &m_reference;
    MutationCounts *m_counts;
};

} // namespace

class TestSchema final : public QObject
{
    Q_OBJECT
private slots:
    void translation_data()
    {
        QTest::addColumn<QByteArray>("openApi");
        QTest::addColumn<QByteArray>("jsonSchema");
        QTest::newRow("nullable string") << QByteArray(R"({"type":"string","nullable":true,"maxLength":5})")
                                         << QByteArray(R"({"type":["string","null"],"maxLength":5})");
        QTest::newRow("nullable enum gets null") << QByteArray(R"({"type":"string","nullable":true,"enum":["A","B"]})")
                                                 << QByteArray(R"({"type":["string","null"],"enum":["A","B",null]})");
        QTest::newRow("enum already has null") << QByteArray(R"({"type":"string","nullable":true,"enum":["A",null]})")
                                               << QByteArray(R"({"type":["string","null"],"enum":["A",null]})");
        QTest::newRow("nullable false dropped") << QByteArray(R"({"type":"boolean","nullable":false})")
                                                << QByteArray(R"({"type":"boolean"})");
        QTest::newRow("exclusive bounds") << QByteArray(R"({"type":"number","minimum":0,"exclusiveMinimum":true,"maximum":9,"exclusiveMaximum":false})")
                                          << QByteArray(R"({"type":"number","exclusiveMinimum":0,"maximum":9})");
        QTest::newRow("openapi-only keywords dropped")
            << QByteArray(R"({"type":"object","example":{"a":1},"xml":{},"discriminator":{"propertyName":"a"},"readOnly":true,"writeOnly":false,"deprecated":true,"externalDocs":{},"x-note":1,"format":"uuid","additionalProperties":false})")
            << QByteArray(R"({"type":"object","format":"uuid","additionalProperties":false})");
        QTest::newRow("nested in properties, items, oneOf")
            << QByteArray(R"({"type":"object","properties":{"example":{"type":"string","nullable":true,"example":"x"},"l":{"type":"array","items":{"type":"integer","nullable":true}}},"oneOf":[{"type":"string","deprecated":true}]})")
            << QByteArray(R"({"type":"object","properties":{"example":{"type":["string","null"]},"l":{"type":"array","items":{"type":["integer","null"]}}},"oneOf":[{"type":"string"}]})");
        QTest::newRow("refs untouched") << QByteArray("{\"$ref\":\"#/components/schemas/X\"}") << QByteArray("{\"$ref\":\"#/components/schemas/X\"}");
    }
    void translation()
    {
        QFETCH(QByteArray, openApi);
        QFETCH(QByteArray, jsonSchema);
        QCOMPARE(translateOpenApiSchema(nlohmann::json::parse(openApi.toStdString())), nlohmann::json::parse(jsonSchema.toStdString()));
    }

    void importReference_data()
    {
        QTest::addColumn<QString>("version");
        QTest::newRow("2.1.0") << QStringLiteral("2.1.0");
        QTest::newRow("1.8.3") << QStringLiteral("1.8.3");
    }
    void importReference()
    {
        REQUIRE_REFERENCE(dir);
        QFETCH(QString, version);
        ImportResult result;
        QElapsedTimer timer;
        timer.start();
        const auto set = referenceSet(version, &result);
        QVERIFY2(result.ok(), qPrintable(result.issues.isEmpty() ? QString() : result.issues.first().toString()));
        QVERIFY(set);
        QCOMPARE(result.specVersion, version);
        QCOMPARE(set->specVersion(), version);
        QSet<QString> schemaNames;
        for (const ImportedEvent &e : std::as_const(result.events))
            schemaNames.insert(e.schemaName);
        qInfo().noquote() << QStringLiteral("spec %1: %2 channels, %3 events, %4 event schemas, %5 response codes, %6 warnings")
                                 .arg(version).arg(result.channels.size()).arg(result.events.size()).arg(schemaNames.size())
                                 .arg(result.responseCodes.size()).arg(result.issues.size());
        for (const Issue &i : std::as_const(result.issues))
            qInfo().noquote() << "  " << i.toString();
        QVERIFY(schemaNames.size() >= 100);
        QCOMPARE(set->keys().size(), result.events.size());

        const QSet<QString> imported(result.channels.cbegin(), result.channels.cend());
        const QSet<QString> validated(result.validatePathChannels.cbegin(), result.validatePathChannels.cend());
        QStringList onlyValidate = QSet<QString>(validated).subtract(imported).values();
        QStringList onlyImported = QSet<QString>(imported).subtract(validated).values();
        onlyValidate.sort();
        onlyImported.sort();
        qInfo().noquote() << "  /validate channels without a payload schema:" << onlyValidate.join(QLatin1Char(' '));
        qInfo().noquote() << "  payload channels without a /validate path:" << onlyImported.join(QLatin1Char(' '));
        QVERIFY2(onlyValidate.isEmpty(), qPrintable(onlyValidate.join(QLatin1Char(' '))));
        QVERIFY(validated.size() >= 40);

        // The shapes a user relies on.
        QVERIFY(set->has({QStringLiteral("IF-033"), QStringLiteral("[MSAppSPRequest]"), QStringLiteral("011")}));
        QVERIFY(set->has({QStringLiteral("IF-033"), QStringLiteral("MSAppSPRequest"), QStringLiteral("011")}));
        QVERIFY(!set->has({QStringLiteral("IF-033"), QStringLiteral("[MSAppSPRequest]"), QStringLiteral("999")}));
        QCOMPARE(set->schemaName({QStringLiteral("IF-001"), QStringLiteral("[ChangeOfSupplier]"), QStringLiteral("011")}),
                 QStringLiteral("IF-001-ChangeOfSupplier"));
        QCOMPARE(set->schemaName({QStringLiteral("IF-021"), QStringLiteral("[ReactivePower]"), QStringLiteral("011")}),
                 QStringLiteral("IF-021-Payload"));
        // IF-020-RelatedCreate also lists [RelatedAdd]; the schema named after the event wins.
        QCOMPARE(set->schemaName({QStringLiteral("IF-020"), QStringLiteral("[RelatedAdd]"), QStringLiteral("011")}),
                 QStringLiteral("IF-020-RelatedAdd"));
        QVERIFY(result.responseCodes.value(QStringLiteral("MSG1001")).contains(QLatin1String("Schema")));
        qInfo() << "  import took" << timer.elapsed() << "ms";
    }

    void examplesValidateAndMutationsAreRejected_data() { importReference_data(); }
    void examplesValidateAndMutationsAreRejected()
    {
        REQUIRE_REFERENCE(dir);
        QFETCH(QString, version);
        const auto set = referenceSet(version);
        QVERIFY(set);
        MutationCounts counts;
        QStringList invalidExamples;
        int fastPaths = 0;
        for (const SchemaKey &key : set->keys()) {
            const OJson schema = set->jsonSchema(key);
            JsonSchemaValidator reference;
            QVERIFY(reference.compile(schema));
            fastPaths += reference.hasFastPath();
            const OJson example = set->example(key);
            const QList<ValidationError> errors = set->validate(key, example);
            if (!errors.isEmpty() || !reference.isValidByEngine(example)) {
                invalidExamples << keyText(key) + QStringLiteral(":\n") + errorsText(errors);
                continue;
            }
            QCOMPARE(example["CommonBlock"]["S0"]["eventCode"].get<std::string>(), ss(key.eventCode));
            Mutator(*set, key, example, reference, &counts).walk(schema, OJson::json_pointer(), QStringLiteral("payload"));
            OJson zulu = example;
            zulu["CommonBlock"]["S1"]["senderTimestamp"] = "2024-07-01T00:00:00Z";
            const QList<ValidationError> zuluErrors = set->validate(key, zulu);
            QVERIFY2(zuluErrors.size() == 1
                         && zuluErrors[0].toString() == QLatin1String("payload.CommonBlock.S1.senderTimestamp: 20 characters, must be exactly 25 (DT-003)"),
                     qPrintable(keyText(key) + QLatin1Char('\n') + errorsText(zuluErrors)));
        }
        qInfo().noquote() << QStringLiteral("spec %1: %2 examples valid, %3 with the quick check; rejected: %4 required-field removals, "
                                            "%5 unknown fields, %6 over-long strings, %7 values outside enums, %8 'Z' timestamps; "
                                            "%9 objects allow extra fields")
                                 .arg(version).arg(set->keys().size() - invalidExamples.size()).arg(fastPaths)
                                 .arg(counts.required).arg(counts.unknown).arg(counts.tooLong).arg(counts.notInEnum)
                                 .arg(counts.zuluTimestamp).arg(counts.openObjects);
        QVERIFY2(invalidExamples.isEmpty(), qPrintable(invalidExamples.mid(0, 5).join(QLatin1Char('\n'))));
        QVERIFY2(counts.failures.isEmpty(), qPrintable(QStringLiteral("%1 failures, first ones:\n").arg(counts.failures.size())
                                                       + counts.failures.mid(0, 5).join(QLatin1Char('\n'))));
        QCOMPARE(fastPaths, set->keys().size());
        QVERIFY(counts.zuluTimestamp >= set->keys().size());
        QVERIFY(counts.required > 0 && counts.unknown > 0 && counts.tooLong > 0 && counts.notInEnum > 0);
    }

    void errorsAreInWordsATesterUnderstands()
    {
        REQUIRE_REFERENCE(dir);
        const auto set = referenceSet(QStringLiteral("2.1.0"));
        QVERIFY(set);
        const SchemaKey key{QStringLiteral("IF-033"), QStringLiteral("[MSAppSPRequest]"), QStringLiteral("011")};
        const OJson example = set->example(key);
        QCOMPARE(example["CommonBlock"]["S1"]["senderTimestamp"], OJson("2024-07-01T00:00:00+01:00"));
        const std::string mpan = example["CommonBlock"]["M0"]["MPANCore"].get<std::string>();
        QCOMPARE(mpan.size(), std::size_t(13));
        const int weights[12] = {3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43};
        int sum = 0;
        for (int i = 0; i < 12; ++i)
            sum += (mpan[std::size_t(i)] - '0') * weights[i];
        QCOMPARE(mpan[12] - '0', sum % 11 % 10);

        OJson bad = example;
        bad["CommonBlock"]["S1"]["senderTimestamp"] = "2024-07-01T00:00:00Z";
        bad["CommonBlock"]["foo"] = 1;
        bad["CustomBlock"].erase("B070");
        bad["CommonBlock"]["S1"]["environmentTag"] = "X";
        bad["CommonBlock"]["M0"]["MPANCore"] = "12345678901X3";
        bad["CommonBlock"]["S1"]["senderDIPID"] = 12;
        const QStringList texts = [&] {
            QStringList t;
            for (const ValidationError &e : set->validate(key, bad))
                t << e.toString();
            return t;
        }();
        QVERIFY2(texts.contains(QStringLiteral("payload.CommonBlock.S1.senderTimestamp: 20 characters, must be exactly 25 (DT-003)")), qPrintable(texts.join('\n')));
        QVERIFY2(texts.contains(QStringLiteral("payload.CommonBlock.foo: unknown field 'foo' (not allowed by the schema)")), qPrintable(texts.join('\n')));
        QVERIFY2(texts.contains(QStringLiteral("payload.CustomBlock: required field 'B070' is missing")), qPrintable(texts.join('\n')));
        QVERIFY2(texts.contains(QStringLiteral("payload.CommonBlock.S1.environmentTag: 'X' is not one of: PRD, SITB, SIT, UIT, DEV")), qPrintable(texts.join('\n')));
        QVERIFY2(texts.contains(QStringLiteral("payload.CommonBlock.M0.MPANCore: '12345678901X3' does not have the required form ^\\d{13}?$ (DT-002)")), qPrintable(texts.join('\n')));
        QVERIFY2(texts.contains(QStringLiteral("payload.CommonBlock.S1.senderDIPID: a number, must be a string")), qPrintable(texts.join('\n')));

        // Array indices appear in the path.
        const SchemaKey if021{QStringLiteral("IF-021"), QStringLiteral("[ActivePower]"), QStringLiteral("011")};
        OJson periods = set->example(if021);
        OJson &list = periods["CustomBlock"]["B900"]["settlementDayConsumptionPeriods"][0]["consumptionPeriods"];
        QVERIFY(list.is_array() && list.size() == 1);
        list.push_back(list[0]);
        list[1]["v"] = "12.5";
        const QList<ValidationError> errors = set->validate(if021, periods);
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors[0].path, QStringLiteral("payload.CustomBlock.B900.settlementDayConsumptionPeriods[0].consumptionPeriods[1].v"));
        QCOMPARE(errors[0].rule, QStringLiteral("pattern"));

        const QList<ValidationError> unknown = set->validate({QStringLiteral("IF-999"), QStringLiteral("[X]"), QStringLiteral("011")}, example);
        QCOMPARE(unknown.size(), 1);
        QCOMPARE(unknown[0].rule, QStringLiteral("schema"));
    }

    void brokenInputNamesFileLineAndReference_data()
    {
        QTest::addColumn<QByteArray>("events");
        QTest::addColumn<QByteArray>("types");
        QTest::addColumn<QString>("context");
        QTest::addColumn<QString>("phrase");
        const QByteArray head = "openapi: 3.0.0\ninfo:\n  version: 9.9.9\ncomponents:\n  schemas:\n";
        const QByteArray good = head + "    IF-900-Payload:\n      type: object\n      properties:\n        CommonBlock:\n"
                                       "          type: object\n          properties:\n            S0:\n              type: object\n"
                                       "              properties:\n                eventCode: {type: string, enum: ['[Go]']}\n"
                                       "                schemaVersion: {type: string, enum: ['011']}\n";
        QTest::newRow("bad yaml") << QByteArray(good + "        Broken: [unclosed\n") << QByteArray()
                                  << QStringLiteral("Interfaces-EventCodes-unresolved.yaml:18") << QStringLiteral("not valid YAML");
        QTest::newRow("dangling ref in other file")
            << QByteArray(good + "        When:\n          $ref: 'https://raw.githubusercontent.com/elexon-data/dip-api-documentation/main/DataTypes-unresolved.yaml#/components/schemas/DT-404'\n")
            << QByteArray("components:\n  schemas:\n    DT-003-DateTime: {type: string}\n")
            << QStringLiteral("Interfaces-EventCodes-unresolved.yaml:18")
            << QStringLiteral("$ref 'https://raw.githubusercontent.com/elexon-data/dip-api-documentation/main/DataTypes-unresolved.yaml#/components/schemas/DT-404' does not resolve: '/components/schemas/DT-404' does not exist in DataTypes-unresolved.yaml");
        QTest::newRow("dangling local file")
            << QByteArray(good + "        When: {$ref: 'Missing.yaml#/x'}\n") << QByteArray()
            << QStringLiteral("Interfaces-EventCodes-unresolved.yaml:17") << QStringLiteral("the file 'Missing.yaml' does not exist");
        QTest::newRow("ref cycle")
            << QByteArray(good + "        Loop: {$ref: 'DataTypes-unresolved.yaml#/components/schemas/A'}\n")
            << QByteArray("components:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/B'}\n"
                          "    B:\n      type: array\n      items:\n        $ref: '#/components/schemas/A'\n")
            << QStringLiteral("DataTypes-unresolved.yaml:10")
            << QStringLiteral("$ref '#/components/schemas/A' closes a reference cycle: DataTypes.A -> DataTypes.B -> DataTypes.A");
        QTest::newRow("self reference")
            << QByteArray(good + "        Self: {$ref: '#/components/schemas/IF-900-Payload'}\n") << QByteArray()
            << QStringLiteral("Interfaces-EventCodes-unresolved.yaml:17")
            << QStringLiteral("closes a reference cycle: Interfaces-EventCodes.IF-900-Payload -> Interfaces-EventCodes.IF-900-Payload");
    }
    void brokenInputNamesFileLineAndReference()
    {
        QFETCH(QByteArray, events);
        QFETCH(QByteArray, types);
        QFETCH(QString, context);
        QFETCH(QString, phrase);
        QTemporaryDir tmp;
        writeFile(tmp.filePath(QStringLiteral("Interfaces-EventCodes-unresolved.yaml")), events);
        if (!types.isEmpty())
            writeFile(tmp.filePath(QStringLiteral("DataTypes-unresolved.yaml")), types);
        ImportResult result;
        const auto set = SchemaSet::importDirectory(tmp.path(), &result);
        QVERIFY(!set);
        QVERIFY(!result.ok());
        QStringList all;
        for (const Issue &i : std::as_const(result.issues))
            all << i.toString();
        const bool found = std::any_of(result.issues.cbegin(), result.issues.cend(), [&](const Issue &i) {
            return i.severity == Issue::Severity::Error && i.context.startsWith(context) && i.text.contains(phrase);
        });
        QVERIFY2(found, qPrintable(all.join(QLatin1Char('\n'))));
    }

    void webRefWithoutLocalCopyIsSkippedWithAWarning()
    {
        QTemporaryDir tmp;
        writeFile(tmp.filePath(QStringLiteral("Interfaces-EventCodes-unresolved.yaml")),
                  "openapi: 3.0.0\ninfo: {version: 1.0.0}\ncomponents:\n  schemas:\n    IF-900-Payload:\n      type: object\n"
                  "      additionalProperties: false\n      properties:\n        CommonBlock:\n          type: object\n"
                  "          properties:\n            S0:\n              type: object\n              properties:\n"
                  "                eventCode: {type: string, enum: ['[Go]']}\n                schemaVersion: {type: string, enum: ['001']}\n"
                  "        Other:\n          $ref: 'https://raw.githubusercontent.com/elexon-data/dip-api-documentation/main/Gone.yaml#/components/schemas/X'\n");
        ImportResult result;
        const auto set = SchemaSet::importDirectory(tmp.path(), &result);
        QVERIFY2(set, qPrintable(result.issues.isEmpty() ? QString() : result.issues.first().toString()));
        QVERIFY(result.ok());
        QList<Issue> skips;
        std::copy_if(result.issues.cbegin(), result.issues.cend(), std::back_inserter(skips), [](const Issue &i) { return i.code == QLatin1String("SCH005"); });
        QCOMPARE(skips.size(), 1);
        QCOMPARE(skips[0].severity, Issue::Severity::Warning);
        QCOMPARE(skips[0].context, QStringLiteral("Interfaces-EventCodes-unresolved.yaml:18"));
        QVERIFY(skips[0].text.contains(QLatin1String("no local file named 'Gone.yaml'")));
        const SchemaKey key{QStringLiteral("IF-900"), QStringLiteral("[Go]"), QStringLiteral("001")};
        QCOMPARE(set->keys(), QList<SchemaKey>{key});
        QVERIFY(set->validate(key, OJson{{"Other", {{"anything", 1}}}}).isEmpty());
        QVERIFY(hasError(set->validate(key, OJson{{"Extra", 1}}), QStringLiteral("payload.Extra"), QStringLiteral("additionalProperties")));
    }

    void persistedFormRoundTrips_data() { importReference_data(); }
    void persistedFormRoundTrips()
    {
        REQUIRE_REFERENCE(dir);
        QFETCH(QString, version);
        const auto set = referenceSet(version);
        QVERIFY(set);
        const QByteArray json = set->toJson();
        Issues issues;
        const auto again = SchemaSet::fromJson(json, QStringLiteral("round trip"), &issues);
        QVERIFY2(again, qPrintable(issues.isEmpty() ? QString() : issues.first().toString()));
        QCOMPARE(again->toJson(), json);
        QCOMPARE(again->keys(), set->keys());
        QCOMPARE(again->specVersion(), version);
        qInfo() << "persisted form of" << version << "is" << json.size() / 1024 << "KiB";
        for (const SchemaKey &key : set->keys()) {
            OJson payload = set->example(key);
            QCOMPARE(again->example(key), payload);
            QCOMPARE(again->validate(key, payload).size(), 0);
            payload["CommonBlock"]["S1"]["senderTimestamp"] = "2024-07-01T00:00:00Z";
            payload["CommonBlock"]["S0"].erase("eventCode");
            const QList<ValidationError> a = set->validate(key, payload);
            const QList<ValidationError> b = again->validate(key, payload);
            QCOMPARE(errorsText(b), errorsText(a));
            QVERIFY(a.size() >= 2);
        }
    }

    void persistedFormRejectsBadDocuments_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("phrase");
        QTest::newRow("not json") << QByteArray("{") << "not a JSON document";
        QTest::newRow("other format") << QByteArray(R"({"format":"x"})") << "not a schema set document";
        QTest::newRow("newer version") << QByteArray(R"({"format":"dipwb-schema-set","formatVersion":2})") << "unsupported formatVersion 2";
        QTest::newRow("dangling") << QByteArray("{\"format\":\"dipwb-schema-set\",\"formatVersion\":1,\"definitions\":{},\"schemas\":{\"S\":\"#/definitions/nope\"},\"events\":[{\"channel\":\"IF-1\",\"eventCode\":\"[A]\",\"schemaVersion\":\"1\",\"schemaName\":\"S\"}]}")
                                  << "S: reference to 'nope', which is not defined";
        QTest::newRow("cycle") << QByteArray("{\"format\":\"dipwb-schema-set\",\"formatVersion\":1,\"definitions\":{\"a\":{\"items\":{\"$ref\":\"#/definitions/a\"}}},\"schemas\":{\"S\":\"#/definitions/a\"},\"events\":[{\"channel\":\"IF-1\",\"eventCode\":\"[A]\",\"schemaVersion\":\"1\",\"schemaName\":\"S\"}]}")
                               << "reference cycle: a -> a";
    }
    void persistedFormRejectsBadDocuments()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, phrase);
        Issues issues;
        QVERIFY(!SchemaSet::fromJson(json, QStringLiteral("doc.json"), &issues));
        QVERIFY(!issues.isEmpty());
        QVERIFY2(issues.first().text.contains(phrase), qPrintable(issues.first().toString()));
        QVERIFY(issues.first().context.startsWith(QLatin1String("doc.json")));
    }

    void validationIsThreadSafe()
    {
        REQUIRE_REFERENCE(dir);
        const auto set = referenceSet(QStringLiteral("2.1.0"));
        QVERIFY(set);
        const QList<SchemaKey> keys = set->keys();
        QList<int> jobs;
        for (int i = 0; i < 4000; ++i)
            jobs << i;
        const QList<QString> results = QtConcurrent::blockingMapped(jobs, [&](int i) {
            const SchemaKey &key = keys[i % keys.size()];
            OJson payload = set->example(key);
            if (i % 2)
                payload["CommonBlock"]["S1"]["senderTimestamp"] = "2024-07-01T00:00:00Z";
            return errorsText(set->validate(key, payload));
        });
        for (int i = 0; i < results.size(); ++i)
            QCOMPARE(results[i].isEmpty(), i % 2 == 0);
    }

    // The official JSON-Schema-Test-Suite (Debian json-schema-test-suite), draft-07, required tests
    // only, through our validator wrapper. Remote refs are served from the suite's own remotes/ folder
    // as the suite intends (http://localhost:1234/...); nothing is fetched.
    void jsonSchemaTestSuiteDraft7()
    {
        QString root = qEnvironmentVariable("DIPWB_JSON_SCHEMA_TEST_SUITE");
        if (root.isEmpty())
            root = QStringLiteral("/usr/share/json-schema-test-suite");
        const QDir tests(root + QStringLiteral("/tests/draft7"));
        if (!tests.exists())
            QSKIP("the JSON-Schema-Test-Suite is not installed (Debian package json-schema-test-suite, see scripts/install-deps.sh)");
        auto readJson = [](const QString &path) -> std::optional<OJson> {
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly))
                return std::nullopt;
            try {
                return OJson::parse(f.readAll().toStdString());
            } catch (const std::exception &) {
                return std::nullopt;
            }
        };
        QStringList missingRemotes;
        const JsonSchemaValidator::DocumentLoader loader = [&](const std::string &uri) -> std::optional<OJson> {
            const QString u = qs(uri);
            const QString prefix = QStringLiteral("http://localhost:1234/");
            missingRemotes << u;
            if (u.startsWith(prefix))
                return readJson(root + QStringLiteral("/remotes/") + u.mid(prefix.size()));
            return std::nullopt;
        };
        int total = 0, passed = 0, skipped = 0, quickDisagreements = 0;
        QStringList failures, skips;
        for (const QString &name : tests.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
            const std::optional<OJson> groups = readJson(tests.filePath(name));
            QVERIFY2(groups && groups->is_array(), qPrintable(name));
            for (const OJson &group : *groups) {
                const QString groupName = name + QStringLiteral(": ") + qs(group["description"].get<std::string>());
                JsonSchemaValidator v;
                QString error;
                missingRemotes.clear();
                const bool compiled = v.compile(group["schema"], &error, loader);
                for (const OJson &test : group["tests"]) {
                    const QString label = groupName + QStringLiteral(" / ") + qs(test["description"].get<std::string>());
                    const bool needsWeb = std::any_of(missingRemotes.cbegin(), missingRemotes.cend(), [](const QString &u) {
                        return !u.startsWith(QLatin1String("http://localhost:1234/"));
                    });
                    if (!compiled && needsWeb) {
                        ++skipped;
                        skips << label + QStringLiteral(" (needs the remote document ") + missingRemotes.join(QStringLiteral(", ")) + QLatin1Char(')');
                        continue;
                    }
                    ++total;
                    const bool expected = test["valid"].get<bool>();
                    const bool engine = compiled && v.validate(test["data"]).empty();
                    if (compiled && v.hasFastPath() && v.isValid(test["data"]) != engine) {
                        ++quickDisagreements;
                        failures << label + QStringLiteral(" (the quick check disagrees with valijson)");
                    }
                    if (compiled && engine == expected)
                        ++passed;
                    else
                        failures << label + (compiled ? QStringLiteral(" (expected %1)").arg(expected ? QStringLiteral("valid") : QStringLiteral("invalid"))
                                                      : QStringLiteral(" (schema not compiled: %1)").arg(error));
                }
            }
        }
        const double rate = total ? 100.0 * passed / total : 0;
        qInfo().noquote() << QStringLiteral("JSON-Schema-Test-Suite draft7: %1 of %2 passed (%3 %), %4 skipped")
                                 .arg(passed).arg(total).arg(rate, 0, 'f', 2).arg(skipped);
        for (const QString &f : std::as_const(failures))
            qInfo().noquote() << "  failed:" << f;
        for (const QString &s : std::as_const(skips))
            qInfo().noquote() << "  skipped:" << s;
        QVERIFY(total > 300);
        QVERIFY2(rate >= 99.0, qPrintable(QString::number(rate)));
        QCOMPARE(quickDisagreements, 0);
    }
};

QTEST_GUILESS_MAIN(TestSchema)
#include "test_schema.moc"
