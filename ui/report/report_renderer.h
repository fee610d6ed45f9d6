// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "evidence/evidence.h"

#include <QByteArray>

namespace dipwb::report {

/// The report of one run in its drawn forms.
struct RenderedReport
{
    QByteArray html;        ///< self-contained: CSS inline, plots as data: URIs
    QByteArray pdf;         ///< the same content, A4; empty unless asked for
    QByteArray latencyPng, volumePng;
};

/// Draws the plots and lays out the report; the PDF only when withPdf. Needs a QApplication
/// (QCustomPlot is a widget); the offscreen platform is enough. Call on the GUI thread.
RenderedReport renderReport(const evidence::EvidenceData &e, bool withPdf);

} // namespace dipwb::report
