#include "core/model/BoxOps.h"

#include <cmath>

namespace mtl {
namespace {
torch::Tensor area(const torch::Tensor& b) {
    using torch::indexing::Ellipsis;
    return (b.index({Ellipsis, 2}) - b.index({Ellipsis, 0})) * (b.index({Ellipsis, 3}) - b.index({Ellipsis, 1}));
}

// Intersection and union of corresponding boxes (broadcasting), plus the enclosing box's area.
struct Overlap {
    torch::Tensor intersection, unionArea, enclosing;
};

Overlap overlap(const torch::Tensor& a, const torch::Tensor& b) {
    using torch::indexing::Ellipsis;
    using torch::indexing::Slice;
    auto lo = torch::max(a.index({Ellipsis, Slice(0, 2)}), b.index({Ellipsis, Slice(0, 2)}));
    auto hi = torch::min(a.index({Ellipsis, Slice(2, 4)}), b.index({Ellipsis, Slice(2, 4)}));
    auto wh = (hi - lo).clamp_min(0);
    auto inter = wh.index({Ellipsis, 0}) * wh.index({Ellipsis, 1});
    auto encLo = torch::min(a.index({Ellipsis, Slice(0, 2)}), b.index({Ellipsis, Slice(0, 2)}));
    auto encHi = torch::max(a.index({Ellipsis, Slice(2, 4)}), b.index({Ellipsis, Slice(2, 4)}));
    auto encWh = (encHi - encLo).clamp_min(0);
    return {inter, area(a) + area(b) - inter, encWh.index({Ellipsis, 0}) * encWh.index({Ellipsis, 1})};
}

torch::Tensor centreSize(const torch::Tensor& b) {
    using torch::indexing::Ellipsis;
    auto w = b.index({Ellipsis, 2}) - b.index({Ellipsis, 0});
    auto h = b.index({Ellipsis, 3}) - b.index({Ellipsis, 1});
    return torch::stack({b.index({Ellipsis, 0}) + 0.5 * w, b.index({Ellipsis, 1}) + 0.5 * h, w, h}, -1);
}
} // namespace

torch::Tensor pairwiseIou(const torch::Tensor& a, const torch::Tensor& b) {
    const Overlap o = overlap(a.unsqueeze(-2), b.unsqueeze(-3));
    return torch::where(o.unionArea > 0, o.intersection / o.unionArea.clamp_min(1e-12),
                        torch::zeros_like(o.intersection));
}

torch::Tensor encodeBoxes(const torch::Tensor& boxes, const torch::Tensor& anchors) {
    using torch::indexing::Ellipsis;
    using torch::indexing::Slice;
    auto g = centreSize(boxes), a = centreSize(anchors);
    auto aSize = a.index({Ellipsis, Slice(2, 4)});
    auto centre = (g.index({Ellipsis, Slice(0, 2)}) - a.index({Ellipsis, Slice(0, 2)})) / aSize;
    return torch::cat({centre, torch::log(g.index({Ellipsis, Slice(2, 4)}) / aSize)}, -1);
}

torch::Tensor decodeBoxes(const torch::Tensor& deltas, const torch::Tensor& anchors) {
    using torch::indexing::Ellipsis;
    using torch::indexing::Slice;
    static const double kMaxLogScale = std::log(1000.0 / 16.0);
    auto a = centreSize(anchors.to(deltas.dtype()));
    auto aSize = a.index({Ellipsis, Slice(2, 4)});
    auto centre = a.index({Ellipsis, Slice(0, 2)}) + deltas.index({Ellipsis, Slice(0, 2)}) * aSize;
    auto size = torch::exp(deltas.index({Ellipsis, Slice(2, 4)}).clamp_max(kMaxLogScale)) * aSize;
    return torch::cat({centre - 0.5 * size, centre + 0.5 * size}, -1);
}

torch::Tensor generalizedIouLoss(const torch::Tensor& predicted, const torch::Tensor& target) {
    constexpr double eps = 1e-7;
    const Overlap o = overlap(predicted, target);
    auto iou = o.intersection / (o.unionArea + eps);
    auto giou = iou - (o.enclosing - o.unionArea) / (o.enclosing + eps);
    return 1 - giou;
}

torch::Tensor clipBoxes(const torch::Tensor& boxes, double width, double height) {
    using torch::indexing::None;
    using torch::indexing::Slice;
    auto x = boxes.index({Slice(), Slice(0, None, 2)}).clamp(0, width);  // x1, x2
    auto y = boxes.index({Slice(), Slice(1, None, 2)}).clamp(0, height); // y1, y2
    return torch::stack({x.select(1, 0), y.select(1, 0), x.select(1, 1), y.select(1, 1)}, 1);
}

torch::Tensor nms(const torch::Tensor& boxes, const torch::Tensor& scores, double iouThreshold) {
    const int64_t n = boxes.size(0);
    if (n == 0) return torch::empty({0}, torch::kLong);
    auto order = std::get<1>(scores.to(torch::kCPU).sort(/*stable=*/true, 0, /*descending=*/true));
    auto sorted = boxes.to(torch::kCPU, torch::kFloat).index_select(0, order).contiguous();
    auto b = sorted.accessor<float, 2>();
    auto ord = order.accessor<int64_t, 1>();
    std::vector<float> areas(n);
    for (int64_t i = 0; i < n; ++i) areas[i] = (b[i][2] - b[i][0]) * (b[i][3] - b[i][1]);
    std::vector<char> removed(n, 0);
    std::vector<int64_t> kept;
    for (int64_t i = 0; i < n; ++i) {
        if (removed[i]) continue;
        kept.push_back(ord[i]);
        for (int64_t j = i + 1; j < n; ++j) {
            if (removed[j]) continue;
            const float w = std::min(b[i][2], b[j][2]) - std::max(b[i][0], b[j][0]);
            const float h = std::min(b[i][3], b[j][3]) - std::max(b[i][1], b[j][1]);
            if (w <= 0 || h <= 0) continue;
            const float inter = w * h, uni = areas[i] + areas[j] - inter;
            if (uni > 0 && inter / uni > iouThreshold) removed[j] = 1;
        }
    }
    return torch::tensor(kept, torch::kLong);
}

torch::Tensor classwiseNms(const torch::Tensor& boxes, const torch::Tensor& scores,
                           const torch::Tensor& classes, double iouThreshold) {
    if (boxes.size(0) == 0) return torch::empty({0}, torch::kLong);
    // Shifting each class by more than the whole extent of all boxes keeps classes disjoint, so one
    // NMS pass suppresses within classes only.
    auto extent = boxes.max() - boxes.min() + 1;
    auto shifted = boxes + (classes.to(boxes.dtype()) * extent).unsqueeze(1);
    return nms(shifted, scores, iouThreshold);
}

} // namespace mtl
