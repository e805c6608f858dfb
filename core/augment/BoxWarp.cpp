#include "core/augment/BoxWarp.h"

#include "core/common/Error.h"

#include <algorithm>
#include <cmath>

namespace mtl {

std::vector<Box> warpBoxes(const std::vector<Box>& boxes, const Affine2D& dstFromSrc, int dstWidth,
                           int dstHeight, const BoxFilter& filter) {
    std::vector<Box> out;
    out.reserve(boxes.size());
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        const Box& b = boxes[i];
        if (!std::isfinite(b.x1) || !std::isfinite(b.y1) || !std::isfinite(b.x2) || !std::isfinite(b.y2))
            throw InputError("box " + std::to_string(i) + " has a coordinate that is not finite");
        if (b.x2 < b.x1 || b.y2 < b.y1) continue;
        double x1 = INFINITY, y1 = INFINITY, x2 = -INFINITY, y2 = -INFINITY;
        for (const Point2D corner : {Point2D{b.x1, b.y1}, Point2D{b.x2, b.y1}, Point2D{b.x1, b.y2},
                                     Point2D{b.x2, b.y2}}) {
            const Point2D p = dstFromSrc.apply(corner);
            x1 = std::min(x1, p.x), y1 = std::min(y1, p.y);
            x2 = std::max(x2, p.x), y2 = std::max(y2, p.y);
        }
        const double area = (x2 - x1) * (y2 - y1);
        const double cx1 = std::clamp(x1, 0.0, double(dstWidth)), cx2 = std::clamp(x2, 0.0, double(dstWidth));
        const double cy1 = std::clamp(y1, 0.0, double(dstHeight)), cy2 = std::clamp(y2, 0.0, double(dstHeight));
        const double w = cx2 - cx1, h = cy2 - cy1;
        if (w < filter.minSize || h < filter.minSize || w <= 0 || h <= 0) continue;
        if (w * h < filter.minVisible * area) continue;
        Box warped = b;
        warped.x1 = float(cx1), warped.y1 = float(cy1), warped.x2 = float(cx2), warped.y2 = float(cy2);
        out.push_back(warped);
    }
    return out;
}

} // namespace mtl
