// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"

#include "catalogue/catalogue.h"
#include "schema/schema_set.h"
#include "schema/workspace_schemas.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QSet>

namespace dipwb::cli {

namespace {

const QCommandLineOption kWorkspace(QStringLiteral("workspace"),
                                    QStringLiteral("Workspace folder (default: %1).").arg(Workspace::defaultDir()),
                                    QStringLiteral("dir"));

// Parses "dipwb catalogue <sub> ..."; false when the command is already over (help shown, bad
// options), with its exit code in *rc.
bool parse(QCommandLineParser &p, const QString &sub, const QStringList &args, int *rc)
{
    p.addHelpOption();
    p.addOption(kWorkspace);
    QStringList full = args;
    full.prepend(QStringLiteral("dipwb catalogue ") + sub);
    if (!p.parse(full)) {
        err() << "dipwb catalogue " << sub << ": " << p.errorText() << "\n";
        *rc = 2;
        return false;
    }
    if (p.isSet(QStringLiteral("help"))) {
        out() << p.helpText();
        *rc = 0;
        return false;
    }
    return true;
}

Workspace workspaceOf(const QCommandLineParser &p)
{
    return Workspace(p.isSet(kWorkspace) ? p.value(kWorkspace) : Workspace::defaultDir());
}

int schemaCount(const QList<schema::ImportedEvent> &events)
{
    QSet<QString> names;
    for (const auto &e : events)
        names.insert(e.schemaName);
    return int(names.size());
}

int channelCount(const QList<schema::ImportedEvent> &events)
{
    QSet<QString> channels;
    for (const auto &e : events)
        channels.insert(e.channel);
    return int(channels.size());
}

void printIssues(const QString &prefix, const Issues &issues)
{
    for (const Issue &i : issues)
        err() << prefix << (i.severity == Issue::Severity::Error ? "error: " : "") << i.toString() << "\n";
}

int importCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Imports an official DIP specification folder (elexon-dip-api-x.y.z), stores it in the workspace as "
        "catalogues/<version>.json and pins it, so 'dipwb serve' and 'dipwb validate' check payloads against it instead of the built-in schemas."));
    p.addPositionalArgument(QStringLiteral("dir"), QStringLiteral("The specification folder."));
    p.addOption({QStringLiteral("no-pin"), QStringLiteral("Store the version without pinning it.")});
    int rc = 0;
    if (!parse(p, QStringLiteral("import"), args, &rc))
        return rc;
    if (p.positionalArguments().size() != 1) {
        err() << "dipwb catalogue import: name one specification folder\n";
        return 2;
    }
    const QString dir = p.positionalArguments().first();
    schema::ImportResult result;
    const auto set = schema::SchemaSet::importDirectory(dir, &result);
    Issues warnings, errors;
    for (Issue i : std::as_const(result.issues)) {
        // The importer names files relative to the folder; the user needs the full path to open them.
        if (!i.context.isEmpty() && QFileInfo(i.context).isRelative())
            i.context = QDir(dir).filePath(i.context);
        (i.severity == Issue::Severity::Error ? errors : warnings) << i;
    }
    for (const Issue &w : std::as_const(warnings))
        out() << "warning: " << w.toString() << "\n";
    if (!set) {
        if (errors.isEmpty())
            errors << Issue::error({}, QStringLiteral("the folder could not be imported"), dir);
        printIssues(QStringLiteral("dipwb catalogue import: "), errors);
        err() << "dipwb catalogue import: " << errors.size() << " error(s); nothing was stored\n";
        return 1;
    }
    out() << "Imported specification " << set->specVersion() << " from " << dir << ": "
          << result.channels.size() << " channels, " << result.events.size() << " events, "
          << schemaCount(result.events) << " event schemas, " << result.responseCodes.size() << " response codes, "
          << warnings.size() << " warnings\n";

    const Workspace ws = workspaceOf(p);
    QString error;
    if (!ws.ensure(&error) || !schema::storeSchemaSet(ws, *set, &error)) {
        err() << "dipwb catalogue import: " << error << "\n";
        return 1;
    }
    out() << "Stored as " << ws.cataloguePath(set->specVersion());
    if (!p.isSet(QStringLiteral("no-pin"))) {
        if (!ws.pinCatalogue(set->specVersion(), &error)) {
            out() << Qt::endl;
            err() << "dipwb catalogue import: " << error << "\n";
            return 1;
        }
        out() << "; pinned: 'dipwb serve' and 'dipwb validate' use it";
    }
    out() << Qt::endl;
    return 0;
}

int listCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Lists the built-in payload schemas and the catalogue versions stored in the workspace; '*' marks the one "
        "'dipwb serve' and 'dipwb validate' use."));
    int rc = 0;
    if (!parse(p, QStringLiteral("list"), args, &rc))
        return rc;
    const Workspace ws = workspaceOf(p);
    const auto builtIn = catalogue::Catalogue::builtIn();
    out() << "Built-in channel catalogue " << builtIn->version() << ": " << builtIn->channels().size()
          << " channels (routing)\n";
    const QString pinned = ws.pinnedCatalogue();
    const auto builtInSchemas = schema::SchemaSet::builtIn();
    const auto builtInEvents = builtInSchemas->events();
    out() << (pinned.isEmpty() ? "* " : "  ") << builtInSchemas->specVersion() << ": " << channelCount(builtInEvents)
          << " channels, " << builtInEvents.size() << " events, " << schemaCount(builtInEvents) << " event schemas (built in"
          << (pinned.isEmpty() ? "; the default: nothing is pinned" : "") << ")\n";
    const QStringList versions = ws.catalogueVersions();
    if (versions.isEmpty()) {
        out() << "No imported versions in " << ws.cataloguesDir()
              << "; 'dipwb catalogue import DIR' adds and pins one, which replaces the built-in schemas in this workspace"
              << Qt::endl;
        return 0;
    }
    int failed = 0;
    for (const QString &v : versions) {
        Issues issues;
        const auto set = schema::loadSchemaSet(ws, v, &issues);
        if (!set) {
            printIssues(QStringLiteral("dipwb catalogue list: "), issues);
            ++failed;
            continue;
        }
        const auto events = set->events();
        out() << (v == pinned ? "* " : "  ") << v << ": " << channelCount(events) << " channels, " << events.size()
              << " events, " << schemaCount(events) << " event schemas" << (v == pinned ? " (pinned)" : "") << "\n";
    }
    if (!pinned.isEmpty() && !versions.contains(pinned))
        err() << "dipwb catalogue list: the pinned version " << pinned << " is not stored\n";
    out().flush();
    return failed ? 1 : 0;
}

int showCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Shows the events and schema versions of one channel."));
    p.addPositionalArgument(QStringLiteral("channel"), QStringLiteral("A channel, e.g. IF-033 or REP-002A."));
    p.addOptions({
        {QStringLiteral("spec-version"), QStringLiteral("Stored version to read, or 'builtin' (default: the pinned one, else the built-in schemas)."), QStringLiteral("v")},
        {QStringLiteral("event"), QStringLiteral("Only this event code, e.g. [MSAppSPRequest]."), QStringLiteral("code")},
        {QStringLiteral("schema"), QStringLiteral("Print the JSON Schema (draft-07) instead; an object keyed by event when several.")},
        {QStringLiteral("example"), QStringLiteral("Print a minimal valid payload instead; an object keyed by event when several.")},
    });
    int rc = 0;
    if (!parse(p, QStringLiteral("show"), args, &rc))
        return rc;
    if (p.positionalArguments().size() != 1) {
        err() << "dipwb catalogue show: name one channel, e.g. IF-033\n";
        return 2;
    }
    const Workspace ws = workspaceOf(p);
    Issues issues;
    const auto set = p.isSet(QStringLiteral("spec-version"))
                         ? schema::loadSchemaSet(ws, p.value(QStringLiteral("spec-version")), &issues)
                         : schema::loadPinnedSchemaSet(ws, &issues);
    if (!set) {
        printIssues(QStringLiteral("dipwb catalogue show: "), issues);
        return 1;
    }
    const QString version = set->specVersion();
    const QString channel = p.positionalArguments().first().toUpper();
    QString event = p.value(QStringLiteral("event"));
    if (!event.isEmpty() && !event.startsWith(QLatin1Char('[')))
        event = QLatin1Char('[') + event + QLatin1Char(']');
    QList<schema::ImportedEvent> selected;
    QStringList channels;
    for (const auto &e : set->events()) {
        if (!channels.contains(e.channel))
            channels << e.channel;
        if (e.channel == channel && (event.isEmpty() || e.eventCode == event))
            selected << e;
    }
    if (selected.isEmpty()) {
        if (!channels.contains(channel))
            err() << "dipwb catalogue show: " << channel << " is not a channel of specification " << version
                  << " (it has " << channels.size() << ": " << channels.join(QStringLiteral(", ")) << ")\n";
        else
            err() << "dipwb catalogue show: " << channel << " has no event " << event << " in specification "
                  << version << "\n";
        return 1;
    }
    const bool example = p.isSet(QStringLiteral("example"));
    if (p.isSet(QStringLiteral("schema")) || example) {
        const auto render = [&](const schema::ImportedEvent &e) {
            const schema::SchemaKey key{e.channel, e.eventCode, e.schemaVersion};
            return example ? set->example(key) : set->jsonSchema(key);
        };
        OJson doc;
        if (selected.size() == 1) {
            doc = render(selected[0]);
        } else {
            doc = OJson::object();
            for (const auto &e : std::as_const(selected))
                doc[ss(e.eventCode + QLatin1Char(' ') + e.schemaVersion)] = render(e);
        }
        out() << qs(doc.dump(2)) << Qt::endl;
        return 0;
    }
    const char *mark = version == ws.pinnedCatalogue()                                        ? " (pinned)"
                       : schema::isBuiltinVersion(version) && ws.pinnedCatalogue().isEmpty() ? " (built in, the default)"
                       : schema::isBuiltinVersion(version)                                   ? " (built in)"
                                                                                             : "";
    out() << channel << " in specification " << version << mark
          << ": " << selected.size() << " event(s)\n";
    for (const auto &e : std::as_const(selected))
        out() << "  " << e.eventCode << "  schema version " << e.schemaVersion << "  schema " << e.schemaName << "\n";
    if (const catalogue::ChannelDef *def = catalogue::Catalogue::builtIn()->channel(channel))
        out() << "Routing from the built-in catalogue: " << def->title << "\n";
    else
        out() << "Not in the built-in channel catalogue: the emulator does not accept this channel yet\n";
    out().flush();
    return 0;
}

} // namespace

int catalogueCommand(const QStringList &args)
{
    const QString sub = args.value(0);
    if (sub == QLatin1String("import"))
        return importCommand(args.mid(1));
    if (sub == QLatin1String("list"))
        return listCommand(args.mid(1));
    if (sub == QLatin1String("show"))
        return showCommand(args.mid(1));
    QTextStream &s = sub == QLatin1String("--help") || sub == QLatin1String("-h") ? out() : err();
    if (!sub.isEmpty() && &s == &err())
        s << "dipwb catalogue: unknown sub-command '" << sub << "'\n";
    s << "Usage: dipwb catalogue import DIR | list | show CHANNEL [options]\n"
         "  import DIR       import an official specification folder, store it in the workspace and pin it\n"
         "  list             the built-in payload schemas and the versions stored in the workspace, the one in\n"
         "                   use marked (the pinned one, else the built-in schemas)\n"
         "  show CHANNEL     events and schema versions of a channel (--schema: its JSON Schema,\n"
         "                   --example: a minimal valid payload; --spec-version builtin: the built-in schemas)\n";
    s.flush();
    return &s == &out() ? 0 : 2;
}

} // namespace dipwb::cli
