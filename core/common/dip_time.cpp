#include "common/dip_time.h"

#include <QRegularExpression>
#include <QTimeZone>

namespace dipwb::dt {

namespace {
const QTimeZone &london()
{
    static const QTimeZone tz("Europe/London");
    return tz;
}
} // namespace

std::optional<QDateTime> parseDt003(const QString &text, QString *why)
{
    static const QRegularExpression re(
        QStringLiteral("^(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})([+-])(\\d{2}):(\\d{2})$"));
    if (text.size() != 25) {
        if (why)
            *why = QStringLiteral("%1 characters, must be exactly 25 (DT-003, e.g. 2024-07-01T00:00:00+01:00)")
                       .arg(text.size());
        return std::nullopt;
    }
    const auto m = re.match(text);
    if (!m.hasMatch()) {
        if (why)
            *why = QStringLiteral("'%1' is not of the form YYYY-MM-DDThh:mm:ss+hh:mm (DT-003)").arg(text);
        return std::nullopt;
    }
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    const QTime time(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt());
    const int offH = m.captured(8).toInt(), offM = m.captured(9).toInt();
    if (!date.isValid() || !time.isValid() || offH > 14 || offM > 59) {
        if (why)
            *why = QStringLiteral("'%1' is not a real date, time or offset (DT-003)").arg(text);
        return std::nullopt;
    }
    int offset = offH * 3600 + offM * 60;
    if (m.captured(7) == QLatin1String("-"))
        offset = -offset;
    return QDateTime(date, time, QTimeZone(offset));
}

QString formatDt003Utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"))
           + QStringLiteral("+00:00");
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
