// SPDX-License-Identifier: GPL-3.0-or-later
// The small common pieces every message passes through: DT-003 times, transaction ids, JSON strings
// written by hand. Each is checked against the slow, obvious way (QDateTime, nlohmann's dump()).
#include "common/dip_time.h"
#include "common/duration_histogram.h"
#include "common/ids.h"
#include "common/json_util.h"
#include "common/strict_json.h"
#include "common/untrusted_json.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>

#include <cstring>
#include <vector>
#include <cmath>
#include <algorithm>
#include <QTimeZone>

using namespace dipwb;

namespace {

// Equal values of equal types all the way down (nlohmann's == calls 1 and 1u equal).
bool sameTree(const OJson &a, const OJson &b)
{
    if (a.type() != b.type())
        return false;
    if (a.is_object()) {
        if (a.size() != b.size())
            return false;
        for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j)
            if (i.key() != j.key() || !sameTree(i.value(), j.value()))
                return false;
        return true;
    }
    if (a.is_array()) {
        if (a.size() != b.size())
            return false;
        for (size_t i = 0; i < a.size(); ++i)
            if (!sameTree(a[i], b[i]))
                return false;
        return true;
    }
    if (a.is_number_float())
        return std::memcmp(&a.get_ref<const double &>(), &b.get_ref<const double &>(), sizeof(double)) == 0;
    return a == b;
}

// Documents the fast reader must read as nlohmann does.
const char *const kValid[] = {
    "[{\"payload\":{\"CommonBlock\":{\"S0\":{\"interfaceID\":\"IF-033\"}},\"CustomBlock\":{\"n\":[1.5,-2,3e2,0,-0,-0.0]}}}]",
    "  {\"a\" : [ true , false , null ] ,\"b\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\u00e9\\ud83d\\ude00\"}\r\n\t",
    "\"caf\u00c3\u00a9 \u00e2\u0082\u00ac \u00f0\u009f\u0098\u0080\"",
    "18446744073709551615", "18446744073709551616", "-9223372036854775808", "-9223372036854775809",
    "1e308", "2.2250738585072014e-308", "0.1", "123456789012345678901234567890", "[]", "{}", "[[[[]]]]",
    "{\"\":\"\"}", "\"\\u001f\\u007F\\uFFFF\"",
};

// Documents it must refuse (the full parser then explains, or accepts the last two).
const char *const kRefused[] = {
    "", " ", "[", "]", "[1,]", "{\"a\":1,}", "{\"a\"}", "{\"a\":1 \"b\":2}", "01", "1.", ".5", "1e", "+1", "-",
    "tru", "nul", "[1] x", "\"\\x\"", "\"\\u12\"", "\"\\udc00\"", "\"\\ud800\"", "\"\\ud800\\u0041\"",
    "\"a\tb\"", "\"\xc0\x80\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"", "\"\xe2\x82\"", "\"\x80\"",
    "{\"a\":1,\"a\":2}", "1e400", "\xef\xbb\xbf[1]", "1e-400",
};

} // namespace

class TestCommon final : public QObject
{
    Q_OBJECT

private slots:
    // Against the exact percentiles of the same samples, sorted: never below, at most one bucket
    // (9 %) above; the maximum and the total exact.
    void durationHistogramQuantilesBoundTheExactOnes()
    {
        DurationHistogram h;
        QCOMPARE(h.summary(), QStringLiteral("none"));
        QCOMPARE(h.quantileMs(0.99), 0.0);
        QRandomGenerator rng(7);
        std::vector<qint64> samples;
        qint64 total = 0;
        for (int i = 0; i < 20000; ++i) {
            // Mostly around a millisecond, with a tail up to a second, as syncs are.
            const qint64 ns = i % 100 == 0 ? qint64(rng.bounded(1'000'000'000)) : 200'000 + qint64(rng.bounded(2'000'000));
            samples.push_back(ns);
            total += ns;
            h.add(ns);
        }
        std::sort(samples.begin(), samples.end());
        QCOMPARE(h.count(), qint64(samples.size()));
        QCOMPARE(h.maxMs(), double(samples.back()) / 1e6);
        QCOMPARE(h.totalMs(), double(total) / 1e6);
        for (double q : {0.0, 0.01, 0.5, 0.9, 0.99, 0.999, 1.0}) {
            const size_t rank = std::max<size_t>(1, size_t(std::ceil(q * double(samples.size()))));
            const double exact = double(samples[rank - 1]) / 1e6;
            const double got = h.quantileMs(q);
            QVERIFY2(got >= exact && got <= exact * 1.0906 + 1e-9,
                     qPrintable(QStringLiteral("q %1: %2 ms for %3 ms").arg(q).arg(got).arg(exact)));
        }
        // Counting over a threshold errs towards fewer, by at most the threshold's own bucket.
        const qint64 exactOver = std::count_if(samples.begin(), samples.end(), [](qint64 ns) { return ns > 50'000'000; });
        const qint64 over = h.countOverMs(50);
        QVERIFY2(over <= exactOver && over >= exactOver - 10, qPrintable(QStringLiteral("%1 of %2").arg(over).arg(exactOver)));
        // Out of range on both sides: zero and below in the first bucket, hours in the last.
        DurationHistogram edges;
        edges.add(-5);
        edges.add(0);
        edges.add(3'600'000'000'000);
        QCOMPARE(edges.count(), 3);
        QCOMPARE(edges.quantileMs(0.5), 0.01);
        QCOMPARE(edges.quantileMs(1.0), 3'600'000.0);
        QCOMPARE(edges.countOverMs(1000), 1);
    }

    void formatDt003UtcAgreesWithQDateTime()
    {
        auto slow = [](qint64 ms) -> QString {
            return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"))
                   + QStringLiteral("+00:00");
        };
        QList<qint64> instants = {0, 1, 999, 1000, -1, -999, -1000, -1001, -86400000, 86399999, 86400000};
        for (const QDate d : {QDate(2000, 2, 29), QDate(2000, 3, 1), QDate(1900, 2, 28), QDate(2100, 3, 1),
                              QDate(2024, 2, 29), QDate(2024, 12, 31), QDate(1969, 12, 31), QDate(1, 1, 1), QDate(9999, 12, 31)})
            for (const QTime t : {QTime(0, 0), QTime(23, 59, 59, 999), QTime(12, 30, 15, 500)})
                instants << QDateTime(d, t, QTimeZone::utc()).toMSecsSinceEpoch();
        QRandomGenerator rng(7);
        for (int i = 0; i < 20000; ++i)
            instants << (qint64(rng.bounded(qint64(12000000000))) - qint64(4000000000)) * 1000 + rng.bounded(1000);
        for (const qint64 ms : std::as_const(instants))
            QCOMPARE(dt::formatDt003Utc(ms), slow(ms));
    }

    void utcDayNumberCountsFrom1970()
    {
        QDate date;
        QCOMPARE(dt::utcDayNumber(0, &date), 0);
        QCOMPARE(date, QDate(1970, 1, 1));
        QCOMPARE(dt::utcDayNumber(-1, &date), -1);
        QCOMPARE(date, QDate(1969, 12, 31));
        const qint64 ms = QDateTime(QDate(2024, 7, 1), QTime(23, 59, 59, 999), QTimeZone::utc()).toMSecsSinceEpoch();
        QCOMPARE(dt::utcDayNumber(ms, &date), QDate(1970, 1, 1).daysTo(QDate(2024, 7, 1)));
        QCOMPARE(date, QDate(2024, 7, 1));
    }

    void parseDt003_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("utcMs");  // -1: refused
        QTest::addColumn<QString>("why");
        const auto utc = [](int y, int mo, int d, int h, int mi, int s) {
            return QDateTime(QDate(y, mo, d), QTime(h, mi, s), QTimeZone::utc()).toMSecsSinceEpoch();
        };
        QTest::newRow("summer time") << "2024-07-01T00:00:00+01:00" << utc(2024, 6, 30, 23, 0, 0) << "";
        QTest::newRow("utc") << "2024-12-01T10:20:30+00:00" << utc(2024, 12, 1, 10, 20, 30) << "";
        QTest::newRow("west") << "2024-12-01T10:20:30-05:30" << utc(2024, 12, 1, 15, 50, 30) << "";
        QTest::newRow("short") << "2024-07-01T00:00:00Z" << qint64(-1) << "20 characters, must be exactly 25";
        QTest::newRow("letter") << "2024-07-0xT00:00:00+01:00" << qint64(-1) << "is not of the form";
        QTest::newRow("space for T") << "2024-07-01 00:00:00+01:00" << qint64(-1) << "is not of the form";
        QTest::newRow("no sign") << "2024-07-01T00:00:00 01:00" << qint64(-1) << "is not of the form";
        QTest::newRow("arabic digit") << QString::fromUtf8("2024-07-01T00:00:0\u0661+01:00") << qint64(-1) << "is not of the form";
        QTest::newRow("30 February") << "2024-02-30T00:00:00+00:00" << qint64(-1) << "not a real date";
        QTest::newRow("hour 24") << "2024-02-01T24:00:00+00:00" << qint64(-1) << "not a real date";
        QTest::newRow("offset 15 h") << "2024-02-01T10:00:00+15:00" << qint64(-1) << "not a real date";
    }

    void parseDt003()
    {
        QFETCH(QString, text);
        QFETCH(qint64, utcMs);
        QFETCH(QString, why);
        QString reason;
        const auto parsed = dt::parseDt003(text, &reason);
        if (utcMs < 0) {
            QVERIFY(!parsed);
            QVERIFY2(reason.contains(why), qPrintable(reason));
            return;
        }
        QVERIFY2(parsed, qPrintable(reason));
        QCOMPARE(parsed->toMSecsSinceEpoch(), utcMs);
    }

    void transactionIdsCarryTheUtcDayAndSortInTime()
    {
        const qint64 at = QDateTime(QDate(2024, 7, 1), QTime(23, 59, 59, 998), QTimeZone::utc()).toMSecsSinceEpoch();
        const QString a = ids::transactionId(QStringLiteral("IF-033"), QStringLiteral("1100000001"), QStringLiteral("REGS"), at);
        const QString b = ids::transactionId(QStringLiteral("IF-033"), QStringLiteral("1100000001"), QStringLiteral("REGS"), at + 1);
        const QString c = ids::transactionId(QStringLiteral("IF-033"), QStringLiteral("1100000001"), QStringLiteral("REGS"), at + 2);
        const QRegularExpression shape(QStringLiteral("^T-IF-033-1100000001-REGS-(\\d{8})-[0-9A-Za-z]{16}$"));
        QVERIFY2(shape.match(a).hasMatch(), qPrintable(a));
        QCOMPARE(shape.match(a).captured(1), QStringLiteral("20240701"));
        QCOMPARE(shape.match(c).captured(1), QStringLiteral("20240702"));  // the next UTC day
        QVERIFY2(a < b, qPrintable(a + QLatin1Char(' ') + b));
        QVERIFY(a.size() <= 65);
    }

    void appendJsonStringEscapesAsDumpDoes()
    {
        QStringList samples = {QString(), QStringLiteral("plain"), QStringLiteral("\"quoted\" and \\ back"),
                               QStringLiteral("\b\f\n\r\t"), QStringLiteral("\"first"), QStringLiteral("last\\"),
                               QStringLiteral("runs\nbetween\u0001escapes\"here"), QString::fromUtf8("caf\u00e9 \u20ac \U0001F600 \x7f")};
        QString controls;
        for (char16_t c = 0; c < 0x20; ++c)
            controls += QChar(c);
        samples << controls;
        for (const QString &s : std::as_const(samples)) {
            QByteArray out = "x";
            appendJsonString(out, s);
            QCOMPARE(out, "x" + QByteArray::fromStdString(OJson(s.toStdString()).dump()));
        }
    }

    void appendCompactJsonIsDump()
    {
        const char *const texts[] = {
            "null", "true", "false", "0", "-0", "-1", "18446744073709551615", "-9223372036854775808",
            "1.5", "-0.0", "1e300", "2.5e-7", "[]", "{}", "[[],{},[{}]]", "\"\"",
            "{\"b\":1,\"a\":[1,-2,3.25,\"x\\\"y\\\\z\\n\\u0001\\u001f\\u007f\"],\"caf\\u00e9\":{\"\\ud83d\\ude00\":null}}",
        };
        for (const char *text : texts) {
            const OJson v = OJson::parse(text);
            QByteArray out = "x";
            appendCompactJson(out, v);
            QCOMPARE(out, "x" + QByteArray::fromStdString(v.dump()));
        }
        // A value built in code, with every number type.
        OJson built = OJson::object();
        built["i"] = OJson::number_integer_t(-42);
        built["u"] = OJson::number_unsigned_t(42);
        built["f"] = 0.1;
        built["s"] = std::string("tab\there");
        QByteArray out;
        appendCompactJson(out, built);
        QCOMPARE(out, QByteArray::fromStdString(built.dump()));
    }

    void strictJsonReadsAsNlohmannDoes()
    {
        for (const char *text : kValid) {
            OJson fast;
            QVERIFY2(detail::readStrictJson(QByteArrayView(text), fast, 64), text);
            const OJson slow = OJson::parse(text);
            QVERIFY2(sameTree(fast, slow), text);
            QVERIFY2(sameTree(parseUntrustedJson(QByteArrayView(text)), slow), text);
        }
        for (const char *text : kRefused) {
            OJson fast;
            QVERIFY2(!detail::readStrictJson(QByteArrayView(text), fast, 64), text);
        }
        // Depth: the limit itself is read, one more level is left to the full parser.
        const QByteArray deep = QByteArray(64, '[') + QByteArray(64, ']');
        OJson v;
        QVERIFY(detail::readStrictJson(deep, v, 64));
        const QByteArray deeper = '[' + deep + ']';
        QVERIFY(!detail::readStrictJson(deeper, v, 64));
        // Refused documents get the full parser's verdict and words.
        QString why;
        QVERIFY(parseUntrustedJson(QByteArrayView("{\"a\":1,\"a\":2}"), &why).is_discarded());
        QVERIFY2(why.contains(QLatin1String("appears twice")), qPrintable(why));
        QVERIFY(parseUntrustedJson(QByteArrayView("[1,]"), &why).is_discarded());
        QVERIFY2(why.startsWith(QLatin1String("not valid JSON at byte 4: parse error at line 1, column 4")), qPrintable(why));
        QVERIFY(parseUntrustedJson(QByteArrayView("\xef\xbb\xbf[1]")).is_array());
    }

    // Random damage to valid documents: whatever the fast reader accepts, nlohmann accepts as the
    // same value (so the fast path never lets through what the full parser would refuse).
    void strictJsonNeverAcceptsMoreThanNlohmann()
    {
        QRandomGenerator rng(20261201);
        const char alphabet[] = "{}[]\",:\\/ -+.0123456789eEtrufalsn\x00\x1f\x7f\x80\xbf\xc3\xa9\xed\xf0\xf4\xff";
        int accepted = 0;
        for (int i = 0; i < 60000; ++i) {
            QByteArray doc(kValid[rng.bounded(int(std::size(kValid)))]);
            const int edits = 1 + rng.bounded(3);
            for (int e = 0; e < edits; ++e) {
                const int at = doc.isEmpty() ? 0 : rng.bounded(int(doc.size()));
                const char c = alphabet[rng.bounded(int(sizeof alphabet - 1))];
                switch (rng.bounded(4)) {
                case 0: if (!doc.isEmpty()) doc[at] = c; break;
                case 1: doc.insert(at, c); break;
                case 2: if (!doc.isEmpty()) doc.remove(at, 1); break;
                default: doc.truncate(at); break;
                }
            }
            OJson fast;
            if (!detail::readStrictJson(doc, fast, 64))
                continue;
            ++accepted;
            const OJson slow = OJson::parse(doc.constBegin(), doc.constEnd(), nullptr, false);
            QVERIFY2(!slow.is_discarded(), doc.toHex().constData());
            QVERIFY2(sameTree(fast, slow), doc.toHex().constData());
        }
        QVERIFY2(accepted > 1000, qPrintable(QString::number(accepted)));  // the damage left many documents valid
    }
};

QTEST_GUILESS_MAIN(TestCommon)
#include "test_common.moc"
