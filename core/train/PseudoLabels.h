#pragma once
// The teacher's pseudo-labels and their move into the strong view: σt(teacher(α(x))) per task, then
// A∘α⁻¹. Segmentation: the argmax, no confidence threshold (the paper's σ for segmentation).
// Detection: the teacher's boxes after class-wise NMS whose score reaches a threshold (0.5 in the
// paper). Labels are moved as hard labels (nearest) and boxes by their corners (Augmenter.h).
#include "core/augment/Augmenter.h"
#include "core/model/DetectionPostprocess.h"
#include "core/model/MultiTaskModel.h"

#include <vector>

namespace mtl {

struct PseudoLabels {
    torch::Tensor seg;                            // N × h × w long train ids; undefined without that head
    std::vector<std::vector<Detection>> boxes;    // per sample; empty without a detection head
};

// The teacher's outputs on normalised weak views N × 3 × h × w: no gradient, evaluation mode (its
// BatchNorm uses running statistics), its own mode restored after.
MultiTaskOutput teacherForward(MultiTaskModelImpl& teacher, const torch::Tensor& weakImages);

// Runs the teacher (teacherForward) on normalised weak views N × 3 × h × w.
// `detection` sets the score threshold of the pseudo-boxes and the NMS; `segThreshold` that of
// segmentation (segmentationPseudoLabels).
PseudoLabels teacherPseudoLabels(MultiTaskModelImpl& teacher, const torch::Tensor& weakImages,
                                 const PostprocessOptions& detection, double segThreshold = 0);

// The argmax of N × C × h × w logits; with a threshold > 0, `ignore` where the softmax maximum is
// below it (the authors' public code thresholds at 0.5; the paper's text does not threshold).
torch::Tensor segmentationPseudoLabels(const torch::Tensor& logits, double threshold, std::int64_t ignore = 255);

// Pseudo-labels in the strong view's frame: segmentation 255 where the strong pixel has no target
// (outside the weak view, outside the source image, under cutout); boxes clipped and filtered.
// With `withValidity`, also the strong pixels that have a teacher target at all (where an anchor
// matched to no pseudo-box may be called background).
struct StrongViewTargets {
    torch::Tensor seg;                       // N × h × w long; undefined when `labels.seg` is
    std::vector<std::vector<Box>> boxes;     // empty when `labels.boxes` is
    torch::Tensor valid;                     // N × h × w bool; undefined unless asked for
    // Soft targets of a method that teaches with probabilities (N × C × h × w, 0 where not valid);
    // `seg` then holds their argmax, 255 where not valid. Undefined for hard pseudo-labels.
    torch::Tensor segSoft;
};
StrongViewTargets moveToStrongView(const AugmentedBatch& views, const PseudoLabels& labels, const BoxFilter& filter,
                                   bool withValidity = false);

// Labels given in the source frame (the loader's images), seen in one view of the batch: what the
// hidden ground truth looks like in the weak view. seg: N × H × W integer (or undefined).
StrongViewTargets labelsInView(const AugmentedView& view, const torch::Tensor& seg,
                               const std::vector<std::vector<Box>>& boxes, const BoxFilter& filter);

} // namespace mtl
