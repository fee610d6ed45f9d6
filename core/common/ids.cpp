#include "common/ids.h"

#include "common/dip_time.h"

#include <QDateTime>
#include <QTimeZone>
#include <QRandomGenerator>

#include <atomic>

namespace dipwb::ids {

namespace {

// One generator per thread, seeded from the global one: the global generator takes a lock for
// each number, and every message draws several.
QRandomGenerator *threadGenerator()
{
    thread_local QRandomGenerator rng(QRandomGenerator::global()->generate());
    return &rng;
}

} // namespace

QString randomAlnum(int n)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString out(n, Qt::Uninitialized);
    auto *rng = threadGenerator();
    for (int i = 0; i < n; ++i)
        out[i] = QLatin1Char(alphabet[rng->bounded(62)]);
    return out;
}

QString randomHex(int n)
{
    static const char alphabet[] = "0123456789abcdef";
    QString out(n, Qt::Uninitialized);
    auto *rng = threadGenerator();
    for (int i = 0; i < n; ++i)
        out[i] = QLatin1Char(alphabet[rng->bounded(16)]);
    return out;
}

namespace {

// Digits, capitals, small letters: ASCII order, so fixed-width numbers in it sort as they count.
const char kSortable62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

void appendBase62(QString &out, quint64 value, int width)
{
    QChar buf[16];
    for (int i = width - 1; i >= 0; --i) {
        buf[i] = QLatin1Char(kSortable62[value % 62]);
        value /= 62;
    }
    out.append(buf, width);
}

void appendDecimal(QString &out, int value, int width)
{
    QChar buf[16];
    for (int i = width - 1; i >= 0; --i) {
        buf[i] = QLatin1Char(char('0' + value % 10));
        value /= 10;
    }
    out.append(buf, width);
}

} // namespace

QString transactionId(const QString &channel, const QString &senderDipId, const QString &role, qint64 atMs)
{
    // The 16-character tail is time-ordered: milliseconds of the UTC day (5 characters), a
    // process-wide counter (4) and randomness (7). Ids made later sort later, so the indexes on
    // transaction ids grow at their end instead of touching a random page per message, which is
    // most of what a durable commit writes otherwise.
    static std::atomic<quint32> counter{0};
    QDate day;
    const qint64 msOfDay = atMs - dt::utcDayNumber(atMs, &day) * 86400000;
    QString id;
    id.reserve(72);
    id += QStringLiteral("T-") + channel + QLatin1Char('-') + senderDipId + QLatin1Char('-') + role + QLatin1Char('-');
    appendDecimal(id, day.year(), 4);
    appendDecimal(id, day.month(), 2);
    appendDecimal(id, day.day(), 2);
    id += QLatin1Char('-');
    appendBase62(id, quint64(msOfDay), 5);
    appendBase62(id, counter.fetch_add(1, std::memory_order_relaxed) % (62u * 62u * 62u * 62u), 4);
    id += randomAlnum(7);
    return id.left(65);
}

QString correlationId(qint64 atMs)
{
    const QString day = QDateTime::fromMSecsSinceEpoch(atMs, QTimeZone::utc()).toString(QStringLiteral("yyyyMMdd"));
    return QStringLiteral("CI-") + day + QLatin1Char('-') + randomHex(24);
}

} // namespace dipwb::ids
