// SPDX-License-Identifier: GPL-3.0-or-later
// Evidence of a real pack run through the real programs: `dipwb run` a bundled pack, `dipwb report`
// every format, then check each with the tools a reviewer would use (xmllint, pdftoppm, headless
// Chromium) and `dipwb verify` on the bundle as written and after tampering.
#include "common/json_util.h"
#include "dipwb_command.h"
#include "evidence/zip_io.h"
#include "store/store.h"
#include "tracker/message_filter.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <optional>

using namespace dipwb;
using namespace dipwb::testsupport;

namespace {

constexpr char kSigner[] = "2300000185";

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

struct Tool
{
    int exitCode = -1;
    QString out;
};

Tool runTool(const QString &program, const QStringList &args, int timeoutMs = 120000)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    Tool t;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        t.out = program + QStringLiteral(" did not finish");
        return t;
    }
    t.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    t.out = QString::fromUtf8(p.readAll());
    return t;
}

} // namespace

class TestEvidenceE2e : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_ws, m_out;
    QMap<QString, QString> m_files;   // format -> path

    QString bundle() const { return m_files.value(QStringLiteral("bundle")); }

    /// The bundle with one entry replaced (or removed when bytes is null), as a new zip.
    QString rewritten(const QString &name, const std::optional<QByteArray> &bytes, const QString &tag)
    {
        QString error;
        auto entries = evidence::readZip(bundle(), &error);
        if (!entries)
            return {};
        for (qsizetype i = 0; i < entries->size(); ++i)
            if ((*entries)[i].first == name) {
                if (bytes)
                    (*entries)[i].second = *bytes;
                else
                    entries->removeAt(i);
                break;
            }
        const QString path = m_dir.filePath(tag + QStringLiteral(".zip"));
        return evidence::writeZip(path, *entries, QDateTime::currentDateTimeUtc(), &error) ? path : QString();
    }

    QByteArray entry(const QString &name)
    {
        QString error;
        const auto entries = evidence::readZip(bundle(), &error);
        for (const auto &[n, b] : *entries)
            if (n == name)
                return b;
        return {};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_ws = m_dir.filePath(QStringLiteral("ws"));
        m_out = m_dir.filePath(QStringLiteral("out"));
        const QString pack = qEnvironmentVariable("DIPWB_SOURCE_DIR") + QStringLiteral("/testpacks/sit-functional");
        CommandRun r = runDipwbCommand({QStringLiteral("run"), pack, QStringLiteral("--self-test"), QStringLiteral("--workspace"), m_ws,
                                        QStringLiteral("--quiet")},
                                       300000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        r = runDipwbCommand({QStringLiteral("certs"), QStringLiteral("init"), QStringLiteral("--workspace"), m_ws});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        r = runDipwbCommand({QStringLiteral("certs"), QStringLiteral("issue"), QString::fromLatin1(kSigner), QStringLiteral("--workspace"), m_ws});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        r = runDipwbCommand({QStringLiteral("report"), QStringLiteral("latest"), QStringLiteral("--workspace"), m_ws, QStringLiteral("--format"),
                             QStringLiteral("html,pdf,junit,json,bundle"), QStringLiteral("--out"), m_out, QStringLiteral("--sign"),
                             QString::fromLatin1(kSigner)},
                            300000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        const QStringList written = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(written.size(), 5);
        const QStringList formats{QStringLiteral("html"), QStringLiteral("pdf"), QStringLiteral("junit"), QStringLiteral("json"), QStringLiteral("bundle")};
        for (int i = 0; i < 5; ++i)
            m_files.insert(formats[i], written[i].trimmed());
    }

    void everyFormatIsWritten()
    {
        for (const QString &path : std::as_const(m_files))
            QVERIFY2(QFileInfo(path).size() > 0, qPrintable(path));
        QVERIFY(readAll(m_files[QStringLiteral("pdf")]).startsWith("%PDF-"));
        const QByteArray json = readAll(m_files[QStringLiteral("json")]);
        const OJson j = OJson::parse(json.constData(), json.constData() + json.size(), nullptr, false);
        QVERIFY(j.is_object());
        QVERIFY(j.contains("evidence"));
        QVERIFY(j["cases"].size() >= 5);
        QCOMPARE(int(j["summary"]["passed"].get<int>()), int(j["cases"].size()));
        // Every case appears in the matrix under each requirement it names, with the messages found.
        const OJson &trace = j["evidence"]["traceability"];
        int withMessages = 0;
        for (const auto &c : j["cases"])
            for (const auto &req : c["requirements"]) {
                bool found = false;
                for (const auto &t : trace)
                    found = found || (t["case"] == c["id"] && t["requirement"] == req);
                QVERIFY2(found, qPrintable(qs(c["id"].get<std::string>()) + QStringLiteral(" / ") + qs(req.get<std::string>())));
            }
        for (const auto &t : trace)
            withMessages += t["messages"].empty() ? 0 : 1;
        QVERIFY2(withMessages > int(trace.size()) / 2, "most steps are traced to messages");
        QVERIFY(!j["evidence"]["messages"].empty());
        QVERIFY(j["evidence"]["deliveryLatency"]["delivered"].get<int>() > 0);
        QCOMPARE(j["evidence"]["cover"]["packId"].get<std::string>(), std::string("sit-functional"));
        const std::string london = j["evidence"]["cover"]["started"]["europeLondon"].get<std::string>();
        QVERIFY2(london.size() == 25, london.c_str());
        bool signerHasFingerprint = false;
        for (const auto &p : j["evidence"]["participants"])
            if (p["dipId"] == kSigner)
                signerHasFingerprint = p["certificateSha256"].is_string() && p["certificateSha256"].get<std::string>().size() == 64;
        QVERIFY2(signerHasFingerprint, "the participant with a workspace certificate shows its fingerprint");
    }

    void htmlIsSelfContained()
    {
        const QString html = QString::fromUtf8(readAll(m_files[QStringLiteral("html")]));
        QCOMPARE(html.count(QStringLiteral("src=\"data:image/png;base64,")), 2);
        // Nothing fetched from anywhere: no stylesheet links, scripts or remote images.
        static const QRegularExpression external(QStringLiteral("<link|<script|src=\"(?!data:)|url\\("));
        QVERIFY2(!external.match(html).hasMatch(), qPrintable(external.match(html).captured(0)));
        for (const char *section : {"Traceability matrix", "Delivery figures", "Test cases", "Appendix: messages involved", "SIT-APP-001"})
            QVERIFY2(html.contains(QLatin1String(section)), section);
    }

    void junitValidatesAgainstTheSchema()
    {
        const QString xsd = qEnvironmentVariable("DIPWB_SOURCE_DIR") + QStringLiteral("/tests/data/junit.xsd");
        if (QStandardPaths::findExecutable(QStringLiteral("xmllint")).isEmpty())
            QSKIP("xmllint is not installed (Debian package libxml2-utils)");
        const Tool ok = runTool(QStringLiteral("xmllint"), {QStringLiteral("--noout"), QStringLiteral("--schema"), xsd, m_files[QStringLiteral("junit")]});
        QVERIFY2(ok.exitCode == 0, qPrintable(ok.out));
        // The schema is not vacuous: a test case without its name is refused.
        QByteArray broken = readAll(m_files[QStringLiteral("junit")]);
        broken.replace("<testcase name=", "<testcase nom=");
        const QString brokenPath = m_dir.filePath(QStringLiteral("broken-junit.xml"));
        QFile f(brokenPath);
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write(broken) == broken.size());
        f.close();
        const Tool bad = runTool(QStringLiteral("xmllint"), {QStringLiteral("--noout"), QStringLiteral("--schema"), xsd, brokenPath});
        QVERIFY2(bad.exitCode != 0, qPrintable(bad.out));
    }

    void pdfConvertsToPages()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("pdftoppm")).isEmpty())
            QSKIP("pdftoppm is not installed (Debian package poppler-utils)");
        const QString prefix = m_dir.filePath(QStringLiteral("page"));
        const Tool t = runTool(QStringLiteral("pdftoppm"), {QStringLiteral("-png"), QStringLiteral("-r"), QStringLiteral("50"), m_files[QStringLiteral("pdf")], prefix});
        QVERIFY2(t.exitCode == 0, qPrintable(t.out));
        const QStringList pages = QDir(m_dir.path()).entryList({QStringLiteral("page-*.png")}, QDir::Files);
        QVERIFY2(pages.size() >= 3, qPrintable(pages.join(QLatin1Char(' '))));
        QVERIFY2(t.out.trimmed().isEmpty(), qPrintable(t.out)); // poppler says nothing about a sound PDF
    }

    void htmlOpensInHeadlessChromium()
    {
        QString chromium;
        for (const char *name : {"chromium", "chromium-browser", "google-chrome"})
            if (chromium.isEmpty())
                chromium = QStandardPaths::findExecutable(QString::fromLatin1(name));
        if (chromium.isEmpty())
            QSKIP("Chromium is not installed (Debian package chromium): the HTML report was not opened in a browser");
        const QString shot = m_dir.filePath(QStringLiteral("report.png"));
        const QString profile = m_dir.filePath(QStringLiteral("chromium-profile"));
        const Tool t = runTool(chromium, {QStringLiteral("--headless"), QStringLiteral("--no-sandbox"), QStringLiteral("--disable-gpu"),
                                          QStringLiteral("--user-data-dir=") + profile, QStringLiteral("--enable-logging=stderr"),
                                          QStringLiteral("--window-size=1280,2400"), QStringLiteral("--screenshot=") + shot,
                                          QUrl::fromLocalFile(m_files[QStringLiteral("html")]).toString()},
                               180000);
        QVERIFY2(t.exitCode == 0, qPrintable(t.out));
        QVERIFY2(QFileInfo(shot).size() > 20000, qPrintable(t.out));
        // What the page itself would log: a resource it could not load, or a script error.
        for (const char *bad : {"Failed to load resource", "Uncaught", "net::ERR_", "Refused to"})
            QVERIFY2(!t.out.contains(QLatin1String(bad)), qPrintable(t.out));
    }

    void freshBundleVerifies()
    {
        const CommandRun r = runDipwbCommand({QStringLiteral("verify"), bundle()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QVERIFY2(r.out.contains(QLatin1String("INTACT")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("signature: valid: signed by ") + QLatin1String(kSigner)), qPrintable(r.out));
        // It carries what a reviewer needs beside the reports.
        QString error;
        const auto entries = evidence::readZip(bundle(), &error);
        QVERIFY2(entries, qPrintable(error));
        QStringList names;
        for (const auto &e : *entries)
            names << e.first;
        for (const char *must : {"manifest.json", "manifest.sig", "signer-cert.pem", "ca-cert.pem", "report/report.html", "report/report.pdf",
                                 "results/results.json", "results/junit.xml", "journal/journal.jsonl"})
            QVERIFY2(names.contains(QLatin1String(must)), must);
        QVERIFY(names.filter(QRegularExpression(QStringLiteral("^messages/.*/received-body\\.json$"))).size() >= 10);
        QVERIFY(names.filter(QRegularExpression(QStringLiteral("^messages/.*/delivered-\\d+-\\d+-\\w+\\.json$"))).size() >= 10);
        // The trusted CA given explicitly: the workspace's own.
        const CommandRun withCa = runDipwbCommand({QStringLiteral("verify"), bundle(), QStringLiteral("--ca"), m_ws + QStringLiteral("/certificates/ca/ca-cert.pem")});
        QVERIFY2(withCa.exitCode == 0, qPrintable(withCa.all()));
    }

    void changedByteIsNamed_data()
    {
        QTest::addColumn<QString>("name");
        QString error;
        const auto entries = evidence::readZip(bundle(), &error);
        QVERIFY2(entries, qPrintable(error));
        for (const auto &e : *entries)
            QTest::newRow(qPrintable(e.first)) << e.first;
    }

    void changedByteIsNamed()
    {
        QFETCH(QString, name);
        QByteArray bytes = entry(name);
        QVERIFY(!bytes.isEmpty());
        bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x01);
        const QString path = rewritten(name, bytes, QStringLiteral("byte"));
        QVERIFY(!path.isEmpty());
        const CommandRun r = runDipwbCommand({QStringLiteral("verify"), path});
        QVERIFY2(r.exitCode == 1, qPrintable(r.all()));
        QVERIFY2(r.out.contains(QStringLiteral("FAIL ") + name) || (name.startsWith(QLatin1String("manifest")) && r.out.contains(QLatin1String("FAIL manifest"))),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1String("NOT INTACT")), qPrintable(r.out));
    }

    void deletedFileIsNamed_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QString error;
        const auto entries = evidence::readZip(bundle(), &error);
        QVERIFY2(entries, qPrintable(error));
        QString received;
        for (const auto &e : *entries)
            if (received.isEmpty() && e.first.endsWith(QLatin1String("/received-body.json")))
                received = e.first;
        QTest::newRow("a received message") << received << received + QStringLiteral(" is listed in the manifest but missing");
        QTest::newRow("the journal") << QStringLiteral("journal/journal.jsonl") << QStringLiteral("journal/journal.jsonl is listed in the manifest but missing");
        QTest::newRow("the PDF") << QStringLiteral("report/report.pdf") << QStringLiteral("report/report.pdf is listed in the manifest but missing");
        QTest::newRow("the signature") << QStringLiteral("manifest.sig") << QStringLiteral("manifest.sig is missing");
        QTest::newRow("the manifest") << QStringLiteral("manifest.json") << QStringLiteral("no manifest.json");
    }

    void deletedFileIsNamed()
    {
        QFETCH(QString, name);
        QFETCH(QString, expected);
        const QString path = rewritten(name, std::nullopt, QStringLiteral("deleted"));
        QVERIFY(!path.isEmpty());
        const CommandRun r = runDipwbCommand({QStringLiteral("verify"), path});
        QVERIFY2(r.exitCode == 1, qPrintable(r.all()));
        QVERIFY2(r.out.contains(expected), qPrintable(r.out));
    }

    void addedFileIsNamed()
    {
        QString error;
        auto entries = evidence::readZip(bundle(), &error);
        QVERIFY(entries);
        entries->append(qMakePair(QStringLiteral("messages/extra.json"), QByteArray("[]")));
        const QString path = m_dir.filePath(QStringLiteral("added.zip"));
        QVERIFY2(evidence::writeZip(path, *entries, QDateTime::currentDateTimeUtc(), &error), qPrintable(error));
        const CommandRun r = runDipwbCommand({QStringLiteral("verify"), path});
        QVERIFY2(r.exitCode == 1, qPrintable(r.all()));
        QVERIFY2(r.out.contains(QLatin1String("messages/extra.json is not listed in the manifest")), qPrintable(r.out));
    }

    void editedJournalRowIsNamed_data()
    {
        QTest::addColumn<bool>("rehash");
        QTest::newRow("row edited") << false;
        QTest::newRow("row edited and its hash recomputed") << true;
    }

    void editedJournalRowIsNamed()
    {
        QFETCH(bool, rehash);
        QList<QByteArray> lines = entry(QStringLiteral("journal/journal.jsonl")).split('\n');
        while (!lines.isEmpty() && lines.last().isEmpty())
            lines.removeLast();
        QVERIFY(lines.size() > 4);
        const int at = int(lines.size()) / 2;
        OJson row = OJson::parse(lines[at].toStdString());
        const qint64 id = row["id"].get<qint64>();
        row["status"] = "Delivered";
        row["detail"] = row["detail"].get<std::string>() + " (edited)";
        if (rehash) {
            // A forger who knows the rule fixes the row's own hash: the next row no longer links to it.
            const QByteArray text = QByteArray::number(id) + '|' + QByteArray::number(row["atMs"].get<qint64>()) + '|'
                + QByteArray::number(row["requestId"].get<qint64>()) + '|' + QByteArray::number(row["messageId"].get<qint64>()) + '|'
                + QByteArray::number(row["deliveryId"].get<qint64>()) + '|' + qb(row["stage"].get<std::string>()) + '|'
                + qb(row["status"].get<std::string>()) + '|' + qb(row["detail"].get<std::string>());
            row["hash"] = QCryptographicHash::hash(QByteArray(qb(row["prevHash"].get<std::string>()) + '|' + text), QCryptographicHash::Sha256).toHex().toStdString();
        }
        lines[at] = qb(row.dump());
        const QString path = rewritten(QStringLiteral("journal/journal.jsonl"), QByteArray(lines.join('\n') + '\n'), QStringLiteral("journal"));
        const CommandRun r = runDipwbCommand({QStringLiteral("verify"), path});
        QVERIFY2(r.exitCode == 1, qPrintable(r.all()));
        QVERIFY2(r.out.contains(QLatin1String("FAIL journal/journal.jsonl: journal/journal.jsonl was altered")), qPrintable(r.out));
        if (rehash)
            QVERIFY2(r.out.contains(QStringLiteral("journal row %1 does not link to row %2").arg(id + 1).arg(id)), qPrintable(r.out));
        else
            QVERIFY2(r.out.contains(QStringLiteral("FAIL journal row %1: journal row %1 (").arg(id)) && r.out.contains(QLatin1String("was altered")),
                     qPrintable(r.out));
    }

    void badSignatureIsReported()
    {
        QByteArray sig = entry(QStringLiteral("manifest.sig"));
        QCOMPARE(sig.size(), 256); // RSA 2048
        sig[10] = char(sig[10] ^ 0x80);
        const CommandRun r = runDipwbCommand({QStringLiteral("verify"), rewritten(QStringLiteral("manifest.sig"), sig, QStringLiteral("sig"))});
        QVERIFY2(r.exitCode == 1, qPrintable(r.all()));
        QVERIFY2(r.out.contains(QLatin1String("FAIL manifest.sig: the signature over manifest.json does not hold")), qPrintable(r.out));
    }

    void manifestEditedToMatchIsCaughtBySignature()
    {
        // Alter a message and rewrite its hash in the manifest: only the signature can tell.
        QString error;
        auto entries = evidence::readZip(bundle(), &error);
        QVERIFY(entries);
        QString victim;
        QByteArray manifest;
        for (auto &[name, bytes] : *entries) {
            if (victim.isEmpty() && name.endsWith(QLatin1String("/received-body.json"))) {
                victim = name;
                const QByteArray before = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
                bytes.replace("MSG", "MSX");
                bytes += ' ';
                const QByteArray after = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
                for (auto &[n2, b2] : *entries)
                    if (n2 == QLatin1String("manifest.json"))
                        b2.replace(before, after);
            }
        }
        const QString path = m_dir.filePath(QStringLiteral("forged.zip"));
        QVERIFY(evidence::writeZip(path, *entries, QDateTime::currentDateTimeUtc(), &error));
        const CommandRun r = runDipwbCommand({QStringLiteral("verify"), path});
        QVERIFY2(r.exitCode == 1, qPrintable(r.all()));
        QVERIFY2(!r.out.contains(QStringLiteral("FAIL ") + victim), qPrintable(r.out)); // the sums agree...
        QVERIFY2(r.out.contains(QLatin1String("FAIL manifest.sig: the signature over manifest.json does not hold")), qPrintable(r.out));
    }

    void foreignCaIsReported()
    {
        const QString other = m_dir.filePath(QStringLiteral("other-ws"));
        const CommandRun init = runDipwbCommand({QStringLiteral("certs"), QStringLiteral("init"), QStringLiteral("--workspace"), other});
        QVERIFY2(init.exitCode == 0, qPrintable(init.all()));
        const CommandRun r = runDipwbCommand({QStringLiteral("verify"), bundle(), QStringLiteral("--ca"), other + QStringLiteral("/certificates/ca/ca-cert.pem")});
        QVERIFY2(r.exitCode == 1, qPrintable(r.all()));
        QVERIFY2(r.out.contains(QLatin1String("FAIL --ca: the signature verifies with the certificate of ")), qPrintable(r.out));
    }

    void unsignedBundleSaysSo()
    {
        const QString out = m_dir.filePath(QStringLiteral("unsigned"));
        const CommandRun r = runDipwbCommand({QStringLiteral("report"), QStringLiteral("latest"), QStringLiteral("--workspace"), m_ws,
                                              QStringLiteral("--format"), QStringLiteral("bundle,junit"), QStringLiteral("--out"), out},
                                             300000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        const CommandRun v = runDipwbCommand({QStringLiteral("verify"), r.out.split(QLatin1Char('\n')).first().trimmed()});
        QVERIFY2(v.exitCode == 0, qPrintable(v.all()));
        QVERIFY2(v.out.contains(QLatin1String("signature: not signed")), qPrintable(v.out));
    }

    void chosenMessagesAreReportedAndVerify()
    {
        // Every message about one MPAN of the run, as an assessor would ask for it.
        Issues issues;
        auto store = store::Store::openForReading(m_ws + QStringLiteral("/workbench.db"), &issues);
        QVERIFY(store);
        QString mpan;
        for (qint64 id : store->messageIds({}, 0, 50))
            if (const auto m = store->message(id); m && !m->mpan.isEmpty() && mpan.isEmpty())
                mpan = m->mpan;
        QVERIFY(!mpan.isEmpty());
        tracker::MessageFilter byMpan;
        byMpan.mpan = mpan;
        const QList<qint64> ids = store->messageIds(byMpan, 0, 1000);
        QVERIFY(!ids.isEmpty());

        const QString out = m_dir.filePath(QStringLiteral("by-mpan"));
        CommandRun r = runDipwbCommand({QStringLiteral("report"), QStringLiteral("--mpan"), mpan, QStringLiteral("--workspace"), m_ws,
                                        QStringLiteral("--format"), QStringLiteral("junit,json,bundle"), QStringLiteral("--out"), out,
                                        QStringLiteral("--sign"), QString::fromLatin1(kSigner)},
                                       300000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        const QStringList written = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(written.size(), 3);
        QFile json(written[1].trimmed());
        QVERIFY(json.open(QIODevice::ReadOnly));
        const OJson results = OJson::parse(json.readAll().toStdString());
        QCOMPARE(int(results["cases"].size()), int(ids.size()));
        for (const auto &c : results["cases"]) {
            const auto m = store->messageByTransactionId(QString::fromStdString(c["id"].get<std::string>()));
            QVERIFY2(m && m->mpan == mpan, c["id"].dump().c_str());
        }
        if (!QStandardPaths::findExecutable(QStringLiteral("xmllint")).isEmpty()) {
            const Tool ok = runTool(QStringLiteral("xmllint"), {QStringLiteral("--noout"), QStringLiteral("--schema"),
                                                                qEnvironmentVariable("DIPWB_SOURCE_DIR") + QStringLiteral("/tests/data/junit.xsd"),
                                                                written[0].trimmed()});
            QVERIFY2(ok.exitCode == 0, qPrintable(ok.out));
        }
        const CommandRun v = runDipwbCommand({QStringLiteral("verify"), written[2].trimmed()});
        QVERIFY2(v.exitCode == 0 && v.out.contains(QLatin1String("INTACT")) && v.out.contains(mpan), qPrintable(v.all()));

        // The same messages named one by one (tracker ids and a transaction id) give the same cases.
        QStringList named;
        for (qint64 id : ids)
            named << QString::number(id);
        named.last() = store->message(ids.last())->transactionId;
        r = runDipwbCommand({QStringLiteral("report"), QStringLiteral("--messages"), named.join(QLatin1Char(',')), QStringLiteral("--workspace"), m_ws,
                             QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("--out"), m_dir.filePath(QStringLiteral("named"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        QFile again(r.out.trimmed());
        QVERIFY(again.open(QIODevice::ReadOnly));
        QCOMPARE(OJson::parse(again.readAll().toStdString())["cases"].size(), results["cases"].size());

        r = runDipwbCommand({QStringLiteral("report"), QStringLiteral("--messages"), QStringLiteral("99999999"), QStringLiteral("--workspace"), m_ws,
                             QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("no stored message with id '99999999'")), qPrintable(r.all()));
        r = runDipwbCommand({QStringLiteral("report"), QStringLiteral("latest"), QStringLiteral("--mpan"), mpan, QStringLiteral("--workspace"), m_ws});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("not both")), qPrintable(r.all()));
    }

    void wrongRequestsAreRefusedClearly()
    {
        CommandRun r = runDipwbCommand({QStringLiteral("report"), QStringLiteral("999"), QStringLiteral("--workspace"), m_ws, QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("no run 999")), qPrintable(r.all()));
        r = runDipwbCommand({QStringLiteral("report"), QStringLiteral("latest"), QStringLiteral("--workspace"), m_ws, QStringLiteral("--format"), QStringLiteral("docx")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("unknown format 'docx'")), qPrintable(r.all()));
        r = runDipwbCommand({QStringLiteral("report"), QStringLiteral("latest"), QStringLiteral("--workspace"), m_ws, QStringLiteral("--format"), QStringLiteral("bundle"),
                             QStringLiteral("--sign"), QStringLiteral("9999999999"), QStringLiteral("--out"), m_dir.filePath(QStringLiteral("nosigner"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("cannot sign as 9999999999")), qPrintable(r.all()));
        QVERIFY2(!QFileInfo::exists(m_dir.filePath(QStringLiteral("nosigner"))), "nothing written when the signer is missing");
        r = runDipwbCommand({QStringLiteral("verify"), m_dir.filePath(QStringLiteral("nothing.zip"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(QLatin1String("no file")), qPrintable(r.all()));
    }
};

QTEST_GUILESS_MAIN(TestEvidenceE2e)
#include "test_evidence_e2e.moc"
