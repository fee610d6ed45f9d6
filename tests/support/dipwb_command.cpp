// SPDX-License-Identifier: GPL-3.0-or-later
#include "dipwb_command.h"

#include "emulator_process.h"

#include <QProcess>

namespace dipwb::testsupport {

CommandRun runDipwbCommand(const QStringList &args, int timeoutMs)
{
    QProcess p;
    p.start(EmulatorProcess::program(), args);
    CommandRun r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("dipwb %1 did not finish within %2 ms").arg(args.join(QLatin1Char(' '))).arg(timeoutMs);
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

} // namespace dipwb::testsupport
