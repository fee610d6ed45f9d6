// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"
#include "run_remote.h"

#include "catalogue/catalogue.h"
#include "common/workspace.h"
#include "dip/emulator.h"
#include "scenario/pack_loader.h"
#include "scenario/run_store.h"
#include "scenario/runner.h"
#include "schema/schema_set.h"
#include "schema/workspace_schemas.h"
#include "store/store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>

namespace dipwb::cli {

namespace {

bool writeFile(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

} // namespace

int run(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Runs a scenario pack against a local DIP emulator started for the run (or, with --profile, against a remote DIP),\n"
        "and stores the results in the workspace.\n"
        "Exit status: 0 every selected case passed, 1 a case failed or erred, 2 the pack or the options are wrong."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("pack"), QStringLiteral("A pack folder (with pack.yaml) or a pack file."));
    p.addOptions({
        {QStringLiteral("workspace"), QStringLiteral("Workspace folder (default: %1).").arg(Workspace::defaultDir()), QStringLiteral("dir")},
        {QStringLiteral("case"), QStringLiteral("Run only this test case or scenario id (repeatable)."), QStringLiteral("id")},
        {QStringLiteral("self-test"), QStringLiteral("Play the parties under test with the pack's stand-ins.")},
        {QStringLiteral("stand-in"), QStringLiteral("Replace stand-ins with the rules in this file (standIns: {participant: [rules]})."), QStringLiteral("file")},
        {QStringLiteral("junit"), QStringLiteral("Write JUnit XML results to this file."), QStringLiteral("file")},
        {QStringLiteral("json"), QStringLiteral("Write the results as JSON to this file."), QStringLiteral("file")},
        {QStringLiteral("jobs"), QStringLiteral("Cases run at the same time at most (default: the pack's setting)."), QStringLiteral("n")},
        {QStringLiteral("port"), QStringLiteral("Port of the run's emulator; 0 picks a free one (default 0)."), QStringLiteral("port"), QStringLiteral("0")},
        {QStringLiteral("check"), QStringLiteral("Only load and check the pack; run nothing.")},
        {QStringLiteral("quiet"), QStringLiteral("Print the summary only, not each case as it ends.")},
        {QStringLiteral("profile"), QStringLiteral("Run against the remote DIP of this workspace profile, speaking for its participant "
                                                   "(or for PARTICIPANT of the pack); repeatable. Cases that need other parties are skipped."),
         QStringLiteral("name[=participant]")},
        {QStringLiteral("receive-port"), QStringLiteral("With --profile: port of the run's webhook receiver (default: a free one)."), QStringLiteral("port"), QStringLiteral("0")},
        {QStringLiteral("receive-address"), QStringLiteral("With --profile: address the receiver listens on (default 127.0.0.1)."), QStringLiteral("address"), QStringLiteral("127.0.0.1")},
        {QStringLiteral("callback-base"), QStringLiteral("With --profile: the receiver's URL as the remote DIP reaches it (default: its own address)."), QStringLiteral("url")},
        {QStringLiteral("no-register"), QStringLiteral("With --profile: do not register the run's webhooks (pubconfig, statusmessage/config); they are already.")},
    });
    QStringList full = args;
    full.prepend(QStringLiteral("dipwb run"));
    if (!p.parse(full)) {
        err() << "dipwb run: " << p.errorText() << "\n";
        return 2;
    }
    if (p.isSet(QStringLiteral("help"))) {
        out() << p.helpText();
        return 0;
    }
    if (p.positionalArguments().size() != 1) {
        err() << "dipwb run: name one pack (a folder with pack.yaml, or a pack file)\n";
        return 2;
    }
    const auto catalogue = catalogue::Catalogue::builtIn();
    Issues issues;
    const auto pack = scenario::loadPack(p.positionalArguments().first(), *catalogue, &issues);
    for (const Issue &i : std::as_const(issues))
        err() << (i.severity == Issue::Severity::Error ? "error: " : "warning: ") << i.toString() << "\n";
    if (!pack) {
        err() << "dipwb run: the pack was not run (" << issues.size() << " problem" << (issues.size() == 1 ? "" : "s") << ")\n";
        return 2;
    }
    scenario::RunOptions options;
    options.caseIds = p.values(QStringLiteral("case"));
    QStringList unknownIds = options.caseIds;
    for (const scenario::Scenario &s : pack->scenarios) {
        unknownIds.removeAll(s.id);
        for (const scenario::TestCase &c : s.cases)
            unknownIds.removeAll(c.id);
    }
    if (!unknownIds.isEmpty()) {
        err() << "dipwb run: no test case or scenario with the id " << unknownIds.join(QStringLiteral(", ")) << " in pack "
              << pack->id << "\n";
        return 2;
    }
    options.selfTest = p.isSet(QStringLiteral("self-test"));
    if (p.isSet(QStringLiteral("jobs"))) {
        bool ok = false;
        options.jobs = p.value(QStringLiteral("jobs")).toInt(&ok);
        if (!ok || options.jobs < 1 || options.jobs > 64) {
            err() << "dipwb run: --jobs must be a number from 1 to 64\n";
            return 2;
        }
    }
    if (p.isSet(QStringLiteral("stand-in"))) {
        Issues standInIssues;
        const auto standIns = scenario::loadStandIns(p.value(QStringLiteral("stand-in")), *pack, *catalogue, &standInIssues);
        for (const Issue &i : std::as_const(standInIssues))
            err() << "error: " << i.toString() << "\n";
        if (!standIns)
            return 2;
        options.standInOverrides = *standIns;
        options.selfTest = true;
    }
    const bool remote = p.isSet(QStringLiteral("profile"));
    if (remote && (options.selfTest || p.isSet(QStringLiteral("port")))) {
        err() << "dipwb run: --profile runs against a remote DIP; --self-test, --stand-in and --port are for the local emulator\n";
        return 2;
    }
    QHostAddress receiveAddress;
    if (remote && !receiveAddress.setAddress(p.value(QStringLiteral("receive-address")))) {
        err() << "dipwb run: --receive-address " << p.value(QStringLiteral("receive-address")) << " is not an IP address\n";
        return 2;
    }
    if (p.isSet(QStringLiteral("callback-base")) && !QUrl(p.value(QStringLiteral("callback-base"))).isValid()) {
        err() << "dipwb run: --callback-base is not a URL\n";
        return 2;
    }
    if (p.isSet(QStringLiteral("check"))) {
        out() << "Pack " << pack->id << " " << pack->version << ": " << pack->scenarios.size() << " scenarios, "
              << pack->caseCount() << " test cases, " << pack->participants.size() << " participants: OK\n";
        out().flush();
        return 0;
    }

    const Workspace ws(p.isSet(QStringLiteral("workspace")) ? p.value(QStringLiteral("workspace")) : Workspace::defaultDir());
    QString error;
    if (!ws.ensure(&error)) {
        err() << "dipwb run: workspace: " << error << "\n";
        return 1;
    }
    Issues schemaIssues;
    const auto schemas = schema::loadPinnedSchemaSet(ws, &schemaIssues);
    if (!schemas || hasErrors(schemaIssues)) {
        for (const Issue &i : std::as_const(schemaIssues))
            err() << "dipwb run: " << i.toString() << "\n";
        return 1;
    }
    Issues storeIssues;
    auto store = store::Store::open(ws.databasePath(), &storeIssues);
    if (!store) {
        for (const Issue &i : std::as_const(storeIssues))
            err() << "dipwb run: " << i.toString() << "\n";
        return 1;
    }
    std::unique_ptr<dip::Emulator> emulator;
    std::unique_ptr<scenario::Runner> runner;
    if (remote) {
        scenario::RemoteTarget target;
        if (!remoteTargetOf(ws, p.values(QStringLiteral("profile")), *pack, &target, &options.speakAs, &error)) {
            err() << "dipwb run: " << error << "\n";
            return 2;
        }
        target.listenAddress = receiveAddress;
        target.listenPort = quint16(p.value(QStringLiteral("receive-port")).toUInt());
        target.callbackBase = QUrl(p.value(QStringLiteral("callback-base")));
        target.registerWebhooks = !p.isSet(QStringLiteral("no-register"));
        target.store = store.get();
        target.catalogue = catalogue;
        target.schemas = schemas;
        QStringList who;
        for (const scenario::RemoteParty &party : std::as_const(target.parties))
            who << QStringLiteral("%1 as %2").arg(party.baseUrl.toString(), party.dipId);
        out() << "Running pack " << pack->id << " " << pack->version << " (" << pack->caseCount() << " test cases) against "
              << who.join(QStringLiteral(", ")) << ", payload schemas " << schemas->specVersion() << Qt::endl;
        runner = std::make_unique<scenario::Runner>(*pack, std::move(target), options);
    } else {
        dip::EmulatorConfig config;
        config.port = quint16(p.value(QStringLiteral("port")).toUInt());
        config.environment = pack->environment;
        // The run's own parties answer at once; a short first retry keeps retry cases quick.
        config.retryBaseMs = 500;
        emulator = std::make_unique<dip::Emulator>(config, store.get(), catalogue);
        emulator->setSchemas(schemas);
        if (!emulator->start(&error)) {
            err() << "dipwb run: " << error << "\n";
            return 1;
        }
        out() << "Running pack " << pack->id << " " << pack->version << " (" << pack->caseCount() << " test cases) against "
              << emulator->baseUrl() << ", payload schemas " << schemas->specVersion() << (options.selfTest ? ", self-test" : "") << Qt::endl;
        runner = std::make_unique<scenario::Runner>(*pack, emulator.get(), options);
    }
    const bool quiet = p.isSet(QStringLiteral("quiet"));
    int total = 0;
    QObject::connect(runner.get(), &scenario::Runner::progress, [&](int, int t) { total = t; });
    int done = 0;
    QObject::connect(runner.get(), &scenario::Runner::caseFinished, [&](const scenario::CaseResult &c) {
        ++done;
        if (quiet)
            return;
        out() << "[" << done << "/" << total << "] " << scenario::verdictName(c.verdict).toUpper() << " " << c.id << " "
              << c.title << Qt::endl;
    });
    scenario::RunResult result;
    QObject::connect(runner.get(), &scenario::Runner::finished, [&](const scenario::RunResult &r) {
        result = r;
        QCoreApplication::quit();
    });
    installQuitOnSignals();
    QObject::connect(qApp, &QCoreApplication::aboutToQuit, runner.get(), [&] { runner->stop(); });
    runner->start();
    QCoreApplication::exec();
    if (result.startedMs == 0) // interrupted before the end
        result = runner->result();
    if (emulator)
        emulator->stop();
    store->flush();

    out() << scenario::summaryText(result);
    out().flush();
    int rc = result.allPassed() ? 0 : 1;
    if (p.isSet(QStringLiteral("junit")) && !writeFile(p.value(QStringLiteral("junit")), scenario::junitXml(result), &error)) {
        err() << "dipwb run: " << error << "\n";
        rc = 1;
    }
    if (p.isSet(QStringLiteral("json")) && !writeFile(p.value(QStringLiteral("json")), qb(result.toJson().dump(2)), &error)) {
        err() << "dipwb run: " << error << "\n";
        rc = 1;
    }
    return rc;
}

} // namespace dipwb::cli
