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

AnchorTargets assignAnchors(const GroundTruthBoxes& truth, const torch::Tensor& anchors,
                            const MatcherThresholds& thresholds) {
    const int64_t n = truth.boxes.size(0), a = anchors.size(0);
    const auto valid = truth.classes.ge(0).unsqueeze(2); // N × G × 1
    auto iou = pairwiseIou(truth.boxes, anchors.unsqueeze(0)).masked_fill(valid.logical_not(), -1.0);
    AnchorTargets t;
    t.matches = matchAnchors(iou, thresholds);
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
