// SPDX-License-Identifier: GPL-3.0-or-later
// The hostile input table (docs/reliability.md) against the real `dipwb serve`: each case gets its
// documented answer, and afterwards the server is still up, still answers a valid request, and its
// memory stays within a bound.
#include "emulator_process.h"
#include "hostile_cases.h"
#include "raw_connection.h"
#include "request_signer.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace dipwb;
using namespace dipwb::testsupport;

namespace {

const char *participantsYaml = "participants:\n"
                               "  - {dipId: \"1100000001\", role: REGS, mpid: REGA, name: Registration}\n"
                               "  - {dipId: \"2300000185\", role: SUP, mpid: SUPA, name: Supplier A}\n"
                               "  - {dipId: \"1300000001\", role: MSS, mpid: MSSA, name: Smart metering}\n"
                               "  - {dipId: \"2500000033\", role: LDSO, mpid: LDSA, name: Distributor}\n";

// Resident memory may grow by this much over the whole table and no more: the largest case holds a
// 10 MiB body a few times over (raw, parsed, stored, journaled) while it is answered, and the
// allocator keeps some of what it freed. Unbounded growth (a leak per request, a copy per
// connection) passes it within a few cases.
constexpr qint64 kRssGrowthBoundKiB = 384 * 1024;

constexpr int kHeaderTimeoutMs = 1500;
constexpr int kBodyTimeoutMs = 1500;
constexpr int kMaxConnections = 200;
constexpr qint64 kBodyLimit = 10 * 1024 * 1024;

QString statusText(const QList<int> &statuses)
{
    if (statuses.isEmpty())
        return QStringLiteral("no answer");
    QStringList parts;
    for (int s : statuses)
        parts << QString::number(s);
    return parts.join(QLatin1Char(','));
}

} // namespace

class TestHostileInput final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<EmulatorProcess> m_emulator;
    RequestSigner m_signer;
    HostileTarget m_target;
    qint64 m_baselineKiB = 0;
    qint64 m_largestKiB = 0;

    qint64 rss() const { return residentKiB(m_emulator->pid()); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QFile f(m_dir.filePath(QStringLiteral("participants.yaml")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(participantsYaml);
        f.close();
        const QString ws = m_dir.filePath(QStringLiteral("ws"));
        QString error;
        QVERIFY2(m_signer.init(ws, &error), qPrintable(error));
        m_emulator = std::make_unique<EmulatorProcess>(
            ws, QStringList{QStringLiteral("--participants"), f.fileName(), QStringLiteral("--body-limit"), QString::number(kBodyLimit),
                            QStringLiteral("--header-timeout-ms"), QString::number(kHeaderTimeoutMs),
                            QStringLiteral("--body-timeout-ms"), QString::number(kBodyTimeoutMs),
                            QStringLiteral("--idle-timeout-ms"), QStringLiteral("5000"),
                            QStringLiteral("--max-connections"), QString::number(kMaxConnections)});
        QVERIFY2(m_emulator->start(&error), qPrintable(error));
        const QUrl url(m_emulator->baseUrl());
        m_target = {quint16(url.port()), m_emulator->baseUrl(), &m_signer, kBodyLimit, kHeaderTimeoutMs,
                    kBodyTimeoutMs, kMaxConnections};
        // Warm up (first connections, the store, the signature cache) before the baseline is taken.
        for (int i = 0; i < 3; ++i) {
            RawConnection c(m_target.port);
            QVERIFY(c.send(validRequest(m_target)));
            const auto r = c.read();
            QVERIFY(r);
            QCOMPARE(r->status, 201);
        }
        m_baselineKiB = rss();
        QVERIFY(m_baselineKiB > 0);
        qInfo("emulator pid %lld, VmRSS at start %lld KiB", m_emulator->pid(), m_baselineKiB);
    }

    void hostileInput_data()
    {
        QTest::addColumn<int>("index");
        const auto &cases = hostileCases();
        for (int i = 0; i < int(cases.size()); ++i)
            QTest::newRow(cases[size_t(i)].name.constData()) << i;
    }

    void hostileInput()
    {
        QFETCH(int, index);
        const HostileCase &c = hostileCases()[size_t(index)];
        QElapsedTimer timer;
        timer.start();
        const HostileOutcome o = c.run(m_target);
        const qint64 ms = timer.elapsed();

        QVERIFY2(m_emulator->isRunning(), qPrintable(QStringLiteral("the emulator died: ") + QString::fromUtf8(m_emulator->output().right(2000))));
        QVERIFY2(o.statuses == c.statuses,
                 qPrintable(QStringLiteral("answered %1, documented %2; last body: %3")
                                .arg(statusText(o.statuses), statusText(c.statuses), QString::fromUtf8(o.lastBody))));
        QVERIFY2(o.closed == c.closes,
                 qPrintable(QStringLiteral("connection %1, documented %2")
                                .arg(o.closed ? QStringLiteral("closed") : QStringLiteral("kept open"),
                                     c.closes ? QStringLiteral("closed") : QStringLiteral("kept open"))));
        QVERIFY2(ms <= c.maxMs, qPrintable(QStringLiteral("took %1 ms, at most %2 ms").arg(ms).arg(c.maxMs)));

        // Still up and answering a well-behaved participant.
        RawConnection check(m_target.port);
        QVERIFY2(check.send(validRequest(m_target)), "the emulator no longer accepts a valid request");
        const auto r = check.read(30000);
        QVERIFY2(r, "the emulator did not answer a valid request after the case");
        QCOMPARE(r->status, 201);

        const qint64 now = rss();
        m_largestKiB = std::max(m_largestKiB, now);
        QVERIFY2(now - m_baselineKiB <= kRssGrowthBoundKiB,
                 qPrintable(QStringLiteral("VmRSS %1 KiB, %2 KiB over the %3 KiB at start (bound %4 KiB)")
                                .arg(now).arg(now - m_baselineKiB).arg(m_baselineKiB).arg(kRssGrowthBoundKiB)));
        qInfo("%s: %s in %lld ms, VmRSS %lld KiB", c.name.constData(), qPrintable(statusText(o.statuses)), ms, now);
    }

    void cleanupTestCase()
    {
        if (!m_emulator)
            return;
        qInfo("VmRSS: %lld KiB at start, largest after a case %lld KiB, now %lld KiB, peak (VmHWM) %lld KiB",
              m_baselineKiB, m_largestKiB, rss(), residentKiB(m_emulator->pid(), true));
        m_emulator->terminate();
    }
};

QTEST_GUILESS_MAIN(TestHostileInput)
#include "test_hostile_input.moc"
