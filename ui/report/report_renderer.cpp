// SPDX-License-Identifier: GPL-3.0-or-later
#include "report/report_renderer.h"

#include "evidence/report_html.h"
#include "report/report_plots.h"

#include <QBuffer>
#include <QImage>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QTextDocument>
#include <QUrl>

namespace dipwb::report {

namespace {

QByteArray pdfOf(const evidence::EvidenceData &e, const RenderedReport &r)
{
    // QTextDocument does not load data: URIs, so the PDF's copy names its plots as resources.
    const evidence::ReportImages names{r.latencyPng.isEmpty() ? QString() : QStringLiteral("latency.png"),
                                       r.volumePng.isEmpty() ? QString() : QStringLiteral("volume.png"), 520};
    QTextDocument doc;
    doc.setDefaultFont(QFont(QStringLiteral("DejaVu Sans"), 9));
    doc.addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("latency.png")), QImage::fromData(r.latencyPng, "PNG"));
    doc.addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("volume.png")), QImage::fromData(r.volumePng, "PNG"));
    doc.setHtml(QString::fromUtf8(evidence::reportHtml(e, names)));

    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
    writer.setResolution(150);
    writer.setTitle(QStringLiteral("Evidence report: %1 %2, run %3").arg(e.run.packId, e.run.packVersion).arg(e.run.runId));
    writer.setCreator(QStringLiteral("DIP Workbench ") + e.workbenchVersion);
    doc.print(&writer);
    return bytes;
}

} // namespace

RenderedReport renderReport(const evidence::EvidenceData &e, bool withPdf)
{
    RenderedReport r;
    r.latencyPng = latencyPlotPng(e.latency);
    r.volumePng = volumePlotPng(e);
    r.html = evidence::reportHtml(e, {evidence::pngDataUri(r.latencyPng), evidence::pngDataUri(r.volumePng)});
    if (withPdf)
        r.pdf = pdfOf(e, r);
    return r;
}

} // namespace dipwb::report
