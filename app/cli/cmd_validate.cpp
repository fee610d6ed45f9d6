// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"

#include "catalogue/catalogue.h"
#include "envelope/l1_checks.h"
#include "schema/workspace_schemas.h"

#include <QCommandLineParser>
#include <QFile>

namespace dipwb::cli {

int validate(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Checks a message file offline, as the DIP's Level-1 checks would (envelope and payload schema), without "
        "the participant registry. Exit code 0: valid, 1: invalid, 2: usage."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("file"), QStringLiteral("The message file (a JSON array of {\"payload\":...}, or one message); - reads standard input."));
    p.addOptions({
        {QStringLiteral("workspace"), QStringLiteral("Workspace folder (default: %1).").arg(Workspace::defaultDir()), QStringLiteral("dir")},
        {QStringLiteral("spec-version"), QStringLiteral("Stored catalogue version to validate against, or 'builtin' (default: the pinned one, else the built-in schemas)."), QStringLiteral("v")},
        {QStringLiteral("environment"), QStringLiteral("Require this environmentTag (default: any)."), QStringLiteral("tag")},
    });
    QStringList full = args;
    full.prepend(QStringLiteral("dipwb validate"));
    if (!p.parse(full)) {
        err() << "dipwb validate: " << p.errorText() << "\n";
        return 2;
    }
    if (p.isSet(QStringLiteral("help"))) {
        out() << p.helpText();
        return 0;
    }
    if (p.positionalArguments().size() != 1) {
        err() << "dipwb validate: name one message file (or - for standard input)\n";
        return 2;
    }
    const Workspace ws(p.isSet(QStringLiteral("workspace")) ? p.value(QStringLiteral("workspace")) : Workspace::defaultDir());
    Issues issues;
    const auto schemas = p.isSet(QStringLiteral("spec-version"))
                             ? schema::loadSchemaSet(ws, p.value(QStringLiteral("spec-version")), &issues)
                             : schema::loadPinnedSchemaSet(ws, &issues);
    if (!schemas) {
        for (const Issue &i : std::as_const(issues))
            err() << "dipwb validate: " << i.toString() << "\n";
        return 2;
    }

    const QString path = p.positionalArguments().first();
    QFile f;
    const bool opened = path == QLatin1String("-") ? f.open(stdin, QIODevice::ReadOnly) : (f.setFileName(path), f.open(QIODevice::ReadOnly));
    if (!opened) {
        err() << "dipwb validate: cannot read " << path << ": " << f.errorString() << "\n";
        return 2;
    }
    QByteArray body = f.readAll();
    // One message object is checked as the one-element array the DIP expects, as 'dipwb send' sends it.
    OJson doc = OJson::parse(body.constBegin(), body.constEnd(), nullptr, false);
    if (doc.is_object()) {
        if (!doc.contains("payload"))
            doc = OJson{{"payload", doc}};
        body = qb(OJson::array({doc}).dump());
    }

    envelope::L1Context ctx;
    const auto catalogue = catalogue::Catalogue::builtIn();
    ctx.catalogue = catalogue.get();
    ctx.environment = p.value(QStringLiteral("environment")).toUpper();
    ctx.schemas = schemas.get();
    const envelope::L1Result r = envelope::checkRequest(body, ctx);
    for (const envelope::L1Failure &failure : r.failures) {
        // A body-level failure (not JSON, not an array) is about the file itself.
        if (failure.index < 0)
            out() << path << ": " << failure.reason << "  [" << failure.code << "]\n";
        else
            out() << envelope::helpText(failure) << "  [" << failure.code << "]\n";
    }
    for (const envelope::ParsedMessage &m : r.messages)
        for (const Issue &w : m.warnings)
            out() << "warning: " << w.toString() << "\n";
    const QString count = QStringLiteral("%1 message%2").arg(r.messages.size()).arg(r.messages.size() == 1 ? "" : "s");
    if (r.ok)
        out() << path << ": valid (" << count << ", specification " << schemas->specVersion() << ")" << Qt::endl;
    else
        out() << path << ": invalid: " << r.failures.size() << " error(s) in " << count << " (specification "
              << schemas->specVersion() << ")" << Qt::endl;
    return r.ok ? 0 : 1;
}

} // namespace dipwb::cli
