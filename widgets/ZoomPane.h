#pragma once
// One picture of the qualitative viewer. Every pane of the viewer shares one ViewState (zoom and
// the image point at the pane's centre), so zooming (wheel, +/−) or panning (drag) one pans and
// zooms them all.
#include "widgets/OverlayRenderer.h"

#include <QImage>
#include <QObject>
#include <QPointF>
#include <QWidget>

#include <vector>

class ViewState : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    double zoom() const { return zoom_; }       // 1 = the image fits the pane
    QPointF centre() const { return centre_; }  // image coordinates; (-1,-1) = the image centre
    void set(double zoom, QPointF centre);
    void reset() { set(1.0, {-1, -1}); }

Q_SIGNALS:
    void changed();

private:
    double zoom_ = 1.0;
    QPointF centre_{-1, -1};
};

class ZoomPane : public QWidget {
    Q_OBJECT
public:
    ZoomPane(ViewState* view, QWidget* parent = nullptr);
    // `labels`: box tags drawn over the image at screen size, whatever the zoom.
    void setImage(const QImage& image, const QString& caption, std::vector<BoxLabel> labels = {});
    const std::vector<BoxLabel>& labels() const { return labels_; }
    const QImage& image() const { return image_; }
    const QString& caption() const { return caption_; }
    // Image point shown at a widget point under the shared view.
    QPointF toImage(const QPointF& widgetPoint) const;

protected:
    void paintEvent(QPaintEvent*) override;
    void wheelEvent(QWheelEvent*) override;
    void mousePressEvent(QMouseEvent*) override;
    void mouseMoveEvent(QMouseEvent*) override;

private:
    double scale() const; // widget pixels per image pixel
    QPointF centre() const;

    ViewState* view_;
    QImage image_;
    QString caption_;
    std::vector<BoxLabel> labels_;
    QPointF dragStart_;
    QPointF dragCentre_;
};
