#include "common/dip_time.h"

#include <QRegularExpression>

#include <algorithm>
#include <QTimeZone>

namespace dipwb::dt {

namespace {
const QTimeZone &london()
{
    static const QTimeZone tz("Europe/London");
    return tz;
}
} // namespace

namespace {

// Two digits at text[i], or -1.
int twoDigits(const QString &text, int i)
{
    const char16_t a = text.at(i).unicode(), b = text.at(i + 1).unicode();
    return a >= u'0' && a <= u'9' && b >= u'0' && b <= u'9' ? (a - u'0') * 10 + (b - u'0') : -1;
}

// The date of a day since 1970-01-01 (civil_from_days).
void civilFromDays(qint64 z, int *year, int *month, int *day)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *day = int(doy - (153 * mp + 2) / 5 + 1);
    *month = int(mp < 10 ? mp + 3 : mp - 9);
    *year = int(qint64(yoe) + era * 400 + (*month <= 2));
}

void putDigits(char16_t *out, int value, int width)
{
    for (int i = width - 1; i >= 0; --i) {
        out[i] = char16_t(u'0' + value % 10);
        value /= 10;
    }
}

} // namespace

// Read by hand rather than with a regular expression: every message's senderTimestamp passes here.
std::optional<QDateTime> parseDt003(const QString &text, QString *why)
{
    if (text.size() != 25) {
        if (why)
            *why = QStringLiteral("%1 characters, must be exactly 25 (DT-003, e.g. 2024-07-01T00:00:00+01:00)")
                       .arg(text.size());
        return std::nullopt;
    }
    const int hi = twoDigits(text, 0), lo = twoDigits(text, 2), month = twoDigits(text, 5), day = twoDigits(text, 8),
              hour = twoDigits(text, 11), minute = twoDigits(text, 14), second = twoDigits(text, 17),
              offH = twoDigits(text, 20), offM = twoDigits(text, 23);
    const QChar sign = text.at(19);
    const bool shaped = hi >= 0 && lo >= 0 && month >= 0 && day >= 0 && hour >= 0 && minute >= 0 && second >= 0
        && offH >= 0 && offM >= 0 && text.at(4) == u'-' && text.at(7) == u'-' && text.at(10) == u'T'
        && text.at(13) == u':' && text.at(16) == u':' && (sign == u'+' || sign == u'-') && text.at(22) == u':';
    if (!shaped) {
        if (why)
            *why = QStringLiteral("'%1' is not of the form YYYY-MM-DDThh:mm:ss+hh:mm (DT-003)").arg(text);
        return std::nullopt;
    }
    const QDate date(hi * 100 + lo, month, day);
    const QTime time(hour, minute, second);
    if (!date.isValid() || !time.isValid() || offH > 14 || offM > 59) {
        if (why)
            *why = QStringLiteral("'%1' is not a real date, time or offset (DT-003)").arg(text);
        return std::nullopt;
    }
    int offset = offH * 3600 + offM * 60;
    if (sign == u'-')
        offset = -offset;
    return QDateTime(date, time, QTimeZone(offset));
}

// By arithmetic: it stamps every message and copy several times, and QDateTime::toString is slow.
QString formatDt003Utc(qint64 ms)
{
    const qint64 dayMs = 86400000;
    const qint64 days = ms >= 0 ? ms / dayMs : -((-ms + dayMs - 1) / dayMs);
    const qint64 inDay = ms - days * dayMs;
    int year = 0, month = 0, day = 0;
    civilFromDays(days, &year, &month, &day);
    if (year < 0 || year > 9999)
        return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"))
               + QStringLiteral("+00:00");
    QString out(25, Qt::Uninitialized);
    char16_t *c = reinterpret_cast<char16_t *>(out.data());
    const int secs = int(inDay / 1000);
    putDigits(c, year, 4);
    c[4] = u'-';
    putDigits(c + 5, month, 2);
    c[7] = u'-';
    putDigits(c + 8, day, 2);
    c[10] = u'T';
    putDigits(c + 11, secs / 3600, 2);
    c[13] = u':';
    putDigits(c + 14, secs / 60 % 60, 2);
    c[16] = u':';
    putDigits(c + 17, secs % 60, 2);
    std::copy_n(u"+00:00", 6, c + 19);
    return out;
}

qint64 utcDayNumber(qint64 ms, QDate *date)
{
    const qint64 dayMs = 86400000;
    const qint64 days = ms >= 0 ? ms / dayMs : -((-ms + dayMs - 1) / dayMs);
    if (date) {
        int year = 0, month = 0, day = 0;
        civilFromDays(days, &year, &month, &day);
        *date = QDate(year, month, day);
    }
    return days;
}

QString formatDt003London(qint64 ms)
{
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(ms, london());
    const int off = local.offsetFromUtc();
    const QChar sign = off < 0 ? QLatin1Char('-') : QLatin1Char('+');
    const int a = std::abs(off);
    return local.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"))
           + QStringLiteral("%1%2:%3").arg(sign).arg(a / 3600, 2, 10, QLatin1Char('0')).arg((a % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString formatIsoMsZ(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz"))
           + QLatin1Char('Z');
}

std::optional<QDate> parseDate(const QString &text, QString *why)
{
    static const QRegularExpression re(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    if (!re.match(text).hasMatch()) {
        if (why)
            *why = QStringLiteral("'%1' is not a date of the form YYYY-MM-DD").arg(text);
        return std::nullopt;
    }
    const QDate d = QDate::fromString(text, Qt::ISODate);
    if (!d.isValid()) {
        if (why)
            *why = QStringLiteral("'%1' is not a real date").arg(text);
        return std::nullopt;
    }
    return d;
}

qint64 ukMidnightMs(const QDate &date)
{
    return QDateTime(date, QTime(0, 0), london()).toMSecsSinceEpoch();
}

QString humanBoth(qint64 ms)
{
    const QDateTime utc = QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
    const QDateTime uk = QDateTime::fromMSecsSinceEpoch(ms, london());
    return utc.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")) + QStringLiteral(" UTC (")
           + uk.toString(QStringLiteral("HH:mm:ss")) + QLatin1Char(' ') + uk.timeZoneAbbreviation() + QLatin1Char(')');
}

} // namespace dipwb::dt
