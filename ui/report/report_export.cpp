// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/report_export.h"

#include "common/workspace.h"
#include "evidence/bundle.h"
#include "evidence/evidence_json.h"
#include "report/report_renderer.h"
#include "security/test_ca.h"

#include <QDir>
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

} // namespace

QStringList exportFormats()
{
    return {QStringLiteral("html"), QStringLiteral("pdf"), QStringLiteral("junit"), QStringLiteral("json"), QStringLiteral("bundle")};
}

bool exportReport(const Workspace &workspace, const ExportOptions &options, ExportResult *result, QString *error)
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
    const auto e = evidence::gatherEvidence(workspace, {options.run, options.packPath}, error);
    if (!e)
        return false;
    result->runId = e->run.runId;
    const QString dir = options.outDir.isEmpty() ? workspace.reportsDir() + QStringLiteral("/run-%1").arg(e->run.runId) : options.outDir;
    if (!QDir().mkpath(dir)) {
        *error = QStringLiteral("cannot create %1").arg(dir);
        return false;
    }
    const bool bundle = options.formats.contains(QStringLiteral("bundle"));
    const bool drawn = bundle || options.formats.contains(QStringLiteral("html")) || options.formats.contains(QStringLiteral("pdf"));
    const bool pdf = bundle || options.formats.contains(QStringLiteral("pdf"));
    const RenderedReport rendered = drawn ? renderReport(*e, pdf) : RenderedReport{};
    const evidence::BundleReports reports{rendered.html, rendered.pdf, qb(evidence::resultsJson(*e).dump(2)) + '\n', scenario::junitXml(e->run)};
    const QString base = QDir(dir).absoluteFilePath(QStringLiteral("run-%1-").arg(e->run.runId));
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
