#include "widgets/LossPlotWidget.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QTimer>
#include <QVBoxLayout>

namespace {
// Fixed colours per well-known key keep a curve's colour stable across runs.
QColor colourFor(const QString& key, int index) {
    static const QMap<QString, QColor> known = {
        {"train/loss", QColor(20, 20, 20)},
        {"train/seg_loss", QColor(31, 119, 180)},
        {"train/det_loss", QColor(214, 39, 40)},
    };
    static const QColor cycle[] = {QColor(44, 160, 44), QColor(148, 103, 189), QColor(255, 127, 14),
                                   QColor(140, 86, 75)};
    return known.value(key, cycle[index % 4]);
}
} // namespace

LossPlotWidget::LossPlotWidget(QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot(this)), logScale_(new QCheckBox(tr("Log scale"), this)),
      replotTimer_(new QTimer(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_, 1);
    layout->addWidget(logScale_);
    plot_->xAxis->setLabel(tr("step"));
    plot_->yAxis->setLabel(tr("loss"));
    plot_->legend->setVisible(true);
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->plotLayout()->insertRow(0);
    plot_->plotLayout()->addElement(0, 0, new QCPTextElement(plot_, tr("No run selected")));
    replotTimer_->setSingleShot(true);
    replotTimer_->setInterval(50);
    connect(replotTimer_, &QTimer::timeout, this, [this] {
        plot_->legend->setVisible(!graphs_.isEmpty());
        plot_->rescaleAxes();
        plot_->replot(QCustomPlot::rpQueuedReplot);
    });
    connect(logScale_, &QCheckBox::toggled, this, [this](bool on) {
        plot_->yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
        if (on) plot_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
        else plot_->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        scheduleReplot();
    });
}

void LossPlotWidget::clear(const QString& title) {
    plot_->clearGraphs();
    graphs_.clear();
    if (auto* t = qobject_cast<QCPTextElement*>(plot_->plotLayout()->element(0, 0)))
        t->setText(title.isEmpty() ? tr("No run selected") : title);
    scheduleReplot();
}

QCPGraph* LossPlotWidget::graph(const QString& key) {
    if (auto* g = graphs_.value(key)) return g;
    auto* g = plot_->addGraph();
    g->setName(key);
    g->setPen(QPen(colourFor(key, graphs_.size()), 1.5));
    graphs_.insert(key, g);
    return g;
}

void LossPlotWidget::setSeries(const QString& key, const QVector<double>& steps, const QVector<double>& values) {
    graph(key)->setData(steps, values, /*alreadySorted=*/true);
    scheduleReplot();
}

void LossPlotWidget::appendPoint(const QString& key, double step, double value) {
    graph(key)->addData(step, value);
    scheduleReplot();
}

int LossPlotWidget::pointCount(const QString& key) const {
    auto* g = graphs_.value(key);
    return g ? g->dataCount() : 0;
}

void LossPlotWidget::scheduleReplot() {
    if (!replotTimer_->isActive()) replotTimer_->start();
}
