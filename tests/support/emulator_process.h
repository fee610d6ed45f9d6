#pragma once

#include <QProcess>
#include <QStringList>

namespace dipwb::testsupport {

/// Runs the real `dipwb serve` program on an ephemeral loopback port, as a user would.
class EmulatorProcess
{
public:
    EmulatorProcess(QString workspace, QStringList extraArgs = {});
    ~EmulatorProcess();
    /// Starts and waits for the "listening on" line; false (with the program's output) otherwise.
    bool start(QString *error = nullptr);
    void kill();        ///< SIGKILL, no chance to clean up
    void terminate();   ///< SIGTERM and wait
    QString baseUrl() const { return m_url; }
    QByteArray output() const { return m_output; }
    qint64 pid() const { return m_process.processId(); }  ///< 0 when not running
    bool isRunning() const { return m_process.state() == QProcess::Running; }
    static QString program();

private:
    QString m_workspace;
    QStringList m_args;
    QProcess m_process;
    QString m_url;
    QByteArray m_output;
};

} // namespace dipwb::testsupport
