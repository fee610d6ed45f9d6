// SPDX-License-Identifier: GPL-3.0-or-later
// The tracker filter means the same thing in both of its forms: MessageFilter::matches over a
// summary (used for live arrivals) and the store's SQL (used for scans of the whole database).
#include "store_fixture.h"
#include "tracker/message_filter.h"

#include <QTemporaryDir>
#include <QTest>

using namespace dipwb;
using tracker::MessageFilter;

Q_DECLARE_METATYPE(dipwb::tracker::MessageFilter)

class TestTrackerFilter final : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<store::Store> m_store;
    QList<qint64> m_all;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        Issues issues;
        m_store = store::Store::open(m_dir.filePath(QStringLiteral("workbench.db")), &issues);
        QVERIFY(m_store);
        m_all = testui::insertMixedSamples(*m_store);
    }

    void sqlAgreesWithMatches_data()
    {
        QTest::addColumn<MessageFilter>("filter");
        QTest::addColumn<int>("expected");
        auto f = [](auto set) {
            MessageFilter x;
            set(x);
            return x;
        };
        QTest::newRow("empty") << MessageFilter{} << 30;
        QTest::newRow("channel") << f([](MessageFilter &x) { x.channel = QStringLiteral("if-021"); }) << 10;
        QTest::newRow("publication id") << f([](MessageFilter &x) { x.channel = QStringLiteral("PUB-033"); }) << 20;
        QTest::newRow("event without brackets") << f([](MessageFilter &x) { x.eventCode = QStringLiteral("ActivePower"); }) << 10;
        QTest::newRow("sender") << f([](MessageFilter &x) { x.senderDipId = QStringLiteral("1400000001"); }) << 10;
        QTest::newRow("recipient") << f([](MessageFilter &x) { x.recipientDipId = QStringLiteral("2300000185"); }) << 10;
        QTest::newRow("recipient nobody has") << f([](MessageFilter &x) { x.recipientDipId = QStringLiteral("9999999999"); }) << 0;
        QTest::newRow("mpan") << f([](MessageFilter &x) { x.mpan = QStringLiteral("1012345678903"); }) << 6;
        QTest::newRow("copy status") << f([](MessageFilter &x) { x.status = QStringLiteral("Retrying"); }) << 5;
        QTest::newRow("message status") << f([](MessageFilter &x) { x.status = QStringLiteral("GoodToGo"); }) << 30;
        QTest::newRow("correlation") << f([](MessageFilter &x) { x.anyId = QStringLiteral("CI-20240701-1"); }) << 2;
        QTest::newRow("copy transaction") << f([](MessageFilter &x) { x.anyId = QStringLiteral("T-IF-033-1100000001-3-C"); }) << 1;
        QTest::newRow("sender reference") << f([](MessageFilter &x) { x.anyId = QStringLiteral("S-IF-021-REF-4"); }) << 1;
        QTest::newRow("text in payload, wildcards literal") << f([](MessageFilter &x) { x.text = QStringLiteral("50%_SPECIAL"); }) << 1;
        QTest::newRow("text wildcard is not a wildcard") << f([](MessageFilter &x) { x.text = QStringLiteral("50%special"); }) << 0;
        QTest::newRow("text in routing") << f([](MessageFilter &x) { x.text = QStringLiteral("mss:1300000001"); }) << 30;
        // Messages arrive a second apart from t0 = 2024-07-01T08:00:00Z.
        QTest::newRow("from") << f([](MessageFilter &x) { x.fromMs = testui::kMixedT0 + 20000; }) << 10;
        QTest::newRow("before") << f([](MessageFilter &x) { x.toMs = testui::kMixedT0 + 5000; }) << 5;
        QTest::newRow("time window") << f([](MessageFilter &x) {
            x.fromMs = testui::kMixedT0 + 3000;
            x.toMs = testui::kMixedT0 + 9000;
        }) << 6;
        QTest::newRow("sender role") << f([](MessageFilter &x) { x.role = QStringLiteral("sds"); }) << 10;
        QTest::newRow("recipient role") << f([](MessageFilter &x) { x.role = QStringLiteral("SUP"); }) << 10;
        QTest::newRow("either role") << f([](MessageFilter &x) { x.role = QStringLiteral("MSS"); }) << 20;
        QTest::newRow("role nobody holds") << f([](MessageFilter &x) { x.role = QStringLiteral("LDSO"); }) << 0;
        QTest::newRow("environment") << f([](MessageFilter &x) { x.environment = QStringLiteral(" uit "); }) << 6;
        QTest::newRow("replayed") << f([](MessageFilter &x) { x.replay = MessageFilter::Replay::Replayed; }) << 5;
        QTest::newRow("never replayed") << f([](MessageFilter &x) { x.replay = MessageFilter::Replay::NotReplayed; }) << 25;
        // Each sample has an Inbound/GoodToGo and an Outbound/<its copy's state> journal row.
        QTest::newRow("stage") << f([](MessageFilter &x) { x.stage = QStringLiteral("outbound"); }) << 30;
        QTest::newRow("stage nobody reached") << f([](MessageFilter &x) { x.stage = QStringLiteral("Addressing"); }) << 0;
        QTest::newRow("stage with status") << f([](MessageFilter &x) {
            x.stage = QStringLiteral("Outbound");
            x.status = QStringLiteral("Retrying");
        }) << 5;
        QTest::newRow("status at another stage") << f([](MessageFilter &x) {
            x.stage = QStringLiteral("Inbound");
            x.status = QStringLiteral("Retrying");
        }) << 0;
        QTest::newRow("and of terms") << f([](MessageFilter &x) {
            x.channel = QStringLiteral("IF-033");
            x.mpan = QStringLiteral("1012345678900");
        }) << 4;
    }

    void sqlAgreesWithMatches()
    {
        QFETCH(MessageFilter, filter);
        QFETCH(int, expected);
        const QList<qint64> bySql = m_store->messageIds(filter, 0, -1);
        QList<qint64> byMatches;
        for (const auto &s : m_store->messageSummaries(m_all, true))
            if (filter.matches(s))
                byMatches << s.id;
        QCOMPARE(bySql, byMatches);
        QCOMPARE(bySql.size(), expected);
    }

    void savedFormRoundTrips()
    {
        MessageFilter f;
        f.channel = QStringLiteral("IF-021");
        f.mpan = QStringLiteral("1012345678904");
        f.text = QStringLiteral("say \"hi\"");
        f.fromMs = 1719820800000;
        f.role = QStringLiteral("SDS");
        f.replay = MessageFilter::Replay::NotReplayed;
        MessageFilter staged;
        staged.stage = QStringLiteral("outbound");
        staged.status = QStringLiteral("Retrying");
        QCOMPARE(staged.describe(), QStringLiteral("stage Outbound, status Retrying"));
        QVERIFY(*MessageFilter::fromJson(staged.toJson()) == staged);
        const auto back = MessageFilter::fromJson(f.toJson());
        QVERIFY(back);
        QVERIFY(*back == f);
        QCOMPARE(MessageFilter{}.toJson(), QByteArrayLiteral("{}"));
        QVERIFY(MessageFilter::fromJson(QByteArrayLiteral("{}"))->isEmpty());
        QCOMPARE(f.describe(), QStringLiteral("channel IF-021, MPAN 1012345678904, text say \"hi\", role SDS, from 2024-07-01T08:00:00+00:00, never replayed"));

        // A saved filter edited by hand is refused with the reason, never half applied.
        const QList<QPair<QByteArray, QString>> bad{
            {"[1]", QStringLiteral("not a JSON object")},
            {"{\"mpan\": 5}", QStringLiteral("mpan: a number, must be a string")},
            {"{\"fromMs\": -1}", QStringLiteral("fromMs: must be a non-negative whole number of milliseconds")},
            {"{\"replay\": \"yes\"}", QStringLiteral("replay: must be 'replayed' or 'notReplayed'")},
            {"{\"colour\": \"red\"}", QStringLiteral("unknown field 'colour'")},
        };
        for (const auto &[json, reason] : bad) {
            QString why;
            QVERIFY2(!MessageFilter::fromJson(json, &why), json.constData());
            QCOMPARE(why, reason);
        }
    }

    void pagesAfterAnId()
    {
        MessageFilter f;
        f.channel = QStringLiteral("IF-033");
        const QList<qint64> first = m_store->messageIds(f, 0, 7);
        QCOMPARE(first.size(), 7);
        const QList<qint64> rest = m_store->messageIds(f, first.last(), -1);
        QCOMPARE(first.size() + rest.size(), 20);
        QVERIFY(rest.first() > first.last());
    }

    void summariesCarryCopies()
    {
        const auto s = m_store->messageSummaries({m_all.at(0), 999999, m_all.at(1)});
        QCOMPARE(s.size(), 2); // the unknown id is skipped
        QCOMPARE(s.at(0).deliveries, 1);
        QCOMPARE(s.at(0).delivered, 0); // message 0 is Retrying
        QCOMPARE(s.at(0).deliveryStatuses, QStringList{QStringLiteral("Retrying")});
        QCOMPARE(s.at(1).delivered, 1);
        QCOMPARE(s.at(1).recipientDipIds, QStringList{QStringLiteral("2300000185")});
        QVERIFY(s.at(1).payload.isEmpty());
        QCOMPARE(m_store->messageIdsOfDeliveries({1, 2}), (QList<qint64>{m_all.at(0), m_all.at(1)}));
    }
};

QTEST_GUILESS_MAIN(TestTrackerFilter)
#include "test_tracker_filter.moc"
