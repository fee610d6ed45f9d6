// SPDX-License-Identifier: GPL-3.0-or-later
#include "evidence/zip_io.h"

#include <QFile>
#include <QFileInfo>

#include <quazip.h>
#include <quazipfile.h>
#include <quazipnewinfo.h>

namespace dipwb::evidence {

bool writeZip(const QString &path, const ZipEntries &entries, const QDateTime &stamp, QString *error)
{
    const QString temp = path + QStringLiteral(".part");
    QFile::remove(temp);
    {
        QuaZip zip(temp);
        if (!zip.open(QuaZip::mdCreate)) {
            *error = QStringLiteral("cannot create %1 (zip error %2)").arg(temp).arg(zip.getZipError());
            return false;
        }
        for (const auto &[name, bytes] : entries) {
            QuaZipFile f(&zip);
            QuaZipNewInfo info(name);
            info.dateTime = stamp;
            info.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther);
            if (!f.open(QIODevice::WriteOnly, info) || f.write(bytes) != bytes.size()) {
                *error = QStringLiteral("cannot write %1 into %2 (zip error %3)").arg(name, temp).arg(f.getZipError());
                zip.close();
                QFile::remove(temp);
                return false;
            }
            f.close();
        }
        zip.close();
        if (zip.getZipError() != 0) {
            *error = QStringLiteral("cannot finish %1 (zip error %2)").arg(temp).arg(zip.getZipError());
            QFile::remove(temp);
            return false;
        }
    }
    QFile::remove(path);
    if (!QFile::rename(temp, path)) {
        *error = QStringLiteral("cannot move %1 to %2").arg(temp, path);
        return false;
    }
    return true;
}

std::optional<ZipEntries> readZip(const QString &path, QString *error)
{
    if (!QFileInfo(path).isFile()) {
        *error = QStringLiteral("no file %1").arg(path);
        return std::nullopt;
    }
    QuaZip zip(path);
    if (!zip.open(QuaZip::mdUnzip)) {
        *error = QStringLiteral("%1 is not a readable zip (zip error %2)").arg(path).arg(zip.getZipError());
        return std::nullopt;
    }
    ZipEntries out;
    for (bool more = zip.goToFirstFile(); more; more = zip.goToNextFile()) {
        const QString name = zip.getCurrentFileName();
        if (name.endsWith(QLatin1Char('/')))
            continue;
        QuaZipFile f(&zip);
        if (!f.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read %1 in %2 (zip error %3)").arg(name, path).arg(f.getZipError());
            return std::nullopt;
        }
        const QByteArray bytes = f.readAll();
        f.close();
        // QuaZip checks the entry's CRC on close: a mismatch means the zip itself was damaged.
        if (f.getZipError() != 0) {
            *error = QStringLiteral("%1 in %2 is damaged (its CRC does not match)").arg(name, path);
            return std::nullopt;
        }
        out << qMakePair(name, bytes);
    }
    if (zip.getZipError() != 0) {
        *error = QStringLiteral("%1 is damaged (zip error %2)").arg(path).arg(zip.getZipError());
        return std::nullopt;
    }
    return out;
}

} // namespace dipwb::evidence
