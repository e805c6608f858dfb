#pragma once
// The augmentation engine of the semi-supervised methods: from a training batch, the weak view α
// (scale, crop, flip) and the strong view A (RandAugment, AugmentOps.h) with their labels, and the
// warp A∘α⁻¹ of teacher outputs computed on the weak view into the strong view's frame.
//
// Everything runs batched on the input tensors' device; the random parameters are drawn on the
// CPU from the call's seed (AugmentParams.h), so a seed gives the same parameters, matrices and
// boxes on any device, and the same pixels up to the device kernels' floating-point rounding.
//
// How a strong view is made (why: one resampling instead of one per operation, and photometric
// statistics over image pixels only):
//   1. its matrix from the source is strongGeometry(ops) · weakMatrix: the geometric operations,
//      composed in the order drawn, act on the weak view's frame; the image is resampled once from
//      the source, so content beyond the weak crop is real image content, not padding;
//   2. the photometric operations run in the order drawn, statistics over valid pixels;
//   3. cutout last; then pixels from outside the source image are set to the pad value 0.
// Labels: images bilinear, segmentation nearest; 255 (ignore) outside the source image and under
// cutout. Boxes: BoxWarp.h. `valid` marks pixels from inside the source image and not under cutout.
#include "core/augment/AugmentOptions.h"
#include "core/augment/AugmentParams.h"
#include "core/data/Sample.h"

#include <torch/torch.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace mtl {

struct AugmentInput {
    // N × H × W × 3 uint8 RGB (as the loader packs them) or N × 3 × H × W floating in [0, 1].
    torch::Tensor images;
    // Optional (undefined = none): N × H × W integer train ids, 255 = ignore; the dtype is kept.
    torch::Tensor seg;
    // Optional (empty = none): one list per sample, source pixel coordinates.
    std::vector<std::vector<Box>> boxes;
};

struct AugmentedView {
    torch::Tensor images; // N × 3 × h × w float in [0, 1]; normalise with the ImageNet mean/std after
    torch::Tensor seg;    // N × h × w (input dtype), 255 where not valid; undefined when none given
    torch::Tensor valid;  // N × h × w bool
    std::vector<std::vector<Box>> boxes;   // empty when none given
    std::vector<Affine2D> fromSource;      // view ← source image, per sample
    FrameSize source, view;
};

struct AugmentedBatch {
    AugmentedView weak, strong;
    std::vector<WeakParams> weakParams;
    std::vector<StrongOps> strongOps; // includes the photometric operations, in the order applied
    // Per sample: strong view ← weak view, the geometric part of A∘α⁻¹.
    std::vector<Affine2D> strongFromWeak() const;
    std::vector<std::optional<CutoutRect>> cutouts() const;
};

// The samples `rows` (ascending indices into the batch) of both views with their parameters, as if
// augmented alone; the batch itself when rows are all of its samples.
AugmentedBatch selectSamples(const AugmentedBatch& batch, const std::vector<std::int64_t>& rows);

class Augmenter {
public:
    // Throws InputError on invalid options (validateAugmentOptions).
    explicit Augmenter(AugmentOptions options);
    const AugmentOptions& options() const { return options_; }

    // Draws the parameters from `seed` (use augmentSeed(runSeed, step) in training) and applies
    // them. Throws InputError on malformed input (shapes, types, values outside [0, 1], NaN).
    AugmentedBatch augment(const AugmentInput& input, std::uint64_t seed) const;
    // One shard of a batch in data-parallel training: the parameters are drawn as augment() draws
    // them for all `wholeBatch` samples, and those of positions `rows` go to the input's samples, in
    // order. A sample's views are then the same whatever the number of processes.
    AugmentedBatch augmentRows(const AugmentInput& input, std::uint64_t seed, int wholeBatch,
                               const std::vector<std::size_t>& rows) const;
    // Applies given parameters (one entry per sample), e.g. for tests or a single operation.
    AugmentedBatch apply(const AugmentInput& input, const std::vector<WeakParams>& weak,
                         const std::vector<StrongOps>& strong) const;

private:
    // `unit` = the input images as N × 3 × H × W floats in [0, 1] (converted once per call).
    AugmentedBatch applyToUnitImages(const AugmentInput& input, const torch::Tensor& unit,
                                     const std::vector<WeakParams>& weak, const std::vector<StrongOps>& strong) const;
    AugmentOptions options_;
};

// A∘α⁻¹ of teacher outputs. `values` cover the weak view's frame at any resolution (h × w); the
// result covers the strong view's frame at outHeight × outWidth (0 = the view's size). A pixel is
// valid when its centre maps into the weak view, comes from inside the source image and is not
// under cutout; elsewhere the teacher saw nothing (or the student sees nothing) to learn from.
struct WarpedTarget {
    torch::Tensor values; // probabilities: N × C × H × W, 0 where not valid
    torch::Tensor valid;  // N × H × W bool
};
WarpedTarget warpTeacherProbabilities(const AugmentedBatch& batch, const torch::Tensor& probabilities,
                                      int outHeight = 0, int outWidth = 0);
// The valid pixels alone: N × H × W bool over the strong view's frame.
torch::Tensor teacherValidity(const AugmentedBatch& batch, const torch::Device& device, int outHeight = 0,
                              int outWidth = 0);
// Labels N × h × w (nearest); `ignore` where not valid.
torch::Tensor warpTeacherLabels(const AugmentedBatch& batch, const torch::Tensor& labels,
                                std::int64_t ignore = 255, int outHeight = 0, int outWidth = 0);
// Boxes in weak-view pixels → strong-view pixels, clipped and filtered.
std::vector<std::vector<Box>> warpTeacherBoxes(const AugmentedBatch& batch,
                                               const std::vector<std::vector<Box>>& boxes,
                                               const BoxFilter& filter);

} // namespace mtl
