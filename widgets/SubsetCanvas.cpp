#include "widgets/SubsetCanvas.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace {
constexpr double kMargin = 12;
constexpr double kEdgeGrab = 6; // pixels either side of an edge that start a resize
const QColor kDetColour(214, 39, 40), kSegColour(31, 119, 180);

// On the right edge of a region, for resizing; inside a narrow region most of it stays for
// dragging the region itself.
bool onRightEdge(const QRectF& r, const QPointF& p) {
    const double inside = std::min(kEdgeGrab, r.width() / 4);
    return p.x() >= r.right() - inside && p.x() <= r.right() + kEdgeGrab && p.y() >= r.top() && p.y() <= r.bottom();
}
} // namespace

SubsetCanvas::SubsetCanvas(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setMinimumSize(320, 150);
}

void SubsetCanvas::setDesign(const mtl::SubsetDesign& d) {
    design_ = d;
    update();
}

QRectF SubsetCanvas::poolRect() const {
    return QRectF(kMargin, kMargin + 16, width() - 2 * kMargin, height() - 2 * kMargin - 32);
}

double SubsetCanvas::segOffsetImages() const {
    if (dragOffset_ >= 0) return dragOffset_;
    if (design_.nested && design_.kSeg <= design_.kDet) return 0;
    // Independent subsets overlap by their expected overlap: the segmentation region starts that
    // far before the detection region's end.
    const double expected = mtl::expectedCounts(design_).expectedOverlap;
    return std::max(0.0, double(design_.kDet) - expected);
}

QRectF SubsetCanvas::detRect() const {
    const QRectF pool = poolRect();
    const double n = std::max<std::size_t>(1, design_.poolSize);
    return QRectF(pool.left(), pool.top(), pool.width() * double(design_.kDet) / n, pool.height() * 0.6);
}

QRectF SubsetCanvas::segRect() const {
    const QRectF pool = poolRect();
    const double n = std::max<std::size_t>(1, design_.poolSize);
    const double left = std::min(segOffsetImages(), n - double(design_.kSeg));
    return QRectF(pool.left() + pool.width() * left / n, pool.top() + pool.height() * 0.4,
                  pool.width() * double(design_.kSeg) / n, pool.height() * 0.6);
}

SubsetCanvas::Part SubsetCanvas::partAt(const QPointF& p) const {
    if (!poolRect().contains(p)) return Part::None;
    // The bands meet in the middle fifth: there both regions hold the point when it is in the overlap.
    const bool det = detRect().contains(p), seg = segRect().contains(p);
    if (det && seg) return Part::Both;
    if (det) return Part::DetOnly;
    if (seg) return Part::SegOnly;
    return Part::Unlabeled;
}

std::size_t SubsetCanvas::imagesAt(double x) const {
    const QRectF pool = poolRect();
    const double share = std::clamp((x - pool.left()) / pool.width(), 0.0, 1.0);
    return std::max<std::size_t>(1, std::size_t(std::lround(share * double(design_.poolSize))));
}

void SubsetCanvas::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    const QRectF pool = poolRect();
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.setBrush(pal.color(QPalette::AlternateBase));
    p.drawRect(pool);
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRectF(pool.left(), 0, pool.width(), kMargin + 14), Qt::AlignLeft | Qt::AlignVCenter,
               tr("Training pool: %1 images labeled for both tasks on disk").arg(design_.poolSize));

    const QRectF det = detRect(), seg = segRect();
    auto region = [&](const QRectF& r, QColor c, const QString& label) {
        QColor fill = c;
        fill.setAlpha(110);
        p.setPen(QPen(c, 2));
        p.setBrush(fill);
        p.drawRect(r);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(r.adjusted(6, 2, -4, -2), Qt::AlignLeft | Qt::AlignTop, label);
        p.setBrush(c); // resize handle on the right edge
        p.drawRect(QRectF(r.right() - 3, r.center().y() - 10, 6, 20));
    };
    region(det, kDetColour, tr("detection: %1").arg(design_.kDet));
    QRectF segLabelRect = seg;
    region(seg, kSegColour, QString());
    p.setPen(pal.color(QPalette::Text));
    p.drawText(segLabelRect.adjusted(6, 2, -4, -4), Qt::AlignLeft | Qt::AlignBottom,
               tr("segmentation: %1").arg(design_.kSeg));

    // The overlap: hatched where both bands meet.
    const double left = std::max(det.left(), seg.left()), right = std::min(det.right(), seg.right());
    if (right > left) {
        const QRectF both(left, seg.top(), right - left, det.bottom() - seg.top());
        p.setPen(Qt::NoPen);
        p.setBrush(QBrush(pal.color(QPalette::Text), Qt::BDiagPattern));
        p.drawRect(both);
    }
    const auto expected = mtl::expectedCounts(design_).expectedOverlap;
    QString caption = tr("setting (%1) · %2 · expected overlap %3")
                          .arg(QString::fromStdString(mtl::settingOf(design_)))
                          .arg(design_.nested ? tr("segmentation drawn inside detection") : tr("independent draws"))
                          .arg(expected, 0, 'f', 1);
    if (actualOverlap_ >= 0) caption += tr(" · drawn overlap %1").arg(actualOverlap_);
    p.drawText(QRectF(pool.left(), pool.bottom() + 2, pool.width(), 16), Qt::AlignLeft | Qt::AlignVCenter, caption);
}

void SubsetCanvas::mousePressEvent(QMouseEvent* e) {
    const QPointF pos = e->position();
    const QRectF det = detRect(), seg = segRect();
    if (onRightEdge(det, pos)) {
        drag_ = Drag::DetEdge;
    } else if (onRightEdge(seg, pos)) {
        drag_ = Drag::SegEdge;
    } else if (seg.contains(pos)) {
        drag_ = Drag::SegBody;
        grabDelta_ = pos.x() - seg.left();
        dragOffset_ = segOffsetImages();
    }
}

void SubsetCanvas::mouseMoveEvent(QMouseEvent* e) {
    const QPointF pos = e->position();
    const QRectF pool = poolRect();
    const double perImage = pool.width() / double(std::max<std::size_t>(1, design_.poolSize));
    switch (drag_) {
    case Drag::DetEdge:
        design_.kDet = imagesAt(pos.x());
        if (design_.nested && design_.kSeg > design_.kDet) design_.kSeg = design_.kDet;
        Q_EMIT designChanged(design_);
        break;
    case Drag::SegEdge:
        design_.kSeg = std::min(imagesAt(pos.x()) - std::min(imagesAt(pos.x()), std::size_t(segOffsetImages())),
                                design_.poolSize);
        design_.kSeg = std::max<std::size_t>(1, design_.kSeg);
        if (design_.nested && design_.kSeg > design_.kDet) design_.nested = false;
        Q_EMIT designChanged(design_);
        break;
    case Drag::SegBody:
        dragOffset_ = std::clamp((pos.x() - grabDelta_ - pool.left()) / perImage, 0.0,
                                 double(design_.poolSize - design_.kSeg));
        break;
    case Drag::None: {
        const QRectF det = detRect(), seg = segRect();
        const bool onEdge = onRightEdge(det, pos) || onRightEdge(seg, pos);
        setCursor(onEdge ? Qt::SizeHorCursor : seg.contains(pos) ? Qt::OpenHandCursor : Qt::ArrowCursor);
        Q_EMIT hovered(partAt(pos), e->globalPosition().toPoint());
        return;
    }
    }
    update();
}

void SubsetCanvas::mouseReleaseEvent(QMouseEvent*) {
    if (drag_ == Drag::SegBody) {
        // Dropped with its right edge inside the detection region: drawn from it.
        const bool inside = dragOffset_ + double(design_.kSeg) <= double(design_.kDet) + 0.5;
        dragOffset_ = -1;
        if (inside != design_.nested) {
            design_.nested = inside;
            Q_EMIT designChanged(design_);
        }
    }
    drag_ = Drag::None;
    update();
}

void SubsetCanvas::leaveEvent(QEvent*) { Q_EMIT hovered(Part::None, {}); }
