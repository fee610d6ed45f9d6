// SPDX-License-Identifier: GPL-3.0-or-later
// The payload schemas the program ships: complete for the built-in catalogue, interchangeable with
// the official 2.1.0 schemas, and what a workspace uses until it pins an imported version.
#include "catalogue/catalogue.h"
#include "common/workspace.h"
#include "schema/schema_set.h"
#include "schema/workspace_schemas.h"
#include "tracker/message_template.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <thread>
#include <vector>

using namespace dipwb;
using namespace dipwb::schema;

namespace {

QString keyText(const SchemaKey &k) { return k.channel + QLatin1Char(' ') + k.eventCode + QLatin1Char(' ') + k.schemaVersion; }

QString errorsText(const QList<ValidationError> &errors)
{
    QStringList lines;
    for (const ValidationError &e : errors)
        lines << e.rule + QStringLiteral(" @ ") + e.toString();
    return lines.join(QLatin1Char('\n'));
}

QList<SchemaKey> catalogueKeys()
{
    QList<SchemaKey> keys;
    for (const catalogue::ChannelDef *ch : catalogue::Catalogue::builtIn()->channels())
        for (const catalogue::EventDef &e : ch->events)
            keys.append(SchemaKey{ch->id, e.code, e.schemaVersion});
    return keys;
}

// The official 2.1.0 set, imported once for the whole run; null when the reference is not there.
std::shared_ptr<const SchemaSet> official()
{
    static const std::shared_ptr<const SchemaSet> set = [] {
        const QString dir = qEnvironmentVariable("DIPWB_REFERENCE_DIR");
        if (dir.isEmpty())
            return std::shared_ptr<const SchemaSet>();
        ImportResult result;
        return SchemaSet::importDirectory(QDir(dir).filePath(QStringLiteral("elexon-dip-api-2.1.0")), &result);
    }();
    return set;
}

#define REQUIRE_OFFICIAL(set)                                                                                     \
    if (qEnvironmentVariableIsEmpty("DIPWB_REFERENCE_DIR"))                                                        \
        QSKIP("DIPWB_REFERENCE_DIR is unset: set it to the shared/reference folder holding elexon-dip-api-2.1.0 " \
              "to compare the built-in schemas with the official ones");                                          \
    const auto set = official();                                                                                  \
    QVERIFY2(set, "DIPWB_REFERENCE_DIR/elexon-dip-api-2.1.0 did not import");

// What a schema constrains, without its annotations: titles and descriptions dropped, an empty
// "required" dropped, "required" sorted, keys in one order (a sorted nlohmann::json).
Json constraints(const OJson &schema)
{
    if (schema.is_array()) {
        Json out = Json::array();
        for (const OJson &item : schema)
            out.push_back(constraints(item));
        return out;
    }
    if (!schema.is_object())
        return Json::parse(schema.dump());
    Json out = Json::object();
    for (auto it = schema.begin(); it != schema.end(); ++it) {
        const std::string &key = it.key();
        if (key == "title" || key == "description")
            continue;
        if (key == "enum") {
            out[key] = Json::parse(it.value().dump());
        } else if (key == "required") {
            std::vector<std::string> names = it.value().get<std::vector<std::string>>();
            if (names.empty())
                continue;
            std::sort(names.begin(), names.end());
            out[key] = names;
        } else {
            out[key] = constraints(it.value());
        }
    }
    return out;
}

OJson builtInExample(const QString &channel, const QString &event)
{
    return SchemaSet::builtIn()->example(SchemaKey{channel, event, QStringLiteral("011")});
}

} // namespace

class TestBuiltinSchemas final : public QObject
{
    Q_OBJECT

private slots:
    void builtOnceFromAnyThread()
    {
        std::vector<const SchemaSet *> seen(8, nullptr);
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < seen.size(); ++i)
            threads.emplace_back([&seen, i] { seen[i] = SchemaSet::builtIn().get(); });
        for (std::thread &t : threads)
            t.join();
        QVERIFY(seen[0] != nullptr);
        for (const SchemaSet *s : seen)
            QCOMPARE(s, seen[0]);
        QCOMPARE(SchemaSet::builtIn().get(), seen[0]);
    }

    void versionMatchesTheBuiltInCatalogue()
    {
        QCOMPARE(SchemaSet::builtIn()->specVersion(), catalogue::Catalogue::builtIn()->version());
        QCOMPARE(SchemaSet::builtIn()->specVersion(), QStringLiteral("builtin-2.1.0"));
    }

    void everyCatalogueEventHasASchemaAndNoOther()
    {
        const auto set = SchemaSet::builtIn();
        const QList<SchemaKey> expected = catalogueKeys();
        QVERIFY(expected.size() >= 39);
        for (const SchemaKey &k : expected)
            QVERIFY2(set->has(k), qPrintable(QStringLiteral("no built-in schema for ") + keyText(k)));
        QStringList extra;
        for (const SchemaKey &k : set->keys())
            if (!expected.contains(k))
                extra << keyText(k);
        QVERIFY2(extra.isEmpty(), qPrintable(QStringLiteral("not in the built-in catalogue: ") + extra.join(QStringLiteral(", "))));
        QCOMPARE(set->keys().size(), expected.size());
    }

    void everyExampleValidates()
    {
        const auto set = SchemaSet::builtIn();
        for (const SchemaKey &k : set->keys()) {
            const OJson example = set->example(k);
            QVERIFY2(example.is_object() && example.contains("CommonBlock"), qPrintable(keyText(k)));
            const auto errors = set->validate(k, example);
            QVERIFY2(errors.isEmpty(), qPrintable(keyText(k) + QLatin1Char('\n') + errorsText(errors)));
        }
    }

    // What the desktop composer starts a message from must pass the checks it is sent to.
    void everyComposerTemplateValidates()
    {
        const auto set = SchemaSet::builtIn();
        const auto cat = catalogue::Catalogue::builtIn();
        for (const SchemaKey &k : set->keys()) {
            tracker::TemplateRequest r;
            r.channel = cat->channel(k.channel);
            QVERIFY(r.channel);
            r.eventCode = k.eventCode;
            r.sender = participants::Participant{QStringLiteral("1100000001"), r.channel->senderRoles.value(0),
                                                 QStringLiteral("REGA"), QStringLiteral("Sender")};
            r.primaryRecipients = {QStringLiteral("1300000001")};
            r.nowMs = QDateTime(QDate(2024, 7, 1), QTime(9, 0), QTimeZone::utc()).toMSecsSinceEpoch();
            r.schemas = set.get();
            const OJson message = tracker::messageTemplate(r);
            const auto errors = set->validate(k, message["payload"]);
            QVERIFY2(errors.isEmpty(), qPrintable(keyText(k) + QLatin1Char('\n') + errorsText(errors)));
        }
    }

    void officialExamplesValidateAgainstTheBuiltInSchemas()
    {
        REQUIRE_OFFICIAL(reference);
        const auto builtIn = SchemaSet::builtIn();
        for (const SchemaKey &k : builtIn->keys()) {
            QVERIFY2(reference->has(k), qPrintable(QStringLiteral("2.1.0 has no ") + keyText(k)));
            const auto errors = builtIn->validate(k, reference->example(k));
            QVERIFY2(errors.isEmpty(), qPrintable(keyText(k) + QLatin1Char('\n') + errorsText(errors)));
        }
    }

    void builtInExamplesValidateAgainstTheOfficialSchemas()
    {
        REQUIRE_OFFICIAL(reference);
        const auto builtIn = SchemaSet::builtIn();
        for (const SchemaKey &k : builtIn->keys()) {
            const auto errors = reference->validate(k, builtIn->example(k));
            QVERIFY2(errors.isEmpty(), qPrintable(keyText(k) + QLatin1Char('\n') + errorsText(errors)));
        }
    }

    // Stronger than the examples: field names, required lists, types, enums, lengths, patterns
    // and closed objects are the official ones, member for member.
    void constraintsAreTheOfficialOnes()
    {
        REQUIRE_OFFICIAL(reference);
        const auto builtIn = SchemaSet::builtIn();
        for (const SchemaKey &k : builtIn->keys()) {
            const Json ours = constraints(builtIn->jsonSchema(k));
            const Json theirs = constraints(reference->jsonSchema(k));
            // QVERIFY2 builds its message even on success, and an empty diff has no first entry.
            if (ours != theirs)
                QFAIL(qPrintable(keyText(k) + QStringLiteral(" differs; first difference: ")
                                 + QString::fromStdString(Json::diff(theirs, ours).at(0).dump())));
        }
    }

    void violationsNameThePathAndTheRule_data()
    {
        QTest::addColumn<QString>("channel");
        QTest::addColumn<QString>("event");
        QTest::addColumn<QString>("mutation");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QString>("message");
        QTest::newRow("timestamp with Z") << "IF-033" << "[MSAppSPRequest]" << "zulu"
                                          << "payload.CommonBlock.S1.senderTimestamp" << "minLength"
                                          << "20 characters, must be exactly 25 (DT-003)";
        QTest::newRow("unknown property") << "IF-033" << "[MSAppSPRequest]" << "unknown"
                                          << "payload.CustomBlock.B070.foo" << "additionalProperties"
                                          << "unknown field 'foo' (not allowed by the schema)";
        QTest::newRow("missing data group") << "IF-033" << "[MSAppSPRequest]" << "missing"
                                            << "payload.CustomBlock" << "required" << "required field 'B070' is missing";
        QTest::newRow("bad enum member") << "IF-033" << "[MSAppSPRequest]" << "enum"
                                         << "payload.CommonBlock.M0.GSPGroupID" << "enum"
                                         << "'_I' is not one of: _A, _B, _C, _D, _E, _F, _G, _H, _J, _K, _L, _M, _N, _P";
        QTest::newRow("other event of IF-021") << "IF-021" << "[ReactivePower]" << "wrongEvent"
                                               << "payload.CommonBlock.S0.eventCode" << "enum"
                                               << "'[MSApp]' is not one of: [ActivePower], [ReactivePower]";
        QTest::newRow("open S0 of IF-001 still needs its members")
            << "IF-001" << "[InitialRegistration]" << "noEventCode" << "payload.CommonBlock.S0" << "required"
            << "required field 'eventCode' is missing";
    }
    void violationsNameThePathAndTheRule()
    {
        QFETCH(QString, channel);
        QFETCH(QString, event);
        QFETCH(QString, mutation);
        QFETCH(QString, path);
        QFETCH(QString, rule);
        QFETCH(QString, message);
        OJson payload = builtInExample(channel, event);
        QVERIFY(payload.is_object());
        if (mutation == QLatin1String("zulu"))
            payload["CommonBlock"]["S1"]["senderTimestamp"] = "2024-07-01T00:00:00Z";
        else if (mutation == QLatin1String("unknown"))
            payload["CustomBlock"]["B070"]["foo"] = "bar";
        else if (mutation == QLatin1String("missing"))
            payload["CustomBlock"].erase("B070");
        else if (mutation == QLatin1String("enum"))
            payload["CommonBlock"]["M0"]["GSPGroupID"] = "_I";
        else if (mutation == QLatin1String("wrongEvent"))
            payload["CommonBlock"]["S0"]["eventCode"] = "[MSApp]";
        else if (mutation == QLatin1String("noEventCode"))
            payload["CommonBlock"]["S0"].erase("eventCode");
        const auto errors = SchemaSet::builtIn()->validate(SchemaKey{channel, event, QStringLiteral("011")}, payload);
        QVERIFY2(errors.size() == 1, qPrintable(errorsText(errors)));
        QCOMPARE(errors[0].path, path);
        QCOMPARE(errors[0].rule, rule);
        QCOMPARE(errors[0].message, message);
    }

    void sourceMistakesAreNamed()
    {
        const QByteArray source = "{\"format\": \"dipwb-builtin-schemas\", \"formatVersion\": 1, \"specVersion\": \"t-1\","
                                  " \"values\": {\"dipId\": {\"type\": \"string\"}},"
                                  " \"blocks\": {\"B002\": {\"fields\": {\"incomingSupplierDIPID\": \"dipid\"}}},"
                                  " \"payloads\": [{\"channel\": \"IF-001\", \"schemaVersion\": \"011\","
                                  " \"events\": [\"[A]\", \"[B]\"], \"commonBlock\": [\"S0\"], \"customBlock\": [\"B002\"]}]}";
        Issues issues;
        QVERIFY(!SchemaSet::fromBuiltinSource(source, QStringLiteral("src.json"), &issues));
        QStringList texts;
        for (const Issue &i : std::as_const(issues))
            texts << i.toString();
        QVERIFY2(texts.contains(QStringLiteral("src.json: blocks.B002.fields.incomingSupplierDIPID: 'dipid' is neither a value nor a block")),
                 qPrintable(texts.join(QLatin1Char('\n'))));
        QVERIFY2(texts.contains(QStringLiteral("src.json: payloads[0]: a payload with several events needs a \"name\"")),
                 qPrintable(texts.join(QLatin1Char('\n'))));
    }

    void persistedFormReadsBackTheSame()
    {
        const auto builtIn = SchemaSet::builtIn();
        Issues issues;
        const auto again = SchemaSet::fromJson(builtIn->toJson(), QStringLiteral("copy"), &issues);
        QVERIFY2(again, issues.isEmpty() ? "" : qPrintable(issues.first().toString()));
        QCOMPARE(again->specVersion(), builtIn->specVersion());
        for (const SchemaKey &k : builtIn->keys())
            QVERIFY2(again->jsonSchema(k) == builtIn->jsonSchema(k), qPrintable(keyText(k)));
    }

    void aWorkspaceUsesThemUntilAVersionIsPinned()
    {
        QTemporaryDir dir;
        const Workspace ws(dir.path());
        QString error;
        QVERIFY2(ws.ensure(&error), qPrintable(error));
        Issues issues;
        QCOMPARE(loadPinnedSchemaSet(ws, &issues).get(), SchemaSet::builtIn().get());
        QVERIFY(issues.isEmpty());
        QCOMPARE(loadSchemaSet(ws, QStringLiteral("builtin"), &issues).get(), SchemaSet::builtIn().get());
        QCOMPARE(loadSchemaSet(ws, QStringLiteral("builtin-2.1.0"), &issues).get(), SchemaSet::builtIn().get());
        QVERIFY(issues.isEmpty());

        // A stored and pinned version replaces them; one that cannot be read is an error, not a fallback.
        QVERIFY2(storeSchemaSet(ws, *SchemaSet::fromJson(QByteArray(
                     "{\"format\":\"dipwb-schema-set\",\"formatVersion\":1,\"specVersion\":\"9.0.0\",\"events\":[],"
                     "\"schemas\":{},\"definitions\":{}}"), QStringLiteral("t"), &issues), &error),
                 qPrintable(error));
        QVERIFY(ws.pinCatalogue(QStringLiteral("9.0.0"), &error));
        const auto pinned = loadPinnedSchemaSet(ws, &issues);
        QVERIFY(pinned);
        QCOMPARE(pinned->specVersion(), QStringLiteral("9.0.0"));
        QFile pin(ws.cataloguesDir() + QStringLiteral("/pinned"));
        QVERIFY(pin.open(QIODevice::WriteOnly));
        pin.write("9.9.9\n");
        pin.close();
        QVERIFY(!loadPinnedSchemaSet(ws, &issues));
        QVERIFY(hasErrors(issues));
    }
};

QTEST_GUILESS_MAIN(TestBuiltinSchemas)
#include "test_builtin_schemas.moc"
