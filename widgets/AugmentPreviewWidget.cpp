#include "widgets/AugmentPreviewWidget.h"

#include "core/augment/AugmentPreview.h"
#include "widgets/OverlayRenderer.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <random>

namespace {
const mtl::AugmentMode kModes[2] = {mtl::AugmentMode::Invariant, mtl::AugmentMode::Equivariant};

// weak | strong | target with a caption band over each.
QImage rowOf(const mtl::AugmentPreviewImages& images, const QColor& background, const QColor& text) {
    const QImage tiles[3] = {rgbImage(images.weakLabelled), rgbImage(images.strongLabelled), rgbImage(images.target)};
    const char* captions[3] = {"weak view α(x), labels α(y)", "strong view A(x), labels A(y)",
                               "α(y) warped by A∘α⁻¹ (teacher target)"};
    const int gap = 6, caption = 18, w = tiles[0].width(), h = tiles[0].height();
    QImage row(3 * w + 2 * gap, h + caption, QImage::Format_RGB888);
    row.fill(background);
    QPainter p(&row);
    p.setPen(text);
    for (int i = 0; i < 3; ++i) {
        p.drawText(QRect(i * (w + gap), 0, w, caption), Qt::AlignCenter, QObject::tr(captions[i]));
        p.drawImage(i * (w + gap), caption, tiles[i]);
    }
    return row;
}
} // namespace

AugmentPreviewWidget::AugmentPreviewWidget(QWidget* parent)
    : QWidget(parent), index_(new QSpinBox(this)), seed_(new QSpinBox(this)), status_(new QLabel(this)) {
    index_->setRange(0, 0);
    seed_->setRange(0, 1 << 30);
    auto* reseed = new QPushButton(tr("New seed"), this);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Training image"), this));
    bar->addWidget(index_);
    bar->addWidget(new QLabel(tr("Seed"), this));
    bar->addWidget(seed_);
    bar->addWidget(reseed);
    bar->addWidget(status_, 1);
    auto* grid = new QGridLayout;
    const char* titles[2] = {"Invariant (FixMatch*): photometric + cutout",
                             "Equivariant (Dense FixMatch): + shear, translate, rotate, flip"};
    for (int m = 0; m < 2; ++m) {
        auto* title = new QLabel(QStringLiteral("<b>%1</b>").arg(tr(titles[m])), this);
        pictures_[m] = new QLabel(this);
        pictures_[m]->setAlignment(Qt::AlignCenter);
        pictures_[m]->setMinimumSize(240, 60);
        pictures_[m]->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
        grid->addWidget(title, 2 * m, 0);
        grid->addWidget(pictures_[m], 2 * m + 1, 0);
        grid->setRowStretch(2 * m + 1, 1);
    }
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addLayout(grid, 1);
    status_->setText(tr("Open an experiment to preview its augmentation."));
    connect(index_, qOverload<int>(&QSpinBox::valueChanged), this, &AugmentPreviewWidget::render);
    connect(seed_, qOverload<int>(&QSpinBox::valueChanged), this, &AugmentPreviewWidget::render);
    connect(reseed, &QPushButton::clicked, this, [this] {
        static std::mt19937 pick(std::random_device{}());
        seed_->setValue(int(pick() % (1u << 30)));
    });
}

void AugmentPreviewWidget::setSource(const QString& dataset, const mtl::AugmentOptions& options) {
    dataset_ = dataset;
    options_ = options;
    index_->setRange(0, 1 << 20); // the real bound is reported by core as an error
    render();
}

void AugmentPreviewWidget::showSample(int index, quint64 seed) {
    const QSignalBlocker a(index_), b(seed_);
    index_->setValue(index);
    seed_->setValue(int(seed));
    render();
}

QImage AugmentPreviewWidget::rendered(mtl::AugmentMode mode) const {
    return images_[mode == mtl::AugmentMode::Invariant ? 0 : 1];
}

void AugmentPreviewWidget::render() {
    if (dataset_.isEmpty()) return;
    status_->setText(tr("rendering…"));
    const QColor background = palette().color(QPalette::Window), text = palette().color(QPalette::WindowText);
    using Rendering = std::pair<QImage, QString>; // the row, else a null image and the error
    for (int m = 0; m < 2; ++m) {
        mtl::AugmentPreviewRequest request;
        request.dataset = dataset_.toStdString();
        request.index = std::size_t(index_->value());
        request.seed = std::uint64_t(seed_->value());
        request.options = options_;
        request.options.mode = kModes[m];
        jobs_[m].run(
            [request, background, text]() -> Rendering {
                try {
                    const auto images = mtl::renderAugmentPreview(request);
                    return {rowOf(images, background, text), QString::fromStdString(images.description)};
                } catch (const std::exception& e) {
                    return {QImage(), QString::fromStdString(e.what())};
                }
            },
            [this, m](const Rendering& result) {
                if (result.first.isNull()) {
                    status_->setText(result.second);
                    images_[m] = QImage();
                } else {
                    images_[m] = result.first;
                    descriptions_[m] = result.second;
                    status_->setText(tr("image %1, seed %2").arg(index_->value()).arg(seed_->value()));
                }
                showImages();
                if (!isRendering()) Q_EMIT rendered();
            });
    }
}

void AugmentPreviewWidget::showImages() {
    for (int m = 0; m < 2; ++m) {
        if (images_[m].isNull()) {
            pictures_[m]->clear();
            continue;
        }
        pictures_[m]->setPixmap(QPixmap::fromImage(
            images_[m].scaled(pictures_[m]->size(), Qt::KeepAspectRatio, Qt::SmoothTransformation)));
        pictures_[m]->setToolTip(descriptions_[m]);
    }
}

void AugmentPreviewWidget::resizeEvent(QResizeEvent*) { showImages(); }
