#include "core/model/AnchorMatcher.h"

#include "core/model/BoxOps.h"

#include <ATen/Parallel.h>

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

// The anchors as columns, so that one box's IoUs with all of them are computed in vector registers.
struct AnchorColumns {
    std::vector<float> x1, y1, x2, y2, area;
    explicit AnchorColumns(const torch::Tensor& xyxy) {
        const auto c = xyxy.accessor<float, 2>();
        for (int64_t k = 0; k < xyxy.size(0); ++k) {
            x1.push_back(c[k][0]), y1.push_back(c[k][1]), x2.push_back(c[k][2]), y2.push_back(c[k][3]);
            area.push_back((c[k][2] - c[k][0]) * (c[k][3] - c[k][1]));
        }
    }
};

// pairwiseIou's arithmetic, operation for operation in float, for one box against every anchor.
void iouWithAll(const Corners& b, const AnchorColumns& a, float* __restrict out) {
    const float *__restrict ax1 = a.x1.data(), *__restrict ay1 = a.y1.data(), *__restrict ax2 = a.x2.data(),
                            *__restrict ay2 = a.y2.data(), *__restrict area = a.area.data();
    const std::size_t count = a.x1.size();
    // Selects on values rather than std::min / std::max on references: the compiler turns them
    // into vector blends, and the division is done either way (its divisor is never 0).
    for (std::size_t k = 0; k < count; ++k) {
        const float x1 = ax1[k], y1 = ay1[k], x2 = ax2[k], y2 = ay2[k];
        const float dx = (b.x2 < x2 ? b.x2 : x2) - (b.x1 < x1 ? x1 : b.x1);
        const float dy = (b.y2 < y2 ? b.y2 : y2) - (b.y1 < y1 ? y1 : b.y1);
        const float w = dx < 0.f ? 0.f : dx, h = dy < 0.f ? 0.f : dy;
        const float inter = w * h, unionArea = b.area + area[k] - inter;
        const float ratio = inter / (unionArea < 1e-12f ? 1e-12f : unionArea);
        out[k] = unionArea > 0 ? ratio : 0.f;
    }
}

// Each anchor's best box so far: box j where its IoU beats the best one (ties keep the first box,
// as max() does).
void keepBest(const float* __restrict iou, int32_t j, std::size_t count, float* __restrict bestIou,
              int32_t* __restrict bestBox) {
    for (std::size_t k = 0; k < count; ++k) {
        const float v = iou[k], best = bestIou[k];
        const int32_t box = bestBox[k];
        bestIou[k] = v > best ? v : best;
        bestBox[k] = v > best ? j : box;
    }
}

torch::Tensor matchOnHost(const GroundTruthBoxes& truth, const torch::Tensor& anchors, const MatcherThresholds& t) {
    const auto boxes = truth.boxes.to(torch::kFloat).contiguous();
    const auto classes = truth.classes.to(torch::kLong).contiguous();
    const int64_t n = boxes.size(0), g = boxes.size(1), a = anchors.size(0);
    const AnchorColumns anchor(anchors.to(torch::kFloat).contiguous());
    // The tensor path compares float IoUs with thresholds cast to float.
    const float foreground = static_cast<float>(t.foreground), background = static_cast<float>(t.background);
    auto matches = torch::empty({n, a}, torch::kLong);
    // Images are independent: each task matches whole images into its own rows.
    at::parallel_for(0, n, 1, [&](int64_t begin, int64_t end) {
        const auto size = static_cast<std::size_t>(a);
        std::vector<float> iou(size), bestIou(size);
        std::vector<int32_t> bestBox(size); // as wide as the IoUs, so that one vector blend picks both
        std::vector<char> rescued(size);
        const auto xyxy = boxes.accessor<float, 3>();
        for (int64_t i = begin; i < end; ++i) {
            const int64_t* cls = classes.data_ptr<int64_t>() + g * i;
            int64_t* out = matches.data_ptr<int64_t>() + a * i;
            std::fill(bestIou.begin(), bestIou.end(), -1.f); // a padding slot's IoU
            std::fill(bestBox.begin(), bestBox.end(), 0);
            std::fill(rescued.begin(), rescued.end(), 0);
            for (int64_t j = 0; j < g; ++j) {
                if (cls[j] < 0) continue;
                const auto c = xyxy[i][j];
                iouWithAll({c[0], c[1], c[2], c[3], (c[2] - c[0]) * (c[3] - c[1])}, anchor, iou.data());
                keepBest(iou.data(), static_cast<int32_t>(j), size, bestIou.data(), bestBox.data());
                const float highest = *std::max_element(iou.begin(), iou.end()); // only > 0 rescues
                if (t.allowLowQuality && highest > 0.f)
                    for (std::size_t k = 0; k < size; ++k) rescued[k] |= char(iou[k] == highest);
            }
            for (int64_t k = 0; k < a; ++k) {
                int64_t m = bestBox[k];
                if (bestIou[k] < background) m = kBackgroundAnchor;
                else if (bestIou[k] < foreground) m = kIgnoredAnchor;
                out[k] = rescued[k] ? bestBox[k] : m;
            }
        }
    });
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
