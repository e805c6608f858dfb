#include "widgets/SampleViewer.h"

#include "core/data/CityscapesDataset.h"
#include "core/data/CityscapesLabels.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

namespace {
QImage toQImage(const cv::Mat& rgb) {
    return QImage(rgb.data, rgb.cols, rgb.rows, int(rgb.step[0]), QImage::Format_RGB888).copy();
}

// Ground-truth picture: the mask in the Cityscapes palette over a darkened image (ignore pixels
// show the image), then the boxes.
QImage truthImage(const mtl::Sample& s) {
    QImage out = toQImage(s.image);
    if (!s.seg.empty()) {
        for (int y = 0; y < s.seg.rows; ++y) {
            const uchar* labels = s.seg.ptr<uchar>(y);
            uchar* px = out.scanLine(y);
            for (int x = 0; x < s.seg.cols; ++x) {
                if (labels[x] == mtl::cityscapes::kIgnore) continue;
                const auto c = mtl::cityscapes::trainIdColor(labels[x]);
                for (int k = 0; k < 3; ++k) px[3 * x + k] = uchar((3 * c[k] + px[3 * x + k]) / 4);
            }
        }
    }
    QPainter p(&out);
    QFont font = p.font();
    font.setPixelSize(std::max(9, s.image.rows / 14));
    p.setFont(font);
    for (const mtl::Box& b : s.boxes) {
        const auto c = mtl::cityscapes::trainIdColor(b.cls + mtl::cityscapes::kFirstDetTrainId);
        const QColor colour(255 - c[0] / 2, 255 - c[1] / 2, 255 - c[2] / 2); // light, visible on the mask
        p.setPen(QPen(colour, 1));
        p.drawRect(QRectF(b.x1, b.y1, b.width() - 1, b.height() - 1));
        p.drawText(QPointF(b.x1 + 1, std::max<float>(b.y1 - 2, font.pixelSize())),
                   QString::fromStdString(mtl::cityscapes::detClassName(b.cls)));
    }
    return out;
}
} // namespace

SampleViewer::SampleViewer(QWidget* parent)
    : QWidget(parent), imageLabel_(new QLabel(this)), truthLabel_(new QLabel(this)),
      caption_(new QLabel(this)), previous_(new QPushButton(tr("◀ Previous"), this)),
      next_(new QPushButton(tr("Next ▶"), this)) {
    setFocusPolicy(Qt::StrongFocus);
    for (QLabel* l : {imageLabel_, truthLabel_}) {
        l->setAlignment(Qt::AlignCenter);
        l->setMinimumSize(160, 80);
        l->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    }
    auto* pictures = new QHBoxLayout;
    pictures->addWidget(imageLabel_, 1);
    pictures->addWidget(truthLabel_, 1);
    auto* bar = new QHBoxLayout;
    bar->addWidget(previous_);
    bar->addWidget(caption_, 1);
    bar->addWidget(next_);
    caption_->setAlignment(Qt::AlignCenter);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(pictures, 1);
    layout->addLayout(bar);
    connect(previous_, &QPushButton::clicked, this, [this] { showIndex(index_ - 1); });
    connect(next_, &QPushButton::clicked, this, [this] { showIndex(index_ + 1); });
    caption_->setText(tr("No data set"));
}

SampleViewer::~SampleViewer() = default;

int SampleViewer::count() const { return dataset_ ? int(dataset_->size()) : 0; }

QString SampleViewer::currentId() const {
    return count() ? QString::fromStdString(dataset_->id(std::size_t(index_))) : QString();
}

void SampleViewer::setDataset(const QString& root, const QString& split) {
    try {
        dataset_ = std::make_unique<mtl::CityscapesDataset>(root.toStdString(), split.toStdString());
        showIndex(0);
    } catch (const std::exception& e) {
        dataset_.reset();
        image_ = truth_ = QImage();
        caption_->setText(QString::fromStdString(e.what()));
        render();
    }
}

void SampleViewer::showIndex(int index) {
    if (!count()) return;
    index_ = (index % count() + count()) % count();
    try {
        const mtl::Sample s = dataset_->load(std::size_t(index_));
        image_ = toQImage(s.image);
        truth_ = truthImage(s);
        caption_->setText(tr("%1  (%2 / %3, %4 boxes)").arg(QString::fromStdString(s.id)).arg(index_ + 1)
                              .arg(count()).arg(s.boxes.size()));
    } catch (const std::exception& e) {
        image_ = truth_ = QImage();
        caption_->setText(QString::fromStdString(e.what()));
    }
    render();
}

void SampleViewer::render() {
    auto fit = [](QLabel* label, const QImage& img) {
        if (img.isNull()) {
            label->clear();
            return;
        }
        label->setPixmap(QPixmap::fromImage(img.scaled(label->size(), Qt::KeepAspectRatio, Qt::SmoothTransformation)));
    };
    fit(imageLabel_, image_);
    fit(truthLabel_, truth_);
}

void SampleViewer::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Right) showIndex(index_ + 1);
    else if (event->key() == Qt::Key_Left) showIndex(index_ - 1);
    else QWidget::keyPressEvent(event);
}

void SampleViewer::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    render();
}
