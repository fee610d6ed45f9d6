#pragma once

#include <QDate>
#include <QDateTime>
#include <QString>
#include <optional>

namespace dipwb::dt {

/// DT-003: exactly 25 characters, "YYYY-MM-DDThh:mm:ss+hh:mm" (no Z, no fractions).
/// Returns the instant, or nullopt with a reason in *why.
std::optional<QDateTime> parseDt003(const QString &text, QString *why = nullptr);
/// Formats an instant as DT-003 in UTC ("+00:00").
QString formatDt003Utc(qint64 msSinceEpoch);
/// The UTC day of an instant, counted from 1970-01-01 (day 0), and its date when date is given.
qint64 utcDayNumber(qint64 msSinceEpoch, QDate *date = nullptr);
/// Formats an instant as DT-003 in UK local time (Europe/London offset of that instant).
QString formatDt003London(qint64 msSinceEpoch);
/// "2025-06-27T14:29:09.061Z": the X-DIP-Signature-Date form and our log form.
QString formatIsoMsZ(qint64 msSinceEpoch);
/// YYYY-MM-DD, strictly.
std::optional<QDate> parseDate(const QString &text, QString *why = nullptr);
/// UK clock midnight at the start of date, as an instant.
qint64 ukMidnightMs(const QDate &date);
/// Both forms for people: "2024-07-01 10:00:00.000 UTC (11:00:00 BST)".
QString humanBoth(qint64 msSinceEpoch);

} // namespace dipwb::dt
