#include "core/eval/AnchorCoverage.h"

#include "core/common/Error.h"
#include "core/experiment/ScaleCheck.h"
#include "core/common/ParallelFor.h"

#include <algorithm>
#include <cmath>

namespace mtl {
namespace {

double iou(const Box& a, float x1, float y1, float x2, float y2) {
    Box b;
    b.x1 = x1, b.y1 = y1, b.x2 = x2, b.y2 = y2;
    return boxIou(a, b);
}

// Every anchor shape of a layout with its level and stride, computed once per layout, not per box.
struct Shape {
    int level;
    double stride;
    std::array<float, 4> corners;
};

std::vector<Shape> shapesOf(const AnchorLayout& layout) {
    std::vector<Shape> shapes;
    for (int l = 0; l < layout.levels(); ++l)
        for (const auto& c : cellAnchorCorners(layout, std::size_t(l)))
            shapes.push_back({l, double(layout.strides[std::size_t(l)]), c});
    return shapes;
}

// Boxes no anchor is asked to match: crowd regions (never a training target) and empty boxes.
bool counted(const Box& b) { return !b.crowd && b.area() > 0; }

double bestIou(const Box& box, const std::vector<Shape>& shapes, int* level) {
    // For a fixed shape the IoU falls as the anchor's centre moves away from the box's, in x and in
    // y: the best anchor of a shape is on one of the four cells whose anchor centres (the cell's
    // plus the shape's tiling offset) surround the box's centre.
    const double cx = (box.x1 + box.x2) / 2.0, cy = (box.y1 + box.y2) / 2.0;
    double best = 0;
    int bestLevel = 0;
    for (const Shape& s : shapes) {
        const auto& c = s.corners;
        const double ox = (c[0] + c[2]) / 2.0, oy = (c[1] + c[3]) / 2.0;
        const double kx = std::floor((cx - ox) / s.stride), ky = std::floor((cy - oy) / s.stride);
        for (double gx : {kx, kx + 1})
            for (double gy : {ky, ky + 1}) {
                const auto ax = float(gx * s.stride), ay = float(gy * s.stride);
                const double v = iou(box, ax + c[0], ay + c[1], ax + c[2], ay + c[3]);
                if (v > best) {
                    best = v;
                    bestLevel = s.level;
                }
            }
    }
    if (level) *level = bestLevel;
    return best;
}

std::size_t countAtLeast(const Box& box, const std::vector<Shape>& shapes, double threshold) {
    std::size_t count = 0;
    const double boxArea = box.area();
    for (const Shape& s : shapes) {
        const auto& c = s.corners;
        // IoU <= smaller area / larger area: shapes too large or too small never reach it.
        const double area = double(c[2] - c[0]) * double(c[3] - c[1]);
        if (std::min(area, boxArea) < threshold * std::max(area, boxArea)) continue;
        // Cells whose anchor overlaps the box at all.
        const auto first = [&](double lo, double anchorHi) { return std::max(0.0, std::ceil((lo - anchorHi) / s.stride)); };
        const auto last = [&](double hi, double anchorLo) { return std::floor((hi - anchorLo) / s.stride); };
        for (double gx = first(box.x1, c[2]); gx <= last(box.x2, c[0]); ++gx)
            for (double gy = first(box.y1, c[3]); gy <= last(box.y2, c[1]); ++gy) {
                const auto ax = float(gx * s.stride), ay = float(gy * s.stride);
                if (iou(box, ax + c[0], ay + c[1], ax + c[2], ay + c[3]) >= threshold) ++count;
            }
    }
    return count;
}

} // namespace

std::vector<Box> trainingScaleBoxes(const Dataset& data, const ExperimentConfig& config, int threads,
                                    std::vector<double>* scales) {
    if (data.labeledCount(Task::Detection) == 0)
        throw InputError(data.description() + ": no image is labeled for detection");
    const TrainConfig& tc = config.train;
    const bool augmented = trainsOnAugmentedViews(tc);
    const AugmentOptions& a = config.augment;
    const std::vector<double> factors =
        augmented ? std::vector<double>{a.scaleMin, std::sqrt(a.scaleMin * a.scaleMax), a.scaleMax} : std::vector<double>{1.0};
    if (scales) *scales = factors;
    std::vector<std::vector<Box>> perImage(data.size());
    parallelFor(data.size(), threads, [&](std::size_t i, int) {
        if (!data.labeled(i, Task::Detection)) return;
        const Sample s = data.loadLabels(i);
        const double sx = double(tc.inputWidth) / s.imageSize.width, sy = double(tc.inputHeight) / s.imageSize.height;
        for (double f : factors)
            for (Box b : s.boxes) {
                b.x1 = float(b.x1 * sx * f);
                b.x2 = float(b.x2 * sx * f);
                b.y1 = float(b.y1 * sy * f);
                b.y2 = float(b.y2 * sy * f);
                perImage[i].push_back(b);
            }
    });
    std::vector<Box> boxes;
    for (auto& v : perImage) boxes.insert(boxes.end(), v.begin(), v.end());
    return boxes;
}

double bestAnchorIou(const Box& box, const AnchorLayout& layout, int* level) {
    return bestIou(box, shapesOf(layout), level);
}

std::size_t anchorsAtLeast(const Box& box, const AnchorLayout& layout, double threshold) {
    return countAtLeast(box, shapesOf(layout), threshold);
}

AnchorCoverage anchorCoverage(const std::vector<Box>& boxes, const AnchorLayout& layout, int numClasses) {
    AnchorCoverage out;
    out.perClass.resize(std::size_t(std::max(0, numClasses)));
    out.perLevel.resize(std::size_t(layout.levels()));
    const std::vector<Shape> shapes = shapesOf(layout);
    for (const Box& b : boxes) {
        if (!counted(b)) continue;
        int level = 0;
        const double best = bestIou(b, shapes, &level);
        const std::size_t positives = countAtLeast(b, shapes, 0.5);
        std::vector<CoverageCounts*> into{&out.all, &out.perLevel[std::size_t(level)]};
        if (b.cls >= 0 && b.cls < numClasses) into.push_back(&out.perClass[std::size_t(b.cls)]);
        for (CoverageCounts* c : into) {
            ++c->boxes;
            (best >= 0.5 ? c->positive : best >= 0.4 ? c->ignored : c->low) += 1;
            c->positiveAnchors += positives;
        }
    }
    return out;
}

AnchorSuggestion suggestAnchors(const std::vector<Box>& boxes, const ModelSpec& spec, double target) {
    const auto coveredShare = [&](const ModelSpec& s) {
        std::size_t boxesCounted = 0, covered = 0;
        const std::vector<Shape> shapes = shapesOf(anchorLayoutFor(s));
        for (const Box& b : boxes) {
            if (!counted(b)) continue;
            ++boxesCounted;
            if (bestIou(b, shapes, nullptr) >= 0.4) ++covered;
        }
        return boxesCounted ? double(covered) / double(boxesCounted) : 0.0;
    };
    // Sizes from the spec's down in quarter octaves, to 4 px.
    std::vector<int> sizes;
    for (int k = 0; k <= 12; ++k) {
        const int size = int(std::lround(spec.anchorSize * std::pow(2.0, -k / 4.0)));
        if (size < 4) break;
        if (sizes.empty() || sizes.back() != size) sizes.push_back(size);
    }
    ModelSpec tall = spec;
    if (std::find(tall.anchorRatios.begin(), tall.anchorRatios.end(), 3.0) == tall.anchorRatios.end())
        tall.anchorRatios.push_back(3.0);
    ModelSpec finer = tall;
    finer.minLevel = std::min(finer.minLevel, 2);
    ModelSpec denser = finer;
    denser.anchorDensity = std::max(denser.anchorDensity, 2);
    AnchorSuggestion best{spec, coveredShare(spec), false};
    for (const ModelSpec& base : {spec, tall, finer, denser})
        for (int size : sizes) {
            ModelSpec v = base;
            v.anchorSize = size;
            const double share = coveredShare(v);
            if (share >= target) return {v, share, true};
            if (share > best.coveredShare) best = {v, share, false};
        }
    return best;
}

} // namespace mtl
