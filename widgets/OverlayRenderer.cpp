#include "widgets/OverlayRenderer.h"

#include <QtConcurrent/QtConcurrentMap>

#include "core/data/CityscapesLabels.h"

#include <QPainter>

#include <algorithm>
#include <array>

QImage rgbImage(const cv::Mat& rgb) {
    return QImage(rgb.data, rgb.cols, rgb.rows, int(rgb.step[0]), QImage::Format_RGB888).copy();
}

QColor segClassColour(int trainId) {
    const auto c = mtl::cityscapes::trainIdColor(trainId);
    return QColor(c[0], c[1], c[2]);
}

QColor detClassColour(int detClass) {
    // Cityscapes' instance classes keep their segmentation colours; further classes (BDD100K has
    // 10) take distinct hues.
    if (detClass >= 0 && detClass < mtl::cityscapes::kNumDetClasses)
        return segClassColour(detClass + mtl::cityscapes::kFirstDetTrainId);
    return QColor::fromHsv((detClass * 67) % 360, 200, 230);
}

std::vector<mtl::Detection> visibleDetections(const std::vector<mtl::Detection>& all, const OverlayOptions& o) {
    std::vector<mtl::Detection> out;
    for (const auto& d : all)
        if (d.score >= o.scoreThreshold && !(d.box.cls >= 0 && d.box.cls < 256 && o.hiddenDetClasses[std::size_t(d.box.cls)]))
            out.push_back(d);
    return out;
}

namespace {
// out = (1 − a)·image + a·colour, a in 1/256 steps; per class a precomputed a·colour.
void blendMask(QImage& out, const cv::Mat& labels, const OverlayOptions& o) {
    const int a = std::clamp(int(o.opacity * 256 + 0.5), 0, 256);
    std::array<std::array<int, 3>, 256> add{};
    std::array<bool, 256> paint{};
    for (int id = 0; id < 256; ++id) {
        paint[id] = id != mtl::cityscapes::kIgnore && !o.hiddenSegClasses[std::size_t(id)];
        const QColor c = segClassColour(id);
        add[id] = {a * c.red(), a * c.green(), a * c.blue()};
    }
    const int keep = 256 - a;
    const int rows = std::min(out.height(), labels.rows), cols = std::min(out.width(), labels.cols);
    for (int y = 0; y < rows; ++y) {
        const uchar* l = labels.ptr<uchar>(y);
        uchar* px = out.scanLine(y);
        for (int x = 0; x < cols; ++x, px += 3) {
            const uchar id = l[x];
            if (!paint[id]) continue;
            px[0] = uchar((keep * px[0] + add[id][0]) >> 8);
            px[1] = uchar((keep * px[1] + add[id][1]) >> 8);
            px[2] = uchar((keep * px[2] + add[id][2]) >> 8);
        }
    }
}

// Wrong pixels red (or the label's class colour) at the opacity, right ones dimmed to half, ignore (and hidden classes of the
// truth) untouched.
void blendErrors(QImage& out, const cv::Mat& labels, const cv::Mat& truth, const OverlayOptions& o) {
    const int a = std::clamp(int(o.opacity * 256 + 0.5), 0, 256), keep = 256 - a;
    std::array<std::array<int, 3>, 256> add{};
    for (int id = 0; id < 256; ++id) {
        const QColor c = o.errorsInLabelColours ? segClassColour(id) : QColor(255, 0, 0);
        add[id] = {a * c.red(), a * c.green(), a * c.blue()};
    }
    const int rows = std::min({out.height(), labels.rows, truth.rows}), cols = std::min({out.width(), labels.cols, truth.cols});
    for (int y = 0; y < rows; ++y) {
        const uchar* l = labels.ptr<uchar>(y);
        const uchar* t = truth.ptr<uchar>(y);
        uchar* px = out.scanLine(y);
        for (int x = 0; x < cols; ++x, px += 3) {
            if (t[x] == mtl::cityscapes::kIgnore || o.hiddenSegClasses[t[x]]) continue;
            if (l[x] != t[x]) {
                px[0] = uchar((keep * px[0] + add[l[x]][0]) >> 8);
                px[1] = uchar((keep * px[1] + add[l[x]][1]) >> 8);
                px[2] = uchar((keep * px[2] + add[l[x]][2]) >> 8);
            } else {
                px[0] >>= 1;
                px[1] >>= 1;
                px[2] >>= 1;
            }
        }
    }
}
} // namespace

QImage renderOverlay(const OverlayInput& in, const OverlayOptions& o) {
    QImage out = in.image->convertToFormat(QImage::Format_RGB888);
    const bool hasLabels = in.labels && !in.labels->empty();
    if (hasLabels && o.errorView && in.truthLabels && !in.truthLabels->empty())
        blendErrors(out, *in.labels, *in.truthLabels, o);
    else if (hasLabels)
        blendMask(out, *in.labels, o);
    if (!in.detections) return out;
    QPainter p(&out);
    QFont font = p.font();
    font.setPixelSize(std::max(10, out.height() / 60));
    p.setFont(font);
    const qreal pen = std::max(1.0, out.height() / 512.0);
    for (const auto& d : visibleDetections(*in.detections, o)) {
        p.setPen(QPen(detClassColour(d.box.cls), pen));
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRectF(d.box.x1, d.box.y1, d.box.width(), d.box.height()));
    }
    if (o.drawBoxLabels)
        for (const BoxLabel& label : boxLabels(in, o)) drawBoxLabel(p, label.anchor, label);
    return out;
}

std::vector<BoxLabel> boxLabels(const OverlayInput& in, const OverlayOptions& o) {
    std::vector<BoxLabel> out;
    if (!in.detections) return out;
    for (const auto& d : visibleDetections(*in.detections, o)) {
        const QString name = d.box.cls >= 0 && std::size_t(d.box.cls) < in.detClassNames.size()
                                 ? QString::fromStdString(in.detClassNames[std::size_t(d.box.cls)])
                                 : QString::number(d.box.cls);
        out.push_back({QPointF(d.box.x1, d.box.y1),
                       o.showBoxScores ? QStringLiteral("%1 %2").arg(name).arg(double(d.score), 0, 'f', 2) : name,
                       detClassColour(d.box.cls)});
    }
    return out;
}

void drawBoxLabel(QPainter& p, QPointF anchor, const BoxLabel& label) {
    const QFontMetrics metrics(p.font());
    const QRectF tag(anchor.x(), std::max(0.0, anchor.y() - metrics.height()), metrics.horizontalAdvance(label.text) + 4,
                     metrics.height());
    p.fillRect(tag, label.colour);
    p.setPen(label.colour.lightness() > 140 ? Qt::black : Qt::white);
    p.drawText(tag, Qt::AlignCenter, label.text);
}

std::vector<QImage> renderOverlays(const std::vector<OverlayJob>& jobs) {
    // QPainter on a QImage is safe outside the GUI thread; each job writes its own image.
    std::vector<QImage> out(jobs.size());
    std::vector<std::size_t> indices(jobs.size());
    for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = i;
    QtConcurrent::blockingMap(indices, [&](std::size_t i) { out[i] = renderOverlay(jobs[i].input, jobs[i].options); });
    return out;
}
