// SPDX-License-Identifier: GPL-3.0-or-later
// The last Level-1 check: payloads against the schema set the emulator pins (MSG1001).
#include "catalogue/catalogue.h"
#include "envelope/l1_checks.h"
#include "schema/schema_set.h"

#include <QTest>
#include <QTimeZone>

using namespace dipwb;
using namespace dipwb::envelope;

namespace {

// Our own small catalogue: IF-033 with two events, of which the schema set below knows one.
const char *kCatalogue = R"({"format":"dipwb-catalogue/1","version":"test","channels":[
 {"id":"IF-033","publicationId":"PUB-033","title":"Appointment request to the service provider","mpanBlock":true,
  "events":[{"code":"[MSAppSPRequest]","schemaVersion":"011"},{"code":"[DSAppSPRequest]","schemaVersion":"011"}],
  "senderRoles":["REGS"],"receiverRoles":["MSS","MSA"],"secondaryRoles":[],"always":[],
  "businessDatePath":"","effects":[]}]})";

// Our own small schema set in the persisted form (schema_document.h): an IF-033 payload whose
// CustomBlock holds one data group with a DIP id, a DT-003 date-time and an enum.
const char *kSchemaSet = R"({"format":"dipwb-schema-set","formatVersion":1,"specVersion":"test-1","source":"test",
 "events":[{"channel":"IF-033","eventCode":"[MSAppSPRequest]","schemaVersion":"011","schemaName":"IF-033-MSAppSPRequest"}],
 "schemas":{"IF-033-MSAppSPRequest":"#/definitions/Test.IF-033-MSAppSPRequest"},
 "definitions":{
  "Test.DT-003-DateTime":{"type":"string","minLength":25,"maxLength":25,
     "pattern":"^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}$"},
  "Test.DIPID":{"type":"string","minLength":10,"maxLength":10},
  "Test.B070":{"type":"object","additionalProperties":false,
     "required":["proposedMeteringServiceDIPID","appointmentScenario"],
     "properties":{"proposedMeteringServiceDIPID":{"$ref":"#/definitions/Test.DIPID"},
                   "appointmentScenario":{"type":"string","enum":["CoS","NewConnection"]},
                   "requestedAt":{"$ref":"#/definitions/Test.DT-003-DateTime"}}},
  "Test.IF-033-MSAppSPRequest":{"type":"object","additionalProperties":false,
     "required":["CommonBlock","CustomBlock"],
     "properties":{"CommonBlock":{"type":"object"},
                   "CustomBlock":{"type":"object","additionalProperties":false,"required":["B070"],
                                  "properties":{"B070":{"$ref":"#/definitions/Test.B070"}}}}}}})";

OJson message(int i)
{
    OJson s1 = OJson::object();
    s1["environmentTag"] = "SIT";
    s1["subText"] = nullptr;
    s1["senderUniqueReference"] = ss(QStringLiteral("S-IF-033-2209012349-REGS-20240701-%1").arg(17 + i, 6, 10, QLatin1Char('0')));
    s1["senderTimestamp"] = "2024-07-01T09:59:58+01:00";
    s1["senderDIPID"] = "2209012349";
    s1["senderRoleID"] = "REGS";
    s1["senderCorrelationID"] = nullptr;
    s1["DIPConnectionProviderID"] = nullptr;
    OJson common = OJson::object();
    common["S0"] = {{"interfaceID", "IF-033"}, {"schemaVersion", "011"}, {"eventCode", "[MSAppSPRequest]"}};
    common["S1"] = s1;
    common["M0"] = {{"MPANCore", "1500000123454"}, {"distributorDIPID", "2500000033"}, {"GSPGroupID", "_A"}};
    OJson custom = OJson::object();
    custom["B070"] = {{"proposedMeteringServiceDIPID", "1400000021"}, {"appointmentScenario", "CoS"},
                      {"requestedAt", "2024-07-01T09:00:00+01:00"}};
    OJson payload = OJson::object();
    payload["CommonBlock"] = common;
    payload["CustomBlock"] = custom;
    return OJson{{"payload", payload}};
}

} // namespace

class TestEnvelopeSchemas final : public QObject
{
    Q_OBJECT

private:
    catalogue::CataloguePtr m_catalogue;
    std::shared_ptr<const schema::SchemaSet> m_schemas;

    L1Context context(bool withSchemas = true) const
    {
        L1Context ctx;
        ctx.catalogue = m_catalogue.get();
        ctx.pathChannelId = QStringLiteral("IF-033");
        ctx.nowMs = QDateTime(QDate(2024, 7, 1), QTime(9, 0), QTimeZone::utc()).toMSecsSinceEpoch();
        ctx.schemas = withSchemas ? m_schemas.get() : nullptr;
        return ctx;
    }

    static QString seen(const L1Result &r)
    {
        QStringList all;
        for (const L1Failure &f : r.failures)
            all << f.code + QLatin1Char(' ') + helpText(f);
        return all.join(QLatin1Char('\n'));
    }

private slots:
    void initTestCase()
    {
        Issues issues;
        m_catalogue = catalogue::Catalogue::fromJson(QByteArray(kCatalogue), QStringLiteral("test"), &issues);
        QVERIFY2(m_catalogue, qPrintable(issues.value(0).toString()));
        m_schemas = schema::SchemaSet::fromJson(QByteArray(kSchemaSet), QStringLiteral("test"), &issues);
        QVERIFY2(m_schemas, qPrintable(issues.value(0).toString()));
    }

    void payloadSchema_data()
    {
        QTest::addColumn<QString>("patch");    // JSON Patch on message `target` of two
        QTest::addColumn<int>("target");
        QTest::addColumn<QStringList>("help"); // every failure expected, "field: reason" (empty: accepted)

        const auto row = [](const char *name, const char *patch, int target, QStringList help) {
            QTest::newRow(name) << QString::fromUtf8(patch) << target << help;
        };
        row("valid", "[]", 0, {});
        row("field names in another case take the schema's",
            R"([{"op":"move","from":"/payload/CustomBlock/B070","path":"/payload/CustomBlock/b070"},
                {"op":"move","from":"/payload/CustomBlock/b070/appointmentScenario","path":"/payload/CustomBlock/b070/APPOINTMENTSCENARIO"}])",
            0, {});
        row("timestamp of 20 characters: both rules it breaks, joined",
            R"([{"op":"replace","path":"/payload/CustomBlock/B070/requestedAt","value":"2024-07-01T09:00:00Z"}])", 1,
            {QStringLiteral("payload[1].CustomBlock.B070.requestedAt: 20 characters, must be exactly 25 (DT-003); "
                            "'2024-07-01T09:00:00Z' does not have the required form "
                            "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}$ (DT-003)")});
        row("value outside the enum",
            R"([{"op":"replace","path":"/payload/CustomBlock/B070/appointmentScenario","value":"COS"}])", 0,
            {QStringLiteral("payload[0].CustomBlock.B070.appointmentScenario: 'COS' is not one of: CoS, NewConnection")});
        row("required data group missing", R"([{"op":"remove","path":"/payload/CustomBlock/B070"}])", 0,
            {QStringLiteral("payload[0].CustomBlock: required field 'B070' is missing")});
        row("unknown field",
            R"([{"op":"add","path":"/payload/CustomBlock/B070/colour","value":"blue"}])", 1,
            {QStringLiteral("payload[1].CustomBlock.B070.colour: unknown field 'colour' (not allowed by the schema)")});
        row("several errors in one message, each told",
            R"([{"op":"replace","path":"/payload/CustomBlock/B070/proposedMeteringServiceDIPID","value":"14000000210"},
                {"op":"replace","path":"/payload/CustomBlock/B070/appointmentScenario","value":"X"}])", 0,
            {QStringLiteral("payload[0].CustomBlock.B070.proposedMeteringServiceDIPID: 11 characters, must be exactly 10"),
             QStringLiteral("payload[0].CustomBlock.B070.appointmentScenario: 'X' is not one of: CoS, NewConnection")});
        row("event without a schema in the pinned version",
            R"([{"op":"replace","path":"/payload/CommonBlock/S0/eventCode","value":"[DSAppSPRequest]"}])", 1,
            {QStringLiteral("payload[1].CommonBlock.S0: specification test-1 has no payload schema for IF-033 "
                            "[DSAppSPRequest] version \"011\" (its IF-033 events: [MSAppSPRequest] 011)")});
    }

    void payloadSchema()
    {
        QFETCH(QString, patch);
        QFETCH(int, target);
        QFETCH(QStringList, help);
        OJson array = OJson::array({message(0), message(1)});
        array[target] = array[target].patch(OJson::parse(patch.toStdString()));
        const L1Result r = checkRequest(qb(array.dump()), context());
        QVERIFY2(r.ok == help.isEmpty(), qPrintable(seen(r)));
        QVERIFY2(r.failures.size() == help.size(), qPrintable(seen(r)));
        // The engine decides the order of errors within one message.
        QStringList got;
        for (const L1Failure &f : r.failures)
            got << helpText(f);
        got.sort();
        help.sort();
        QCOMPARE(got, help);
        for (const L1Failure &f : r.failures) {
            QCOMPARE(f.code, QStringLiteral("MSG1001"));
            QCOMPARE(f.index, target);
            QVERIFY(f.field.startsWith(QStringLiteral("payload[%1]").arg(target)));
            QCOMPARE(f.senderUniqueReference, qs(array[target]["payload"]["CommonBlock"]["S1"]["senderUniqueReference"].get<std::string>()));
        }
        QCOMPARE(r.messages.size(), 2);
    }

    void acceptedMessageIsKeptInTheSchemaCasing()
    {
        OJson m = message(0);
        m["payload"]["CustomBlock"]["b070"] = m["payload"]["CustomBlock"]["B070"];
        m["payload"]["CustomBlock"].erase("B070");
        const L1Result r = checkRequest(qb(OJson::array({m}).dump()), context());
        QVERIFY2(r.ok, qPrintable(seen(r)));
        const OJson &custom = r.messages[0].element["payload"]["CustomBlock"];
        QVERIFY(custom.contains("B070"));
        QVERIFY(!custom.contains("b070"));
    }

    void envelopeFailureIsNotRepeatedBySchema()
    {
        // An envelope failure already explains the message; the schema is not asked about it.
        OJson m = message(0);
        m["payload"]["CommonBlock"]["S1"]["senderRoleID"] = "regs";
        m["payload"]["CustomBlock"]["B070"]["appointmentScenario"] = "X";
        const L1Result r = checkRequest(qb(OJson::array({m}).dump()), context());
        QCOMPARE(r.failures.size(), 1);
        QCOMPARE(r.failures[0].field, QStringLiteral("payload[0].CommonBlock.S1.senderRoleID"));
    }

    void withoutSchemasPayloadsAreNotChecked()
    {
        OJson m = message(0);
        m["payload"]["CustomBlock"]["B070"]["appointmentScenario"] = "X";
        const QByteArray body = qb(OJson::array({m}).dump());
        QVERIFY(checkRequest(body, context(false)).ok);
        QVERIFY(!checkRequest(body, context(true)).ok);
    }
};

QTEST_GUILESS_MAIN(TestEnvelopeSchemas)
#include "test_envelope_schemas.moc"
