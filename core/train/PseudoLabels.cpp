#include "core/train/PseudoLabels.h"

#include "core/augment/BoxWarp.h"
#include "core/augment/TensorWarp.h"

namespace mtl {

torch::Tensor segmentationPseudoLabels(const torch::Tensor& logits, double threshold, std::int64_t ignore) {
    if (threshold <= 0) return logits.argmax(1);
    const auto [confidence, labels] = torch::softmax(logits.to(torch::kFloat), 1).max(1);
    return labels.masked_fill(confidence.lt(threshold), ignore);
}

MultiTaskOutput teacherForward(MultiTaskModelImpl& teacher, const torch::Tensor& weakImages) {
    torch::NoGradGuard noGrad;
    const bool wasTraining = teacher.is_training();
    teacher.eval();
    MultiTaskOutput out = teacher.forward(weakImages);
    if (wasTraining) teacher.train();
    return out;
}

PseudoLabels teacherPseudoLabels(MultiTaskModelImpl& teacher, const torch::Tensor& weakImages,
                                 const PostprocessOptions& detection, double segThreshold) {
    const MultiTaskOutput out = teacherForward(teacher, weakImages);
    PseudoLabels labels;
    if (out.segLogits.defined()) labels.seg = segmentationPseudoLabels(out.segLogitsAtInputSize(), segThreshold);
    if (out.classLogits.defined())
        labels.boxes = postprocessDetections(out.classLogits, out.boxDeltas, teacher.anchors(out),
                                             teacher.anchorsPerLevel(out), static_cast<int>(weakImages.size(3)),
                                             static_cast<int>(weakImages.size(2)), detection);
    return labels;
}

StrongViewTargets moveToStrongView(const AugmentedBatch& views, const PseudoLabels& labels, const BoxFilter& filter,
                                   bool withValidity) {
    StrongViewTargets t;
    if (labels.seg.defined()) t.seg = warpTeacherLabels(views, labels.seg, 255);
    if (withValidity) t.valid = teacherValidity(views, views.strong.images.device());
    if (!labels.boxes.empty()) {
        std::vector<std::vector<Box>> boxes;
        for (const auto& perImage : labels.boxes) {
            boxes.emplace_back();
            for (const Detection& d : perImage) boxes.back().push_back(d.box);
        }
        t.boxes = warpTeacherBoxes(views, boxes, filter);
    }
    return t;
}

StrongViewTargets labelsInView(const AugmentedView& view, const torch::Tensor& seg,
                               const std::vector<std::vector<Box>>& boxes, const BoxFilter& filter) {
    StrongViewTargets t;
    if (seg.defined()) {
        const auto grid = samplingGrid(view.fromSource, view.source, view.view, view.view.height, view.view.width,
                                       seg.device());
        t.seg = warpNearest(seg, grid, insideSource(grid), 255);
    }
    for (std::size_t i = 0; i < boxes.size(); ++i)
        t.boxes.push_back(warpBoxes(boxes[i], view.fromSource.at(i), view.view.width, view.view.height, filter));
    return t;
}

} // namespace mtl
