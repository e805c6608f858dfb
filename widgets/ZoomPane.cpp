#include "widgets/ZoomPane.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

void ViewState::set(double zoom, QPointF centre) {
    zoom_ = std::clamp(zoom, 1.0, 64.0);
    centre_ = zoom_ == 1.0 ? QPointF(-1, -1) : centre;
    Q_EMIT changed();
}

ZoomPane::ZoomPane(ViewState* view, QWidget* parent) : QWidget(parent), view_(view) {
    setMinimumSize(160, 100);
    connect(view_, &ViewState::changed, this, qOverload<>(&QWidget::update));
}

void ZoomPane::setImage(const QImage& image, const QString& caption, std::vector<BoxLabel> labels) {
    image_ = image;
    caption_ = caption;
    labels_ = std::move(labels);
    update();
}

double ZoomPane::scale() const {
    if (image_.isNull()) return 1.0;
    const double fit = std::min(double(width()) / image_.width(), double(height() - 18) / image_.height());
    return fit * view_->zoom();
}

QPointF ZoomPane::centre() const {
    const QPointF c = view_->centre();
    return c.x() < 0 ? QPointF(image_.width() / 2.0, image_.height() / 2.0) : c;
}

QPointF ZoomPane::toImage(const QPointF& p) const {
    const QPointF mid(width() / 2.0, 18 + (height() - 18) / 2.0);
    return centre() + (p - mid) / scale();
}

void ZoomPane::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Window));
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRect(0, 0, width(), 18), Qt::AlignCenter, caption_);
    if (image_.isNull()) return;
    const QRect area(0, 18, width(), height() - 18);
    p.setClipRect(area);
    const double s = scale();
    const QPointF topLeft = QPointF(area.center()) - centre() * s;
    // Pixels stay sharp when zoomed in (a viewer judges single pixels), smooth when shrunk.
    p.setRenderHint(QPainter::SmoothPixmapTransform, s < 1.0);
    p.drawImage(QRectF(topLeft, QSizeF(image_.width() * s, image_.height() * s)), image_);
    for (const BoxLabel& label : labels_) drawBoxLabel(p, topLeft + label.anchor * s, label);
}

void ZoomPane::wheelEvent(QWheelEvent* e) {
    if (image_.isNull()) return;
    const QPointF anchor = toImage(e->position());
    const double factor = std::pow(1.0015, e->angleDelta().y());
    const double zoom = std::clamp(view_->zoom() * factor, 1.0, 64.0);
    // Keep the image point under the cursor where it is.
    const QPointF c = centre();
    const QPointF newCentre = anchor + (c - anchor) * (view_->zoom() / zoom);
    view_->set(zoom, newCentre);
}

void ZoomPane::mousePressEvent(QMouseEvent* e) {
    dragStart_ = e->position();
    dragCentre_ = centre();
}

void ZoomPane::mouseMoveEvent(QMouseEvent* e) {
    if (!(e->buttons() & Qt::LeftButton) || view_->zoom() <= 1.0) return;
    view_->set(view_->zoom(), dragCentre_ - (e->position() - dragStart_) / scale());
}
