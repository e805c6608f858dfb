#pragma once
// The training pool drawn as an area, one column per image: detection only (top band), both tasks
// (hatched, full height), segmentation only (bottom band), neither; widths proportional to their
// counts, with a legend of them. The overlap drawn is the split's own once the designer has drawn
// it (setActualOverlap), the expected one k_det·k_seg/N of independent subsets before. The user
// drags a region's right edge to resize it and drags the segmentation region sideways: dropped
// inside the detection region it is drawn from it (nested), elsewhere the two are independent.
// Hovering reports which part is under the cursor.
#include "core/data/SubsetDesign.h"

#include <QList>
#include <QWidget>

class SubsetCanvas : public QWidget {
    Q_OBJECT
public:
    enum class Part { None, DetOnly, SegOnly, Both, Unlabeled };
    Q_ENUM(Part)

    explicit SubsetCanvas(QWidget* parent = nullptr);
    void setDesign(const mtl::SubsetDesign& design); // no designChanged emitted
    const mtl::SubsetDesign& design() const { return design_; }
    void setActualOverlap(long long overlap) { actualOverlap_ = overlap; update(); }

    // Geometry in widget coordinates, for painting, hit tests and tests.
    QRectF poolRect() const;
    QRectF detRect() const;
    QRectF segRect() const;
    Part partAt(const QPointF& p) const;
    // The rectangles painted for one part (none, one or two), and the images they span: the
    // painted widths over the width of one image, which must be the counts the legend states.
    QList<QRectF> partRects(Part part) const;
    double drawnImages(Part part) const;
    // The counts the legend states: detection only, both, segmentation only, neither.
    long long statedImages(Part part) const;

    QSize sizeHint() const override { return {520, 240}; }

Q_SIGNALS:
    void designChanged(const mtl::SubsetDesign& design);
    void hovered(SubsetCanvas::Part part, QPoint globalPos);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent*) override;
    void mouseMoveEvent(QMouseEvent*) override;
    void mouseReleaseEvent(QMouseEvent*) override;
    void leaveEvent(QEvent*) override;

private:
    enum class Drag { None, DetEdge, SegEdge, SegBody };
    double segOffsetImages() const; // left edge of the segmentation region, in images
    double overlapImages() const;   // the overlap drawn: the split's, else the expected one
    std::size_t imagesAt(double x) const;

    mtl::SubsetDesign design_{100, 50, 25, true};
    long long actualOverlap_ = -1;
    Drag drag_ = Drag::None;
    double dragOffset_ = -1; // SegBody: the region's left edge while dragging, in images
    double grabDelta_ = 0;
};
