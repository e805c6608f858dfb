#include "widgets/SubsetCanvas.h"

#include <QMouseEvent>
#include <QPainter>
#include <QFontMetricsF>

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
    setMinimumSize(320, 190);
}

void SubsetCanvas::setDesign(const mtl::SubsetDesign& d) {
    design_ = d;
    update();
}

QRectF SubsetCanvas::poolRect() const {
    return QRectF(kMargin, kMargin + 16, width() - 2 * kMargin, height() - 2 * kMargin - 52);
}

double SubsetCanvas::overlapImages() const {
    if (actualOverlap_ >= 0) return double(actualOverlap_);
    return mtl::expectedCounts(design_).expectedOverlap;
}

double SubsetCanvas::segOffsetImages() const {
    if (dragOffset_ >= 0) return dragOffset_;
    if (design_.nested && design_.kSeg <= design_.kDet) return 0;
    // Independent subsets: the segmentation region starts as far before the detection region's
    // end as the overlap drawn.
    return std::max(0.0, double(design_.kDet) - overlapImages());
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

QList<QRectF> SubsetCanvas::partRects(Part part) const {
    const QRectF pool = poolRect(), det = detRect(), seg = segRect();
    const double bothLeft = std::max(det.left(), seg.left()), bothRight = std::min(det.right(), seg.right());
    const bool overlap = bothRight > bothLeft;
    // An interval minus the overlap: what is left of it on either side.
    const auto minusBoth = [&](double left, double right, double top, double height) {
        QList<QRectF> out;
        if (!overlap) {
            if (right > left) out << QRectF(left, top, right - left, height);
            return out;
        }
        if (bothLeft > left) out << QRectF(left, top, std::min(bothLeft, right) - left, height);
        if (right > bothRight) out << QRectF(std::max(bothRight, left), top, right - std::max(bothRight, left), height);
        return out;
    };
    switch (part) {
    case Part::DetOnly: return minusBoth(det.left(), det.right(), det.top(), det.height());
    case Part::SegOnly: return minusBoth(seg.left(), seg.right(), seg.top(), seg.height());
    case Part::Both:
        if (!overlap) return {};
        return {QRectF(bothLeft, pool.top(), bothRight - bothLeft, pool.height())};
    case Part::Unlabeled: {
        // Columns of neither region.
        QList<QPair<double, double>> used = {{det.left(), det.right()}, {seg.left(), seg.right()}};
        std::sort(used.begin(), used.end());
        QList<QRectF> out;
        double x = pool.left();
        for (const auto& [l, r] : used) {
            if (r <= l) continue;
            if (l > x) out << QRectF(x, pool.top(), l - x, pool.height());
            x = std::max(x, r);
        }
        if (pool.right() > x) out << QRectF(x, pool.top(), pool.right() - x, pool.height());
        return out;
    }
    case Part::None: break;
    }
    return {};
}

double SubsetCanvas::drawnImages(Part part) const {
    const double perImage = poolRect().width() / double(std::max<std::size_t>(1, design_.poolSize));
    double width = 0;
    for (const QRectF& r : partRects(part)) width += r.width();
    return width / perImage;
}

long long SubsetCanvas::statedImages(Part part) const {
    const double both = std::min({overlapImages(), double(design_.kDet), double(design_.kSeg)});
    const auto n = double(design_.poolSize), det = double(design_.kDet), seg = double(design_.kSeg);
    switch (part) {
    case Part::DetOnly: return std::llround(det - both);
    case Part::Both: return std::llround(both);
    case Part::SegOnly: return std::llround(seg - both);
    case Part::Unlabeled: return std::llround(std::max(0.0, n - det - seg + both));
    case Part::None: break;
    }
    return 0;
}

SubsetCanvas::Part SubsetCanvas::partAt(const QPointF& p) const {
    if (!poolRect().contains(p)) return Part::None;
    for (const Part part : {Part::Both, Part::DetOnly, Part::SegOnly})
        for (const QRectF& r : partRects(part))
            if (r.contains(p)) return part;
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

    QColor detFill = kDetColour, segFill = kSegColour, bothFill(150, 70, 140);
    for (QColor* c : {&detFill, &segFill, &bothFill}) c->setAlpha(120);
    const QBrush hatch(pal.color(QPalette::Text), Qt::BDiagPattern);
    struct Style {
        Part part;
        QColor fill;
        QString name;
    };
    const Style styles[] = {{Part::DetOnly, detFill, tr("detection only")},
                            {Part::Both, bothFill, tr("both")},
                            {Part::SegOnly, segFill, tr("segmentation only")},
                            {Part::Unlabeled, pal.color(QPalette::AlternateBase), tr("neither")}};
    const QFontMetricsF fm(font());
    for (const Style& s : styles) {
        if (s.part == Part::Unlabeled) continue;
        for (const QRectF& r : partRects(s.part)) {
            p.setPen(Qt::NoPen);
            p.setBrush(s.fill);
            p.drawRect(r);
            if (s.part == Part::Both) {
                p.setBrush(hatch);
                p.drawRect(r);
            }
            // A part's count inside it only where it fits; the legend has every count.
            const QString label = QString::number(statedImages(s.part));
            if (fm.horizontalAdvance(label) + 8 < r.width()) {
                p.setPen(pal.color(QPalette::Text));
                p.drawText(r.adjusted(4, 2, -4, -2),
                           Qt::AlignLeft | (s.part == Part::SegOnly ? Qt::AlignBottom : Qt::AlignTop), label);
            }
        }
    }
    // The regions' outlines and resize handles on their right edges.
    for (const auto& [r, c] : {std::pair{detRect(), kDetColour}, std::pair{segRect(), kSegColour}}) {
        if (r.width() <= 0) continue;
        p.setPen(QPen(c, 1.5));
        p.setBrush(Qt::NoBrush);
        p.drawRect(r);
        p.setBrush(c);
        p.drawRect(QRectF(r.right() - 3, r.center().y() - 10, 6, 20));
    }

    // Legend: every part's swatch and count.
    double x = pool.left();
    const double legendY = pool.bottom() + 6;
    for (const Style& s : styles) {
        const QRectF swatch(x, legendY + 3, 12, 12);
        p.setPen(QPen(pal.color(QPalette::Mid), 1));
        p.setBrush(s.fill);
        p.drawRect(swatch);
        if (s.part == Part::Both) {
            p.setBrush(hatch);
            p.drawRect(swatch);
        }
        const QString text = tr("%1 %2").arg(s.name).arg(statedImages(s.part));
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRectF(x + 16, legendY, fm.horizontalAdvance(text) + 2, 18), Qt::AlignLeft | Qt::AlignVCenter, text);
        x += 16 + fm.horizontalAdvance(text) + 14;
    }
    const auto expected = mtl::expectedCounts(design_).expectedOverlap;
    QString caption = tr("setting (%1) · %2 · ")
                          .arg(QString::fromStdString(mtl::settingOf(design_)))
                          .arg(design_.nested ? tr("segmentation drawn inside detection") : tr("independent draws"));
    caption += actualOverlap_ >= 0 ? tr("overlap drawn %1 (expected %2)").arg(actualOverlap_).arg(expected, 0, 'f', 1)
                                   : tr("expected overlap %1").arg(expected, 0, 'f', 1);
    p.drawText(QRectF(pool.left(), legendY + 20, pool.width(), 18), Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(caption, Qt::ElideRight, pool.width()));
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
