// SPDX-License-Identifier: GPL-3.0-or-later
// Storage faults (docs/reliability.md): the real `dipwb serve` on a database that cannot grow
// (--max-db-pages, SQLite's SQLITE_FULL as on a full disk) answers 503, acknowledges nothing it did
// not store, keeps everything it did acknowledge, and takes messages again once there is room.
#include "common/workspace.h"
#include "emulator_process.h"
#include "raw_connection.h"
#include "request_signer.h"
#include "sample_messages.h"
#include "store/store.h"

#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace dipwb;
using namespace dipwb::testsupport;

namespace {

const char *participantsYaml = "participants:\n"
                               "  - {dipId: \"1100000001\", role: REGS, mpid: REGA, name: Registration}\n"
                               "  - {dipId: \"1300000001\", role: MSS, mpid: MSSA, name: Smart metering}\n"
                               "  - {dipId: \"2500000033\", role: LDSO, mpid: LDSA, name: Distributor}\n";

// Room for a few dozen messages beyond the database's size at start.
constexpr int kHeadroomPages = 60;

struct Sent
{
    QString reference;
    QByteArray body;
    int status = 0;
    QByteArray answer;
};

} // namespace

class TestStorageFaults final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    RequestSigner m_signer;
    QString m_ws;
    QString m_participants;

    QByteArray signedPost(const EmulatorProcess &e, const QByteArray &body)
    {
        const QUrl url(e.baseUrl());
        QByteArray out = "POST /dip-channel/IF-033 HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(url.port())
                         + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
        for (const QString &h : m_signer.curlHeaders("POST", e.baseUrl() + QStringLiteral("/dip-channel/IF-033"), body))
            out += h.toLatin1() + "\r\n";
        return out + "\r\n" + body;
    }

    Sent send(const EmulatorProcess &e, const QString &reference = {}, const QByteArray &sameBody = {})
    {
        Sent s;
        s.body = sameBody;
        s.reference = reference;
        if (s.body.isEmpty()) {
            Header h;
            h.interfaceId = QStringLiteral("IF-033");
            h.eventCode = QStringLiteral("[MSAppSPRequest]");
            h.senderDipId = QStringLiteral("1100000001");
            h.senderRole = QStringLiteral("REGS");
            h.mpan = mpanFor(1012345678);
            h.primaryRecipients = {QStringLiteral("1300000001")};
            h.reference = uniqueReference(h.interfaceId, h.senderDipId, h.senderRole);
            s.reference = h.reference;
            s.body = body({if033(h, QStringLiteral("1300000001"))});
        }
        RawConnection c(quint16(QUrl(e.baseUrl()).port()));
        if (c.send(signedPost(e, s.body)))
            if (const auto r = c.read(30000)) {
                s.status = r->status;
                s.answer = r->body;
            }
        return s;
    }

    QSet<QString> storedReferences()
    {
        Issues issues;
        auto store = store::Store::open(Workspace(m_ws).databasePath(), &issues);
        if (!store)
            return {};
        QSet<QString> refs;
        for (const auto &[sender, reference] : store->senderReferences())
            refs.insert(reference);
        return refs;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_ws = m_dir.filePath(QStringLiteral("ws"));
        m_participants = m_dir.filePath(QStringLiteral("participants.yaml"));
        QFile f(m_participants);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(participantsYaml);
        f.close();
        QString error;
        QVERIFY2(m_signer.init(m_ws, &error), qPrintable(error));
    }

    void fullStoreAnswers503AndRecovers()
    {
        // A first run creates the database; its size after a clean stop is the base of the limit.
        {
            EmulatorProcess e(m_ws, {QStringLiteral("--participants"), m_participants});
            QString error;
            QVERIFY2(e.start(&error), qPrintable(error));
            QCOMPARE(send(e).status, 201);
            e.terminate();
        }
        const qint64 pages = QFileInfo(Workspace(m_ws).databasePath()).size() / 4096;
        QVERIFY(pages > 0);

        QList<Sent> acknowledged, refused;
        {
            EmulatorProcess e(m_ws, {QStringLiteral("--max-db-pages"), QString::number(pages + kHeadroomPages)});
            QString error;
            QVERIFY2(e.start(&error), qPrintable(error));
            for (int i = 0; i < 1000 && refused.size() < 5; ++i) {
                const Sent s = send(e);
                QVERIFY2(s.status == 201 || s.status == 503,
                         qPrintable(QStringLiteral("answered %1: %2").arg(s.status).arg(QString::fromUtf8(s.answer))));
                (s.status == 201 ? acknowledged : refused) << s;
            }
            QVERIFY2(!acknowledged.isEmpty(), "the headroom should take some messages before the store is full");
            QCOMPARE(refused.size(), 5);
            // The 503 says what happened, in the DIP's StandardResponse.
            const OJson answer = OJson::parse(refused.first().answer.constBegin(), refused.first().answer.constEnd(), nullptr, false);
            QVERIFY2(answer.is_object() && answer.contains("messageArray"), refused.first().answer.constData());
            QCOMPARE(stringAt(answer["messageArray"][0], "message"), QStringLiteral("MSG1000 - Processing Failed"));
            QVERIFY2(stringAt(answer["messageArray"][0], "help").contains(QLatin1String("could not store")),
                     refused.first().answer.constData());
            // Still up: a request that needs no storage is answered as usual.
            RawConnection c(quint16(QUrl(e.baseUrl()).port()));
            QVERIFY(c.send("POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"));
            const auto r = c.read();
            QVERIFY(r);
            QVERIFY(r->status == 401 || r->status == 404);
            e.terminate();
        }

        // Acknowledged means stored; refused means not stored.
        const QSet<QString> stored = storedReferences();
        for (const Sent &s : std::as_const(acknowledged))
            QVERIFY2(stored.contains(s.reference), qPrintable(s.reference + QStringLiteral(" was acknowledged but is not stored")));
        for (const Sent &s : std::as_const(refused))
            QVERIFY2(!stored.contains(s.reference), qPrintable(s.reference + QStringLiteral(" was refused but is stored")));

        // Room again: the refused message is taken as it was sent (its reference was not used up).
        EmulatorProcess e(m_ws, {});
        QString error;
        QVERIFY2(e.start(&error), qPrintable(error));
        const Sent again = send(e, refused.first().reference, refused.first().body);
        QVERIFY2(again.status == 201, again.answer.constData());
        QCOMPARE(send(e).status, 201);
        // And an acknowledged one stays a duplicate.
        const Sent duplicate = send(e, acknowledged.first().reference, acknowledged.first().body);
        QCOMPARE(duplicate.status, 400);
        QVERIFY2(duplicate.answer.contains("MSG1006"), duplicate.answer.constData());
        e.terminate();
    }
};

QTEST_GUILESS_MAIN(TestStorageFaults)
#include "test_storage_faults.moc"
