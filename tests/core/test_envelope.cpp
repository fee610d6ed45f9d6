// SPDX-License-Identifier: GPL-3.0-or-later
#include "catalogue/catalogue.h"
#include "envelope/l1_checks.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QTest>
#include <QTimeZone>

using namespace dipwb;
using namespace dipwb::envelope;

namespace {

// A small catalogue of our own: IF-033 as in the design, IF-031 for a channel mismatch and IF-022
// for a channel without M0.
const char *kCatalogue = R"({"format":"dipwb-catalogue/1","version":"test","channels":[
 {"id":"IF-033","publicationId":"PUB-033","title":"Appointment request to the service provider","mpanBlock":true,
  "events":[{"code":"[MSAppSPRequest]","schemaVersion":"011"},{"code":"[DSAppSPRequest]","schemaVersion":"011"}],
  "senderRoles":["REGS"],"receiverRoles":["MSS","MSA"],"secondaryRoles":[],"always":[],
  "businessDatePath":"","effects":[]},
 {"id":"IF-031","publicationId":"PUB-031","title":"Appointment request","mpanBlock":true,
  "events":[{"code":"[MSApp]","schemaVersion":"011"}],
  "senderRoles":["SUP"],"receiverRoles":["REGS"],"secondaryRoles":[],"always":[],"businessDatePath":"","effects":[]},
 {"id":"IF-022","publicationId":"PUB-022","title":"No MPAN block","mpanBlock":false,
  "events":[{"code":"[LoadShape]","schemaVersion":"011"}],
  "senderRoles":[],"receiverRoles":[],"secondaryRoles":[],"always":[],"businessDatePath":"","effects":[]}]})";

const QString kRegs = QStringLiteral("2209012349");
const QString kUsedReference = QStringLiteral("S-IF-033-2209012349-REGS-20240701-999999");

QString reference(int i)
{
    return QStringLiteral("S-IF-033-2209012349-REGS-20240701-%1").arg(17 + i, 6, 10, QLatin1Char('0'));
}

// A realistic IF-033 [MSAppSPRequest] from the registration service to a metering service.
OJson if033(int i)
{
    OJson s1 = OJson::object();
    s1["environmentTag"] = "SIT";
    s1["subText"] = nullptr;
    s1["senderUniqueReference"] = ss(reference(i));
    s1["senderTimestamp"] = "2024-07-01T09:59:58+01:00";
    s1["senderDIPID"] = ss(kRegs);
    s1["senderRoleID"] = "REGS";
    s1["senderCorrelationID"] = "CI-20240701-5f1c2a9be04d";
    s1["DIPConnectionProviderID"] = nullptr;
    OJson common = OJson::object();
    common["S0"] = {{"interfaceID", "IF-033"}, {"schemaVersion", "011"}, {"eventCode", "[MSAppSPRequest]"}};
    common["S1"] = s1;
    common["M0"] = {{"MPANCore", "1500000123454"}, {"distributorDIPID", "2500000033"}, {"GSPGroupID", "_A"}};
    common["A0"] = {{"primaryRecipients", {"1400000021"}},
                    {"secondaryRecipients", OJson::array()},
                    {"always", OJson::array()}};
    OJson custom = OJson::object();
    custom["B012"] = {{"serviceProviderAppointmentRequestingSupplierDIPID", "2300000185"},
                      {"serviceProviderAppointmentRequestingSupplierMPID", "SUPA"}};
    custom["B070"] = {{"proposedMeteringServiceDIPID", "1400000021"}, {"proposedMeteringServiceMPID", "MSSA"},
                      {"proposedMeteringServiceDIPEffectiveFromDate", "2024-07-02"},
                      {"contractReferenceMeteringService", "MS-CONTRACT-0001"}, {"appointmentScenario", "COS"}};
    custom["B022"] = {{"meteringPointPostcode", "AB1 2CD"}, {"addressLine1", "Flat 2"},
                      {"addressLine2", "10 High Street"},
                      {"addressLine3", "Little Snoring"}, {"addressLine4", "Fakenham"}, {"addressLine5", "Norfolk"},
                      {"addressLine6", nullptr}, {"addressLine7", nullptr}, {"addressLine8", nullptr},
                      {"addressLine9", nullptr}};
    custom["B023"] = {{"connectionTypeIndicator", "W"}, {"connectionTypeEffectiveFromDate", "2020-01-01"},
                      {"energyDirection", "I"}, {"meteredIndicator", true}};
    custom["B024"] = {{"DUOSTariffID", "A01"}, {"DUOSTariffIDEffectiveFromDate", "2020-01-01"}};
    custom["B025"] = {{"energisationStatus", "E"}, {"energisationStatusEffectiveFromDate", "2020-01-01"}};
    custom["B026"] = {{"marketSegmentIndicator", "D"}, {"marketSegmentIndicatorEffectiveFromDate", "2020-01-01"}};
    OJson payload = OJson::object();
    payload["CommonBlock"] = common;
    payload["CustomBlock"] = custom;
    return OJson{{"payload", payload}};
}

QByteArray bodyOf(const OJson &array) { return qb(array.dump()); }

// JSON Patch operations on one message; paths are under /payload/CommonBlock/ unless they start with '/'.
std::string where(const char *path) { return path[0] == '/' ? path : std::string("/payload/CommonBlock/") + path; }
std::string set(const char *path, const char *json)
{
    return R"({"op":"replace","path":")" + where(path) + R"(","value":)" + json + "}";
}
std::string add(const char *path, const char *json)
{
    return R"({"op":"add","path":")" + where(path) + R"(","value":)" + json + "}";
}
std::string drop(const char *path) { return R"({"op":"remove","path":")" + where(path) + R"("})"; }
std::string moveKey(const char *from, const char *to)
{
    return R"({"op":"move","from":")" + where(from) + R"(","path":")" + where(to) + R"("})";
}

// How a table row differs from one message sent to IF-033 with one failure expected.
struct Row
{
    int failures = 1;
    int count = 1;           // messages in the request
    int target = 0;          // the one that is changed
    const char *path = "IF-033";
    const char *body = "";   // replaces the whole body when set
};

participants::Participant party(const char *id, const char *role, const char *mpid)
{
    participants::Participant p;
    p.dipId = QLatin1String(id);
    p.role = QLatin1String(role);
    p.mpid = QLatin1String(mpid);
    return p;
}

} // namespace

class TestEnvelope final : public QObject
{
    Q_OBJECT

private:
    catalogue::CataloguePtr m_catalogue;
    QHash<QString, participants::Participant> m_parties;
    QSet<QString> m_used;

    L1Context context(const QString &path = QStringLiteral("IF-033")) const
    {
        L1Context ctx;
        ctx.catalogue = m_catalogue.get();
        ctx.pathChannelId = path;
        ctx.environment = QStringLiteral("SIT");
        ctx.participant = [this](const QString &id) -> std::optional<participants::Participant> {
            const auto it = m_parties.constFind(id);
            return it == m_parties.constEnd() ? std::nullopt : std::optional(*it);
        };
        ctx.referenceUsed = [this](const QString &sender, const QString &ref) {
            return m_used.contains(sender + QLatin1Char('|') + ref);
        };
        ctx.nowMs = QDateTime(QDate(2024, 7, 1), QTime(9, 0), QTimeZone::utc()).toMSecsSinceEpoch();
        return ctx;
    }

    static void addRow(const char *name, std::initializer_list<std::string> ops, const char *code, const char *field,
                       const char *reason, const Row &row = {})
    {
        std::string patch = "[";
        for (const std::string &op : ops)
            patch += (patch.size() > 1 ? "," : "") + op;
        patch += "]";
        QTest::newRow(name) << QString::fromStdString(patch) << QString::fromUtf8(row.body) << row.count << row.target
                            << QString::fromLatin1(row.path) << QString::fromLatin1(code) << QString::fromUtf8(field)
                            << QString::fromUtf8(reason) << (code[0] ? row.failures : 0);
    }
    static void accepted(const char *name, std::initializer_list<std::string> ops, const Row &row = {})
    {
        addRow(name, ops, "", "", "", row);
    }

private slots:
    void initTestCase()
    {
        Issues issues;
        m_catalogue = catalogue::Catalogue::fromJson(QByteArray(kCatalogue), QStringLiteral("test"), &issues);
        QVERIFY2(m_catalogue, qPrintable(issues.value(0).toString()));
        for (const auto &p : {party("2209012349", "REGS", "REGA"), party("2300000185", "SUP", "SUPA"),
                              party("1400000021", "MSS", "MSSA"), party("2500000033", "LDSO", "EAST"),
                              party("1700000042", "DCC", "DCCX")})
            m_parties.insert(p.dipId, p);
        m_used.insert(kRegs + QLatin1Char('|') + kUsedReference);
    }

    void levelOne_data()
    {
        QTest::addColumn<QString>("patch");   // JSON Patch applied to message `target`
        QTest::addColumn<QString>("body");    // replaces the whole body when set
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("target");
        QTest::addColumn<QString>("path");    // the channel of the URL
        QTest::addColumn<QString>("code");    // empty: accepted
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("reason");  // part of the reason
        QTest::addColumn<int>("failures");

        accepted("valid IF-033", {});
        accepted("valid, three messages", {}, {.count = 3});
        accepted("URL channel in lower case", {}, {.path = "if-033"});

        // The body and the message shape.
        addRow("body not JSON", {}, "MSG1001", "body", "not valid JSON at byte 14: parse error at line 1, column 14",
               {.body = R"([{"payload": }])"});
        addRow("body empty", {}, "MSG1001", "body", "empty", {.body = " "});
        addRow("body an object", {}, "MSG1001", "body", "must be an array of messages", {.body = R"({"payload":{}})"});
        addRow("body an empty array", {}, "MSG1001", "body",
               "the request body must be an array of at least one message", {.body = "[]"});
        addRow("element not an object", {}, "MSG1001", "payload[0]", "must be an object", {.body = "[42]"});
        addRow("element with a second key", {add("/extra", "1")}, "MSG1001", "payload[0]",
               "exactly one key, \"payload\"");
        addRow("payload not an object", {set("/payload", "[]")}, "MSG1001", "payload[0]", "payload must be an object");
        addRow("CommonBlock missing", {drop("/payload/CommonBlock")}, "MSG1001", "payload[0].CommonBlock", "required");
        addRow("CustomBlock an array", {set("/payload/CustomBlock", "[]")}, "MSG1001", "payload[0].CustomBlock",
               "must be an object, not an array");
        addRow("extra key in payload", {add("/payload/Extra", "{}")}, "MSG1001", "payload[0].Extra",
               "only CommonBlock and CustomBlock");
        addRow("unknown block in CommonBlock", {add("X9", "{}")}, "MSG1001", "payload[0].CommonBlock.X9",
               "not a block of CommonBlock");
        addRow("D0 sent by the sender", {add("D0", R"({"transactionID":"T-1"})")}, "MSG1001",
               "payload[0].CommonBlock.D0", "D0 is set by the DIP");

        // S0 and the catalogue.
        addRow("S0 missing", {drop("S0")}, "MSG1001", "payload[0].CommonBlock.S0", "required");
        addRow("S0 interfaceID not a string", {set("S0/interfaceID", "33")}, "MSG1001",
               "payload[0].CommonBlock.S0.interfaceID", "must be a string, not a number");
        addRow("S0 interfaceID differs from URL", {}, "MSG1002", "payload[0].CommonBlock.S0.interfaceID",
               "differs from the channel of the URL, IF-031", {.path = "IF-031"});
        addRow("channel unknown to the catalogue",
               {set("S0/interfaceID", R"("IF-099")"),
                set("S1/senderUniqueReference", R"("S-IF-099-2209012349-REGS-20240701-000017")")},
               "MSG1002", "payload[0].CommonBlock.S0.interfaceID", "not a channel of the catalogue in use (test)",
               {.path = "IF-099"});
        addRow("eventCode without brackets", {set("S0/eventCode", R"("MSAppSPRequest")")}, "MSG1001",
               "payload[0].CommonBlock.S0.eventCode", "written with their brackets: \"[MSAppSPRequest]\"");
        addRow("eventCode in other case", {set("S0/eventCode", R"("[msappsprequest]")")}, "MSG1001",
               "payload[0].CommonBlock.S0.eventCode", "case-sensitive");
        addRow("eventCode of another channel", {set("S0/eventCode", R"("[MSApp]")")}, "MSG1001",
               "payload[0].CommonBlock.S0.eventCode", "allowed: [MSAppSPRequest], [DSAppSPRequest]");
        addRow("schemaVersion wrong", {set("S0/schemaVersion", R"("010")")}, "MSG1001",
               "payload[0].CommonBlock.S0.schemaVersion", "must be \"011\"");
        addRow("S0 extra key", {add("S0/version", R"("1")")}, "MSG1001", "payload[0].CommonBlock.S0.version",
               "not a field of S0");

        // S1: presence, types, environment.
        addRow("S1 missing", {drop("S1")}, "MSG1001", "payload[0].CommonBlock.S1", "required");
        addRow("S1 subText key missing", {drop("S1/subText")}, "MSG1001", "payload[0].CommonBlock.S1.subText",
               "all eight S1 keys must be present");
        addRow("S1 extra key", {add("S1/senderName", R"("x")")}, "MSG1001", "payload[0].CommonBlock.S1.senderName",
               "not a field of S1");
        addRow("senderDIPID null", {set("S1/senderDIPID", "null")}, "MSG1001", "payload[0].CommonBlock.S1.senderDIPID",
               "must be a string, not null");
        addRow("subText empty", {set("S1/subText", R"("")")}, "MSG1001", "payload[0].CommonBlock.S1.subText",
               "1 to 500 characters");
        accepted("subText set", {set("S1/subText", R"("cycle 3 run 2")")});
        addRow("environmentTag unknown", {set("S1/environmentTag", R"("PROD")")}, "MSG1001",
               "payload[0].CommonBlock.S1.environmentTag", "not an environment tag");
        addRow("environmentTag of another environment", {set("S1/environmentTag", R"("UIT")")}, "MSG1001",
               "payload[0].CommonBlock.S1.environmentTag", "tagged for UIT, but this emulator is the SIT environment");

        // S1: sender timestamp (MSG1007); the DIP's clock is 2024-07-01T09:00:00Z.
        addRow("senderTimestamp with Z", {set("S1/senderTimestamp", R"("2024-07-01T08:59:58Z")")}, "MSG1007",
               "payload[0].CommonBlock.S1.senderTimestamp", "20 characters, must be exactly 25");
        addRow("senderTimestamp with fractions", {set("S1/senderTimestamp", R"("2024-07-01T09:59:58.123+01:00")")},
               "MSG1007", "payload[0].CommonBlock.S1.senderTimestamp", "29 characters");
        addRow("senderTimestamp not a real date", {set("S1/senderTimestamp", R"("2024-13-01T09:59:58+01:00")")},
               "MSG1007", "payload[0].CommonBlock.S1.senderTimestamp", "not a real date");
        addRow("senderTimestamp 10 min ahead", {set("S1/senderTimestamp", R"("2024-07-01T10:10:00+01:00")")},
               "MSG1007", "payload[0].CommonBlock.S1.senderTimestamp", "10 min 0 s ahead of the DIP's clock");
        accepted("senderTimestamp 4 min ahead", {set("S1/senderTimestamp", R"("2024-07-01T09:04:00+00:00")")});

        // S1: sender, role, connection provider, correlation id.
        addRow("senderDIPID too short", {set("S1/senderDIPID", R"("220901")")}, "MSG1009",
               "payload[0].CommonBlock.S1.senderDIPID", "has 6 characters");
        addRow("senderDIPID not registered", {set("S1/senderDIPID", R"("9999999999")")}, "MSG1009",
               "payload[0].CommonBlock.S1.senderDIPID", "not a DIP participant registered");
        addRow("senderRoleID lower case", {set("S1/senderRoleID", R"("regs")")}, "MSG1010",
               "payload[0].CommonBlock.S1.senderRoleID", "3 to 5 capital letters");
        addRow("senderRoleID not the registered role", {set("S1/senderRoleID", R"("SUP")")}, "MSG1010",
               "payload[0].CommonBlock.S1.senderRoleID", "registered as REGS, not SUP", {.failures = 2});
        addRow("sender role may not send the channel",
               {set("S1/senderDIPID", R"("2300000185")"), set("S1/senderRoleID", R"("SUP")")}, "MSG1010",
               "payload[0].CommonBlock.S1.senderRoleID", "IF-033 may be sent only by REGS, not by SUP");
        addRow("connection provider too short", {set("S1/DIPConnectionProviderID", R"("12345")")}, "MSG1011",
               "payload[0].CommonBlock.S1.DIPConnectionProviderID", "has 5 characters");
        addRow("connection provider not registered", {set("S1/DIPConnectionProviderID", R"("8888888888")")}, "MSG1011",
               "payload[0].CommonBlock.S1.DIPConnectionProviderID", "not a DIP participant registered");
        accepted("connection provider registered", {set("S1/DIPConnectionProviderID", R"("1700000042")")});
        addRow("correlation id of 61 characters",
               {set("S1/senderCorrelationID", R"("CI-20240701-0123456789012345678901234567890123456789012345678")")},
               "MSG1012", "payload[0].CommonBlock.S1.senderCorrelationID", "61 characters");
        addRow("correlation id with a line break", {set("S1/senderCorrelationID", R"("CI-1\nX")")}, "MSG1012",
               "payload[0].CommonBlock.S1.senderCorrelationID", "non-printable character");
        addRow("correlation id empty", {set("S1/senderCorrelationID", R"("")")}, "MSG1012",
               "payload[0].CommonBlock.S1.senderCorrelationID", "0 characters");
        accepted("correlation id null", {set("S1/senderCorrelationID", "null")});

        // S1: sender unique reference.
        addRow("reference with 8 hex digits",
               {set("S1/senderUniqueReference", R"("S-IF-033-22090123-REGS-20240701-000017")")}, "MSG1001",
               "payload[0].CommonBlock.S1.senderUniqueReference", "is not a sender unique reference");
        accepted("reference with mixed-case hex",
                 {set("S1/senderUniqueReference", R"("S-IF-033-22090abCDe-REGS-20240701-000017")")});
        addRow("reference of another interface",
               {set("S1/senderUniqueReference", R"("S-IF-031-2209012349-REGS-20240701-000017")")}, "MSG1001",
               "payload[0].CommonBlock.S1.senderUniqueReference", "is for IF-031 but S0.interfaceID is IF-033");
        addRow("reference already accepted",
               {set("S1/senderUniqueReference", R"("S-IF-033-2209012349-REGS-20240701-999999")")}, "MSG1006",
               "payload[0].CommonBlock.S1.senderUniqueReference", "already used");
        addRow("reference repeated in the request",
               {set("S1/senderUniqueReference", R"("S-IF-033-2209012349-REGS-20240701-000017")")}, "MSG1006",
               "payload[1].CommonBlock.S1.senderUniqueReference", "earlier message of this request",
               {.count = 2, .target = 1});

        // M0.
        addRow("M0 missing on IF-033", {drop("M0")}, "MSG1001", "payload[0].CommonBlock.M0", "required on IF-033");
        addRow("M0 on a channel without M0",
               {set("S0", R"({"interfaceID":"IF-022","schemaVersion":"011","eventCode":"[LoadShape]"})"),
                set("S1/senderUniqueReference", R"("S-IF-022-2209012349-REGS-20240701-000017")")},
               "MSG1001", "payload[0].CommonBlock.M0", "IF-022 carries no M0 block", {.path = "IF-022"});
        addRow("MPANCore of 12 digits", {set("M0/MPANCore", R"("150000012345")")}, "MSG1001",
               "payload[0].CommonBlock.M0.MPANCore", "13 digits");
        accepted("MPANCore check digit wrong (warning only)", {set("M0/MPANCore", R"("1500000123455")")});
        addRow("distributorDIPID short", {set("M0/distributorDIPID", R"("25")")}, "MSG1001",
               "payload[0].CommonBlock.M0.distributorDIPID", "has 2 characters");
        addRow("GSPGroupID _I", {set("M0/GSPGroupID", R"("_I")")}, "MSG1001", "payload[0].CommonBlock.M0.GSPGroupID",
               "without _I and _O");
        addRow("GSPGroupID _Q", {set("M0/GSPGroupID", R"("_Q")")}, "MSG1001", "payload[0].CommonBlock.M0.GSPGroupID",
               "_A to _P");
        accepted("GSPGroupID _P", {set("M0/GSPGroupID", R"("_P")")});
        addRow("M0 extra key", {add("M0/MPAN", R"("x")")}, "MSG1001", "payload[0].CommonBlock.M0.MPAN",
               "not a field of M0");

        // A0.
        accepted("A0 absent", {drop("A0")});
        addRow("A0 without secondaryRecipients", {drop("A0/secondaryRecipients")}, "MSG1001",
               "payload[0].CommonBlock.A0.secondaryRecipients", "must all be arrays");
        addRow("A0 always not an array", {set("A0/always", R"("1800000001")")}, "MSG1001",
               "payload[0].CommonBlock.A0.always", "must be an array of DIP ids, not a string");
        addRow("A0 primary recipient short", {add("A0/primaryRecipients/-", R"("140")")}, "MSG1001",
               "payload[0].CommonBlock.A0.primaryRecipients[1]", "has 3 characters");
        addRow("A0 secondary recipient a number", {add("A0/secondaryRecipients/-", "1")}, "MSG1001",
               "payload[0].CommonBlock.A0.secondaryRecipients[0]", "not a number");
        addRow("A0 extra key", {add("A0/cc", "[]")}, "MSG1001", "payload[0].CommonBlock.A0.cc", "not a field of A0");

        // Key case, and a request of two messages.
        accepted("lower-case keys accepted",
                 {moveKey("S1/senderDIPID", "S1/senderdipid"), moveKey("S0/eventCode", "S0/EVENTCODE"),
                  moveKey("M0/MPANCore", "M0/mpancore"), moveKey("A0", "a0"),
                  moveKey("/payload/CommonBlock", "/payload/commonBlock"), moveKey("/payload", "/Payload")});
        addRow("keys colliding after case folding", {add("S1/senderDipId", R"("2209012349")")}, "MSG1001",
               "payload[0].CommonBlock.S1", "\"senderDIPID\" and \"senderDipId\" are the same key senderDIPID");
        addRow("second of two messages bad", {set("S1/senderTimestamp", R"("2024-07-01 09:59:58+01:00")")}, "MSG1007",
               "payload[1].CommonBlock.S1.senderTimestamp", "not of the form", {.count = 2, .target = 1});
    }

    void levelOne()
    {
        QFETCH(QString, patch);
        QFETCH(QString, body);
        QFETCH(int, count);
        QFETCH(int, target);
        QFETCH(QString, path);
        QFETCH(QString, code);
        QFETCH(QString, field);
        QFETCH(QString, reason);
        QFETCH(int, failures);

        QByteArray request = body.toUtf8();
        if (body.isEmpty()) {
            OJson array = OJson::array();
            for (int i = 0; i < count; ++i)
                array.push_back(i == target ? if033(i).patch(OJson::parse(patch.toStdString())) : if033(i));
            request = bodyOf(array);
        }
        const L1Result r = checkRequest(request, context(path));
        QStringList all;
        for (const L1Failure &f : r.failures)
            all << f.code + QLatin1Char(' ') + helpText(f);
        const QString seen = all.join(QStringLiteral("\n"));
        QCOMPARE(r.ok, code.isEmpty());
        QVERIFY2(r.failures.size() == failures, qPrintable(seen));
        if (code.isEmpty()) {
            QCOMPARE(r.messages.size(), count);
            return;
        }
        const L1Failure &f = r.failures.first();
        QCOMPARE(f.code, code);
        QCOMPARE(f.field, field);
        QVERIFY2(f.reason.contains(reason), qPrintable(f.reason));
        QCOMPARE(helpText(f), field + QStringLiteral(": ") + f.reason);
        QCOMPARE(f.index, field == QLatin1String("body") ? -1 : target);
        QVERIFY(!codeText(f.code).isEmpty());
    }

    void twoMessagesSecondBadRejectsAll()
    {
        OJson array = OJson::array({if033(0), if033(1)});
        array[1]["payload"]["CommonBlock"]["S1"]["senderRoleID"] = "regs";
        const L1Result r = checkRequest(bodyOf(array), context());
        QVERIFY(!r.ok);
        QCOMPARE(r.messages.size(), 2);
        QCOMPARE(r.failures.size(), 1);
        QCOMPARE(r.failures[0].index, 1);
        QCOMPARE(r.failures[0].senderUniqueReference, reference(1));
        QCOMPARE(r.failures[0].correlationId, QStringLiteral("CI-20240701-5f1c2a9be04d"));
        QVERIFY(helpText(r.failures[0]).startsWith(QLatin1String("payload[1].CommonBlock.S1.senderRoleID: ")));
    }

    void parsedFieldsOfAcceptedMessage()
    {
        const L1Result r = checkRequest(bodyOf(OJson::array({if033(0)})), context());
        QVERIFY(r.ok);
        QCOMPARE(r.messages.size(), 1);
        const ParsedMessage &m = r.messages[0];
        QCOMPARE(m.interfaceId, QStringLiteral("IF-033"));
        QCOMPARE(m.schemaVersion, QStringLiteral("011"));
        QCOMPARE(m.eventCode, QStringLiteral("[MSAppSPRequest]"));
        QCOMPARE(m.environmentTag, QStringLiteral("SIT"));
        QVERIFY(m.subText.isEmpty());
        QCOMPARE(m.senderUniqueReference, reference(0));
        QCOMPARE(m.senderDipId, kRegs);
        QCOMPARE(m.senderRoleId, QStringLiteral("REGS"));
        QCOMPARE(m.senderTimestampMs,
                 QDateTime(QDate(2024, 7, 1), QTime(8, 59, 58), QTimeZone::utc()).toMSecsSinceEpoch());
        QVERIFY(m.hasM0);
        QCOMPARE(m.mpan, QStringLiteral("1500000123454"));
        QCOMPARE(m.distributorDipId, QStringLiteral("2500000033"));
        QCOMPARE(m.gspGroupId, QStringLiteral("_A"));
        QVERIFY(m.hasA0);
        QCOMPARE(m.primaryRecipients, QStringList{QStringLiteral("1400000021")});
        QVERIFY(m.warnings.isEmpty());
        QVERIFY(m.element == if033(0));
    }

    void normalisesKeyCaseInPlace()
    {
        OJson el = OJson::parse(R"({"PAYLOAD":{"commonblock":{"s0":{"INTERFACEid":"IF-033"},
                                                  "s1":{"senderdipid":"x","Extra":1}},
                                    "customBlock":{"b012":{"foo":1}},"other":2}})");
        QString why;
        QVERIFY(normaliseKeys(el, &why));
        const OJson &p = el.at("payload");
        QCOMPARE(p.begin().key(), std::string("CommonBlock"));  // order as sent
        QVERIFY(p.contains("CustomBlock"));
        QVERIFY(p.contains("other"));
        QVERIFY(p.at("CommonBlock").at("S0").contains("interfaceID"));
        QVERIFY(p.at("CommonBlock").at("S1").contains("senderDIPID"));
        QVERIFY(p.at("CommonBlock").at("S1").contains("Extra"));      // unknown: untouched
        QVERIFY(p.at("CustomBlock").contains("b012"));                 // CustomBlock: untouched

        OJson clash = OJson::parse(R"({"payload":{"CommonBlock":{"S1":{"senderDIPID":"a","SENDERDIPID":"b"}}}})");
        QVERIFY(!normaliseKeys(clash, &why));
        QVERIFY2(why.startsWith(QLatin1String("payload.CommonBlock.S1: ")) && why.contains(QLatin1String("SENDERDIPID")),
                 qPrintable(why));
    }

    void mpanCheckDigit_data()
    {
        QTest::addColumn<QString>("mpan");
        QTest::addColumn<bool>("valid");
        // By hand: 2,0,0,0,0,5,6,5,3,5,9,7 x 3,5,7,...,43 = 6+95+138+145+93+185+369+301 = 1332; 1332 mod 11 = 1.
        QTest::newRow("sum 1332") << QStringLiteral("2000056535971") << true;
        // 1x3+2x5+3x7+4x13+5x17+6x19+7x23+8x29+9x31+0x37+1x41+2x43 = 1084; 1084 mod 11 = 6.
        QTest::newRow("sum 1084") << QStringLiteral("1234567890126") << true;
        // 1x43 = 43; 43 mod 11 = 10; 10 mod 10 = 0.
        QTest::newRow("mod 11 is 10") << QStringLiteral("0000000000010") << true;
        QTest::newRow("digit off by one") << QStringLiteral("2000056535972") << false;
        QTest::newRow("mod 10 not applied") << QStringLiteral("0000000000011") << false;
        QTest::newRow("12 digits") << QStringLiteral("200005653597") << false;
        QTest::newRow("a letter") << QStringLiteral("20000565359A1") << false;
    }

    void mpanCheckDigit()
    {
        QFETCH(QString, mpan);
        QFETCH(bool, valid);
        QCOMPARE(mpanCheckDigitValid(mpan), valid);
        if (valid)
            QCOMPARE(withCheckDigit(mpan.left(12)), mpan);
    }

    void withCheckDigitRoundTrip()
    {
        for (qint64 n : {0LL, 1LL, 150000012345LL, 199999999999LL, 987654321098LL}) {
            const QString first12 = QStringLiteral("%1").arg(n, 12, 10, QLatin1Char('0'));
            const QString full = withCheckDigit(first12);
            QCOMPARE(full.size(), 13);
            QVERIFY(full.startsWith(first12));
            QVERIFY(mpanCheckDigitValid(full));
            const QChar wrong = QLatin1Char(char('0' + (full.at(12).unicode() - '0' + 1) % 10));
            QVERIFY(!mpanCheckDigitValid(first12 + wrong));
        }
        QVERIFY(withCheckDigit(QStringLiteral("123")).isEmpty());
        QVERIFY(withCheckDigit(QStringLiteral("12345678901x")).isEmpty());
    }

    void mpanCheckDigitWarnsOrRejects()
    {
        OJson el = if033(0);
        el["payload"]["CommonBlock"]["M0"]["MPANCore"] = "1500000123455";
        L1Context ctx = context();
        L1Result r = checkRequest(bodyOf(OJson::array({el})), ctx);
        QVERIFY(r.ok);
        QCOMPARE(r.messages[0].warnings.size(), 1);
        const Issue &w = r.messages[0].warnings[0];
        QCOMPARE(w.severity, Issue::Severity::Warning);
        QCOMPARE(w.context, QStringLiteral("payload[0].CommonBlock.M0.MPANCore"));
        QVERIFY2(w.text.contains(QLatin1String("should be 4")), qPrintable(w.text));

        ctx.rejectBadMpanCheckDigit = true;
        r = checkRequest(bodyOf(OJson::array({el})), ctx);
        QVERIFY(!r.ok);
        QCOMPARE(r.failures[0].code, QStringLiteral("MSG1001"));
        QCOMPARE(r.failures[0].field, QStringLiteral("payload[0].CommonBlock.M0.MPANCore"));
    }

    void senderUniqueReference_data()
    {
        QTest::addColumn<QString>("ref");
        QTest::addColumn<bool>("valid");
        QTest::newRow("IF") << QStringLiteral("S-IF-033-2209012349-REGS-20240701-000017") << true;
        QTest::newRow("REP") << QStringLiteral("S-REP-002-2209012349-ECS-20240701-a1") << true;
        QTest::newRow("REP A") << QStringLiteral("S-REP-002A-2209012349-ECS-20240701-a1") << true;
        QTest::newRow("REP B") << QStringLiteral("S-REP-002B-2209012349-ECS-20240701-a1") << true;
        QTest::newRow("IF with letter") << QStringLiteral("S-IF-033A-2209012349-REGS-20240701-1") << false;
        QTest::newRow("hex mixed case") << QStringLiteral("S-IF-033-abcdefABCD-SUP-20240701-Z9") << true;
        QTest::newRow("5-letter role") << QStringLiteral("S-IF-021-1401234567-UMSDS-20240701-1") << true;
        QTest::newRow("6-letter role") << QStringLiteral("S-IF-021-1401234567-UMSDSX-20240701-1") << false;
        QTest::newRow("2-letter role") << QStringLiteral("S-IF-021-1401234567-SU-20240701-1") << false;
        QTest::newRow("lower-case role") << QStringLiteral("S-IF-021-1401234567-sup-20240701-1") << false;
        QTest::newRow("no prefix") << QStringLiteral("IF-033-2209012349-REGS-20240701-000017") << false;
        QTest::newRow("no interface kind") << QStringLiteral("S-033-2209012349-REGS-20240701-000017") << false;
        QTest::newRow("two-digit number") << QStringLiteral("S-IF-33-2209012349-REGS-20240701-000017") << false;
        QTest::newRow("non-hex") << QStringLiteral("S-IF-033-220901234G-REGS-20240701-000017") << false;
        QTest::newRow("7-digit date") << QStringLiteral("S-IF-033-2209012349-REGS-2024070-000017") << false;
        QTest::newRow("empty tail") << QStringLiteral("S-IF-033-2209012349-REGS-20240701-") << false;
        QTest::newRow("dash in tail") << QStringLiteral("S-IF-033-2209012349-REGS-20240701-00-17") << false;
        const QString head = QStringLiteral("S-IF-033-2209012349-REGS-20240701-"); // 34 characters
        QTest::newRow("201 characters") << head + QString(167, QLatin1Char('1')) << false;
        QTest::newRow("200 characters") << head + QString(166, QLatin1Char('1')) << true;
    }

    void senderUniqueReference()
    {
        QFETCH(QString, ref);
        QFETCH(bool, valid);
        QCOMPARE(isSenderUniqueReference(ref), valid);
    }

    void codeTexts()
    {
        QCOMPARE(codeText(QStringLiteral("MSG0000")), QStringLiteral("Success"));
        QCOMPARE(codeText(QStringLiteral("MSG1001")), QStringLiteral("Schema Failure"));
        QCOMPARE(codeText(QStringLiteral("MSG1006")), QStringLiteral("Sender Unique Reference Duplicated"));
        const QStringList codes = {"MSG1000", "MSG1002", "MSG1007", "MSG1009", "MSG1010", "MSG1011", "MSG1012",
                                   "MSG1030", "MSG1031", "MSG1032", "MSG1033", "MSG1034", "MSG1035", "MSG1036",
                                   "MSG1037", "MSG1038"};
        QSet<QString> texts;
        for (const QString &c : codes) {
            QVERIFY2(!codeText(c).isEmpty(), qPrintable(c));
            texts.insert(codeText(c));
        }
        QCOMPARE(texts.size(), codes.size());
        QVERIFY(codeText(QStringLiteral("MSG1003")).isEmpty());
    }

    void failuresStopAtOneHundred()
    {
        OJson array = OJson::array();
        for (int i = 0; i < 150; ++i) {
            OJson el = if033(i);
            el["payload"]["CommonBlock"]["S1"]["senderRoleID"] = "x";
            array.push_back(el);
        }
        const L1Result r = checkRequest(bodyOf(array), context());
        QVERIFY(!r.ok);
        QCOMPARE(r.failures.size(), 100);
        QCOMPARE(r.failures.last().index, 99);
    }

    void withoutRegistryTheRegistrationChecksAreSkipped()
    {
        L1Context ctx = context();
        ctx.participant = nullptr;
        ctx.referenceUsed = nullptr;
        OJson el = if033(0);
        el["payload"]["CommonBlock"]["S1"]["senderDIPID"] = "9999999999";
        el["payload"]["CommonBlock"]["S1"]["senderUniqueReference"] = ss(kUsedReference);
        QVERIFY(checkRequest(bodyOf(OJson::array({el})), ctx).ok);
    }

    void builtInCatalogueAcceptsIf033()
    {
        const catalogue::CataloguePtr builtIn = catalogue::Catalogue::builtIn();
        QVERIFY(builtIn && builtIn->channel(QStringLiteral("IF-033")));
        L1Context ctx = context();
        ctx.catalogue = builtIn.get();
        const L1Result r = checkRequest(bodyOf(OJson::array({if033(0)})), ctx);
        QVERIFY2(r.ok, r.failures.isEmpty() ? "" : qPrintable(helpText(r.failures[0])));
    }

    void benchmarkIf033()
    {
        const QByteArray body = bodyOf(OJson::array({if033(0)}));
        QVERIFY2(body.size() > 1450 && body.size() < 1650, qPrintable(QString::number(body.size())));
        const L1Context ctx = context();
        constexpr int kIterations = 20000;
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < kIterations; ++i)
            QVERIFY(OJson::parse(body.constBegin(), body.constEnd(), nullptr, false).is_array());
        const qint64 parseNs = timer.nsecsElapsed() / kIterations;
        timer.restart();
        for (int i = 0; i < kIterations; ++i)
            QVERIFY(checkRequest(body, ctx).ok);
        const qint64 totalNs = timer.nsecsElapsed() / kIterations;
        qInfo("checkRequest on a %lld-byte IF-033: %lld ns per message (JSON parse alone: %lld ns, so about %lld ns "
              "for normalising, checking and filling ParsedMessage)",
              qint64(body.size()), totalNs, parseNs, totalNs - parseNs);
    }
};

QTEST_GUILESS_MAIN(TestEnvelope)
#include "test_envelope.moc"
