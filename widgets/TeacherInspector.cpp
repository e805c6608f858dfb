#include "widgets/TeacherInspector.h"

#include "core/common/Error.h"
#include "core/experiment/StoredRun.h"
#include "core/train/TeacherSnapshotFiles.h"
#include "widgets/OverlayRenderer.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QScrollArea>
#include <QSlider>
#include <QVBoxLayout>

#include <algorithm>
#include <numeric>

// The index with what does not change between snapshots: the watched images and their labels.
struct TeacherIndexData {
    mtl::TeacherSnapshotIndex index;
    // Whether the run learns from the teacher (FixMatch*, Dense FixMatch): a supervised run's
    // snapshots show what the teacher would give, but nothing trains on them.
    bool learnsFromTeacher = true;
    std::vector<QImage> images;
    std::vector<cv::Mat> truths; // empty Mat: no segmentation labels for that image
    QString error;
};

// One snapshot with its label maps and strong views.
struct TeacherStepData {
    mtl::TeacherSnapshot snapshot;
    std::vector<cv::Mat> own, strong;
    std::vector<QImage> views;
    QString error; // the first file that could not be read
};

namespace {

constexpr int kCaption = 16, kGap = 6;

// Reads a stored image, or leaves it empty and keeps the first problem.
template <typename Read>
void readOrNote(const std::string& file, QString& error, Read read) {
    if (file.empty()) return;
    try {
        read();
    } catch (const std::exception& e) {
        if (error.isEmpty()) error = QString::fromStdString(e.what());
    }
}

// `previous`: the index shown so far; its decoded images are kept when the watched images are the
// same files (a live run's refresh adds snapshots, not images).
std::shared_ptr<const TeacherIndexData> loadIndexData(const QString& runDir,
                                                      std::shared_ptr<const TeacherIndexData> previous) {
    auto d = std::make_shared<TeacherIndexData>();
    // A run's method never changes: its config is read once, not at every 2-s refresh.
    if (previous) {
        d->learnsFromTeacher = previous->learnsFromTeacher;
    } else {
        try {
            d->learnsFromTeacher = mtl::readStoredRun(runDir.toStdString()).config.train.method.learnsFromTeacher();
        } catch (const std::exception&) {
            // A folder without a readable config: worded as for the semi-supervised runs that write snapshots.
        }
    }
    if (!QFileInfo::exists(QString::fromStdString(mtl::snapshotIndexPath(runDir.toStdString())))) return d;
    try {
        d->index = mtl::readSnapshotIndex(runDir.toStdString());
    } catch (const std::exception& e) {
        d->error = QString::fromStdString(e.what());
        return d;
    }
    const auto sameImages = [&] {
        if (!previous || !previous->error.isEmpty() || previous->index.images.size() != d->index.images.size())
            return false;
        for (std::size_t k = 0; k < d->index.images.size(); ++k)
            if (previous->index.images[k].imageFile != d->index.images[k].imageFile ||
                previous->index.images[k].truthFile != d->index.images[k].truthFile)
                return false;
        return true;
    };
    if (sameImages()) {
        d->images = previous->images;
        d->truths = previous->truths;
        return d;
    }
    for (const mtl::SnapshotImage& s : d->index.images) {
        QImage image;
        cv::Mat truth;
        readOrNote(s.imageFile, d->error, [&] { image = rgbImage(mtl::readSnapshotImage(s.imageFile, false)); });
        readOrNote(s.truthFile, d->error, [&] { truth = mtl::readSnapshotImage(s.truthFile, true); });
        d->images.push_back(image);
        d->truths.push_back(truth);
    }
    return d;
}

std::shared_ptr<const TeacherStepData> loadStepData(const std::string& file) {
    auto d = std::make_shared<TeacherStepData>();
    try {
        d->snapshot = mtl::readSnapshot(file);
    } catch (const std::exception& e) {
        d->error = QString::fromStdString(e.what());
        return d;
    }
    for (const mtl::SnapshotPrediction& p : d->snapshot.images) {
        cv::Mat own, strong;
        QImage view;
        readOrNote(p.ownMapFile, d->error, [&] { own = mtl::readSnapshotImage(p.ownMapFile, true); });
        readOrNote(p.strongMapFile, d->error, [&] { strong = mtl::readSnapshotImage(p.strongMapFile, true); });
        readOrNote(p.viewFile, d->error, [&] { view = rgbImage(mtl::readSnapshotImage(p.viewFile, false)); });
        d->own.push_back(own);
        d->strong.push_back(strong);
        d->views.push_back(view);
    }
    return d;
}

std::vector<mtl::Detection> scored(const std::vector<mtl::Box>& boxes) {
    std::vector<mtl::Detection> out;
    for (const mtl::Box& b : boxes) out.push_back({b, 1.f});
    return out;
}

QString taskText(bool seg, bool det) {
    if (seg && det) return QObject::tr("labeled for both tasks");
    if (seg) return QObject::tr("labeled for segmentation only");
    if (det) return QObject::tr("labeled for detection only");
    return QObject::tr("unlabeled");
}

} // namespace

TeacherInspector::TeacherInspector(QWidget* parent)
    : QWidget(parent), title_(new QLabel(this)), step_(new QSlider(Qt::Horizontal, this)), stepLabel_(new QLabel(this)),
      follow_(new QCheckBox(tr("Follow newest"), this)), threshold_(new QSlider(Qt::Horizontal, this)),
      thresholdLabel_(new QLabel(this)), messageLabel_(new QLabel(this)), picture_(new QLabel(this)),
      scroll_(new QScrollArea(this)) {
    step_->setEnabled(false);
    step_->setToolTip(tr("Snapshot step (←/→)"));
    follow_->setChecked(true);
    follow_->setToolTip(tr("Show each new snapshot of a training run as it is stored"));
    threshold_->setRange(int(mtl::kSnapshotBoxFloor * 100), 100);
    threshold_->setValue(50);
    threshold_->setToolTip(tr("Teacher boxes shown in the image's frame: those scoring at least this "
                              "(a semi-supervised run trained on its own σ)"));
    messageLabel_->setWordWrap(true);
    messageLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    picture_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    scroll_->setWidget(picture_);
    scroll_->setWidgetResizable(true);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Step"), this));
    controls->addWidget(step_, 3);
    controls->addWidget(stepLabel_);
    controls->addWidget(follow_);
    controls->addSpacing(16);
    controls->addWidget(new QLabel(tr("Box score ≥"), this));
    controls->addWidget(threshold_, 1);
    controls->addWidget(thresholdLabel_);
    auto* save = new QPushButton(tr("Export PNG…"), this);
    controls->addWidget(save);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title_);
    layout->addLayout(controls);
    layout->addWidget(messageLabel_);
    layout->addWidget(scroll_, 1);

    connect(step_, &QSlider::valueChanged, this, [this](int v) {
        if (step_->isEnabled()) showSnapshot(v);
    });
    connect(threshold_, &QSlider::valueChanged, this, [this](int v) {
        thresholdTouched_ = true;
        boxThreshold_ = v / 100.0;
        render();
    });
    connect(save, &QPushButton::clicked, this, [this] {
        if (panel_.isNull()) return;
        const QString path = QFileDialog::getSaveFileName(this, tr("Export teacher panel"),
                                                          QString("teacher-run%1-step%2.png").arg(runId_).arg(shownStep()),
                                                          tr("PNG images (*.png)"));
        if (!path.isEmpty() && !exportPanel(path))
            QMessageBox::warning(this, tr("Export failed"), tr("Cannot write %1").arg(path));
    });
    connect(follow_, &QCheckBox::toggled, this, [this](bool on) {
        if (on && snapshotCount() > 0) step_->setValue(snapshotCount() - 1);
    });
    render();
}

TeacherInspector::~TeacherInspector() = default;

void TeacherInspector::setRun(qint64 id, const QString& name, const QString& runDir) {
    if (id == runId_ && runDir == runDir_) return;
    runId_ = id;
    name_ = name;
    runDir_ = runDir;
    index_.reset();
    shown_.reset();
    message_.clear();
    loadIndex(true);
}

void TeacherInspector::refresh() {
    if (!runDir_.isEmpty()) loadIndex(follow_->isChecked());
}

void TeacherInspector::loadIndex(bool followNewest) {
    if (runDir_.isEmpty()) {
        render();
        return;
    }
    indexJob_.run([dir = runDir_, previous = index_] { return loadIndexData(dir, previous); },
                  [this, followNewest](std::shared_ptr<const TeacherIndexData> d) {
                      const int before = snapshotCount();
                      const int position = step_->value();
                      index_ = std::move(d);
                      const int n = snapshotCount();
                      step_->setEnabled(false); // the range change must not load a snapshot
                      step_->setRange(0, std::max(0, n - 1));
                      step_->setEnabled(n > 0);
                      if (n == 0) {
                          shown_.reset();
                          render();
                          Q_EMIT snapshotShown();
                      } else if (followNewest && (n != before || !shown_)) {
                          step_->setValue(n - 1);
                          showSnapshot(n - 1);
                      } else if (!shown_) {
                          showSnapshot(std::min(position, n - 1));
                      } else {
                          render();
                      }
                  });
}

int TeacherInspector::snapshotCount() const { return index_ ? int(index_->index.snapshots.size()) : 0; }

qint64 TeacherInspector::shownStep() const { return shown_ ? shown_->snapshot.step : -1; }

QString TeacherInspector::message() const { return message_; }

void TeacherInspector::showSnapshot(int position) {
    if (position < 0 || position >= snapshotCount()) return;
    const std::string file = index_->index.snapshots[std::size_t(position)].file;
    stepLabel_->setText(tr("%1 (%2 of %3)").arg(index_->index.snapshots[std::size_t(position)].step).arg(position + 1).arg(snapshotCount()));
    stepJob_.run([file] { return loadStepData(file); }, [this](std::shared_ptr<const TeacherStepData> d) {
        shown_ = std::move(d);
        if (!thresholdTouched_ && shown_->error.isEmpty()) {
            const QSignalBlocker block(threshold_);
            threshold_->setValue(int(shown_->snapshot.boxThreshold * 100 + 0.5));
            boxThreshold_ = threshold_->value() / 100.0;
        }
        render();
        Q_EMIT snapshotShown();
    });
}

void TeacherInspector::setBoxThreshold(double threshold) { threshold_->setValue(int(threshold * 100 + 0.5)); }

int TeacherInspector::confusionPixels() const {
    if (!shown_) return 0;
    return int(std::accumulate(shown_->snapshot.confusion.begin(), shown_->snapshot.confusion.end(), std::int64_t(0)));
}

bool TeacherInspector::exportPanel(const QString& path) const { return !panel_.isNull() && panel_.save(path, "PNG"); }

void TeacherInspector::render() {
    thresholdLabel_->setText(QString::number(boxThreshold_, 'f', 2));
    title_->setText(runDir_.isEmpty() ? tr("Select a run to see what its teacher teaches.")
                                      : tr("<b>Run %1 %2</b>").arg(runId_).arg(name_));
    QStringList notes;
    if (index_ && !index_->error.isEmpty()) notes << index_->error;
    if (shown_ && !shown_->error.isEmpty()) notes << shown_->error;
    if (!runDir_.isEmpty() && index_ && index_->error.isEmpty() && snapshotCount() == 0)
        notes << tr("No teacher snapshots yet (diagnostics.every sets how often a run stores them).");
    if (index_ && snapshotCount() > 0 && !index_->index.anyHiddenLabels())
        notes << tr("No watched image has labels hidden from training: nothing to compare the pseudo-labels with.");
    message_ = notes.join('\n');
    messageLabel_->setText(message_);
    messageLabel_->setVisible(!message_.isEmpty());
    if (!index_ || !shown_ || index_->images.empty()) {
        panel_ = QImage();
        headline_.clear();
        picture_->setPixmap(QPixmap());
        return;
    }
    const auto& images = index_->index.images;
    const auto& snap = shown_->snapshot;
    const std::size_t n = std::min(images.size(), snap.images.size());
    int w = 0, h = 0;
    for (const QImage& im : index_->images) w = std::max(w, im.width()), h = std::max(h, im.height());
    if (w == 0) return;
    const QImage strip = confusionStrip();
    const int columns = 4, rowHeight = 2 * kCaption + h + kGap, header = 22;
    QImage out(columns * (w + kGap), header + int(n) * rowHeight + (strip.isNull() ? 0 : strip.height() + kGap),
               QImage::Format_RGB888);
    out.fill(palette().color(QPalette::Window));
    QPainter p(&out);
    p.setPen(palette().color(QPalette::WindowText));
    QFont small = p.font();
    small.setPixelSize(11);
    p.setFont(small);
    headline_ = index_->learnsFromTeacher
                   ? tr("Step %1: the teacher's pseudo-labels for %2 watched images; boxes scoring ≥ %3 in the image's "
                        "frame, ≥ σ = %4 (trained on) in the strong view")
                         .arg(snap.step).arg(n).arg(boxThreshold_, 0, 'f', 2).arg(snap.boxThreshold, 0, 'f', 2)
                   : tr("Step %1: what the EMA teacher predicts for %2 watched images; boxes scoring ≥ %3 in the image's "
                        "frame, ≥ %4 in the strong view. A supervised run trains on none of it.")
                         .arg(snap.step).arg(n).arg(boxThreshold_, 0, 'f', 2).arg(snap.boxThreshold, 0, 'f', 2);
    p.drawText(QRect(0, 0, out.width(), header), Qt::AlignLeft | Qt::AlignVCenter, headline_);
    OverlayOptions labelsOnly;
    labelsOnly.showBoxScores = false;
    labelsOnly.scoreThreshold = 0;
    OverlayOptions teacherBoxes;
    teacherBoxes.scoreThreshold = boxThreshold_;
    OverlayOptions errors;
    errors.errorView = true;
    errors.errorsInLabelColours = true;
    errors.opacity = 0.8;
    for (std::size_t k = 0; k < n; ++k) {
        const mtl::SnapshotImage& s = images[k];
        const QImage& image = index_->images[k];
        const cv::Mat& truth = index_->truths[k];
        const cv::Mat& own = shown_->own[k];
        const auto truthBoxes = scored(s.truthBoxes), strongBoxes = scored(snap.images[k].strongBoxes);
        const bool hidden = s.segHidden || s.detHidden;
        const int y = header + int(k) * rowHeight;
        p.drawText(QRect(0, y, out.width(), kCaption), Qt::AlignLeft | Qt::AlignVCenter,
                   tr("%1: %2 in training").arg(QString::fromStdString(s.id)).arg(taskText(s.segLabeled, s.detLabeled)));
        const QString captions[columns] = {
            hidden ? tr("labels hidden from training") : tr("labels training sees"), tr("teacher, image frame"),
            truth.empty() || own.empty() ? tr("no labels to compare with") : tr("disagreement, in the teacher's classes"),
            index_->learnsFromTeacher ? tr("strong view: what Lu trained on")
                                      : tr("strong view (no Lu in a supervised run)")};
        QImage tiles[columns];
        if (!image.isNull()) {
            tiles[0] = renderOverlay({&image, &truth, nullptr, &truthBoxes, index_->index.detClasses}, labelsOnly);
            tiles[1] = renderOverlay({&image, &own, nullptr, &snap.images[k].ownBoxes, index_->index.detClasses}, teacherBoxes);
            if (!truth.empty() && !own.empty()) tiles[2] = renderOverlay({&image, &own, &truth, nullptr, {}}, errors);
        }
        const QImage& view = shown_->views[k];
        if (!view.isNull())
            tiles[3] = renderOverlay({&view, &shown_->strong[k], nullptr, &strongBoxes, index_->index.detClasses}, labelsOnly)
                           .scaledToHeight(h, Qt::FastTransformation);
        for (int c = 0; c < columns; ++c) {
            const int x = c * (w + kGap);
            p.drawText(QRect(x, y + kCaption, w, kCaption), Qt::AlignLeft | Qt::AlignVCenter,
                       p.fontMetrics().elidedText(captions[c], Qt::ElideRight, w));
            if (!tiles[c].isNull()) p.drawImage(x, y + 2 * kCaption, tiles[c]);
        }
    }
    if (!strip.isNull()) p.drawImage(0, header + int(n) * rowHeight, strip);
    p.end();
    panel_ = out;
    picture_->setPixmap(QPixmap::fromImage(panel_));
}

// One bar per class with hidden pixels: its length split by the class the teacher gave them.
QImage TeacherInspector::confusionStrip() const {
    if (!shown_ || shown_->snapshot.confusion.empty() || !index_) return {};
    const int c = shown_->snapshot.classes;
    const auto& m = shown_->snapshot.confusion;
    const auto& names = index_->index.segClasses;
    std::vector<int> rows;
    for (int t = 0; t < c; ++t)
        if (std::accumulate(m.begin() + t * c, m.begin() + (t + 1) * c, std::int64_t(0)) > 0) rows.push_back(t);
    if (rows.empty()) return {};
    const int rowH = 15, nameW = 110, barW = 420, textW = 260, title = 20;
    QImage out(nameW + barW + textW, title + int(rows.size()) * rowH, QImage::Format_RGB888);
    out.fill(palette().color(QPalette::Window));
    QPainter p(&out);
    QFont small = p.font();
    small.setPixelSize(11);
    p.setFont(small);
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRect(0, 0, out.width(), title), Qt::AlignLeft | Qt::AlignVCenter,
               tr("Hidden segmentation labels (rows) as the teacher labels them (colours), pixels of the watched images"));
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const int t = rows[r], y = title + int(r) * rowH;
        const std::int64_t total = std::accumulate(m.begin() + t * c, m.begin() + (t + 1) * c, std::int64_t(0));
        const QString name = std::size_t(t) < names.size() ? QString::fromStdString(names[std::size_t(t)]) : QString::number(t);
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRect(0, y, nameW - 6, rowH), Qt::AlignRight | Qt::AlignVCenter, name);
        double x = nameW;
        int worst = -1;
        for (int q = 0; q < c; ++q) {
            const std::int64_t v = m[std::size_t(t * c + q)];
            if (v == 0) continue;
            const double len = barW * double(v) / double(total);
            p.fillRect(QRectF(x, y + 2, len, rowH - 4), segClassColour(q));
            x += len;
            if (q != t && (worst < 0 || v > m[std::size_t(t * c + worst)])) worst = q;
        }
        QString text = tr("%1 % kept").arg(100.0 * double(m[std::size_t(t * c + t)]) / double(total), 0, 'f', 0);
        if (worst >= 0)
            text += tr(", %1 % → %2")
                        .arg(100.0 * double(m[std::size_t(t * c + worst)]) / double(total), 0, 'f', 0)
                        .arg(std::size_t(worst) < names.size() ? QString::fromStdString(names[std::size_t(worst)])
                                                               : QString::number(worst));
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRect(nameW + barW + 6, y, textW - 6, rowH), Qt::AlignLeft | Qt::AlignVCenter, text);
    }
    return out;
}
