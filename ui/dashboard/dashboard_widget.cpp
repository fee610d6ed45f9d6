// SPDX-License-Identifier: GPL-3.0-or-later
// qcustomplot.h uses Qt's foreach in inline templates; the project-wide QT_NO_FOREACH must not
// reach it, so it is lifted before the first Qt header of this file only.
#undef QT_NO_FOREACH
#include "dashboard/dashboard_widget.h"

#include "common/clock.h"
#include "store/store.h"

#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <qcustomplot.h>

namespace dipwb::ui {
namespace {

constexpr qint64 kTarget90Ms = 3000;   // DOMAIN.md 11: 90 % within 3 s
constexpr qint64 kTarget100Ms = 30000; // and all within 30 s

} // namespace

DashboardWidget::DashboardWidget(store::Store *store, QWidget *parent)
    : QWidget(parent), m_store(store), m_plot(new QCustomPlot(this)), m_summary(new QLabel(this)), m_timer(new QTimer(this))
{
    m_plot->plotLayout()->clear();
    auto *rateRect = new QCPAxisRect(m_plot);
    auto *latencyRect = new QCPAxisRect(m_plot);
    m_plot->plotLayout()->addElement(0, 0, rateRect);
    m_plot->plotLayout()->addElement(0, 1, latencyRect); // side by side: a short dock still gives each height
    auto timeTicker = QSharedPointer<QCPAxisTickerDateTime>::create();
    timeTicker->setDateTimeFormat(QStringLiteral("HH:mm:ss"));
    timeTicker->setDateTimeSpec(Qt::UTC);
    for (QCPAxisRect *r : {rateRect, latencyRect}) {
        r->axis(QCPAxis::atBottom)->setTicker(timeTicker);
        r->setupFullAxesBox(false);
    }
    rateRect->axis(QCPAxis::atLeft)->setLabel(tr("messages / s"));
    rateRect->axis(QCPAxis::atBottom)->setLabel(tr("time (UTC)"));
    latencyRect->axis(QCPAxis::atLeft)->setLabel(tr("delivery latency (ms)"));
    latencyRect->axis(QCPAxis::atBottom)->setLabel(tr("time (UTC)"));
    latencyRect->axis(QCPAxis::atLeft)->setScaleType(QCPAxis::stLogarithmic);
    latencyRect->axis(QCPAxis::atLeft)->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    latencyRect->axis(QCPAxis::atLeft)->setRange(1, 200000); // room above the 30 s line for its label

    QCPGraph *rate = m_plot->addGraph(rateRect->axis(QCPAxis::atBottom), rateRect->axis(QCPAxis::atLeft));
    rate->setName(tr("messages/s"));
    rate->setPen(QPen(QColor(0x15, 0x65, 0xc0), 2));
    rate->setBrush(QColor(0x15, 0x65, 0xc0, 40));
    const struct { const char *name; QColor colour; } lines[] = {
        {QT_TR_NOOP("p50"), QColor(0x2e, 0x7d, 0x32)}, {QT_TR_NOOP("p95"), QColor(0xef, 0x6c, 0x00)}, {QT_TR_NOOP("p99"), QColor(0xc6, 0x28, 0x28)}};
    for (const auto &l : lines) {
        QCPGraph *g = m_plot->addGraph(latencyRect->axis(QCPAxis::atBottom), latencyRect->axis(QCPAxis::atLeft));
        g->setName(tr(l.name));
        g->setPen(QPen(l.colour, 2));
    }
    for (qint64 target : {kTarget90Ms, kTarget100Ms}) {
        auto *line = new QCPItemStraightLine(m_plot);
        line->setClipAxisRect(latencyRect);
        for (auto *pos : {line->point1, line->point2}) {
            pos->setAxes(latencyRect->axis(QCPAxis::atBottom), latencyRect->axis(QCPAxis::atLeft));
            pos->setAxisRect(latencyRect);
        }
        line->point1->setCoords(0, double(target));
        line->point2->setCoords(1, double(target));
        line->setPen(QPen(QColor(0x75, 0x75, 0x75), 1, Qt::DashLine));
        auto *label = new QCPItemText(m_plot);
        label->setClipAxisRect(latencyRect);
        label->position->setAxes(latencyRect->axis(QCPAxis::atBottom), latencyRect->axis(QCPAxis::atLeft));
        label->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
        label->position->setAxisRect(latencyRect);
        label->position->setCoords(0.01, double(target));
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        label->setText(target == kTarget90Ms ? tr("3 s: 90 % target") : tr("30 s: 100 % target"));
        label->setColor(QColor(0x61, 0x61, 0x61));
    }
    auto *legend = new QCPLegend;
    latencyRect->insetLayout()->addElement(legend, Qt::AlignTop | Qt::AlignRight);
    legend->setLayer(QStringLiteral("legend"));
    for (int i = 1; i <= 3; ++i)
        m_plot->graph(i)->addToLegend(legend);
    m_plot->setMinimumHeight(220);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_summary);
    layout->addWidget(m_plot, 1);

    m_timer->setInterval(500);
    connect(m_timer, &QTimer::timeout, this, &DashboardWidget::replotIfDirty);
    m_timer->start();
}

void DashboardWidget::onMessagesStored(const QList<qint64> &ids)
{
    m_series.addMessages(Clock::nowMs(), int(ids.size()));
    m_dirty = true;
}

void DashboardWidget::onDeliveriesUpdated(const QList<qint64> &ids)
{
    if (m_seenDelivered.size() > 200000)
        m_seenDelivered.clear();
    for (qint64 id : ids) {
        if (m_seenDelivered.contains(id))
            continue;
        const auto d = m_store->delivery(id);
        if (d && d->status == QLatin1String("Delivered") && d->deliveredMs > 0) {
            m_seenDelivered.insert(id);
            m_series.addLatency(d->deliveredMs, d->deliveredMs - d->createdMs);
        }
    }
    m_dirty = true;
}

void DashboardWidget::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_dirty = true;
    replotIfDirty();
}

void DashboardWidget::replotIfDirty()
{
    // A hidden plot costs nothing: the redraw waits until it is shown again.
    if (!m_dirty || !isVisible())
        return;
    m_dirty = false;
    const qint64 now = Clock::nowMs();
    const auto points = m_series.points(now);
    QVector<double> t, rate, p50, p95, p99;
    double maxRate = 1;
    for (const auto &p : points) {
        t << p.t;
        rate << p.rate;
        maxRate = std::max(maxRate, p.rate);
        // Gaps (no delivery in the window) are left out rather than drawn at zero on a log axis.
        p50 << (p.p50 > 0 ? p.p50 : qQNaN());
        p95 << (p.p95 > 0 ? p.p95 : qQNaN());
        p99 << (p.p99 > 0 ? p.p99 : qQNaN());
    }
    m_plot->graph(0)->setData(t, rate, true);
    m_plot->graph(1)->setData(t, p50, true);
    m_plot->graph(2)->setData(t, p95, true);
    m_plot->graph(3)->setData(t, p99, true);
    const double end = double(now) / 1000.0;
    const double start = std::max(t.isEmpty() ? end - 60 : t.first(), end - 300);
    for (auto *rect : m_plot->axisRects())
        rect->axis(QCPAxis::atBottom)->setRange(std::min(start, end - 60), end + 1);
    m_plot->axisRects().at(0)->axis(QCPAxis::atLeft)->setRange(0, maxRate * 1.15);
    const auto &last = points.isEmpty() ? DashboardSeries::Point{} : points.last();
    m_summary->setText(tr("%L1 messages since start · now %2/s · latency p50 %3 ms, p95 %4 ms, p99 %5 ms (last 10 s)")
                           .arg(m_series.totalMessages())
                           .arg(last.rate)
                           .arg(last.p50)
                           .arg(last.p95)
                           .arg(last.p99));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    ++m_replots;
}

} // namespace dipwb::ui
