// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"
#include "serve_security.h"

#include "catalogue/catalogue.h"
#include "common/workspace.h"
#include "dip/emulator.h"
#include "dip/emulator_context.h"
#include "dip/initial_participants.h"
#include "schema/workspace_schemas.h"
#include "store/store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace dipwb::cli {

namespace {

int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &c, 1);
}

// The connection limits of docs/reliability.md; tests shorten the timeouts to see them act.
bool readConnectionLimits(const QCommandLineParser &p, dip::EmulatorConfig &config, QString *error)
{
    struct Option
    {
        const char *name;
        int *value;
        int min;
    };
    const Option options[] = {{"header-timeout-ms", &config.headerTimeoutMs, 100},
                              {"body-timeout-ms", &config.bodyTimeoutMs, 100},
                              {"idle-timeout-ms", &config.idleTimeoutMs, 100},
                              {"max-connections", &config.maxConnections, 1}};
    for (const Option &o : options) {
        const QString name = QLatin1String(o.name);
        bool ok = false;
        const int v = p.value(name).toInt(&ok);
        if (!ok || v < o.min) {
            *error = QStringLiteral("--%1 must be a whole number, at least %2").arg(name).arg(o.min);
            return false;
        }
        *o.value = v;
    }
    return true;
}

} // namespace

// SIGINT/SIGTERM end the event loop through a self-pipe, so the store drains and closes cleanly.
void installQuitOnSignals()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, qApp);
    QObject::connect(notifier, &QSocketNotifier::activated, qApp, [] { QCoreApplication::quit(); });
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
}

int serve(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Runs the local DIP emulator until interrupted."));
    p.addHelpOption();
    p.addOptions({
        {QStringLiteral("workspace"), QStringLiteral("Workspace folder (default: %1).").arg(Workspace::defaultDir()), QStringLiteral("dir")},
        {QStringLiteral("bind"), QStringLiteral("Address to listen on (default 127.0.0.1)."), QStringLiteral("address"), QStringLiteral("127.0.0.1")},
        {QStringLiteral("port"), QStringLiteral("Port; 0 picks a free one (default 7070)."), QStringLiteral("port"), QStringLiteral("7070")},
        {QStringLiteral("participants"), QStringLiteral("Seed participants from a YAML/JSON file (docs/participants-format.md)."), QStringLiteral("file")},
        {QStringLiteral("environment"), QStringLiteral("Emulated environmentTag: DEV, SIT, SITB, UIT or PRD (default SIT)."), QStringLiteral("tag"), QStringLiteral("SIT")},
        {QStringLiteral("body-limit"), QStringLiteral("Largest request body in bytes (default 10485760)."), QStringLiteral("bytes"), QStringLiteral("10485760")},
        {QStringLiteral("recipient-connections"), QStringLiteral("Parallel connections to each recipient's webhook host (default 8)."), QStringLiteral("n"), QStringLiteral("8")},
        {QStringLiteral("max-attempts"), QStringLiteral("Delivery attempts before RetriesExhausted (default 6)."), QStringLiteral("n"), QStringLiteral("6")},
        {QStringLiteral("retry-base-ms"), QStringLiteral("First retry delay; doubles each time (default 1000)."), QStringLiteral("ms"), QStringLiteral("1000")},
        {QStringLiteral("header-timeout-ms"), QStringLiteral("Time from a request's first byte to the end of its head, else 408 (default 10000)."), QStringLiteral("ms"), QStringLiteral("10000")},
        {QStringLiteral("body-timeout-ms"), QStringLiteral("Time from the end of a request's head to the end of its body, else 408 (default 30000)."), QStringLiteral("ms"), QStringLiteral("30000")},
        {QStringLiteral("idle-timeout-ms"), QStringLiteral("A keep-alive connection without a request is closed after this (default 60000)."), QStringLiteral("ms"), QStringLiteral("60000")},
        {QStringLiteral("max-connections"), QStringLiteral("Open connections at most; one more is answered 503 and closed (default 2000)."), QStringLiteral("n"), QStringLiteral("2000")},
        {QStringLiteral("max-db-pages"), QStringLiteral("Let the database grow to this many pages (4 KiB each) at most, as if the disk were full beyond; for tests of a full store (default: no limit)."), QStringLiteral("n"), QStringLiteral("0")},
        {QStringLiteral("fast-commit"), QStringLiteral("synchronous=NORMAL: survives a crash of the program, not of the machine.")},
        {QStringLiteral("sync-in-commit"), QStringLiteral("Each commit syncs the log itself (synchronous=FULL) instead of a thread of "
                                                          "its own syncing it while the next commit is prepared (as durable either way).")},
    });
    p.addOptions(serveSecurityOptions());
    QStringList full = args;
    full.prepend(QStringLiteral("dipwb serve"));
    if (!p.parse(full)) {
        err() << "dipwb serve: " << p.errorText() << "\n";
        return 2;
    }
    if (p.isSet(QStringLiteral("help"))) {
        out() << p.helpText();
        return 0;
    }

    dip::EmulatorConfig config;
    bool okPort = false, okLimit = false, okAttempts = false, okBase = false;
    const uint port = p.value(QStringLiteral("port")).toUInt(&okPort);
    config.maxBodyBytes = p.value(QStringLiteral("body-limit")).toLongLong(&okLimit);
    config.maxDeliveryAttempts = p.value(QStringLiteral("max-attempts")).toInt(&okAttempts);
    config.retryBaseMs = p.value(QStringLiteral("retry-base-ms")).toInt(&okBase);
    if (!okPort || port > 65535) {
        err() << "dipwb serve: --port '" << p.value(QStringLiteral("port")) << "' is not a port number (0-65535)\n";
        return 2;
    }
    if (!okLimit || config.maxBodyBytes < 1024) {
        err() << "dipwb serve: --body-limit must be a number of bytes, at least 1024\n";
        return 2;
    }
    bool okConnections = false;
    config.maxConnectionsPerRecipient = p.value(QStringLiteral("recipient-connections")).toInt(&okConnections);
    if (!okConnections || config.maxConnectionsPerRecipient < 1 || config.maxConnectionsPerRecipient > 256) {
        err() << "dipwb serve: --recipient-connections must be a number from 1 to 256\n";
        return 2;
    }
    if (!okAttempts || config.maxDeliveryAttempts < 1 || !okBase || config.retryBaseMs < 1) {
        err() << "dipwb serve: --max-attempts and --retry-base-ms must be positive numbers\n";
        return 2;
    }
    config.port = quint16(port);
    if (QString why; !readConnectionLimits(p, config, &why)) {
        err() << "dipwb serve: " << why << "\n";
        return 2;
    }
    if (!config.bindAddress.setAddress(p.value(QStringLiteral("bind")))) {
        err() << "dipwb serve: --bind '" << p.value(QStringLiteral("bind")) << "' is not an IP address\n";
        return 2;
    }
    config.environment = p.value(QStringLiteral("environment")).toUpper();
    if (!QStringList{QStringLiteral("DEV"), QStringLiteral("SIT"), QStringLiteral("SITB"), QStringLiteral("UIT"), QStringLiteral("PRD")}.contains(config.environment)) {
        err() << "dipwb serve: --environment must be one of DEV, SIT, SITB, UIT, PRD\n";
        return 2;
    }

    const Workspace ws(p.isSet(QStringLiteral("workspace")) ? p.value(QStringLiteral("workspace")) : Workspace::defaultDir());
    QString error;
    if (!ws.ensure(&error)) {
        err() << "dipwb serve: workspace: " << error << "\n";
        return 1;
    }
    Issues issues;
    store::Store::Options storeOptions;
    storeOptions.synchronousFull = !p.isSet(QStringLiteral("fast-commit"));
    storeOptions.syncOnOwnThread = !p.isSet(QStringLiteral("sync-in-commit"));
    bool okPages = false;
    storeOptions.maxPageCount = p.value(QStringLiteral("max-db-pages")).toLongLong(&okPages);
    if (!okPages || storeOptions.maxPageCount < 0) {
        err() << "dipwb serve: --max-db-pages must be a number of pages (0: no limit)\n";
        return 2;
    }
    auto store = store::Store::open(ws.databasePath(), storeOptions, &issues);
    if (!store) {
        for (const Issue &i : issues)
            err() << "dipwb serve: " << i.toString() << "\n";
        return 1;
    }

    const QList<participants::Participant> seed = dip::initialParticipants(*store, p.value(QStringLiteral("participants")), &issues);
    if (hasErrors(issues)) {
        for (const Issue &i : issues)
            err() << i.toString() << "\n";
        err() << "dipwb serve: the participants file was not loaded; nothing was changed\n";
        return 1;
    }

    // A pinned version that cannot be read stops the start: running without schemas would accept
    // payloads the user expects to be checked.
    Issues schemaIssues;
    auto schemas = schema::loadPinnedSchemaSet(ws, &schemaIssues);
    if (!schemas || hasErrors(schemaIssues)) {
        for (const Issue &i : schemaIssues)
            err() << "dipwb serve: " << i.toString() << "\n";
        return 1;
    }

    dip::EmulatorSecurity security;
    if (!serveSecurity(p, ws, config.dipId, &security, &error)) {
        err() << "dipwb serve: " << error << "\n";
        return 1;
    }

    dip::Emulator emulator(config, store.get(), catalogue::Catalogue::builtIn());
    emulator.setSchemas(schemas);
    emulator.setSecurity(std::move(security));
    if (!seed.isEmpty()) {
        emulator.seedParticipants(seed);
        store->flush();
    }
    if (!emulator.start(&error)) {
        err() << "dipwb serve: " << error << "\n";
        return 1;
    }
    out() << "DIP emulator listening on " << emulator.baseUrl() << " (environment " << config.environment
          << ", catalogue " << catalogue::Catalogue::builtIn()->version() << ", payload schemas "
          << QStringLiteral("of specification ") + schemas->specVersion()
                 + (schema::isBuiltinVersion(schemas->specVersion()) ? QStringLiteral(" (built in; nothing pinned)") : QString())
          << ", " << describeSecurity(emulator.security()) << ", "
          << emulator.context().registry.count() << " participants, workspace " << ws.dir() << ")" << Qt::endl;
    installQuitOnSignals();
    const int rc = QCoreApplication::exec();
    emulator.stop();
    store->flush();
    const auto stats = store->writerStats();
    out() << "DIP emulator stopped (" << stats.batchesCommitted << " writes in " << stats.commits
          << " commits, " << stats.batchesFailed << " failed)" << Qt::endl;
    // What the disk cost each durable answer: an answer waits for the log's sync, so a slow sync
    // here is latency for every answer queued behind it. The line starts with the sync either way.
    if (stats.commits > 0 && stats.syncsOnOwnThread)
        out() << "  log sync (on its own thread): " << stats.syncTime.summary() << ", " << stats.syncTime.countOverMs(50)
              << " over 50 ms, " << stats.syncTime.count() << " syncs; log write per commit: " << stats.commitTime.summary()
              << "; " << stats.checkpointTime.count() << " checkpoints: " << stats.checkpointTime.summary() << Qt::endl;
    else if (stats.commits > 0)
        out() << "  log write and sync per commit: " << stats.commitTime.summary() << ", "
              << stats.commitTime.countOverMs(50) << " over 50 ms; " << stats.checkpointTime.count()
              << " checkpoints: " << stats.checkpointTime.summary() << Qt::endl;
    return rc;
}

} // namespace dipwb::cli
