// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace dipwb::testsupport {

/// The outcome of one run of the real `dipwb` program.
struct CommandRun
{
    int exitCode = -1;    ///< -1: crashed or did not finish
    QString out, err;
    QString all() const { return out + err; }
};

/// Runs `dipwb ARGS...` to the end (at most timeoutMs) and collects its output.
CommandRun runDipwbCommand(const QStringList &args, int timeoutMs = 120000);

} // namespace dipwb::testsupport
