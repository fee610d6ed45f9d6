// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace dipwb::evidence {

using ZipEntries = QList<QPair<QString, QByteArray>>; ///< path inside the zip -> bytes, in order

/// Writes a zip (deflated entries, all with the same time) atomically: a temporary file renamed
/// over path once complete, so a reader never sees half a bundle.
bool writeZip(const QString &path, const ZipEntries &entries, const QDateTime &stamp, QString *error);

/// Every file entry of a zip, in the zip's order; nullopt with the reason when it cannot be read
/// (not a zip, truncated, an entry whose CRC does not match).
std::optional<ZipEntries> readZip(const QString &path, QString *error);

} // namespace dipwb::evidence
