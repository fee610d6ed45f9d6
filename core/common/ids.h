#pragma once

#include <QString>

namespace dipwb::ids {

/// A DIP transaction id, "T-IF-021-1401234567-SDS-20220321-<16 alnum>" (shape assumed, <= 65 chars):
/// channel, sender DIP id and role, UTC date of receipt and 16 random alphanumerics.
QString transactionId(const QString &channel, const QString &senderDipId, const QString &role, qint64 atMs);
/// "CI-YYYYMMDD-<hex>", at most 60 characters.
QString correlationId(qint64 atMs);
/// n random characters of [A-Za-z0-9].
QString randomAlnum(int n);
/// n random hex digits (lower case).
QString randomHex(int n);

} // namespace dipwb::ids
