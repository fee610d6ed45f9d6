#pragma once

#include <QCoreApplication>
#include <QStringList>
#include <QTextStream>

#include <memory>

namespace dipwb::cli {

/// Every sub-command takes its own arguments (after the command name) and returns the exit code.
int serve(const QStringList &args);
int send(const QStringList &args);
int catalogueCommand(const QStringList &args);
int validate(const QStringList &args);
int certsCommand(const QStringList &args);
int sign(const QStringList &args);
int profileCommand(const QStringList &args);
int pubconfigCommand(const QStringList &args);
int receiveCommand(const QStringList &args);
int run(const QStringList &args);
int reportCommand(const QStringList &args);
int verifyCommand(const QStringList &args);

/// The application object for a command: `report` draws plots with QCustomPlot, a widget, so it
/// gets a QApplication (on the offscreen platform); every other command a QCoreApplication.
std::unique_ptr<QCoreApplication> makeApplication(int &argc, char **argv);

/// Long-running commands: SIGINT/SIGTERM quit the event loop so the store closes cleanly.
void installQuitOnSignals();

QTextStream &out();
QTextStream &err();

} // namespace dipwb::cli
