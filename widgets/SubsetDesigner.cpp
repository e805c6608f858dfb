#include "widgets/SubsetDesigner.h"

#include "core/common/Error.h"
#include "core/common/Paths.h"
#include "core/data/Dataset.h"
#include "widgets/SubsetCanvas.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <set>

namespace {
constexpr int kThumbnails = 6;
constexpr int kThumbHeight = 64;
const mtl::Sampling kSamplings[] = {mtl::Sampling::Implicit, mtl::Sampling::Explicit};
const char* const kLuScopes[] = {"unlabeled", "all"};

QImage thumbnailOf(const cv::Mat& rgb) {
    const QImage full(rgb.data, rgb.cols, rgb.rows, int(rgb.step[0]), QImage::Format_RGB888);
    return full.scaledToHeight(kThumbHeight, Qt::SmoothTransformation);
}

std::string countText(std::size_t k, std::size_t n) { return k == n ? "all" : std::to_string(k); }
} // namespace

SubsetDesigner::SubsetDesigner(QWidget* parent)
    : QWidget(parent), canvas_(new SubsetCanvas(this)), preset_(new QComboBox(this)), det_(new QSpinBox(this)),
      seg_(new QSpinBox(this)), nested_(new QCheckBox(tr("Segmentation inside detection"), this)),
      counts_(new QLabel(this)), thumbnails_(new QLabel(this)), seeds_(new QLineEdit("0", this)),
      plan_(new QLabel(this)), start_(new QPushButton(tr("Queue runs"), this)) {
    for (const auto& p : mtl::paperPresets()) preset_->addItem(QString::fromStdString(p.label()));
    preset_->addItem(tr("Custom"));

    auto* split = new QFormLayout;
    split->addRow(tr("Preset (paper, Fig. 1)"), preset_);
    split->addRow(tr("Detection labels"), det_);
    split->addRow(tr("Segmentation labels"), seg_);
    split->addRow(QString(), nested_);
    counts_->setTextFormat(Qt::RichText);
    counts_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    split->addRow(counts_);
    auto* files = new QHBoxLayout;
    auto* save = new QPushButton(tr("Save split…"), this);
    auto* open = new QPushButton(tr("Open split…"), this);
    save->setToolTip(tr("Write this split as `mtlw split` does, for a config's data.split.file"));
    open->setToolTip(tr("Show a split file written by Save split or `mtlw split`"));
    files->addWidget(save);
    files->addWidget(open);
    files->addStretch(1);
    split->addRow(files);
    connect(save, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save split"), "split.json", tr("Split (*.json)"));
        if (path.isEmpty()) return;
        if (const QString error = saveSplit(path); !error.isEmpty()) QMessageBox::warning(this, tr("Cannot save the split"), error);
    });
    connect(open, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open split"), {}, tr("Split (*.json)"));
        if (path.isEmpty()) return;
        if (const QString error = openSplit(path); !error.isEmpty()) QMessageBox::warning(this, tr("Cannot open the split"), error);
    });

    auto* runs = new QGridLayout;
    runs->addWidget(new QLabel(tr("Method")), 0, 0);
    auto* methodRow = new QHBoxLayout;
    for (const mtl::LearningMethod m : mtl::LearningMethod::all()) {
        auto* box = new QCheckBox(QString::fromStdString(m.displayName()), this);
        box->setToolTip(QString::fromStdString(m.info().summary));
        methodRow->addWidget(box);
        methods_.push_back(box);
    }
    methodRow->addStretch(1);
    runs->addLayout(methodRow, 0, 1, 1, 3);
    runs->addWidget(new QLabel(tr("Sampling")), 1, 0);
    for (int i = 0; i < 2; ++i) runs->addWidget(samplings_[i] = new QCheckBox(QString::fromStdString(mtl::nameOf(kSamplings[i])), this), 1, i + 1);
    runs->addWidget(new QLabel(tr("Lu over")), 2, 0);
    runs->addWidget(luScopes_[0] = new QCheckBox(tr("unlabeled samples"), this), 2, 1);
    runs->addWidget(luScopes_[1] = new QCheckBox(tr("all samples"), this), 2, 2);
    runs->addWidget(new QLabel(tr("Seeds")), 3, 0);
    runs->addWidget(seeds_, 3, 1, 1, 3);
    seeds_->setObjectName("seeds");
    seeds_->setToolTip(tr("Comma-separated seeds (run seed and split seed), e.g. 0, 1, 2"));
    methods_.front()->setChecked(true);
    samplings_[0]->setChecked(true);
    luScopes_[0]->setChecked(true);
    auto* startRow = new QHBoxLayout;
    startRow->addWidget(plan_, 1);
    startRow->addWidget(start_);
    start_->setToolTip(tr("Queues every run of this grid with the split drawn here. The toolbar's Start trains the "
                          "loaded config as it is written."));
    runs->addLayout(startRow, 4, 0, 1, 4);

    auto* splitBox = new QGroupBox(tr("Labeled subsets"), this);
    splitBox->setLayout(split);
    auto* runsBox = new QGroupBox(tr("Runs"), this);
    runsBox->setLayout(runs);
    thumbnails_->setMinimumHeight(kThumbHeight);
    // A strip wider than the canvas is cut at its edge, never widens the window.
    thumbnails_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    thumbnails_->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    auto* side = new QVBoxLayout;
    side->addWidget(splitBox);
    side->addWidget(runsBox);
    side->addStretch(1);
    auto* left = new QVBoxLayout;
    left->addWidget(canvas_, 1);
    left->addWidget(thumbnails_);
    auto* layout = new QHBoxLayout(this);
    layout->addLayout(left, 3);
    layout->addLayout(side, 2);

    connect(preset_, qOverload<int>(&QComboBox::activated), this, [this](int i) {
        if (i < int(mtl::paperPresets().size())) applyPreset(i);
    });
    for (QSpinBox* s : {det_, seg_})
        connect(s, qOverload<int>(&QSpinBox::valueChanged), this, &SubsetDesigner::designEdited);
    connect(nested_, &QCheckBox::toggled, this, &SubsetDesigner::designEdited);
    connect(canvas_, &SubsetCanvas::designChanged, this, [this](const mtl::SubsetDesign& d) {
        preset_->setCurrentIndex(preset_->count() - 1);
        setDesign(d);
    });
    connect(canvas_, &SubsetCanvas::hovered, this,
            [this](SubsetCanvas::Part part, QPoint pos) { showThumbnails(int(part), pos); });
    for (QCheckBox* c : methods_) connect(c, &QCheckBox::toggled, this, &SubsetDesigner::refresh);
    for (QCheckBox* c : {samplings_[0], samplings_[1], luScopes_[0], luScopes_[1]})
        connect(c, &QCheckBox::toggled, this, &SubsetDesigner::refresh);
    connect(seeds_, &QLineEdit::textChanged, this, &SubsetDesigner::refresh);
    connect(start_, &QPushButton::clicked, this, [this] {
        try {
            Q_EMIT startRequested(plannedRuns());
        } catch (const std::exception& e) {
            QMessageBox::warning(this, tr("Cannot start"), QString::fromStdString(e.what()));
        }
    });
    setEnabled(false);
    counts_->setText(tr("Open an experiment to design its label split."));
}

SubsetDesigner::~SubsetDesigner() = default;

void SubsetDesigner::setExperiment(const mtl::ExperimentConfig& base, std::shared_ptr<const mtl::Dataset> train) {
    base_ = base;
    train_ = std::move(train);
    thumbCache_.clear();
    std::size_t pool = 0;
    for (std::size_t i = 0; i < train_->size(); ++i)
        pool += train_->labeled(i, mtl::Task::Segmentation) && train_->labeled(i, mtl::Task::Detection);
    const bool samePool = designed_ && design_.poolSize == pool;
    design_.poolSize = pool;
    setEnabled(pool > 0);
    if (pool == 0) {
        split_.reset();
        canvas_->setDesign(design_);
        counts_->setText(tr("%1 has no image labeled for both tasks.").arg(QString::fromStdString(train_->description())));
        return;
    }
    designed_ = true;
    if (samePool) {
        setDesign(design_);
        return;
    }
    setDesign({pool, pool, std::max<std::size_t>(1, pool / 8), true}); // stays if the preset does not fit
    applyPreset(0);
}

void SubsetDesigner::clearExperiment(const QString& why) {
    train_.reset();
    split_.reset();
    thumbCache_.clear();
    designed_ = false;
    design_.poolSize = 0;
    canvas_->setActualOverlap(-1);
    canvas_->setDesign(design_);
    thumbnails_->clear();
    counts_->setText(why.toHtmlEscaped());
    plan_->clear();
    setEnabled(false);
}

void SubsetDesigner::applyPreset(int index) {
    const auto& preset = mtl::paperPresets().at(std::size_t(index));
    preset_->setCurrentIndex(index);
    try {
        setDesign(mtl::designFromPreset(preset, design_.poolSize));
    } catch (const mtl::InputError& e) { // a fraction too small for this pool (1/32 of 20 images)
        counts_->setText(QString::fromStdString(e.what()));
    }
}

void SubsetDesigner::setDesign(const mtl::SubsetDesign& d) {
    design_ = d;
    updating_ = true;
    for (QSpinBox* s : {det_, seg_}) s->setRange(1, int(design_.poolSize));
    det_->setValue(int(d.kDet));
    seg_->setValue(int(d.kSeg));
    nested_->setChecked(d.nested);
    nested_->setEnabled(d.kSeg <= d.kDet && d.kDet < d.poolSize);
    updating_ = false;
    canvas_->setDesign(design_);
    refresh();
}

void SubsetDesigner::designEdited() {
    if (updating_) return;
    mtl::SubsetDesign d = design_;
    d.kDet = std::size_t(det_->value());
    d.kSeg = std::size_t(seg_->value());
    d.nested = nested_->isChecked() && d.kSeg <= d.kDet;
    preset_->setCurrentIndex(preset_->count() - 1);
    setDesign(d);
}

mtl::GridRequest SubsetDesigner::gridRequest() const {
    mtl::GridRequest r;
    r.setting = mtl::settingOf(design_);
    r.det = countText(design_.kDet, design_.poolSize);
    r.seg = countText(design_.kSeg, design_.poolSize);
    for (std::size_t i = 0; i < methods_.size(); ++i)
        if (methods_[i]->isChecked()) r.methods.push_back(mtl::LearningMethod::all().at(i));
    for (int i = 0; i < 2; ++i)
        if (samplings_[i]->isChecked()) r.samplings.push_back(kSamplings[i]);
    for (int i = 0; i < 2; ++i)
        if (luScopes_[i]->isChecked()) r.luScopes.push_back(kLuScopes[i]);
    std::set<std::int64_t> seen;
    for (const QString& part : seeds_->text().split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const qint64 seed = part.trimmed().toLongLong(&ok);
        if (ok && seed >= 0 && seen.insert(seed).second) r.seeds.push_back(seed);
    }
    return r;
}

std::vector<mtl::ExperimentConfig> SubsetDesigner::plannedRuns() const {
    if (!train_) throw mtl::InputError("no experiment is loaded");
    for (const QString& part : seeds_->text().split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        if (part.trimmed().toLongLong(&ok) < 0 || !ok)
            throw mtl::InputError("seeds: '" + part.trimmed().toStdString() + "' is not a seed (0, 1, 2, ...)");
    }
    return mtl::expandGrid(base_, gridRequest());
}

QString SubsetDesigner::countsText() const { return counts_->text(); }

QString SubsetDesigner::saveSplit(const QString& path) {
    QString error;
    try {
        if (!split_) throw mtl::InputError("no split is drawn" + (train_ ? std::string() : std::string(" (open an experiment)")));
        mtl::LabelSplit s = *split_;
        s.dataset = base_.data.dataset;
        mtl::writeFileAtomically(path.toStdString(), mtl::labelSplitToJson(s, train_->size()));
    } catch (const std::exception& e) {
        error = path + ": " + QString::fromStdString(e.what());
    }
    return error;
}

QString SubsetDesigner::openSplit(const QString& path) {
    QString error;
    try {
        if (!train_) throw mtl::InputError(path.toStdString() + ": open an experiment first");
        const mtl::LabelSplit file = mtl::readLabelSplit(path.toStdString());
        mtl::SubsetDesign d = design_;
        d.kDet = file.det.size();
        d.kSeg = file.seg.size();
        d.nested = file.setting == "a" || file.setting == "b" || file.setting == "d";
        updating_ = true;
        seeds_->setText(QString::number(file.seed));
        updating_ = false;
        preset_->setCurrentIndex(preset_->count() - 1);
        setDesign(d);
        if (!split_ || split_->setting != file.setting || split_->det != file.det || split_->seg != file.seg)
            throw mtl::InputError(path.toStdString() + ": setting (" + file.setting + ") with seed " +
                                  std::to_string(file.seed) + " draws other images on " + train_->description() +
                                  " (a split of another data set?); a config can still name it as data.split.file");
    } catch (const std::exception& e) {
        error = QString::fromStdString(e.what());
    }
    return error;
}

void SubsetDesigner::refresh() {
    if (!train_ || design_.poolSize == 0) return;
    const mtl::GridRequest request = gridRequest();
    const std::uint64_t seed = request.seeds.empty() ? 0 : std::uint64_t(request.seeds.front());
    const std::string setting = mtl::settingOf(design_);
    split_.reset();
    QString error;
    try {
        split_ = mtl::makeLabelSplit(*train_, setting, setting == "a" ? std::nullopt : std::optional(design_.kDet),
                                     design_.kSeg, seed);
    } catch (const std::exception& e) {
        error = QString::fromStdString(e.what());
    }
    const auto expected = mtl::expectedCounts(design_);
    if (split_) {
        const std::size_t both = split_->overlap();
        const std::size_t labeled = split_->det.size() + split_->seg.size() - both;
        canvas_->setActualOverlap((long long)both);
        counts_->setText(tr("<b>setting (%1)</b>, seed %2<br>detection %3 · segmentation %4<br>"
                            "overlap %5 (expected %6)<br>detection only %7 · segmentation only %8 · neither %9")
                             .arg(QString::fromStdString(setting)).arg(seed).arg(split_->det.size())
                             .arg(split_->seg.size()).arg(both).arg(expected.expectedOverlap, 0, 'f', 1)
                             .arg(split_->det.size() - both).arg(split_->seg.size() - both)
                             .arg(train_->size() - labeled));
    } else {
        canvas_->setActualOverlap(-1);
        counts_->setText(error);
    }
    try {
        const auto runs = plannedRuns();
        plan_->setText(tr("%n run(s) to queue", nullptr, int(runs.size())));
        start_->setEnabled(split_.has_value());
    } catch (const std::exception& e) {
        plan_->setText(QString::fromStdString(e.what()));
        start_->setEnabled(false);
    }
}

std::vector<std::string> SubsetDesigner::idsOfPart(int part) const {
    if (!split_) return {};
    const auto& det = split_->det;
    const auto& seg = split_->seg;
    std::vector<std::string> out;
    switch (SubsetCanvas::Part(part)) {
    case SubsetCanvas::Part::Both:
        std::set_intersection(det.begin(), det.end(), seg.begin(), seg.end(), std::back_inserter(out));
        break;
    case SubsetCanvas::Part::DetOnly:
        std::set_difference(det.begin(), det.end(), seg.begin(), seg.end(), std::back_inserter(out));
        break;
    case SubsetCanvas::Part::SegOnly:
        std::set_difference(seg.begin(), seg.end(), det.begin(), det.end(), std::back_inserter(out));
        break;
    case SubsetCanvas::Part::Unlabeled:
        for (std::size_t i = 0; i < train_->size() && out.size() < kThumbnails; ++i)
            if (!std::binary_search(det.begin(), det.end(), train_->id(i)) &&
                !std::binary_search(seg.begin(), seg.end(), train_->id(i)))
                out.push_back(train_->id(i));
        break;
    case SubsetCanvas::Part::None:
        break;
    }
    if (out.size() > kThumbnails) out.resize(kThumbnails);
    return out;
}

void SubsetDesigner::showThumbnails(int part, QPoint) {
    if (part == thumbPart_) return;
    thumbPart_ = part;
    const std::vector<std::string> ids = idsOfPart(part);
    if (ids.empty()) {
        thumbnails_->clear();
        return;
    }
    auto paint = [this, part, ids] {
        if (part != thumbPart_) return; // the cursor moved on
        // Sized from the scaled thumbnails: wide images must not run past the strip's end.
        std::vector<QImage> shown;
        int width = 0;
        for (const auto& id : ids) {
            const QImage t = thumbCache_.value(QString::fromStdString(id));
            if (t.isNull()) continue;
            shown.push_back(t);
            width += shown.back().width() + 4;
        }
        QImage strip(std::max(1, width - 4), kThumbHeight, QImage::Format_RGB888);
        strip.fill(palette().color(QPalette::Window));
        QPainter p(&strip);
        int x = 0;
        for (const QImage& t : shown) {
            p.drawImage(x, 0, t);
            x += t.width() + 4;
        }
        p.end();
        thumbnails_->setPixmap(QPixmap::fromImage(strip));
        thumbnails_->setToolTip(QString::fromStdString(ids.front()) + (ids.size() > 1 ? " …" : ""));
    };
    std::vector<std::string> missing;
    for (const auto& id : ids)
        if (!thumbCache_.contains(QString::fromStdString(id))) missing.push_back(id);
    if (missing.empty()) return paint();
    // Decoding images is never done on the GUI thread.
    auto* watcher = new QFutureWatcher<QHash<QString, QImage>>(this);
    connect(watcher, &QFutureWatcher<QHash<QString, QImage>>::finished, this, [this, watcher, paint] {
        const auto loaded = watcher->result();
        watcher->deleteLater();
        for (auto it = loaded.begin(); it != loaded.end(); ++it) thumbCache_.insert(it.key(), it.value());
        paint();
    });
    watcher->setFuture(QtConcurrent::run([train = train_, missing]() {
        QHash<QString, QImage> out;
        for (const auto& id : missing) {
            try {
                out.insert(QString::fromStdString(id),
                           thumbnailOf(train->load(train->indexOf(id, "thumbnail"), false, false).image));
            } catch (const std::exception&) {
                out.insert(QString::fromStdString(id), QImage()); // unreadable: shown as nothing
            }
        }
        return out;
    }));
}
