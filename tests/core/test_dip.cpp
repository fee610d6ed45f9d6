// SPDX-License-Identifier: GPL-3.0-or-later
// Building blocks of the emulator that need no network: egress rendering, the reference book.
// (JSON test data is written as ordinary string literals: the moc of Qt 6.4 loses track of the
// class after some raw string literals.)
#include "dip/egress.h"
#include "dip/reference_book.h"
#include "dip/standard_response.h"

#include <QTest>
#include <QTimeZone>

using namespace dipwb;
using namespace dipwb::dip;

namespace {

OJson parse(const char *text)
{
    return OJson::parse(text);
}

// What a publication copy must be, built field by field (the slow, obvious way).
OJson expectedCopy(const OJson &element, const EgressStamp &s, const QString &tx)
{
    const OJson &payload = element.at("payload");
    const OJson &common = payload.at("CommonBlock");
    OJson out = OJson::object();
    if (common.contains("S0"))
        out["S0"] = common["S0"];
    if (common.contains("S1"))
        out["S1"] = common["S1"];
    auto arr = [](const QStringList &l) {
        OJson a = OJson::array();
        for (const QString &x : l)
            a.push_back(ss(x));
        return a;
    };
    out["A0"] = {{"primaryRecipients", arr(s.primary)}, {"secondaryRecipients", arr(s.secondary)}, {"always", arr(s.always)}};
    OJson d0 = OJson::object();
    d0["transactionID"] = ss(tx);
    d0["transactionTimestamp"] = "2024-07-01T09:30:00+00:00";
    d0["publicationID"] = ss(s.publicationId);
    d0["initialCorrelationID"] = s.initialCorrelationId.isEmpty() ? OJson(nullptr) : OJson(ss(s.initialCorrelationId));
    d0["replayIndicator"] = s.replay;
    d0["serviceTicketURL"] = nullptr;
    out["D0"] = d0;
    for (auto it = common.begin(); it != common.end(); ++it)
        if (it.key() != "S0" && it.key() != "S1" && it.key() != "A0" && it.key() != "D0")
            out[it.key()] = it.value();
    OJson p = OJson::object();
    p["CommonBlock"] = out;
    for (auto it = payload.begin(); it != payload.end(); ++it)
        if (it.key() != "CommonBlock")
            p[it.key()] = it.value();
    return OJson::array({OJson{{"payload", p}}});
}

} // namespace

class TestDip final : public QObject
{
    Q_OBJECT

private slots:
    void egressCopiesAreTheMessageWithA0AndD0_data()
    {
        QTest::addColumn<QByteArray>("element");
        QTest::addColumn<QString>("correlation");
        QTest::addColumn<bool>("replay");
        QTest::newRow("S0 S1 M0 A0, custom block")
            << QByteArrayLiteral("{\"payload\":{\"CommonBlock\":{\"S0\":{\"interfaceID\":\"IF-033\"},\"S1\":{\"subText\":\"a \\\"quoted\\\" \\u00e9 text\"},"
                                 "\"M0\":{\"MPANCore\":\"1012345678904\"},\"A0\":{\"primaryRecipients\":[\"1300000001\"],\"secondaryRecipients\":[],\"always\":[]}},"
                                 "\"CustomBlock\":{\"B070\":{\"n\":1.5,\"list\":[1,2,{\"x\":null}]}}}}")
            << QStringLiteral("CI-20240701-abc") << false;
        QTest::newRow("sender wrote D0 and blocks out of order")
            << QByteArrayLiteral("{\"payload\":{\"CommonBlock\":{\"R0\":{\"responseCode\":\"A\"},\"D0\":{\"transactionID\":\"forged\"},\"S1\":{},\"S0\":{}},\"CustomBlock\":{}}}")
            << QString() << true;
        QTest::newRow("no S1, extra payload member")
            << QByteArrayLiteral("{\"payload\":{\"CommonBlock\":{\"S0\":{\"eventCode\":\"[X]\"}},\"CustomBlock\":{\"a\":\"b\"},\"Extra\":[true]}}")
            << QString() << false;
        QTest::newRow("custom block first, keys that need escaping")
            << QByteArrayLiteral("{\"payload\":{\"CustomBlock\":{\"k\\\"ey\":\"\\n\"},\"CommonBlock\":{\"S0\":{},\"caf\\u00e9\":1}}}")
            << QString() << false;
    }
    void egressCopiesAreTheMessageWithA0AndD0()
    {
        QFETCH(QByteArray, element);
        QFETCH(QString, correlation);
        QFETCH(bool, replay);
        const OJson el = OJson::parse(element.constBegin(), element.constEnd());
        EgressStamp s;
        s.primary = {QStringLiteral("1300000001")};
        s.secondary = {QStringLiteral("2500000033"), QStringLiteral("2300000185")};
        s.always = {QStringLiteral("1800000001")};
        s.transactionMs = QDateTime(QDate(2024, 7, 1), QTime(9, 30), QTimeZone::utc()).toMSecsSinceEpoch();
        s.publicationId = QStringLiteral("PUB-033");
        s.initialCorrelationId = correlation;
        s.replay = replay;
        const EgressRenderer renderer(el, s);
        for (const QString &tx : {QStringLiteral("T-IF-033-1-REGS-20240701-AAAA"), QStringLiteral("T-IF-033-1-REGS-20240701-BBBB")}) {
            const QByteArray body = renderer.render(tx);
            const OJson got = OJson::parse(body.constBegin(), body.constEnd(), nullptr, false);
            QVERIFY2(!got.is_discarded(), body.constData());
            const OJson want = expectedCopy(el, s, tx);
            // Equal as values and in key order (ordered_json compares order too), and byte-identical
            // to what a plain dump of the expected value gives.
            QVERIFY2(got == want, qPrintable(QString::fromUtf8(body) + QStringLiteral("\n!=\n") + QString::fromStdString(want.dump())));
            QCOMPARE(body, QByteArray::fromStdString(want.dump()));
        }
        // The element as stored comes from the same parts and is exactly its dump.
        QCOMPARE(EgressRenderer(el, s).elementJson(), QByteArray::fromStdString(el.dump()));
    }

    void markReplaySetsTheIndicatorOnly()
    {
        const OJson el = parse("{\"payload\":{\"CommonBlock\":{\"S0\":{}},\"CustomBlock\":{}}}");
        EgressStamp s;
        s.publicationId = QStringLiteral("PUB-001");
        const QByteArray body = egressBody(el, s);
        QVERIFY(body.contains("\"replayIndicator\":false"));
        const QByteArray replayed = markReplay(body);
        QVERIFY(replayed.contains("\"replayIndicator\":true"));
        QCOMPARE(QByteArray(replayed).replace("true", "false"), body);
    }

    // The answer is written as text; it must be what dumping the JSON value of its items gives.
    void standardResponseIsTheDumpOfItsItems()
    {
        ResponseItem a;
        a.transactionId = QStringLiteral("T-IF-033-1100000001-REGS-20240701-0000000000000001");
        a.senderUniqueReference = QStringLiteral("S-IF-033-3131303030-REGS-20240701-\"q\"\\\n\t\x01");
        a.sentTimestamp = QStringLiteral("2024-07-01T09:30:00+00:00");
        a.senderId = QStringLiteral("1100000001");
        a.recipientId = QStringLiteral("0000000000");
        a.message = QStringLiteral("MSG0000 - Success");
        a.help = QStringLiteral("caf\u00e9 \u20ac \U0001F600 \u007f");
        ResponseItem b;  // everything empty: all null
        const qint64 at = QDateTime(QDate(2024, 7, 1), QTime(9, 30, 1), QTimeZone::utc()).toMSecsSinceEpoch();
        for (const QList<ResponseItem> &items : {QList<ResponseItem>{a}, QList<ResponseItem>{a, b}, QList<ResponseItem>{}}) {
            OJson want = OJson::object();
            want["messageArray"] = OJson::array();
            for (const ResponseItem &i : items)
                want["messageArray"].push_back(responseItemJson(i));
            want["timestamp"] = "2024-07-01T09:30:01+00:00";
            QCOMPARE(standardResponse(items, at), QByteArray::fromStdString(want.dump()));
        }
    }

    void referenceBookReservesAllOrNothing()
    {
        ReferenceBook book;
        const QString a = ReferenceBook::key(QStringLiteral("1"), QStringLiteral("A"));
        const QString b = ReferenceBook::key(QStringLiteral("1"), QStringLiteral("B"));
        const QString c = ReferenceBook::key(QStringLiteral("1"), QStringLiteral("C"));
        QCOMPARE(book.reserveAll({a, b}), qsizetype(-1));
        QVERIFY(book.contains(a) && book.contains(b));
        // c is free but b is taken: nothing of the second request is reserved.
        QCOMPARE(book.reserveAll({c, b}), qsizetype(1));
        QVERIFY(!book.contains(c));
        book.removeAll({a, b});
        QVERIFY(!book.contains(a) && !book.contains(b));
        QCOMPARE(book.reserveAll({c, b}), qsizetype(-1));
    }
};

QTEST_GUILESS_MAIN(TestDip)
#include "test_dip.moc"
