#include "widgets/QualitativeViewer.h"

#include "widgets/ImageRankingPanel.h"

#include "widgets/ZoomPane.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QPushButton>
#include <QSlider>
#include <QSplitter>
#include <QThreadPool>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

namespace {
constexpr std::size_t kCacheSize = 64;
constexpr int kClassRole = Qt::UserRole + 1; // (task << 16) | class

QIcon swatch(const QColor& c) {
    QPixmap p(12, 12);
    p.fill(c);
    return QIcon(p);
}
} // namespace

QualitativeViewer::QualitativeViewer(QWidget* parent)
    : QWidget(parent), predictors_(std::make_shared<QHash<qint64, ViewerRun::Opened>>()),
      worker_(new QThreadPool(this)), view_(new ViewState(this)), opacity_(new QSlider(Qt::Horizontal, this)),
      threshold_(new QSlider(Qt::Horizontal, this)), thresholdValue_(new QLabel(this)),
      errorView_(new QCheckBox(tr("Errors (≠ ground truth)"), this)), legend_(new QListWidget(this)),
      caption_(new QLabel(this)), ranking_(new ImageRankingPanel(this)) {
    worker_->setMaxThreadCount(1); // one model at a time: predictors are not thread-safe
    setFocusPolicy(Qt::StrongFocus);
    opacity_->setRange(0, 100);
    opacity_->setValue(int(options_.opacity * 100));
    threshold_->setRange(0, 100);
    threshold_->setValue(int(options_.scoreThreshold * 100));
    thresholdValue_->setText(QString::number(options_.scoreThreshold, 'f', 2));
    auto* previous = new QPushButton(tr("◀"), this);
    auto* next = new QPushButton(tr("▶"), this);
    auto* exportButton = new QPushButton(tr("Export PNG…"), this);
    for (QWidget* w : std::initializer_list<QWidget*>{previous, next, exportButton, opacity_, threshold_, errorView_})
        w->setFocusPolicy(Qt::NoFocus); // arrow keys stay with the viewer
    auto* bar = new QHBoxLayout;
    bar->addWidget(previous);
    bar->addWidget(caption_, 1);
    bar->addWidget(next);
    bar->addWidget(new QLabel(tr("Opacity"), this));
    bar->addWidget(opacity_);
    bar->addWidget(new QLabel(tr("Score ≥"), this));
    bar->addWidget(threshold_);
    bar->addWidget(thresholdValue_);
    bar->addWidget(errorView_);
    bar->addWidget(exportButton);

    auto* grid = new QGridLayout;
    for (int i = 0; i < 1 + kMaxRuns; ++i) {
        auto* pane = new ZoomPane(view_, this);
        panes_ << pane;
        grid->addWidget(pane, i / 3, i % 3);
        pane->setVisible(i == 0);
    }
    auto* panes = new QWidget(this);
    panes->setLayout(grid);
    legend_->setFocusPolicy(Qt::NoFocus);
    auto* side = new QSplitter(Qt::Vertical, this); // the ranking above the class legend
    side->addWidget(ranking_);
    side->addWidget(legend_);
    side->setMaximumWidth(260);
    side->setSizes({500, 500}); // the ranking and the legend share the height (scaled at the first layout)
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(panes);
    split->addWidget(side);
    split->setStretchFactor(0, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    caption_->setAlignment(Qt::AlignCenter);
    caption_->setText(tr("No validation images"));

    connect(previous, &QPushButton::clicked, this, [this] { step(-1); });
    connect(next, &QPushButton::clicked, this, [this] { step(+1); });
    connect(ranking_, &ImageRankingPanel::rankingChanged, this, &QualitativeViewer::applyRanking);
    connect(ranking_, &ImageRankingPanel::imageChosen, this, [this](const QString& id) {
        if (!dataset_) return;
        for (std::size_t i = 0; i < dataset_->size(); ++i)
            if (dataset_->id(i) == id.toStdString()) return showIndex(int(i));
    });
    connect(opacity_, &QSlider::valueChanged, this, [this](int v) { setOpacity(v / 100.0); });
    connect(threshold_, &QSlider::valueChanged, this, [this](int v) { setScoreThreshold(v / 100.0); });
    connect(errorView_, &QCheckBox::toggled, this, &QualitativeViewer::setErrorView);
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export composite"), "composite.png", "PNG (*.png)");
        if (!path.isEmpty()) exportComposite(path);
    });
    connect(legend_, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
        const int key = item->data(kClassRole).toInt();
        auto& hidden = (key >> 16) == int(mtl::Task::Segmentation) ? options_.hiddenSegClasses : options_.hiddenDetClasses;
        hidden[std::size_t(key & 0xffff)] = item->checkState() != Qt::Checked;
        rerender();
    });
}

QualitativeViewer::~QualitativeViewer() {
    worker_->clear();
    worker_->waitForDone(); // a prediction still running uses predictors_, shared with the task
}

int QualitativeViewer::count() const { return dataset_ ? int(dataset_->size()) : 0; }

void QualitativeViewer::setDataset(std::shared_ptr<const mtl::Dataset> images) {
    dataset_ = std::move(images);
    cache_.clear();
    index_ = 0;
    applyRanking(false);
    rebuildLegend();
    loadImage();
}

void QualitativeViewer::rebuildLegend() {
    const QSignalBlocker block(legend_);
    legend_->clear();
    if (!dataset_) return;
    const auto add = [this](mtl::Task task, const std::vector<std::string>& names, const QString& title) {
        auto* header = new QListWidgetItem(title, legend_);
        header->setFlags(Qt::ItemIsEnabled);
        QFont f = header->font();
        f.setBold(true);
        header->setFont(f);
        for (std::size_t c = 0; c < names.size(); ++c) {
            auto* item = new QListWidgetItem(QString::fromStdString(names[c]), legend_);
            item->setIcon(swatch(task == mtl::Task::Segmentation ? segClassColour(int(c)) : detClassColour(int(c))));
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
            const auto& hidden = task == mtl::Task::Segmentation ? options_.hiddenSegClasses : options_.hiddenDetClasses;
            item->setCheckState(hidden[c] ? Qt::Unchecked : Qt::Checked);
            item->setData(kClassRole, (int(task) << 16) | int(c));
        }
    };
    add(mtl::Task::Segmentation, dataset_->classes().seg, tr("Segmentation"));
    add(mtl::Task::Detection, dataset_->classes().det, tr("Detection"));
}

void QualitativeViewer::setRuns(const QList<ViewerRun>& runs) {
    // A run shown before under another version (new weights): its predictions and predictor go.
    QList<qint64> renewed;
    for (const ViewerRun& r : runs.mid(0, kMaxRuns))
        for (const ViewerRun& old : runs_)
            if (old.id == r.id && old.version != r.version) renewed << r.id;
    if (!renewed.isEmpty()) {
        cache_.remove_if([&](const auto& e) { return renewed.contains(e.first.first); });
        for (const qint64 id : renewed) sources_.remove(id);
        worker_->start([predictors = predictors_, renewed] {
            for (const qint64 id : renewed) predictors->remove(id);
        });
    }
    runs_ = runs.mid(0, kMaxRuns);
    runsPending_ = window()->isVisible() && !isVisible();
    if (!runsPending_) applyRuns();
}

void QualitativeViewer::showEvent(QShowEvent* e) {
    QWidget::showEvent(e);
    if (runsPending_) {
        runsPending_ = false;
        applyRuns();
    }
}

void QualitativeViewer::applyRuns() {
    // Predictors of runs no longer shown are dropped in the worker, where they live.
    QList<qint64> keep;
    for (const auto& r : runs_) keep << r.id;
    worker_->start([predictors = predictors_, keep] {
        for (const qint64 id : predictors->keys())
            if (!keep.contains(id)) predictors->remove(id);
    });
    for (int i = 0; i < panes_.size(); ++i) panes_[i]->setVisible(i <= runs_.size());
    // A run no longer shown takes its error message with it.
    if (!image_.isNull()) caption_->setText(imageCaption());
    requestPredictions();
    rerender();
}

void QualitativeViewer::cachePut(qint64 runId, int index, std::shared_ptr<const mtl::ImagePrediction> p) {
    const auto key = qMakePair(runId, index);
    cache_.remove_if([&](const auto& e) { return e.first == key; });
    cache_.emplace_front(key, std::move(p));
    if (cache_.size() > kCacheSize) cache_.pop_back();
}

void QualitativeViewer::setPrediction(qint64 runId, int index, const mtl::ImagePrediction& prediction) {
    cachePut(runId, index, std::make_shared<const mtl::ImagePrediction>(prediction));
    if (index == index_) rerender();
}

void QualitativeViewer::showIndex(int index) {
    if (!dataset_ || dataset_->size() == 0) return;
    index_ = std::clamp(index, 0, int(dataset_->size()) - 1);
    loadImage();
}

void QualitativeViewer::loadImage() {
    if (!dataset_ || dataset_->size() == 0) {
        image_ = QImage();
        truth_ = {};
        rerender();
        return;
    }
    try {
        truth_ = dataset_->load(std::size_t(index_));
        image_ = rgbImage(truth_.image);
        caption_->setText(imageCaption());
    } catch (const std::exception& e) {
        truth_ = {};
        image_ = QImage();
        caption_->setText(QString::fromStdString(e.what()));
    }
    requestPredictions();
    rerender();
}

void QualitativeViewer::applyRanking(bool showFirst) {
    order_.clear();
    rankOf_.clear();
    rankValues_.clear();
    if (dataset_) {
        QHash<QString, int> indexOf;
        for (std::size_t i = 0; i < dataset_->size(); ++i) indexOf.insert(QString::fromStdString(dataset_->id(i)), int(i));
        for (std::size_t r = 0; r < ranking_->ranking().size(); ++r) {
            const auto it = indexOf.find(QString::fromStdString(ranking_->ranking()[r].id));
            if (it == indexOf.end()) continue; // an image the viewer's set does not hold
            rankOf_.insert(it.value(), int(order_.size()));
            order_ << it.value();
            rankValues_ << ranking_->valueTexts().value(int(r));
        }
    }
    // A ranking the user chose starts at its first image (the worst); one re-ranked by new results
    // keeps the image shown, unless it left the ranking.
    if (!order_.isEmpty() && dataset_ && (showFirst || !rankOf_.contains(index_))) showIndex(order_.front());
    else if (dataset_ && !image_.isNull()) caption_->setText(imageCaption());
}

void QualitativeViewer::step(int delta) {
    if (order_.isEmpty() || !rankOf_.contains(index_)) return showIndex(index_ + delta);
    showIndex(order_[std::clamp(rankOf_[index_] + delta, 0, int(order_.size()) - 1)]);
}

QString QualitativeViewer::imageCaption() const {
    const QString plain = tr("%1 / %2: %3").arg(index_ + 1).arg(dataset_->size()).arg(QString::fromStdString(truth_.id));
    if (!rankOf_.contains(index_)) return plain;
    const int rank = rankOf_.value(index_);
    return tr("rank %1 / %2 (%3) · %4").arg(rank + 1).arg(order_.size()).arg(rankValues_.value(rank), plain);
}

void QualitativeViewer::requestPredictions() {
    if (image_.isNull()) return;
    for (const ViewerRun& run : runs_) {
        const auto key = qMakePair(run.id, index_);
        const bool cached = std::any_of(cache_.begin(), cache_.end(), [&](const auto& e) { return e.first == key; });
        if (cached || inFlight_.contains(key) || !run.open) continue;
        inFlight_.insert(key, true);
        const cv::Mat rgb = truth_.image.clone();
        struct Result {
            std::shared_ptr<const mtl::ImagePrediction> prediction;
            QString error, source;
        };
        auto future = QtConcurrent::run(worker_, [predictors = predictors_, run, rgb]() {
            try {
                if (!predictors->contains(run.id)) predictors->insert(run.id, run.open());
                const ViewerRun::Opened& opened = (*predictors)[run.id];
                return Result{std::make_shared<const mtl::ImagePrediction>(opened.predict(rgb)), {}, opened.source};
            } catch (const std::exception& e) {
                return Result{nullptr, QString::fromStdString(e.what()), {}};
            }
        });
        future.then(this, [this, key, version = run.version](const Result& result) {
            inFlight_.remove(key);
            const bool shown = std::any_of(runs_.begin(), runs_.end(), [&](const ViewerRun& r) { return r.id == key.first; });
            // Weights renewed while this prediction ran: it is stale, ask again with the new ones.
            const bool stale = std::any_of(runs_.begin(), runs_.end(),
                                           [&](const ViewerRun& r) { return r.id == key.first && r.version != version; });
            if (stale) {
                requestPredictions();
                if (inFlight_.isEmpty()) Q_EMIT predictionsReady();
                return;
            }
            if (result.prediction) {
                cachePut(key.first, key.second, result.prediction);
                sources_[key.first] = result.source;
            } else if (shown) {
                caption_->setText(tr("run %1: %2").arg(key.first).arg(result.error));
            }
            if (key.second == index_) rerender();
            if (inFlight_.isEmpty()) Q_EMIT predictionsReady();
        });
    }
}

void QualitativeViewer::rerender() {
    if (image_.isNull()) {
        for (ZoomPane* p : panes_) p->setImage({}, {});
        return;
    }
    OverlayInput truth;
    truth.image = &image_;
    truth.labels = &truth_.seg;
    std::vector<mtl::Detection> truthBoxes;
    for (const auto& b : truth_.boxes) truthBoxes.push_back({b, 1.0f});
    truth.detections = &truthBoxes;
    truth.detClassNames = dataset_->classes().det;
    OverlayOptions truthOptions = options_;
    truthOptions.errorView = false;
    truthOptions.showBoxScores = false;
    truthOptions.scoreThreshold = 0;
    // The panes render in parallel; captions and panes without a prediction are set here.
    // Box tags go to the panes, drawn at screen size over the zoomed image.
    truthOptions.drawBoxLabels = false;
    OverlayOptions runOptions = options_;
    runOptions.drawBoxLabels = false;
    std::vector<OverlayJob> jobs{{truth, truthOptions}};
    std::vector<int> paneOfJob{0};
    std::vector<QString> captions{tr("Ground truth")};
    for (int i = 0; i < runs_.size(); ++i) {
        const auto key = qMakePair(runs_[i].id, index_);
        const auto hit = std::find_if(cache_.begin(), cache_.end(), [&](const auto& e) { return e.first == key; });
        if (hit == cache_.end()) {
            panes_[i + 1]->setImage(image_, tr("%1 (predicting…)").arg(runs_[i].name));
            continue;
        }
        OverlayInput in;
        in.image = &image_;
        in.labels = &hit->second->labels;
        in.truthLabels = &truth_.seg;
        in.detections = &hit->second->detections;
        in.detClassNames = truth.detClassNames;
        const auto shown = visibleDetections(hit->second->detections, options_);
        jobs.push_back({in, runOptions});
        paneOfJob.push_back(i + 1);
        QString caption = runs_[i].name;
        if (!sources_.value(runs_[i].id).isEmpty()) caption += " (" + sources_.value(runs_[i].id) + ")";
        caption += shown.size() == 1 ? tr(" — 1 box") : tr(" — %1 boxes").arg(shown.size());
        // No box at this threshold while the run has some below it: say how low they go.
        float best = 0;
        for (const mtl::Detection& d : hit->second->detections) best = std::max(best, d.score);
        if (shown.empty() && best > 0)
            caption += tr(" ≥ %1 (best score %2: lower the threshold)").arg(options_.scoreThreshold, 0, 'f', 2).arg(best, 0, 'f', 2);
        captions.push_back(caption);
    }
    const std::vector<QImage> images = renderOverlays(jobs);
    for (std::size_t j = 0; j < images.size(); ++j)
        panes_[paneOfJob[j]]->setImage(images[j], captions[j], boxLabels(jobs[j].input, jobs[j].options));
}

void QualitativeViewer::setOpacity(double opacity) {
    options_.opacity = std::clamp(opacity, 0.0, 1.0);
    if (opacity_->value() != int(std::lround(options_.opacity * 100))) opacity_->setValue(int(std::lround(options_.opacity * 100)));
    rerender();
}

void QualitativeViewer::setScoreThreshold(double threshold) {
    options_.scoreThreshold = std::clamp(threshold, 0.0, 1.0);
    thresholdValue_->setText(QString::number(options_.scoreThreshold, 'f', 2));
    if (threshold_->value() != int(std::lround(options_.scoreThreshold * 100)))
        threshold_->setValue(int(std::lround(options_.scoreThreshold * 100)));
    rerender();
}

void QualitativeViewer::setErrorView(bool on) {
    options_.errorView = on;
    if (errorView_->isChecked() != on) errorView_->setChecked(on);
    rerender();
}

void QualitativeViewer::setClassVisible(mtl::Task task, int cls, bool visible) {
    auto& hidden = task == mtl::Task::Segmentation ? options_.hiddenSegClasses : options_.hiddenDetClasses;
    hidden[std::size_t(cls)] = !visible;
    rebuildLegend();
    rerender();
}

int QualitativeViewer::paneCount() const { return 1 + int(runs_.size()); }
const QImage& QualitativeViewer::paneImage(int pane) const { return panes_.at(pane)->image(); }
QString QualitativeViewer::paneCaption(int pane) const { return panes_.at(pane)->caption(); }
QStringList QualitativeViewer::paneLabels(int pane) const {
    QStringList out;
    for (const BoxLabel& l : panes_.at(pane)->labels()) out << l.text;
    return out;
}

QImage QualitativeViewer::composite() const {
    const int n = paneCount();
    if (image_.isNull() || n == 0) return {};
    const int columns = n <= 3 ? n : 3, rows = (n + columns - 1) / columns;
    const int caption = std::max(20, image_.height() / 30), gap = 4;
    const int w = image_.width(), h = image_.height();
    QImage out(columns * w + (columns - 1) * gap, rows * (h + caption) + (rows - 1) * gap, QImage::Format_RGB888);
    out.fill(Qt::white);
    QPainter p(&out);
    QFont f = p.font();
    f.setPixelSize(caption * 3 / 4);
    p.setFont(f);
    for (int i = 0; i < n; ++i) {
        const int x = (i % columns) * (w + gap), y = (i / columns) * (h + caption + gap);
        p.setPen(Qt::black);
        p.drawText(QRect(x, y, w, caption), Qt::AlignCenter, panes_[i]->caption());
        p.drawImage(x, y + caption, panes_[i]->image());
        // The tags at the size renderOverlay draws them into an image of this height.
        QFont tagFont = f;
        tagFont.setPixelSize(std::max(10, h / 60));
        p.setFont(tagFont);
        for (const BoxLabel& label : panes_[i]->labels()) drawBoxLabel(p, QPointF(x, y + caption) + label.anchor, label);
        p.setFont(f);
    }
    return out;
}

bool QualitativeViewer::exportComposite(const QString& path) const {
    const QImage c = composite();
    return !c.isNull() && c.save(path, "PNG");
}

void QualitativeViewer::keyPressEvent(QKeyEvent* e) {
    switch (e->key()) {
    case Qt::Key_Right: case Qt::Key_PageDown: step(+1); break;
    case Qt::Key_Left: case Qt::Key_PageUp: step(-1); break;
    case Qt::Key_Home: showIndex(order_.isEmpty() ? 0 : order_.front()); break;
    case Qt::Key_End: showIndex(order_.isEmpty() ? count() - 1 : order_.back()); break;
    case Qt::Key_Plus: case Qt::Key_Equal: view_->set(view_->zoom() * 1.25, view_->centre()); break;
    case Qt::Key_Minus: view_->set(view_->zoom() / 1.25, view_->centre()); break;
    case Qt::Key_0: view_->reset(); break;
    case Qt::Key_E: setErrorView(!options_.errorView); break;
    default: QWidget::keyPressEvent(e);
    }
}
