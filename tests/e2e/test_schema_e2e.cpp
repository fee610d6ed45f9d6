// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: a catalogue version imported with the real `dipwb catalogue import` from the official
// 2.1.0 specification, pinned, and enforced by `dipwb serve` on sends and /validate, and by
// `dipwb validate` offline.
#include "common/json_util.h"
#include "dip/dip_client.h"
#include "emulator_process.h"
#include "request_signer.h"
#include "sample_messages.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace dipwb;
using namespace dipwb::testsupport;

namespace {

const QString REGS = QStringLiteral("1100000001");
const QString MSS = QStringLiteral("1300000001");

const char *participantsYaml = R"(participants:
  - {dipId: "1100000001", role: REGS, mpid: REGA, name: Registration}
  - {dipId: "2300000185", role: SUP, mpid: SUPA, name: Supplier A}
  - {dipId: "1300000001", role: MSS, mpid: MSSA, name: Smart metering}
  - {dipId: "2500000033", role: LDSO, mpid: LDSA, name: Distributor}
)";

struct Reply
{
    int status = 0;
    QByteArray body;
    OJson json() const { return OJson::parse(body.constBegin(), body.constEnd(), nullptr, false); }
};

struct Run
{
    int exitCode = -1;
    QString out, err;
    QString all() const { return out + err; }
};

Run runDipwb(const QStringList &args)
{
    QProcess p;
    p.start(EmulatorProcess::program(), args);
    Run r;
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("dipwb %1 did not finish").arg(args.join(QLatin1Char(' ')));
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// Every "help" of a StandardResponse, one per line.
QString helps(const Reply &r)
{
    QStringList out;
    const OJson j = r.json();
    if (j.is_object() && j.contains("messageArray"))
        for (const OJson &item : j["messageArray"])
            out << stringAt(item, "message") + QStringLiteral(" | ") + stringAt(item, "help");
    return out.join(QLatin1Char('\n'));
}

} // namespace

class TestSchemaE2e final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_ws;
    std::unique_ptr<EmulatorProcess> m_emulator;
    RequestSigner m_signer;  // the emulator requires signatures, as the DIP does

    Reply call(const QString &path, const QByteArray &body)
    {
        dip::DipClient client{QUrl(m_emulator->baseUrl())};
        client.setRequestDecorator(m_signer.decorator());
        QEventLoop loop;
        Reply reply;
        client.call("POST", path, body, [&](const http::ClientResponse &r) {
            reply = {r.status, r.body};
            loop.quit();
        });
        loop.exec();
        return reply;
    }

    static OJson validIf033()
    {
        Header h;
        h.interfaceId = QStringLiteral("IF-033");
        h.eventCode = QStringLiteral("[MSAppSPRequest]");
        h.senderDipId = REGS;
        h.senderRole = QStringLiteral("REGS");
        h.mpan = mpanFor(1012345678);
        h.primaryRecipients = {MSS};
        return if033(h, MSS);
    }
    // The one deviation a tester meets most: a DT-003 instant written with Z.
    static OJson invalidIf033()
    {
        OJson m = validIf033();
        m["payload"]["CustomBlock"]["B070"]["proposedMeteringServiceDIPEffectiveFromDate"] = "2024-07-01T00:00:00Z";
        return m;
    }
    static QString invalidField()
    {
        return QStringLiteral("payload[0].CustomBlock.B070.proposedMeteringServiceDIPEffectiveFromDate: 20 characters, "
                              "must be exactly 25 (DT-003)");
    }

private slots:
    void initTestCase()
    {
        const QString reference = qEnvironmentVariable("DIPWB_REFERENCE_DIR");
        const QString spec = QDir(reference).filePath(QStringLiteral("elexon-dip-api-2.1.0"));
        if (reference.isEmpty() || !QFileInfo(spec).isDir())
            QSKIP("DIPWB_REFERENCE_DIR is unset or has no elexon-dip-api-2.1.0: set it to the shared/reference folder "
                  "holding the official DIP specifications to run these tests");
        QVERIFY(m_dir.isValid());
        m_ws = m_dir.filePath(QStringLiteral("ws"));

        const Run imported = runDipwb({QStringLiteral("catalogue"), QStringLiteral("import"), spec, QStringLiteral("--workspace"), m_ws});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.all()));
        QVERIFY2(imported.out.contains(QLatin1String("Imported specification 2.1.0")), qPrintable(imported.out));
        QVERIFY2(imported.out.contains(QLatin1String("58 channels, 146 events, 126 event schemas")), qPrintable(imported.out));
        QVERIFY2(imported.out.contains(QLatin1String("pinned")), qPrintable(imported.out));
        QVERIFY(QFileInfo::exists(m_ws + QStringLiteral("/catalogues/2.1.0.json")));
        qInfo("%s", qPrintable(imported.out.trimmed()));

        const QString participants = m_dir.filePath(QStringLiteral("participants.yaml"));
        QVERIFY(writeFile(participants, participantsYaml));
        m_emulator = std::make_unique<EmulatorProcess>(m_ws, QStringList{QStringLiteral("--participants"), participants});
        QString error;
        QVERIFY2(m_signer.init(m_ws, &error), qPrintable(error));
        QVERIFY2(m_emulator->start(&error), qPrintable(error));
        QVERIFY2(m_emulator->output().contains("payload schemas of specification 2.1.0"), m_emulator->output().constData());
    }

    void catalogueListAndShow()
    {
        const Run list = runDipwb({QStringLiteral("catalogue"), QStringLiteral("list"), QStringLiteral("--workspace"), m_ws});
        QCOMPARE(list.exitCode, 0);
        QVERIFY2(list.out.contains(QLatin1String("* 2.1.0: 58 channels, 146 events, 126 event schemas (pinned)")), qPrintable(list.out));

        const Run show = runDipwb({QStringLiteral("catalogue"), QStringLiteral("show"), QStringLiteral("if-033"), QStringLiteral("--workspace"), m_ws});
        QCOMPARE(show.exitCode, 0);
        QVERIFY2(show.out.contains(QLatin1String("[MSAppSPRequest]  schema version 011  schema IF-033-MSAppSPRequest")), qPrintable(show.out));
        QVERIFY2(show.out.contains(QLatin1String("[DSAppSPRequest]  schema version 011")), qPrintable(show.out));

        const Run schema = runDipwb({QStringLiteral("catalogue"), QStringLiteral("show"), QStringLiteral("IF-033"), QStringLiteral("--event"),
                                  QStringLiteral("MSAppSPRequest"), QStringLiteral("--schema"), QStringLiteral("--workspace"), m_ws});
        QCOMPARE(schema.exitCode, 0);
        const OJson doc = OJson::parse(schema.out.toStdString(), nullptr, false);
        QVERIFY2(doc.is_object() && doc.value("additionalProperties", true) == false, qPrintable(schema.out.left(400)));
        QVERIFY(doc["properties"]["CustomBlock"]["properties"].contains("B070"));

        const Run unknown = runDipwb({QStringLiteral("catalogue"), QStringLiteral("show"), QStringLiteral("IF-999"), QStringLiteral("--workspace"), m_ws});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.err.contains(QLatin1String("IF-999 is not a channel of specification 2.1.0")), qPrintable(unknown.err));
    }

    void validSendIsAccepted()
    {
        const Reply r = call(QStringLiteral("/dip-channel/IF-033"), body({validIf033()}));
        QVERIFY2(r.status == 201, qPrintable(QString::number(r.status) + QLatin1Char(' ') + helps(r)));
        QVERIFY(helps(r).startsWith(QLatin1String("MSG0000")));
    }

    void invalidSendIsRejectedAsSchemaFailureNamingTheField()
    {
        const Reply r = call(QStringLiteral("/dip-channel/IF-033"), body({invalidIf033()}));
        QCOMPARE(r.status, 400);
        QCOMPARE(helps(r), QStringLiteral("MSG1001 - Schema Failure | ") + invalidField());
    }

    void oneInvalidPayloadRejectsTheWholeRequest()
    {
        const OJson good = validIf033();
        const Reply r = call(QStringLiteral("/dip-channel/IF-033"), body({good, invalidIf033()}));
        QCOMPARE(r.status, 400);
        QVERIFY2(helps(r).contains(QStringLiteral("payload[1].CustomBlock.B070")), qPrintable(helps(r)));
        // Nothing of the request was accepted: the good message's reference is still unused.
        const Reply again = call(QStringLiteral("/dip-channel/IF-033"), body({good}));
        QVERIFY2(again.status == 201, qPrintable(helps(again)));
    }

    void validateEndpointUsesTheSchemas()
    {
        const Reply ok = call(QStringLiteral("/validate/IF-033/MSAppSPRequest"), body({validIf033()}));
        QCOMPARE(ok.status, 201);
        QCOMPARE(ok.body, QByteArray("\"Message OK\""));
        const Reply bad = call(QStringLiteral("/validate/IF-033/MSAppSPRequest"), body({invalidIf033()}));
        QCOMPARE(bad.status, 400);
        QCOMPARE(helps(bad), QStringLiteral("MSG1001 - Schema Failure | ") + invalidField());
    }

    void offlineValidateExitCodes()
    {
        const QString good = m_dir.filePath(QStringLiteral("good.json"));
        const QString bad = m_dir.filePath(QStringLiteral("bad.json"));
        const QString broken = m_dir.filePath(QStringLiteral("broken.json"));
        QVERIFY(writeFile(good, body({validIf033()})));
        QVERIFY(writeFile(bad, qb(invalidIf033().dump(2))));  // one message object, not an array
        QVERIFY(writeFile(broken, "[\n  {\"payload\": \n"));
        const QStringList ws{QStringLiteral("--workspace"), m_ws};

        const Run valid = runDipwb(QStringList{QStringLiteral("validate"), good} + ws);
        QVERIFY2(valid.exitCode == 0, qPrintable(valid.all()));
        QVERIFY2(valid.out.contains(QLatin1String(": valid (1 message, specification 2.1.0)")), qPrintable(valid.out));

        const Run invalid = runDipwb(QStringList{QStringLiteral("validate"), bad, QStringLiteral("--spec-version"), QStringLiteral("2.1.0")} + ws);
        QVERIFY2(invalid.exitCode == 1, qPrintable(invalid.all()));
        QVERIFY2(invalid.out.contains(invalidField()), qPrintable(invalid.out));

        const Run notJson = runDipwb(QStringList{QStringLiteral("validate"), broken} + ws);
        QVERIFY2(notJson.exitCode == 1, qPrintable(notJson.all()));
        QVERIFY2(notJson.out.contains(broken + QStringLiteral(": not valid JSON")) && notJson.out.contains(QLatin1String("line 3")),
                 qPrintable(notJson.out));

        const Run noFile = runDipwb(QStringList{QStringLiteral("validate")} + ws);
        QCOMPARE(noFile.exitCode, 2);
        const Run unknownVersion = runDipwb(QStringList{QStringLiteral("validate"), good, QStringLiteral("--spec-version"), QStringLiteral("9.9.9")} + ws);
        QCOMPARE(unknownVersion.exitCode, 2);
        QVERIFY2(unknownVersion.err.contains(QLatin1String("'9.9.9' is not stored")), qPrintable(unknownVersion.err));
        // Without a pin the built-in schemas judge, with the same verdicts.
        const QStringList empty{QStringLiteral("--workspace"), m_dir.filePath(QStringLiteral("empty"))};
        const Run nothingPinned = runDipwb(QStringList{QStringLiteral("validate"), good} + empty);
        QVERIFY2(nothingPinned.exitCode == 0, qPrintable(nothingPinned.all()));
        QVERIFY2(nothingPinned.out.contains(QLatin1String(": valid (1 message, specification builtin-2.1.0)")), qPrintable(nothingPinned.out));
        const Run invalidBuiltIn = runDipwb(QStringList{QStringLiteral("validate"), bad} + empty);
        QVERIFY2(invalidBuiltIn.exitCode == 1, qPrintable(invalidBuiltIn.all()));
        QVERIFY2(invalidBuiltIn.out.contains(invalidField()), qPrintable(invalidBuiltIn.out));
        const Run named = runDipwb(QStringList{QStringLiteral("validate"), good, QStringLiteral("--spec-version"), QStringLiteral("builtin")} + ws);
        QVERIFY2(named.exitCode == 0 && named.out.contains(QLatin1String("specification builtin-2.1.0")), qPrintable(named.all()));
    }

    void builtInSchemasInTheCatalogueCommands()
    {
        const QStringList empty{QStringLiteral("--workspace"), m_dir.filePath(QStringLiteral("empty"))};
        const Run list = runDipwb(QStringList{QStringLiteral("catalogue"), QStringLiteral("list")} + empty);
        QCOMPARE(list.exitCode, 0);
        QVERIFY2(list.out.contains(QLatin1String("* builtin-2.1.0: 11 channels, 39 events, 29 event schemas (built in; the default: "
                                                 "nothing is pinned)")),
                 qPrintable(list.out));
        const Run pinnedList = runDipwb({QStringLiteral("catalogue"), QStringLiteral("list"), QStringLiteral("--workspace"), m_ws});
        QVERIFY2(pinnedList.out.contains(QLatin1String("  builtin-2.1.0: 11 channels")), qPrintable(pinnedList.out));

        const Run show = runDipwb(QStringList{QStringLiteral("catalogue"), QStringLiteral("show"), QStringLiteral("IF-033")} + empty);
        QCOMPARE(show.exitCode, 0);
        QVERIFY2(show.out.contains(QLatin1String("IF-033 in specification builtin-2.1.0 (built in, the default): 2 event(s)")), qPrintable(show.out));
        QVERIFY2(show.out.contains(QLatin1String("[MSAppSPRequest]  schema version 011  schema IF-033-MSAppSPRequest")), qPrintable(show.out));

        const Run example = runDipwb({QStringLiteral("catalogue"), QStringLiteral("show"), QStringLiteral("IF-033"), QStringLiteral("--event"),
                                      QStringLiteral("MSAppSPRequest"), QStringLiteral("--example"), QStringLiteral("--spec-version"),
                                      QStringLiteral("builtin"), QStringLiteral("--workspace"), m_ws});
        QCOMPARE(example.exitCode, 0);
        const OJson doc = OJson::parse(example.out.toStdString(), nullptr, false);
        QVERIFY2(doc.is_object() && doc["CustomBlock"].contains("B070"), qPrintable(example.out.left(400)));
    }

    void brokenSpecificationFolderNamesFileAndLine()
    {
        QTemporaryDir spec;
        const QString file = spec.filePath(QStringLiteral("Interfaces-EventCodes-unresolved.yaml"));
        QVERIFY(writeFile(file, "openapi: 3.0.0\ninfo:\n  version: 9.9.9\ncomponents:\n  schemas:\n"
                                "    IF-900-Payload:\n      type: object\n      properties: [unclosed\n"));
        const QString ws = m_dir.filePath(QStringLiteral("ws-broken"));
        const Run r = runDipwb({QStringLiteral("catalogue"), QStringLiteral("import"), spec.path(), QStringLiteral("--workspace"), ws});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(file + QStringLiteral(":9")) && r.err.contains(QLatin1String("not valid YAML")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("nothing was stored")), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(ws + QStringLiteral("/catalogues/pinned")));
    }

    void serveRefusesAPinnedVersionItCannotRead()
    {
        const QString ws = m_dir.filePath(QStringLiteral("ws-corrupt"));
        QVERIFY(QDir().mkpath(ws + QStringLiteral("/catalogues")));
        QVERIFY(writeFile(ws + QStringLiteral("/catalogues/2.1.0.json"), "{\"format\": \"something else\"}"));
        QVERIFY(writeFile(ws + QStringLiteral("/catalogues/pinned"), "2.1.0\n"));
        EmulatorProcess emulator(ws);
        QString error;
        QVERIFY(!emulator.start(&error));
        QVERIFY2(error.contains(ws + QStringLiteral("/catalogues/2.1.0.json")) && error.contains(QLatin1String("not a schema set")),
                 qPrintable(error));
    }

    void cleanupTestCase()
    {
        if (m_emulator)
            m_emulator->terminate();
    }
};

QTEST_GUILESS_MAIN(TestSchemaE2e)
#include "test_schema_e2e.moc"
