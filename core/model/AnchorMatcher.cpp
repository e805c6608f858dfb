#include "core/model/AnchorMatcher.h"

#include "core/model/BoxOps.h"

#include <algorithm>

namespace mtl {

torch::Tensor matchAnchors(const torch::Tensor& iou, const MatcherThresholds& t) {
    const int64_t n = iou.size(0), a = iou.size(2);
    if (iou.size(1) == 0) return torch::full({n, a}, kBackgroundAnchor, iou.options().dtype(torch::kLong));
    auto [bestIou, bestBox] = iou.max(1);
    auto matches = bestBox.clone();
    matches.masked_fill_(bestIou < t.background, kBackgroundAnchor);
    matches.masked_fill_((bestIou >= t.background) & (bestIou < t.foreground), kIgnoredAnchor);
    if (t.allowLowQuality) {
        auto highest = std::get<0>(iou.max(2)).unsqueeze(2); // N × G × 1
        auto rescued = ((iou == highest) & (highest > 0)).any(1);
        matches = torch::where(rescued, bestBox, matches);
    }
    return matches;
}

GroundTruthBoxes GroundTruthBoxes::to(const torch::Device& device) const {
    return {boxes.to(device, /*non_blocking=*/true), classes.to(device, /*non_blocking=*/true)};
}

GroundTruthBoxes padGroundTruth(const std::vector<std::vector<Box>>& boxesPerImage, float minSide, bool pinned) {
    const int64_t n = static_cast<int64_t>(boxesPerImage.size());
    std::vector<std::vector<const Box*>> kept(n);
    std::size_t most = 0;
    for (int64_t i = 0; i < n; ++i) {
        for (const Box& b : boxesPerImage[i])
            if (b.width() >= minSide && b.height() >= minSide) kept[i].push_back(&b);
        most = std::max(most, kept[i].size());
    }
    const int64_t g = static_cast<int64_t>(most);
    GroundTruthBoxes out{torch::zeros({n, g, 4}, torch::TensorOptions().dtype(torch::kFloat).pinned_memory(pinned)),
                         torch::full({n, g}, -1, torch::TensorOptions().dtype(torch::kLong).pinned_memory(pinned))};
    auto boxes = out.boxes.accessor<float, 3>();
    auto classes = out.classes.accessor<int64_t, 2>();
    for (int64_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < kept[i].size(); ++j) {
            const Box& b = *kept[i][j];
            boxes[i][j][0] = b.x1;
            boxes[i][j][1] = b.y1;
            boxes[i][j][2] = b.x2;
            boxes[i][j][3] = b.y2;
            classes[i][j] = b.cls;
        }
    return out;
}

namespace {
struct Corners {
    float x1, y1, x2, y2, area;
};

// pairwiseIou's arithmetic for one pair, operation for operation in float.
inline float iouOf(const Corners& b, const Corners& a) {
    const float w = std::max(std::min(b.x2, a.x2) - std::max(b.x1, a.x1), 0.f);
    const float h = std::max(std::min(b.y2, a.y2) - std::max(b.y1, a.y1), 0.f);
    const float inter = w * h, unionArea = b.area + a.area - inter;
    return unionArea > 0 ? inter / std::max(unionArea, 1e-12f) : 0.f;
}

std::vector<Corners> cornersOf(const float* xyxy, int64_t count) {
    std::vector<Corners> out(static_cast<std::size_t>(count));
    for (int64_t k = 0; k < count; ++k) {
        const float* c = xyxy + 4 * k;
        out[k] = {c[0], c[1], c[2], c[3], (c[2] - c[0]) * (c[3] - c[1])};
    }
    return out;
}

torch::Tensor matchOnHost(const GroundTruthBoxes& truth, const torch::Tensor& anchors, const MatcherThresholds& t) {
    const auto boxes = truth.boxes.to(torch::kFloat).contiguous();
    const auto classes = truth.classes.to(torch::kLong).contiguous();
    const auto anchorCorners = anchors.to(torch::kFloat).contiguous();
    const int64_t n = boxes.size(0), g = boxes.size(1), a = anchors.size(0);
    const std::vector<Corners> anchor = cornersOf(anchorCorners.data_ptr<float>(), a);
    // The tensor path compares float IoUs with thresholds cast to float.
    const float foreground = static_cast<float>(t.foreground), background = static_cast<float>(t.background);
    auto matches = torch::empty({n, a}, torch::kLong);
    std::vector<float> bestIou(static_cast<std::size_t>(a));
    std::vector<int64_t> bestBox(static_cast<std::size_t>(a));
    std::vector<char> rescued(static_cast<std::size_t>(a));
    for (int64_t i = 0; i < n; ++i) {
        const std::vector<Corners> box = cornersOf(boxes.data_ptr<float>() + 4 * g * i, g);
        const int64_t* cls = classes.data_ptr<int64_t>() + g * i;
        int64_t* out = matches.data_ptr<int64_t>() + a * i;
        std::fill(bestIou.begin(), bestIou.end(), -1.f); // a padding slot's IoU
        std::fill(bestBox.begin(), bestBox.end(), 0);
        std::fill(rescued.begin(), rescued.end(), 0);
        for (int64_t j = 0; j < g; ++j) {
            if (cls[j] < 0) continue;
            float highest = -1.f;
            for (int64_t k = 0; k < a; ++k) {
                const float v = iouOf(box[j], anchor[k]);
                if (v > bestIou[k]) bestIou[k] = v, bestBox[k] = j; // ties keep the first box, as max() does
                highest = std::max(highest, v);
            }
            // The anchors of the box's highest IoU are recomputed rather than kept: a G × A buffer
            // is what this path avoids.
            if (t.allowLowQuality && highest > 0)
                for (int64_t k = 0; k < a; ++k)
                    if (iouOf(box[j], anchor[k]) == highest) rescued[k] = 1;
        }
        for (int64_t k = 0; k < a; ++k) {
            int64_t m = bestBox[k];
            if (bestIou[k] < background) m = kBackgroundAnchor;
            else if (bestIou[k] < foreground) m = kIgnoredAnchor;
            out[k] = rescued[k] ? bestBox[k] : m;
        }
    }
    return matches;
}
} // namespace

torch::Tensor matchBoxesToAnchors(const GroundTruthBoxes& truth, const torch::Tensor& anchors,
                                  const MatcherThresholds& thresholds) {
    if (truth.boxes.size(1) == 0)
        return torch::full({truth.boxes.size(0), anchors.size(0)}, kBackgroundAnchor,
                           anchors.options().dtype(torch::kLong));
    if (truth.boxes.is_cpu() && anchors.is_cpu()) return matchOnHost(truth, anchors, thresholds);
    return matchBoxesToAnchorsBatched(truth, anchors, thresholds);
}

torch::Tensor matchBoxesToAnchorsBatched(const GroundTruthBoxes& truth, const torch::Tensor& anchors,
                                         const MatcherThresholds& thresholds) {
    const auto padding = truth.classes.lt(0).unsqueeze(2); // N × G × 1
    return matchAnchors(pairwiseIou(truth.boxes, anchors.unsqueeze(0)).masked_fill(padding, -1.0), thresholds);
}

AnchorTargets assignAnchors(const GroundTruthBoxes& truth, const torch::Tensor& anchors,
                            const MatcherThresholds& thresholds) {
    const int64_t n = truth.boxes.size(0), a = anchors.size(0);
    AnchorTargets t;
    t.matches = matchBoxesToAnchors(truth, anchors, thresholds);
    const auto foreground = t.matches.ge(0);
    auto anchorBoxes = anchors.unsqueeze(0).expand({n, a, 4});
    if (truth.boxes.size(1) == 0) {
        t.classes = torch::full({n, a}, -1, t.matches.options());
        t.boxes = anchorBoxes.clone();
        return t;
    }
    const auto index = t.matches.clamp_min(0);
    t.classes = torch::where(foreground, truth.classes.gather(1, index), torch::full_like(index, -1));
    auto matched = truth.boxes.gather(1, index.unsqueeze(2).expand({n, a, 4}));
    t.boxes = torch::where(foreground.unsqueeze(2), matched, anchorBoxes);
    return t;
}

} // namespace mtl
