#pragma once

#include <QStringList>
#include <QTextStream>

namespace dipwb::cli {

/// Every sub-command takes its own arguments (after the command name) and returns the exit code.
int serve(const QStringList &args);
int send(const QStringList &args);
int catalogueCommand(const QStringList &args);
int validate(const QStringList &args);
int certsCommand(const QStringList &args);
int sign(const QStringList &args);

QTextStream &out();
QTextStream &err();

} // namespace dipwb::cli
