#include "core/model/DetectionLoss.h"

#include "core/model/BoxOps.h"

namespace mtl {

DetectionLosses detectionLosses(const torch::Tensor& classLogits, const torch::Tensor& boxDeltas,
                                const torch::Tensor& anchors, const AnchorTargets& targets,
                                const torch::Tensor& labeled, const FocalLossOptions& options,
                                const torch::Tensor& minimumDivisor) {
    const auto logits = classLogits.to(torch::kFloat);
    const int64_t n = logits.size(0);
    const auto foreground = targets.matches.ge(0);
    const auto counted = targets.matches.ne(kIgnoredAnchor);
    auto perImageForeground = foreground.sum(1).clamp_min(1).to(torch::kFloat);
    if (minimumDivisor.defined())
        perImageForeground =
            torch::maximum(perImageForeground, minimumDivisor.to(perImageForeground.device(), torch::kFloat));

    const auto targetClass = torch::where(foreground, targets.classes, torch::full_like(targets.classes, -1));
    auto focal = anchorFocalLoss(logits, targetClass, counted, options);
    auto classification = focal.sum(1) / perImageForeground;

    // Only foreground anchors are decoded: background ones carry no box and their loss would be
    // thrown away.
    auto fgIndex = foreground.nonzero(); // F × 2: (image, anchor)
    auto image = fgIndex.select(1, 0), anchor = fgIndex.select(1, 1);
    auto predicted = decodeBoxes(boxDeltas.to(torch::kFloat).index({image, anchor}), anchors.index_select(0, anchor));
    auto giou = generalizedIouLoss(predicted, targets.boxes.index({image, anchor}));
    auto regression = torch::zeros({n}, logits.options()).index_add(0, image, giou) / perImageForeground;

    const auto weight = labeled.to(torch::kFloat);
    const auto images = weight.sum().clamp_min(1);
    return {(classification * weight).sum() / images, (regression * weight).sum() / images};
}

} // namespace mtl
