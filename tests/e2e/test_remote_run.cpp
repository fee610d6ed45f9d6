// SPDX-License-Identifier: GPL-3.0-or-later
// End to end: `dipwb run --profile` against a remote DIP (the real `dipwb serve`, signing and
// checking signatures, in a workspace of its own), speaking for the parties of three profiles.
#include "common/json_util.h"
#include "dipwb_command.h"
#include "emulator_process.h"
#include "request_signer.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace dipwb;
using namespace dipwb::testsupport;

namespace {

const char *kParticipants = "participants:\n"
                            "  - {dipId: \"1100000001\", role: REGS, mpid: REGA, name: Registration}\n"
                            "  - {dipId: \"1300000001\", role: MSS, mpid: MSSA, name: Smart metering}\n"
                            "  - {dipId: \"1400000001\", role: SDS, mpid: SDSA, name: Smart data}\n"
                            "  - {dipId: \"2300000185\", role: SUP, mpid: SUPA, name: Supplier A}\n"
                            "  - {dipId: \"2500000033\", role: LDSO, mpid: LDSA, name: Distributor}\n";

QString packDir()
{
    return qEnvironmentVariable("DIPWB_SOURCE_DIR") + QStringLiteral("/tests/data/remote-run");
}

const OJson *caseOf(const OJson &run, const char *id)
{
    for (const OJson &c : run.at("cases"))
        if (c.value("id", "") == id)
            return &c;
    return nullptr;
}

} // namespace

class TestRemoteRun final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_dipWs, m_mine;
    RequestSigner m_signer;
    std::unique_ptr<EmulatorProcess> m_dip;

    CommandRun addProfile(const QString &name, const QString &dipId)
    {
        return runDipwbCommand({QStringLiteral("profile"), QStringLiteral("add"), name, QStringLiteral("--url"), m_dip->baseUrl(),
                                QStringLiteral("--as"), dipId, QStringLiteral("--cert"), m_signer.ca().participantCertPath(dipId),
                                QStringLiteral("--key"), m_signer.ca().participantKeyPath(dipId), QStringLiteral("--ca"),
                                m_signer.ca().caCertPath(), QStringLiteral("--workspace"), m_mine});
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_dipWs = m_dir.filePath(QStringLiteral("ws-dip"));
        m_mine = m_dir.filePath(QStringLiteral("ws-tester"));
        const QString participants = m_dir.filePath(QStringLiteral("participants.yaml"));
        QFile f(participants);
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write(kParticipants) > 0);
        f.close();
        QString error;
        QVERIFY2(m_signer.init(m_dipWs, &error), qPrintable(error));
        for (const char *id : {"1100000001", "1300000001", "1400000001"})
            QVERIFY(m_signer.identity(QString::fromLatin1(id)));
        m_dip = std::make_unique<EmulatorProcess>(m_dipWs, QStringList{QStringLiteral("--participants"), participants});
        QVERIFY2(m_dip->start(&error), qPrintable(error));
        QVERIFY2(m_dip->output().contains("signatures require"), m_dip->output().constData());
        for (const auto &[name, id] : {std::pair{"regs", "1100000001"}, std::pair{"mss", "1300000001"}, std::pair{"sds", "1400000001"}}) {
            const CommandRun add = addProfile(QString::fromLatin1(name), QString::fromLatin1(id));
            QVERIFY2(add.exitCode == 0, qPrintable(add.all()));
        }
    }

    // The playable cases run over the remote DIP's real signatures and webhooks: a publication
    // arrives, an L1 rejection comes in the answer, an L2 one in a status message; the failing
    // case says what arrived; the others are skipped, each saying why.
    void runsWhatItsProfilesCanPlayAndSkipsTheRest()
    {
        const QString json = m_dir.filePath(QStringLiteral("remote.json"));
        const QString junit = m_dir.filePath(QStringLiteral("remote.xml"));
        const CommandRun r = runDipwbCommand({QStringLiteral("run"), packDir(), QStringLiteral("--profile"), QStringLiteral("regs"),
                                              QStringLiteral("--profile"), QStringLiteral("mss"), QStringLiteral("--profile"),
                                              QStringLiteral("sds"), QStringLiteral("--workspace"), m_mine, QStringLiteral("--json"), json,
                                              QStringLiteral("--junit"), junit});
        QVERIFY2(r.exitCode == 1, qPrintable(r.all())); // R-004 fails on purpose
        QVERIFY2(r.out.contains(QStringLiteral("against ") + m_dip->baseUrl() + QStringLiteral(" as 1100000001")), qPrintable(r.out));
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        const OJson run = OJson::parse(text.constBegin(), text.constEnd(), nullptr, false);
        QVERIFY(run.is_object());
        for (const char *id : {"R-001", "R-002", "R-003"}) {
            const OJson *c = caseOf(run, id);
            QVERIFY2(c && c->value("verdict", "") == "passed", qPrintable(QString::fromLatin1(id) + QStringLiteral(": ") + r.out));
        }
        const OJson *passedL2 = caseOf(run, "R-003");
        QVERIFY2(passedL2->dump().find("status message") != std::string::npos, passedL2->dump().c_str());

        const OJson *failed = caseOf(run, "R-004");
        QVERIFY(failed);
        QCOMPARE(QString::fromStdString(failed->value("verdict", "")), QStringLiteral("failed"));
        const QString reason = QString::fromStdString(failed->value("reason", ""));
        QVERIFY2(reason.contains(QStringLiteral("arrived but none matched")) && reason.contains(QStringLiteral("CommonBlock.S1.senderDIPID")),
                 qPrintable(reason));

        const QList<QPair<const char *, QString>> skipped{
            {"R-005", QStringLiteral("sends as supplier (SUP 2300000185), for whom no profile of the run speaks")},
            {"R-006", QStringLiteral("its MPAN fixture held needs appointments")},
            {"R-007", QStringLiteral("watches what reaches supplier (SUP 2300000185), which only its own webhook sees")},
        };
        for (const auto &[id, why] : skipped) {
            const OJson *c = caseOf(run, id);
            QVERIFY(c);
            QCOMPARE(QString::fromStdString(c->value("verdict", "")), QStringLiteral("skipped"));
            const QString got = QString::fromStdString(c->value("reason", ""));
            QVERIFY2(got.startsWith(QStringLiteral("not run against the remote DIP: ")) && got.contains(why), qPrintable(got));
        }
        QFile x(junit);
        QVERIFY(x.open(QIODevice::ReadOnly));
        const QByteArray xml = x.readAll();
        for (int i = 1; i <= 7; ++i)
            QVERIFY2(xml.contains(QStringLiteral("R-00%1").arg(i).toUtf8()), xml.constData());
    }

    // Wrong profiles stop the run before anything is sent, saying which and why.
    void badProfilesAreRefusedBeforeAnythingRuns()
    {
        CommandRun r = runDipwbCommand({QStringLiteral("run"), packDir(), QStringLiteral("--profile"), QStringLiteral("nosuch"),
                                        QStringLiteral("--workspace"), m_mine});
        QVERIFY2(r.exitCode == 2 && r.err.contains(QStringLiteral("nosuch")), qPrintable(r.all()));
        r = runDipwbCommand({QStringLiteral("run"), packDir(), QStringLiteral("--profile"), QStringLiteral("regs=nobody"),
                             QStringLiteral("--workspace"), m_mine});
        QVERIFY2(r.exitCode == 2 && r.err.contains(QStringLiteral("has no participant 'nobody'")), qPrintable(r.all()));
        r = runDipwbCommand({QStringLiteral("run"), packDir(), QStringLiteral("--profile"), QStringLiteral("regs"),
                             QStringLiteral("--self-test"), QStringLiteral("--workspace"), m_mine});
        QVERIFY2(r.exitCode == 2 && r.err.contains(QStringLiteral("remote DIP")), qPrintable(r.all()));
    }

    void cleanupTestCase()
    {
        if (m_dip)
            m_dip->terminate();
    }
};

QTEST_GUILESS_MAIN(TestRemoteRun)
#include "test_remote_run.moc"
