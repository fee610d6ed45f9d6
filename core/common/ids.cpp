#include "common/ids.h"

#include <QDateTime>
#include <QTimeZone>
#include <QRandomGenerator>

namespace dipwb::ids {

QString randomAlnum(int n)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString out(n, Qt::Uninitialized);
    auto *rng = QRandomGenerator::global();
    for (int i = 0; i < n; ++i)
        out[i] = QLatin1Char(alphabet[rng->bounded(62)]);
    return out;
}

QString randomHex(int n)
{
    static const char alphabet[] = "0123456789abcdef";
    QString out(n, Qt::Uninitialized);
    auto *rng = QRandomGenerator::global();
    for (int i = 0; i < n; ++i)
        out[i] = QLatin1Char(alphabet[rng->bounded(16)]);
    return out;
}

QString transactionId(const QString &channel, const QString &senderDipId, const QString &role, qint64 atMs)
{
    const QString day = QDateTime::fromMSecsSinceEpoch(atMs, QTimeZone::utc()).toString(QStringLiteral("yyyyMMdd"));
    QString id = QStringLiteral("T-") + channel + QLatin1Char('-') + senderDipId + QLatin1Char('-') + role
                 + QLatin1Char('-') + day + QLatin1Char('-') + randomAlnum(16);
    return id.left(65);
}

QString correlationId(qint64 atMs)
{
    const QString day = QDateTime::fromMSecsSinceEpoch(atMs, QTimeZone::utc()).toString(QStringLiteral("yyyyMMdd"));
    return QStringLiteral("CI-") + day + QLatin1Char('-') + randomHex(24);
}

} // namespace dipwb::ids
