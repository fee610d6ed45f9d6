// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"

#include "common/network_dispatcher.h"
#include "common/workspace.h"
#include "evidence/evidence.h"
#include "evidence/evidence_json.h"
#include "store/store.h"
#include "tracker/message_filter.h"

#include <QAbstractEventDispatcher>
#include <QCommandLineParser>
#include <QDir>
#include <QSaveFile>

#ifdef DIPWB_HAVE_REPORT_RENDERER
#include "report/report_export.h"

#include <QApplication>
#endif

namespace dipwb::cli {

std::unique_ptr<QCoreApplication> makeApplication(int &argc, char **argv)
{
#ifdef DIPWB_HAVE_REPORT_RENDERER
    if (argc > 1 && qstrcmp(argv[1], "report") == 0) {
        // The report never shows a window: the offscreen platform draws the same pixels with or
        // without a display, and a CI job without one does not abort. An explicit choice wins.
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        return std::make_unique<QApplication>(argc, argv);
    }
#endif
    // Every other command is headless: its thread serves or calls HTTP, on epoll where there is one.
    if (QAbstractEventDispatcher *dispatcher = createNetworkEventDispatcher())
        QCoreApplication::setEventDispatcher(dispatcher);
    return std::make_unique<QCoreApplication>(argc, argv);
}

namespace {

#ifndef DIPWB_HAVE_REPORT_RENDERER
// Without the renderer (a build without the GUI) the forms that need no drawing still work.
int exportUndrawn(const Workspace &ws, const QString &run, const QStringList &formats, const QString &outDir, const QString &packPath)
{
    for (const QString &f : formats)
        if (f != QLatin1String("junit") && f != QLatin1String("json")) {
            err() << "dipwb report: this dipwb was built without the report renderer: only junit and json are available, not " << f << "\n";
            return 2;
        }
    QString error;
    const auto e = evidence::gatherEvidence(ws, {run, packPath}, &error);
    if (!e) {
        err() << "dipwb report: " << error << "\n";
        return 1;
    }
    const QString dir = outDir.isEmpty() ? ws.reportsDir() + QStringLiteral("/run-%1").arg(e->run.runId) : outDir;
    QDir().mkpath(dir);
    for (const QString &f : formats) {
        const bool junit = f == QLatin1String("junit");
        const QString path = QDir(dir).absoluteFilePath(QStringLiteral("run-%1-%2").arg(e->run.runId).arg(junit ? QStringLiteral("junit.xml") : QStringLiteral("results.json")));
        const QByteArray bytes = junit ? scenario::junitXml(e->run) : qb(evidence::resultsJson(*e).dump(2)) + '\n';
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
            err() << "dipwb report: cannot write " << path << ": " << file.errorString() << "\n";
            return 1;
        }
        out() << path << "\n";
    }
    return 0;
}
#endif

// --messages takes tracker ids and transaction ids alike (what a tester copies from the tracker);
// --mpan takes every message about one metering point.
bool resolveSelection(const Workspace &ws, const QString &messages, const QString &mpan, QList<qint64> *ids, QString *description,
                      QString *error)
{
    Issues issues;
    auto store = store::Store::openForReading(ws.databasePath(), &issues);
    if (!store) {
        *error = issues.isEmpty() ? QStringLiteral("cannot open %1").arg(ws.databasePath()) : issues.first().toString();
        return false;
    }
    for (const QString &item : messages.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString key = item.trimmed();
        bool number = false;
        const qint64 id = key.toLongLong(&number);
        const auto m = number ? store->message(id) : store->messageByTransactionId(key);
        if (!m) {
            *error = QStringLiteral("--messages: no stored message %1 '%2'").arg(number ? QStringLiteral("with id") : QStringLiteral("with transaction id"), key);
            return false;
        }
        *ids << m->id;
    }
    if (!mpan.isEmpty()) {
        tracker::MessageFilter filter;
        filter.mpan = mpan.trimmed();
        const QList<qint64> found = store->messageIds(filter, 0, 100000);
        if (found.isEmpty()) {
            *error = QStringLiteral("--mpan: no stored message about MPAN %1").arg(filter.mpan);
            return false;
        }
        *ids << found;
    }
    QStringList what;
    if (!messages.isEmpty())
        what << QStringLiteral("messages %1").arg(messages);
    if (!mpan.isEmpty())
        what << QStringLiteral("MPAN %1").arg(mpan.trimmed());
    *description = QStringLiteral("%1 message(s) chosen on the command line (%2)").arg(ids->size()).arg(what.join(QStringLiteral(", ")));
    return true;
}

} // namespace

int reportCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Writes the evidence of a stored pack run: an HTML report (one self-contained file), the same as PDF, JUnit XML, "
        "JSON results, and an evidence bundle (zip with a manifest of SHA-256 sums, optionally signed) that 'dipwb verify' checks.\n"
        "With --messages or --mpan instead of a run: the same evidence of chosen stored messages, each passed when every copy was delivered.\n"
        "Exit status: 0 written, 1 the run or a file could not be read or written, 2 wrong options."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("run"), QStringLiteral("A run id (as 'dipwb run' prints it) or 'latest'; none with --messages or --mpan."),
                            QStringLiteral("[run]"));
    p.addOptions({
        {QStringLiteral("workspace"), QStringLiteral("Workspace folder (default: %1).").arg(Workspace::defaultDir()), QStringLiteral("dir")},
        {QStringLiteral("format"), QStringLiteral("Comma-separated: html, pdf, junit, json, bundle (default: all)."), QStringLiteral("list"),
         QStringLiteral("html,pdf,junit,json,bundle")},
        {QStringLiteral("out"), QStringLiteral("Output folder (default: <workspace>/reports/run-<id>)."), QStringLiteral("dir")},
        {QStringLiteral("sign"), QStringLiteral("Sign the bundle's manifest with this DIP id's workspace certificate."), QStringLiteral("dipid")},
        {QStringLiteral("pack"), QStringLiteral("The pack that was run, to mark the participants under test (default: the bundled pack of that id)."),
         QStringLiteral("path")},
        {QStringLiteral("messages"), QStringLiteral("Report these stored messages instead of a run: comma-separated tracker ids or transaction ids."),
         QStringLiteral("list")},
        {QStringLiteral("mpan"), QStringLiteral("Report every stored message about this MPAN instead of a run."), QStringLiteral("mpan")},
    });
    QStringList full = args;
    full.prepend(QStringLiteral("dipwb report"));
    if (!p.parse(full)) {
        err() << "dipwb report: " << p.errorText() << "\n";
        return 2;
    }
    if (p.isSet(QStringLiteral("help"))) {
        out() << p.helpText();
        return 0;
    }
    const bool selection = p.isSet(QStringLiteral("messages")) || p.isSet(QStringLiteral("mpan"));
    if (selection ? !p.positionalArguments().isEmpty() : p.positionalArguments().size() != 1) {
        err() << (selection ? "dipwb report: either a run or --messages/--mpan, not both\n" : "dipwb report: name one run (its id, or 'latest'), or use --messages or --mpan\n");
        return 2;
    }
    QStringList formats;
    for (const QString &f : p.value(QStringLiteral("format")).split(QLatin1Char(','), Qt::SkipEmptyParts))
        formats << f.trimmed().toLower();
    const Workspace ws(p.isSet(QStringLiteral("workspace")) ? p.value(QStringLiteral("workspace")) : Workspace::defaultDir());
    if (p.isSet(QStringLiteral("sign")) && !formats.contains(QStringLiteral("bundle"))) {
        err() << "dipwb report: --sign signs the bundle: add 'bundle' to --format\n";
        return 2;
    }
#ifdef DIPWB_HAVE_REPORT_RENDERER
    report::ExportOptions options;
    if (selection) {
        QString why;
        if (!resolveSelection(ws, p.value(QStringLiteral("messages")), p.value(QStringLiteral("mpan")), &options.messageIds,
                              &options.selectionDescription, &why)) {
            err() << "dipwb report: " << why << "\n";
            return 1;
        }
    } else {
        options.run = p.positionalArguments().first();
    }
    options.formats = formats;
    options.outDir = p.value(QStringLiteral("out"));
    options.signDipId = p.value(QStringLiteral("sign"));
    options.packPath = p.value(QStringLiteral("pack"));
    for (const QString &f : std::as_const(formats))
        if (!report::exportFormats().contains(f)) {
            err() << "dipwb report: unknown format '" << f << "' (known: " << report::exportFormats().join(QLatin1Char(',')) << ")\n";
            return 2;
        }
    report::ExportResult result;
    QString error;
    if (!report::exportReport(ws, options, &result, &error)) {
        err() << "dipwb report: " << error << "\n";
        return 1;
    }
    for (const QString &f : std::as_const(result.files))
        out() << f << "\n";
    out().flush();
    return 0;
#else
    if (selection) {
        err() << "dipwb report: this dipwb was built without the report renderer: reports of messages need it\n";
        return 2;
    }
    return exportUndrawn(ws, p.positionalArguments().first(), formats, p.value(QStringLiteral("out")), p.value(QStringLiteral("pack")));
#endif
}

} // namespace dipwb::cli
