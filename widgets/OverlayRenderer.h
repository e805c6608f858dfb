#pragma once
// Draws what the qualitative viewer shows of one image for one source (ground truth or a run):
// the segmentation in the Cityscapes palette blended over the image with an opacity, or the error
// view (pixels whose label differs from the ground truth in red, agreeing pixels dimmed, ignore
// pixels untouched), then the boxes whose score reaches the threshold with class and score. Classes
// can be hidden per task. One pass over the pixels with a per-class colour table: a 2048×1024
// image with mask and boxes renders in a few milliseconds.
#include "core/data/Sample.h"

#include <QColor>
#include <QImage>
#include <QPointF>
#include <QString>

class QPainter;

#include <bitset>
#include <vector>

struct OverlayOptions {
    double opacity = 0.6;          // of the mask over the image
    double scoreThreshold = 0.5;   // boxes with a lower score are not drawn
    bool errorView = false;        // needs truth labels
    // Error view: wrong pixels red, or in the colour of the class `labels` gives them (what the
    // teacher turned the truth into).
    bool errorsInLabelColours = false;
    bool showBoxScores = true;     // ground truth has no scores
    // Class (and score) tags drawn into the image. The viewer's panes draw them at screen size
    // instead (BoxLabel), so that zooming in enlarges the objects, not the tags covering them.
    bool drawBoxLabels = true;
    std::bitset<256> hiddenSegClasses;
    std::bitset<256> hiddenDetClasses;
};

struct OverlayInput {
    const QImage* image = nullptr;         // RGB888
    const cv::Mat* labels = nullptr;       // CV_8UC1 train ids (255 = ignore); null or empty = none
    const cv::Mat* truthLabels = nullptr;  // for the error view
    const std::vector<mtl::Detection>* detections = nullptr;
    std::vector<std::string> detClassNames;
};

// A deep copy of an RGB CV_8UC3 image.
QImage rgbImage(const cv::Mat& rgb);
QColor segClassColour(int trainId);
QColor detClassColour(int detClass);
// The boxes that would be drawn: score ≥ threshold and class shown.
std::vector<mtl::Detection> visibleDetections(const std::vector<mtl::Detection>& all, const OverlayOptions& options);
QImage renderOverlay(const OverlayInput& input, const OverlayOptions& options);
// A box's tag ("car 0.87") in the box's class colour, anchored at the box's top-left corner.
struct BoxLabel {
    QPointF anchor; // image coordinates
    QString text;
    QColor colour;
};
std::vector<BoxLabel> boxLabels(const OverlayInput& input, const OverlayOptions& options);
// Draws a tag with its bottom-left at `anchor` (painter coordinates), moved down to stay visible.
void drawBoxLabel(QPainter& painter, QPointF anchor, const BoxLabel& label);
// Several panes of one image at once, one per core (the viewer's ground truth and runs).
struct OverlayJob {
    OverlayInput input;
    OverlayOptions options;
};
std::vector<QImage> renderOverlays(const std::vector<OverlayJob>& jobs);
