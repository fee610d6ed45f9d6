// SPDX-License-Identifier: GPL-3.0-or-later
// qcustomplot.h uses Qt's foreach in inline templates; the project-wide QT_NO_FOREACH must not
// reach it, so it is lifted before the first Qt header of this file only.
#undef QT_NO_FOREACH
#include "report/report_plots.h"

#include <QBuffer>
#include <QPixmap>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

namespace dipwb::report {

namespace {

QByteArray png(QCustomPlot &plot, int width, int height)
{
    // Drawn at twice the size and shown at half: crisp in the PDF and on high-density screens.
    const QPixmap pixmap = plot.toPixmap(width / 2, height / 2, 2.0);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    pixmap.save(&buffer, "PNG");
    return bytes;
}

void marker(QCustomPlot &plot, double x, const QColor &colour, Qt::PenStyle style, const QString &label, double labelY,
            Qt::Alignment side = Qt::AlignLeft)
{
    auto *line = new QCPItemStraightLine(&plot);
    line->point1->setCoords(x, 0);
    line->point2->setCoords(x, 1);
    line->setPen(QPen(colour, 2, style));
    auto *text = new QCPItemText(&plot);
    text->position->setTypeX(QCPItemPosition::ptPlotCoords);
    text->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    text->position->setCoords(x, labelY);
    // The label sits right of its line, or left of it near the right edge (the 30 s line).
    text->setPositionAlignment((side == Qt::AlignLeft ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignTop);
    text->setPadding(side == Qt::AlignLeft ? QMargins(4, 0, 0, 0) : QMargins(0, 0, 4, 0));
    text->setColor(colour);
    text->setText(label);
}

} // namespace

QByteArray latencyPlotPng(const evidence::LatencyStats &stats, int width, int height)
{
    QCustomPlot plot;
    plot.setAntialiasedElements(QCP::aeAll);
    plot.plotLayout()->insertRow(0);
    plot.plotLayout()->addElement(0, 0, new QCPTextElement(&plot, QStringLiteral("Delivery latency distribution (%1 copies)").arg(stats.latenciesMs.size()),
                                                           QFont(QStringLiteral("DejaVu Sans"), 10, QFont::Bold)));
    QCPAxis *x = plot.xAxis;
    x->setScaleType(QCPAxis::stLogarithmic);
    x->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    x->setNumberFormat(QStringLiteral("gb"));
    x->setLabel(QStringLiteral("receipt to delivery (ms, log scale)"));
    plot.yAxis->setLabel(QStringLiteral("copies"));
    // Four bins a decade from 1 ms to 100 s: the 3 s and 30 s lines sit inside the range.
    constexpr int kPerDecade = 4, kBins = 5 * kPerDecade;
    QList<int> counts(kBins, 0);
    for (qint64 l : stats.latenciesMs) {
        const double v = std::max<double>(1.0, double(l));
        counts[std::clamp(int(std::floor(std::log10(v) * kPerDecade)), 0, kBins - 1)] += 1;
    }
    int top = 1;
    for (int i = 0; i < kBins; ++i) {
        top = std::max(top, counts[i]);
        if (!counts[i])
            continue;
        auto *bar = new QCPItemRect(&plot);
        bar->topLeft->setCoords(std::pow(10.0, double(i) / kPerDecade), counts[i]);
        bar->bottomRight->setCoords(std::pow(10.0, double(i + 1) / kPerDecade), 0);
        bar->setPen(QPen(QColor(0x0d, 0x3b, 0x66)));
        bar->setBrush(QColor(0x15, 0x65, 0xc0, 150));
    }
    x->setRange(1, 100000);
    plot.yAxis->setRange(0, top * 1.35);
    marker(plot, std::max<double>(1, double(stats.p50)), QColor(0x2e, 0x7d, 0x32), Qt::DashLine, QStringLiteral("p50 %1 ms").arg(stats.p50), 0.02);
    marker(plot, std::max<double>(1, double(stats.p95)), QColor(0xef, 0x6c, 0x00), Qt::DashLine, QStringLiteral("p95 %1 ms").arg(stats.p95), 0.09);
    marker(plot, std::max<double>(1, double(stats.p99)), QColor(0x8e, 0x24, 0xaa), Qt::DashLine, QStringLiteral("p99 %1 ms").arg(stats.p99), 0.16);
    marker(plot, double(stats.target90Ms), QColor(0xc6, 0x28, 0x28), Qt::SolidLine, QStringLiteral("%1 s: 90 %").arg(double(stats.target90Ms) / 1000.0), 0.02);
    marker(plot, double(stats.target100Ms), QColor(0xc6, 0x28, 0x28), Qt::SolidLine, QStringLiteral("%1 s: 100 %").arg(double(stats.target100Ms) / 1000.0), 0.09, Qt::AlignRight);
    return png(plot, width, height);
}

QByteArray volumePlotPng(const evidence::EvidenceData &e, int width, int height)
{
    QCustomPlot plot;
    plot.setAntialiasedElements(QCP::aeAll);
    plot.plotLayout()->insertRow(0);
    plot.plotLayout()->addElement(0, 0, new QCPTextElement(&plot, QStringLiteral("Messages over time"), QFont(QStringLiteral("DejaVu Sans"), 10, QFont::Bold)));
    const qint64 start = e.run.startedMs;
    const double span = std::max<double>(1.0, double(e.run.endedMs - start) / 1000.0);
    // About forty intervals whatever the run's length, at least one second each.
    const double step = std::max(1.0, std::ceil(span / 40.0));
    const int bins = int(std::ceil(span / step)) + 1;
    QVector<double> keys(bins), received(bins, 0), delivered(bins, 0);
    for (int i = 0; i < bins; ++i)
        keys[i] = i * step;
    const auto binOf = [&](qint64 ms) { return std::clamp(int(double(ms - start) / 1000.0 / step), 0, bins - 1); };
    for (const auto &m : e.messages) {
        received[binOf(m.request.receivedMs)] += std::max<qsizetype>(1, m.messages.size());
        for (const auto &d : m.deliveries)
            if (d.deliveredMs)
                delivered[binOf(d.deliveredMs)] += 1;
    }
    auto *in = new QCPBars(plot.xAxis, plot.yAxis);
    in->setName(QStringLiteral("messages received by the DIP"));
    in->setWidth(step * 0.4);
    in->setData(keys, received);
    in->setBrush(QColor(0x15, 0x65, 0xc0, 170));
    in->setPen(Qt::NoPen);
    auto *out = new QCPBars(plot.xAxis, plot.yAxis);
    out->setName(QStringLiteral("copies delivered"));
    out->setWidth(step * 0.4);
    QVector<double> shifted = keys;
    for (double &k : shifted)
        k += step * 0.42;
    out->setData(shifted, delivered);
    out->setBrush(QColor(0x2e, 0x7d, 0x32, 170));
    out->setPen(Qt::NoPen);
    plot.xAxis->setLabel(QStringLiteral("seconds since the run started (%1 s a bar)").arg(step));
    plot.yAxis->setLabel(QStringLiteral("count"));
    plot.xAxis->setRange(-step, bins * step);
    double top = 1;
    for (int i = 0; i < bins; ++i)
        top = std::max({top, received[i], delivered[i]});
    plot.yAxis->setRange(0, top * 1.2);
    plot.legend->setVisible(true);
    plot.axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    return png(plot, width, height);
}

} // namespace dipwb::report
