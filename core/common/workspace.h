#pragma once

#include <QString>

namespace dipwb {

/// A workspace folder holds all state: workbench.db, certificates and generated reports.
class Workspace
{
public:
    /// The platform's application-data folder (QStandardPaths::AppDataLocation), e.g.
    /// ~/.local/share/dip-workbench on Linux. The application name must be set first.
    static QString defaultDir();

    explicit Workspace(QString dir);
    /// Creates the folder and its sub-folders; false with the reason (path and OS error) otherwise.
    bool ensure(QString *error) const;

    QString dir() const { return m_dir; }
    QString databasePath() const;
    QString certificatesDir() const;
    QString reportsDir() const;

private:
    QString m_dir;
};

} // namespace dipwb
