// SPDX-License-Identifier: GPL-3.0-or-later
// dip-workbench: opens a workspace, builds the store, catalogue and local emulator, shows the
// window, and shuts down in order (emulator, then the store drains).
#include "catalogue/catalogue.h"
#include "common/workspace.h"
#include "dip/emulator_config.h"
#include "dip/initial_participants.h"
#include "mainwindow/emulator_host.h"
#include "mainwindow/main_window.h"
#include "mainwindow/security_settings.h"
#include "schema/workspace_schemas.h"
#include "store/store.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>

using namespace dipwb;

namespace {

int fail(const QString &text)
{
    QMessageBox::critical(nullptr, QStringLiteral("DIP Workbench"), text);
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("dip-workbench"));
    QApplication::setApplicationDisplayName(QStringLiteral("DIP Workbench"));
    QApplication::setOrganizationName(QStringLiteral("dip-workbench"));
    QApplication::setApplicationVersion(QStringLiteral(DIPWB_VERSION));
    // The installed .desktop entry and icon (installer/): Wayland compositors match the window to the
    // entry by this name; the theme icon is there once installed (a build-tree run has none).
    QGuiApplication::setDesktopFileName(QStringLiteral("dip-workbench"));
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("dip-workbench")));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Desktop workbench over a local MHHS DIP emulator."));
    p.addHelpOption();
    p.addVersionOption();
    p.addOptions({
        {QStringLiteral("workspace"), QStringLiteral("Workspace folder (default: %1).").arg(Workspace::defaultDir()), QStringLiteral("dir")},
        {QStringLiteral("port"), QStringLiteral("Port of the local DIP; 0 picks a free one (default 7070)."), QStringLiteral("port"), QStringLiteral("7070")},
        {QStringLiteral("environment"), QStringLiteral("Emulated environmentTag (default SIT)."), QStringLiteral("tag"), QStringLiteral("SIT")},
        {QStringLiteral("participants"), QStringLiteral("Seed participants from a YAML/JSON file."), QStringLiteral("file")},
        {QStringLiteral("no-start"), QStringLiteral("Open without starting the local DIP.")},
    });
    p.process(app);

    dip::EmulatorConfig config;
    bool okPort = false;
    const uint port = p.value(QStringLiteral("port")).toUInt(&okPort);
    if (!okPort || port > 65535)
        return fail(QStringLiteral("--port '%1' is not a port number (0-65535).").arg(p.value(QStringLiteral("port"))));
    config.port = quint16(port);
    config.environment = p.value(QStringLiteral("environment")).toUpper();

    const Workspace ws(p.isSet(QStringLiteral("workspace")) ? p.value(QStringLiteral("workspace")) : Workspace::defaultDir());
    QString error;
    if (!ws.ensure(&error))
        return fail(QStringLiteral("Cannot open the workspace: %1").arg(error));
    Issues issues;
    auto store = store::Store::open(ws.databasePath(), &issues);
    if (!store) {
        QStringList lines;
        for (const Issue &i : issues)
            lines << i.toString();
        return fail(QStringLiteral("Cannot open the workspace database:\n%1").arg(lines.join(QLatin1Char('\n'))));
    }
    const QList<participants::Participant> seed = dip::initialParticipants(*store, p.value(QStringLiteral("participants")), &issues);
    if (hasErrors(issues)) {
        QStringList lines;
        for (const Issue &i : issues)
            lines << i.toString();
        return fail(QStringLiteral("The participants file was not loaded; nothing was changed:\n%1").arg(lines.join(QLatin1Char('\n'))));
    }
    Issues schemaIssues;
    auto schemas = schema::loadPinnedSchemaSet(ws, &schemaIssues);
    if (hasErrors(schemaIssues)) {
        QStringList lines;
        for (const Issue &i : schemaIssues)
            lines << i.toString();
        return fail(QStringLiteral("The pinned catalogue version cannot be read:\n%1").arg(lines.join(QLatin1Char('\n'))));
    }

    int rc = 0;
    {
        ui::EmulatorHost host(config, store.get(), catalogue::Catalogue::builtIn(), schemas);
        if (!seed.isEmpty())
            host.seedParticipants(seed);
        ui::MainWindow window(&host, ws.dir());
        // A choice that cannot be applied (say API keys before any were issued) leaves the DIP
        // without checks, and the status bar says why.
        window.applySecurity(ui::loadSecurityChoices(), false);
        window.show();
        if (!p.isSet(QStringLiteral("no-start")))
            host.start();
        rc = QApplication::exec();
    } // the window goes first, then the emulator and its thread
    store->flush();
    return rc;
}
