// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "evidence/evidence.h"

#include <QByteArray>

namespace dipwb::report {

/// The delivery latency distribution (log-spaced bins) with the p50/p95/p99 markers and the
/// 3 s / 30 s target lines, as PNG bytes. Needs a QApplication (QCustomPlot is a widget).
QByteArray latencyPlotPng(const evidence::LatencyStats &stats, int width = 1280, int height = 600);

/// Messages received and copies delivered per interval over the run, as PNG bytes.
QByteArray volumePlotPng(const evidence::EvidenceData &e, int width = 1280, int height = 480);

} // namespace dipwb::report
