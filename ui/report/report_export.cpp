// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/report_export.h"

#include "common/workspace.h"
#include "evidence/bundle.h"
#include "evidence/evidence_json.h"
#include "report/report_renderer.h"
#include "security/test_ca.h"

#include <QDateTime>
#include <QDir>
#include <QTimeZone>
#include <QFile>
#include <QSaveFile>

namespace dipwb::report {

namespace {

bool save(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

bool checkFormats(const ExportOptions &options, QString *error)
{
    for (const QString &f : options.formats)
        if (!exportFormats().contains(f)) {
            *error = QStringLiteral("unknown format '%1' (known: %2)").arg(f, exportFormats().join(QLatin1Char(',')));
            return false;
        }
    if (options.formats.isEmpty()) {
        *error = QStringLiteral("no format asked for");
        return false;
    }
    return true;
}

} // namespace

QStringList exportFormats()
{
    return {QStringLiteral("html"), QStringLiteral("pdf"), QStringLiteral("junit"), QStringLiteral("json"), QStringLiteral("bundle")};
}

std::optional<evidence::EvidenceData> gatherForExport(const Workspace &workspace, const ExportOptions &options, QString *error)
{
    if (!options.messageIds.isEmpty())
        return evidence::gatherSelectionEvidence(workspace, options.messageIds, options.selectionDescription, error);
    return evidence::gatherEvidence(workspace, {options.run, options.packPath}, error);
}

bool exportReport(const Workspace &workspace, const ExportOptions &options, ExportResult *result, QString *error)
{
    if (!checkFormats(options, error))
        return false;
    const auto e = gatherForExport(workspace, options, error);
    return e && writeExport(workspace, *e, options, result, error);
}

bool writeExport(const Workspace &workspace, const evidence::EvidenceData &evidence, const ExportOptions &options, ExportResult *result,
                 QString *error)
{
    if (!checkFormats(options, error))
        return false;
    const evidence::EvidenceData *e = &evidence;
    // The signer is checked before anything is written, so a typo leaves no half export behind.
    std::optional<evidence::BundleSigner> signer;
    if (!options.signDipId.isEmpty()) {
        const security::WorkspaceCa ca(workspace.certificatesDir());
        QString why;
        signer = evidence::BundleSigner{ca.participantIdentity(options.signDipId, &why), {}};
        if (!signer->identity) {
            *error = QStringLiteral("cannot sign as %1: %2 (issue one with 'dipwb certs issue %1')").arg(options.signDipId, why);
            return false;
        }
        QFile caFile(ca.caCertPath());
        if (!caFile.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("cannot read the workspace CA certificate %1").arg(ca.caCertPath());
            return false;
        }
        signer->caPem = caFile.readAll();
    }
    result->runId = e->run.runId;
    // A selection has no run id: its files are named after the moment of the export.
    const QString name = e->selection.isSelection
        ? QStringLiteral("selection-") + QDateTime::fromMSecsSinceEpoch(e->generatedMs, QTimeZone::utc()).toString(QStringLiteral("yyyyMMdd-HHmmss"))
        : QStringLiteral("run-%1").arg(e->run.runId);
    const QString dir = options.outDir.isEmpty() ? workspace.reportsDir() + QLatin1Char('/') + name : options.outDir;
    if (!QDir().mkpath(dir)) {
        *error = QStringLiteral("cannot create %1").arg(dir);
        return false;
    }
    const bool bundle = options.formats.contains(QStringLiteral("bundle"));
    const bool drawn = bundle || options.formats.contains(QStringLiteral("html")) || options.formats.contains(QStringLiteral("pdf"));
    const bool pdf = bundle || options.formats.contains(QStringLiteral("pdf"));
    const RenderedReport rendered = drawn ? renderReport(*e, pdf) : RenderedReport{};
    const evidence::BundleReports reports{rendered.html, rendered.pdf, qb(evidence::resultsJson(*e).dump(2)) + '\n', scenario::junitXml(e->run)};
    const QString base = QDir(dir).absoluteFilePath(name + QLatin1Char('-'));
    for (const QString &f : options.formats) {
        QString path;
        bool ok = true;
        if (f == QLatin1String("html"))
            ok = save(path = base + QStringLiteral("report.html"), reports.html, error);
        else if (f == QLatin1String("pdf"))
            ok = save(path = base + QStringLiteral("report.pdf"), reports.pdf, error);
        else if (f == QLatin1String("junit"))
            ok = save(path = base + QStringLiteral("junit.xml"), reports.junitXml, error);
        else if (f == QLatin1String("json"))
            ok = save(path = base + QStringLiteral("results.json"), reports.resultsJson, error);
        else
            ok = evidence::writeBundle(path = base + QStringLiteral("evidence.zip"), *e, reports, signer ? &*signer : nullptr, error);
        if (!ok)
            return false;
        result->files << path;
    }
    return true;
}

} // namespace dipwb::report
