#include "widgets/MetricPlotWidget.h"

#include "core/common/SeriesTransforms.h"
#include "widgets/PlotSvgExport.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHash>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QSlider>
#include <QSplitter>
#include <QTimer>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace {
const QColor kPalette[] = {QColor(31, 119, 180), QColor(214, 39, 40),  QColor(44, 160, 44),  QColor(255, 127, 14),
                           QColor(148, 103, 189), QColor(140, 86, 75), QColor(227, 119, 194), QColor(127, 127, 127),
                           QColor(188, 189, 34),  QColor(23, 190, 207)};
const Qt::PenStyle kStyles[] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine, Qt::DashDotDotLine};

QString prefixOf(const QString& key) {
    const int slash = key.indexOf('/');
    return slash < 0 ? QObject::tr("other") : key.left(slash);
}
bool checkedByDefault(const QString& key) { return key.startsWith("train/") && key.endsWith("loss"); }
// Validation series have one point per validation: smoothing them would draw a value the run never
// had (a last point pulled towards the earlier ones), so they are drawn as measured, with markers.
bool isValidationKey(const QString& key) { return key.startsWith("val/"); }

// Log-scale ticks at 1, 2 and 5 times the powers of ten in range, else at every digit, else (a
// range narrower than two digits) evenly spaced: labelled ticks also where the data spans less
// than a decade (0.18–0.27), where QCPAxisTickerLog places none.
class DecadeTicker : public QCPAxisTicker {
protected:
    QVector<double> createTickVector(double tickStep, const QCPRange& range) override {
        QVector<double> ticks;
        if (!(range.lower > 0) || !(range.upper > range.lower)) return ticks;
        for (const QVector<int> mantissas : {QVector<int>{1, 2, 5}, QVector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9}}) {
            ticks.clear();
            for (int e = int(std::floor(std::log10(range.lower))); e <= int(std::ceil(std::log10(range.upper))); ++e)
                for (const int m : mantissas) {
                    const double v = m * std::pow(10.0, e);
                    if (v >= range.lower && v <= range.upper) ticks << v;
                }
            if (ticks.size() >= 3) return ticks;
        }
        return QCPAxisTicker::createTickVector(tickStep, range);
    }
    QVector<double> createSubTickVector(int, const QVector<double>&) override { return {}; }
};
} // namespace

MetricPlotWidget::MetricPlotWidget(QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot(this)), keyList_(new QTreeWidget(this)),
      smoothingSlider_(new QSlider(Qt::Horizontal, this)), smoothingValue_(new QLabel("0.00", this)),
      logScale_(new QCheckBox(tr("Log scale"), this)), xChoice_(new QComboBox(this)), seedChoice_(new QComboBox(this)),
      redrawTimer_(new QTimer(this)) {
    keyList_->setHeaderLabel(tr("Metrics"));
    keyList_->setMinimumWidth(150);
    smoothingSlider_->setRange(0, 99);
    smoothingSlider_->setToolTip(tr("Smoothing: debiased exponential moving average weight"));
    xChoice_->addItem(tr("x: step"));
    xChoice_->addItem(tr("x: wall time"));
    seedChoice_->addItem(tr("Seeds: mean \u00b1 std"));
    seedChoice_->addItem(tr("Seeds: mean, min\u2013max"));
    seedChoice_->addItem(tr("Seeds: each run"));
    seedChoice_->setToolTip(tr("Runs that differ only in their seed: one mean curve with a band, or every run"));
    seedChoice_->setVisible(false); // shown while a seed group is
    auto* exportButton = new QToolButton(this);
    exportButton->setText(tr("Export"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto* exportMenu = new QMenu(exportButton);
    for (const QString& format : {QStringLiteral("PNG"), QStringLiteral("PDF"), QStringLiteral("SVG")})
        exportMenu->addAction(format, this, [this, format] {
            const QString path = QFileDialog::getSaveFileName(this, tr("Export plot"), "plot." + format.toLower(),
                                                              format + " (*." + format.toLower() + ")");
            if (!path.isEmpty()) exportTo(path);
        });
    exportButton->setMenu(exportMenu);

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Smoothing"), this));
    bar->addWidget(smoothingSlider_, 1);
    bar->addWidget(smoothingValue_);
    bar->addWidget(logScale_);
    bar->addWidget(xChoice_);
    bar->addWidget(seedChoice_);
    bar->addWidget(exportButton);
    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addLayout(bar);
    rightLayout->addWidget(plot_, 1);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(keyList_);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    split->setSizes({170, 600});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->legend->setVisible(false);
    plot_->legend->setFont(font());
    // The legend in its own row under the axes, wrapped into columns: never over the curves.
    plot_->axisRect()->insetLayout()->take(plot_->legend); // placed under the axes once it lists a curve
    plot_->legend->setFillOrder(QCPLegend::foColumnsFirst);
    plot_->legend->setWrap(3);
    plot_->legend->setMargins(QMargins(6, 2, 6, 2));
    plot_->xAxis->setLabel(tr("step"));
    plot_->setNoAntialiasingOnDrag(true);
    plot_->setPlottingHint(QCP::phFastPolylines, true);
    applyPalette();

    redrawTimer_->setSingleShot(true);
    redrawTimer_->setInterval(50);
    connect(redrawTimer_, &QTimer::timeout, this, &MetricPlotWidget::redrawNow);
    connect(smoothingSlider_, &QSlider::valueChanged, this, [this](int v) { setSmoothing(v / 100.0); });
    connect(logScale_, &QCheckBox::toggled, this, &MetricPlotWidget::setLogScale);
    connect(xChoice_, &QComboBox::currentIndexChanged, this,
            [this](int i) { setXAxis(i == 0 ? XAxis::Step : XAxis::WallTime); });
    connect(seedChoice_, &QComboBox::currentIndexChanged, this, [this](int i) { setSeedView(SeedView(i)); });
    // Only the user's opening and closing reach these: the list is rebuilt with signals blocked.
    connect(keyList_, &QTreeWidget::itemExpanded, this, [this](QTreeWidgetItem* item) {
        if (!item->parent()) groupExpanded_[item->text(0)] = true;
    });
    connect(keyList_, &QTreeWidget::itemCollapsed, this, [this](QTreeWidgetItem* item) {
        if (!item->parent()) groupExpanded_[item->text(0)] = false;
    });
    connect(keyList_, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem* item) {
        const QString key = item->data(0, Qt::UserRole).toString();
        if (key.isEmpty()) return;
        checked_[key] = item->checkState(0) == Qt::Checked;
        structureDirty_ = true;
        scheduleRedraw();
    });
    // Zoom or pan by the user: stop following the data and decimate for the new range. A double
    // click returns to following.
    connect(plot_, &QCustomPlot::mouseWheel, this, [this] { followData_ = false; scheduleRedraw(); });
    connect(plot_, &QCustomPlot::mouseRelease, this, [this] { followData_ = false; scheduleRedraw(); });
    connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this] { followData_ = true; scheduleRedraw(); });
}

void MetricPlotWidget::applyPalette() {
    const QPalette& pal = palette();
    plot_->setBackground(pal.color(QPalette::Base));
    for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis}) {
        axis->setBasePen(QPen(pal.color(QPalette::Text)));
        axis->setTickPen(QPen(pal.color(QPalette::Text)));
        axis->setSubTickPen(QPen(pal.color(QPalette::Text)));
        axis->setTickLabelColor(pal.color(QPalette::Text));
        axis->setLabelColor(pal.color(QPalette::Text));
        axis->grid()->setPen(QPen(pal.color(QPalette::Mid), 0, Qt::DotLine));
    }
    plot_->legend->setBrush(pal.color(QPalette::Base));
    plot_->legend->setBorderPen(QPen(pal.color(QPalette::Mid)));
    plot_->legend->setTextColor(pal.color(QPalette::Text));
}

void MetricPlotWidget::changeEvent(QEvent* e) {
    // The desktop switched between light and dark.
    if (e->type() == QEvent::PaletteChange) {
        applyPalette();
        scheduleRedraw();
    }
    QWidget::changeEvent(e);
}

void MetricPlotWidget::setRuns(const QList<qint64>& runIds, const QMap<qint64, QString>& names,
                               const QList<PlotSeedGroup>& groups) {
    for (const qint64 id : data_.keys())
        if (!runIds.contains(id)) data_.remove(id);
    runs_ = runIds;
    names_ = names;
    groups_.clear();
    for (PlotSeedGroup g : groups) {
        g.runs.erase(std::remove_if(g.runs.begin(), g.runs.end(), [&](qint64 id) { return !runIds.contains(id); }),
                     g.runs.end());
        if (g.runs.size() >= 2) groups_ << g;
    }
    seedChoice_->setVisible(!groups_.isEmpty());
    followData_ = true;
    structureDirty_ = true;
    updateKeyList();
    scheduleRedraw();
}

void MetricPlotWidget::setSeries(qint64 runId, const QString& key, const QVector<double>& steps,
                                 const QVector<double>& wallTimes, const QVector<double>& values) {
    const bool isNew = !data_.value(runId).contains(key);
    data_[runId][key] = Series{steps, wallTimes, values};
    stale_.insert({runId, key});
    if (isNew) {
        structureDirty_ = true;
        updateKeyList();
    }
    scheduleRedraw();
}

void MetricPlotWidget::appendPoints(qint64 runId, const QString& key, const QVector<double>& steps,
                                    const QVector<double>& wallTimes, const QVector<double>& values) {
    if (!data_.value(runId).contains(key)) return setSeries(runId, key, steps, wallTimes, values);
    Series& s = data_[runId][key];
    s.step += steps;
    s.wall += wallTimes;
    s.value += values;
    stale_.insert({runId, key});
    scheduleRedraw();
}

qint64 MetricPlotWidget::lastStep(qint64 runId, const QString& key) const {
    const auto runIt = data_.find(runId);
    if (runIt == data_.end() || !runIt->contains(key) || runIt->value(key).step.isEmpty()) return -1;
    return qint64(runIt->value(key).step.back());
}

int MetricPlotWidget::pointCount(qint64 runId, const QString& key) const {
    return int(data_.value(runId).value(key).value.size());
}

QStringList MetricPlotWidget::keys() const {
    QStringList out;
    for (const auto& run : data_)
        for (auto it = run.begin(); it != run.end(); ++it) out << it.key();
    out.removeDuplicates();
    out.sort();
    return out;
}

void MetricPlotWidget::updateKeyList() {
    const QSignalBlocker block(keyList_);
    keyList_->clear();
    QMap<QString, QTreeWidgetItem*> groups;
    for (const QString& key : keys()) {
        const QString prefix = prefixOf(key);
        QTreeWidgetItem*& group = groups[prefix];
        if (!group) {
            group = new QTreeWidgetItem(keyList_, {prefix});
            group->setFlags(Qt::ItemIsEnabled);
        }
        auto* item = new QTreeWidgetItem(group, {key.contains('/') ? key.mid(key.indexOf('/') + 1) : key});
        item->setData(0, Qt::UserRole, key);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        if (!checked_.contains(key)) checked_[key] = checkedByDefault(key);
        item->setCheckState(0, checked_[key] ? Qt::Checked : Qt::Unchecked);
    }
    // A group the user opened or closed stays so; any other is open unless it is a long list (the
    // per-class curves: val_iou/…, val_ap/…) none of whose keys is drawn.
    constexpr int kLongGroup = 10;
    for (auto it = groups.begin(); it != groups.end(); ++it) {
        bool anyDrawn = false;
        for (int c = 0; c < it.value()->childCount(); ++c)
            anyDrawn = anyDrawn || it.value()->child(c)->checkState(0) == Qt::Checked;
        it.value()->setExpanded(groupExpanded_.value(it.key(), it.value()->childCount() <= kLongGroup || anyDrawn));
    }
}

void MetricPlotWidget::setKeyChecked(const QString& key, bool on) {
    checked_[key] = on;
    updateKeyList();
    structureDirty_ = true;
    scheduleRedraw();
}

QStringList MetricPlotWidget::checkedKeys() const {
    QStringList out;
    for (const QString& key : keys())
        if (checked_.value(key, checkedByDefault(key))) out << key;
    return out;
}

void MetricPlotWidget::setSmoothing(double weight) {
    smoothing_ = std::clamp(weight, 0.0, 0.99);
    smoothingValue_->setText(QString::number(smoothing_, 'f', 2));
    full_.clear();
    if (smoothingSlider_->value() != int(std::lround(smoothing_ * 100))) smoothingSlider_->setValue(int(std::lround(smoothing_ * 100)));
    scheduleRedraw();
}

void MetricPlotWidget::setLogScale(bool on) {
    if (logScale_->isChecked() != on) logScale_->setChecked(on);
    plot_->yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (on) plot_->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new DecadeTicker));
    else plot_->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    followData_ = true;
    scheduleRedraw();
}

void MetricPlotWidget::setXAxis(XAxis axis) {
    xAxis_ = axis;
    full_.clear();
    if (xChoice_->currentIndex() != int(axis)) xChoice_->setCurrentIndex(int(axis));
    plot_->xAxis->setLabel(axis == XAxis::Step ? tr("step") : tr("wall time since the run's first point (min)"));
    followData_ = true;
    scheduleRedraw();
}

void MetricPlotWidget::setSeedView(SeedView view) {
    seedView_ = view;
    full_.clear();
    if (seedChoice_->currentIndex() != int(view)) seedChoice_->setCurrentIndex(int(view));
    structureDirty_ = true;
    scheduleRedraw();
}

void MetricPlotWidget::scheduleRedraw() {
    if (!redrawTimer_->isActive()) redrawTimer_->start();
}

void MetricPlotWidget::rebuildGraphs() {
    full_.clear();
    plot_->clearGraphs();
    graphs_.clear();
    bands_.clear();
    const QStringList keys = checkedKeys();
    // What is drawn: each run, or in its place the band of its seed group (at its first member).
    QMap<qint64, int> groupOf;
    if (seedView_ != SeedView::Runs)
        for (int g = 0; g < groups_.size(); ++g)
            for (const qint64 run : groups_[g].runs) groupOf.insert(run, g);
    QList<qint64> curves;
    for (const qint64 run : runs_)
        if (!groupOf.contains(run) || groups_[groupOf[run]].runs.front() == run) curves << run;
    const bool byKey = curves.size() <= 1;
    for (int r = 0; r < curves.size(); ++r) {
        const qint64 run = curves[r];
        const int group = groupOf.value(run, -1);
        const QList<qint64> members = group >= 0 ? groups_[group].runs : QList<qint64>{run};
        const QString name = group >= 0 ? groups_[group].name : names_.value(run, tr("run %1").arg(run));
        for (int k = 0; k < keys.size(); ++k) {
            bool any = false;
            for (const qint64 m : members) any = any || data_.value(m).contains(keys[k]);
            if (!any) continue;
            const QColor colour = kPalette[(byKey ? k : r) % 10];
            QCPGraph* g = plot_->addGraph();
            g->setPen(QPen(colour, 1.5, byKey ? Qt::SolidLine : kStyles[k % 5]));
            g->setName(byKey ? (group >= 0 ? name + " · " + keys[k] : keys[k]) : name + " · " + keys[k]);
            g->setAdaptiveSampling(false); // decimated here, for the visible range
            if (isValidationKey(keys[k])) g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, colour, 5));
            if (group < 0) {
                graphs_.insert({run, keys[k]}, g);
                continue;
            }
            // The band: two borderless curves, the upper filled down to the lower, out of the legend.
            BandGraphs band{g, plot_->addGraph(), plot_->addGraph()};
            QColor fill = colour;
            fill.setAlpha(50);
            for (QCPGraph* edge : {band.low, band.high}) {
                edge->setPen(Qt::NoPen);
                edge->setAdaptiveSampling(false);
                edge->removeFromLegend();
            }
            band.low->setName(g->name() + " (low)");
            band.high->setName(g->name() + " (high)");
            band.high->setBrush(fill);
            band.high->setChannelFillGraph(band.low);
            bands_.insert({group, keys[k]}, band);
        }
    }
    const bool anyCurve = !graphs_.isEmpty() || !bands_.isEmpty();
    // An empty legend in the layout would cap the axes' width at its own (QCustomPlot takes the
    // smallest maximum of a column): it leaves the layout while there is nothing to list.
    const bool inLayout = plot_->legend->layout() == plot_->plotLayout();
    if (!anyCurve && inLayout) {
        plot_->plotLayout()->take(plot_->legend);
        plot_->plotLayout()->simplify();
    } else if (anyCurve && !inLayout) {
        plot_->plotLayout()->addElement(1, 0, plot_->legend);
        plot_->plotLayout()->setRowStretchFactor(1, 0.001);
    }
    plot_->legend->setVisible(anyCurve);
    structureDirty_ = false;
}

mtl::XYSeries MetricPlotWidget::fullSeries(qint64 run, const QString& key) const {
    const Series s = data_.value(run).value(key);
    mtl::XYSeries xy;
    if (xAxis_ == XAxis::Step) {
        xy.x.assign(s.step.begin(), s.step.end());
    } else {
        const double t0 = s.wall.isEmpty() ? 0 : s.wall.front();
        xy.x.reserve(std::size_t(s.wall.size()));
        for (const double t : s.wall) xy.x.push_back((t - t0) / 60.0);
    }
    xy.y.assign(s.value.begin(), s.value.end());
    if (smoothing_ > 0 && !isValidationKey(key)) xy.y = mtl::smoothEma(xy.y, smoothing_);
    return xy;
}

void MetricPlotWidget::refreshGraphData() {
    // x and smoothed y at full resolution (kept until their data, the smoothing, the axis or the
    // graphs change), then the range, then decimation for that range. A seed group's band is made
    // of its members' smoothed series, step by step.
    for (auto it = graphs_.begin(); it != graphs_.end(); ++it)
        if (!full_.contains(it.value()) || stale_.contains(it.key()))
            full_.insert(it.value(), fullSeries(it.key().first, it.key().second));
    for (auto it = bands_.begin(); it != bands_.end(); ++it) {
        const QList<qint64>& runs = groups_[it.key().first].runs;
        bool stale = !full_.contains(it.value().mean);
        for (const qint64 run : runs) stale = stale || stale_.contains({run, it.key().second});
        if (!stale) continue;
        std::vector<mtl::StepSeries> members;
        for (const qint64 run : runs) {
            if (!data_.value(run).contains(it.key().second)) continue;
            mtl::XYSeries xy = fullSeries(run, it.key().second);
            const QVector<double>& steps = data_[run][it.key().second].step;
            members.push_back({std::vector<double>(steps.begin(), steps.end()), std::move(xy.x), std::move(xy.y)});
        }
        mtl::BandSeries band = mtl::seedBand(members, seedView_ == SeedView::MeanMinMax ? mtl::BandKind::MinMax
                                                                                        : mtl::BandKind::StdDev);
        full_.insert(it.value().mean, {band.x, std::move(band.mean)});
        full_.insert(it.value().low, {band.x, std::move(band.low)});
        full_.insert(it.value().high, {std::move(band.x), std::move(band.high)});
    }
    stale_.clear();
    const QMap<QCPGraph*, mtl::XYSeries>& full = full_;
    double xMin = INFINITY, xMax = -INFINITY;
    for (const mtl::XYSeries& xy : full)
        if (!xy.x.empty()) {
            xMin = std::min(xMin, xy.x.front());
            xMax = std::max(xMax, xy.x.back());
        }
    if (followData_ && xMax >= xMin) plot_->xAxis->setRange(xMin, xMax > xMin ? xMax : xMin + 1);
    const QCPRange range = plot_->xAxis->range();
    const std::size_t columns = std::size_t(std::max(1, plot_->axisRect()->width()));
    QMap<QCPGraph*, mtl::Envelope> edges;
    for (const BandGraphs& band : bands_) edges.insert(band.low, mtl::Envelope::Lower), edges.insert(band.high, mtl::Envelope::Upper);
    for (auto it = full.begin(); it != full.end(); ++it) {
        const mtl::XYSeries shown =
            edges.contains(it.key())
                ? mtl::decimateEnvelope(it.value(), range.lower, range.upper, columns, edges.value(it.key()))
                : mtl::decimateMinMax(it.value(), range.lower, range.upper, columns);
        it.key()->setData(QVector<double>(shown.x.begin(), shown.x.end()), QVector<double>(shown.y.begin(), shown.y.end()),
                          /*alreadySorted=*/true);
    }
    if (followData_) {
        bool found = false;
        QCPRange y;
        for (int i = 0; i < plot_->graphCount(); ++i) {
            const QCPGraph* g = plot_->graph(i);
            bool ok = false;
            const QCPRange r = g->getValueRange(ok, QCP::sdBoth, plot_->xAxis->range());
            if (!ok) continue;
            y = found ? QCPRange(std::min(y.lower, r.lower), std::max(y.upper, r.upper)) : r;
            found = true;
        }
        if (found) {
            const double pad = (y.upper - y.lower) * 0.05;
            if (plot_->yAxis->scaleType() == QCPAxis::stLogarithmic) plot_->yAxis->setRange(y.lower * 0.9, y.upper * 1.1);
            else plot_->yAxis->setRange(y.lower - pad, y.upper + (pad > 0 ? pad : 1));
        }
    }
}

void MetricPlotWidget::redrawNow() {
    redrawTimer_->stop();
    if (structureDirty_) {
        rebuildGraphs();
        // The legend's row changes the axes' size, which decimation needs before the replot.
        for (const auto phase : {QCPLayoutElement::upPreparation, QCPLayoutElement::upMargins, QCPLayoutElement::upLayout})
            plot_->plotLayout()->update(phase);
    }
    refreshGraphData();
    plot_->replot(QCustomPlot::rpImmediateRefresh);
}

int MetricPlotWidget::drawnPointCount(qint64 runId, const QString& key) const {
    const QCPGraph* g = graphs_.value({runId, key});
    return g ? g->dataCount() : 0;
}

bool MetricPlotWidget::exportTo(const QString& path) {
    redrawNow();
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "png") return plot_->savePng(path, 0, 0, 2.0);
    if (suffix == "pdf") return plot_->savePdf(path);
    if (suffix == "svg") return writePlotSvg(plot_, path);
    return false;
}
