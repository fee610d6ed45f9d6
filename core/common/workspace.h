#pragma once

#include <QString>
#include <QStringList>

namespace dipwb {

/// A workspace folder holds all state: workbench.db, certificates, generated reports and the
/// catalogue versions imported from official specifications (catalogues/<specVersion>.json, one
/// pinned in catalogues/pinned).
class Workspace
{
public:
    /// The folder named after the application in the platform's data folder
    /// (QStandardPaths::GenericDataLocation), e.g. ~/.local/share/dip-workbench on Linux
    /// ($XDG_DATA_HOME/dip-workbench). The same for dip-workbench and dipwb, whatever organisation
    /// name either sets. The application name must be set first.
    static QString defaultDir();

    explicit Workspace(QString dir);
    /// Creates the folder and its sub-folders; false with the reason (path and OS error) otherwise.
    bool ensure(QString *error) const;

    QString dir() const { return m_dir; }
    QString databasePath() const;
    QString certificatesDir() const;
    QString reportsDir() const;

    QString cataloguesDir() const;
    /// catalogues/<specVersion>.json; empty when the version cannot name a file (see isSpecVersionName).
    QString cataloguePath(const QString &specVersion) const;
    /// The spec versions stored in catalogues/, sorted.
    QStringList catalogueVersions() const;
    /// The version the emulator and offline validation use; empty when none is pinned.
    QString pinnedCatalogue() const;
    /// Pins a stored version (empty: unpins); false with the reason otherwise. Written atomically.
    bool pinCatalogue(const QString &specVersion, QString *error) const;
    /// Letters, digits, '.', '-' and '_', starting with a letter or digit, at most 64 characters.
    static bool isSpecVersionName(const QString &specVersion);

private:
    QString m_dir;
};

} // namespace dipwb
