// SPDX-License-Identifier: GPL-3.0-or-later
// dipwb: the command-line face of DIP Workbench, built from core (and ui/report, for the drawn
// forms of `dipwb report`).
#include "commands.h"

#include <QCoreApplication>

#include <memory>

namespace dipwb::cli {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream &err()
{
    static QTextStream s(stderr);
    return s;
}

} // namespace dipwb::cli

namespace {

void usage(QTextStream &s)
{
    s << "Usage: dipwb COMMAND [options]\n\n"
         "Commands:\n"
         "  serve     run the local DIP emulator\n"
         "  send      send a message file to a DIP\n"
         "  validate  check a message file offline against the pinned catalogue version\n"
         "  catalogue import, list and show catalogue versions (official specifications)\n"
         "  certs     the workspace test CA: init, issue DIPID, list\n"
         "  sign      print the X-DIP-* signature headers for a request body\n"
         "  profile   remote DIP profiles: add NAME --url URL --as DIPID ..., list\n"
         "  pubconfig register a webhook for a channel on a DIP (--profile NAME)\n"
         "  receive   receive a DIP's publications, verify their signatures, store them\n"
         "  run       run a scenario pack against a local emulator (--self-test, --junit FILE)\n"
         "  report    evidence of a stored run: HTML, PDF, JUnit, JSON, a verifiable bundle\n"
         "  verify    check an evidence bundle: files, journal hash chain, signature\n"
         "  version   print the version\n\n"
         "Run 'dipwb COMMAND --help' for the options of a command.\n";
    s.flush();
}

} // namespace

int main(int argc, char **argv)
{
    const std::unique_ptr<QCoreApplication> app = dipwb::cli::makeApplication(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dip-workbench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DIPWB_VERSION));
    QStringList args = app->arguments();
    args.removeFirst();
    if (args.isEmpty() || args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h")) {
        usage(args.isEmpty() ? dipwb::cli::err() : dipwb::cli::out());
        return args.isEmpty() ? 2 : 0;
    }
    const QString command = args.takeFirst();
    if (command == QLatin1String("--version") || command == QLatin1String("version")) {
        dipwb::cli::out() << "dipwb " << DIPWB_VERSION << Qt::endl;
        return 0;
    }
    if (command == QLatin1String("serve"))
        return dipwb::cli::serve(args);
    if (command == QLatin1String("send"))
        return dipwb::cli::send(args);
    if (command == QLatin1String("validate"))
        return dipwb::cli::validate(args);
    if (command == QLatin1String("catalogue"))
        return dipwb::cli::catalogueCommand(args);
    if (command == QLatin1String("certs"))
        return dipwb::cli::certsCommand(args);
    if (command == QLatin1String("sign"))
        return dipwb::cli::sign(args);
    if (command == QLatin1String("profile"))
        return dipwb::cli::profileCommand(args);
    if (command == QLatin1String("pubconfig"))
        return dipwb::cli::pubconfigCommand(args);
    if (command == QLatin1String("receive"))
        return dipwb::cli::receiveCommand(args);
    if (command == QLatin1String("run"))
        return dipwb::cli::run(args);
    if (command == QLatin1String("report"))
        return dipwb::cli::reportCommand(args);
    if (command == QLatin1String("verify"))
        return dipwb::cli::verifyCommand(args);
    dipwb::cli::err() << "dipwb: unknown command '" << command << "'\n";
    usage(dipwb::cli::err());
    return 2;
}
