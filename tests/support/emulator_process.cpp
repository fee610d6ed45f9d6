// SPDX-License-Identifier: GPL-3.0-or-later
#include "emulator_process.h"

#include <QDeadlineTimer>
#include <QRegularExpression>

namespace dipwb::testsupport {

EmulatorProcess::EmulatorProcess(QString workspace, QStringList extraArgs)
    : m_workspace(std::move(workspace))
    , m_args(std::move(extraArgs))
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

EmulatorProcess::~EmulatorProcess()
{
    if (m_process.state() != QProcess::NotRunning)
        terminate();
}

QString EmulatorProcess::program()
{
    return qEnvironmentVariable("DIPWB_BIN_DIR") + QStringLiteral("/dipwb");
}

bool EmulatorProcess::start(QString *error)
{
    m_output.clear();
    m_url.clear();
    QStringList args{QStringLiteral("serve"), QStringLiteral("--workspace"), m_workspace, QStringLiteral("--port"), QStringLiteral("0")};
    args << m_args;
    m_process.start(program(), args);
    if (!m_process.waitForStarted(10000)) {
        if (error)
            *error = QStringLiteral("cannot start %1: %2").arg(program(), m_process.errorString());
        return false;
    }
    static const QRegularExpression re(QStringLiteral("listening on (http\\S+)"));
    QDeadlineTimer deadline(20000);
    while (!deadline.hasExpired()) {
        if (!m_process.waitForReadyRead(200) && m_process.state() == QProcess::NotRunning)
            break;
        m_output += m_process.readAll();
        const auto m = re.match(QString::fromUtf8(m_output));
        if (m.hasMatch()) {
            m_url = m.captured(1);
            return true;
        }
    }
    m_output += m_process.readAll();
    if (error)
        *error = QStringLiteral("dipwb serve did not start: ") + QString::fromUtf8(m_output);
    return false;
}

void EmulatorProcess::kill()
{
    m_process.kill();
    m_process.waitForFinished(5000);
}

void EmulatorProcess::terminate()
{
    m_process.terminate();
    if (!m_process.waitForFinished(10000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    m_output += m_process.readAll();
}

} // namespace dipwb::testsupport
