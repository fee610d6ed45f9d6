// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "evidence/evidence.h"

#include <QByteArray>
#include <QString>

namespace dipwb::evidence {

/// The plots the report shows, as image sources: data: URIs for the standalone HTML file, or
/// resource names a QTextDocument resolves when printing the PDF. Empty: the plot is left out.
struct ReportImages
{
    QString latency;   ///< delivery latency distribution with p50/p95/p99 and the 3 s / 30 s lines
    QString volume;    ///< messages over time
    int width = 640;   ///< shown width in CSS pixels (the PDF's text column is narrower)
};

/// "data:image/png;base64,..." for an inline image.
QString pngDataUri(const QByteArray &png);

/// The evidence report as one HTML document (UTF-8), inline CSS, no external reference: cover,
/// summary, traceability matrix, delivery figures and plots, each case's step timeline, and an
/// appendix of every message involved. Written in the HTML subset QTextDocument lays out too, so
/// the PDF is the same content.
QByteArray reportHtml(const EvidenceData &e, const ReportImages &images);

} // namespace dipwb::evidence
