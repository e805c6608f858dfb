#include "core/augment/Augmenter.h"

#include "core/augment/BoxWarp.h"
#include "core/augment/PhotometricOps.h"
#include "core/augment/TensorWarp.h"
#include "core/common/Error.h"
#include "core/common/SelectRows.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace mtl {
namespace {

std::string shapeText(const torch::Tensor& t) {
    std::ostringstream s;
    s << t.sizes() << " " << t.dtype();
    return s.str();
}

// The input images as N × 3 × H × W floats in [0, 1], or InputError.
torch::Tensor unitImages(const torch::Tensor& images) {
    if (!images.defined()) throw InputError("augmentation input has no images");
    if (images.dim() != 4)
        throw InputError("augmentation input images must be N×H×W×3 uint8 or N×3×H×W float, got " + shapeText(images));
    torch::Tensor unit;
    if (images.scalar_type() == torch::kUInt8 && images.size(3) == 3) {
        // One pass to contiguous N×3×H×W floats: grid_sample reads planar images faster.
        unit = images.permute({0, 3, 1, 2}).to(torch::kFloat, false, false, torch::MemoryFormat::Contiguous).div_(255);
    } else if (images.is_floating_point() && images.size(1) == 3) {
        unit = images;
    } else {
        throw InputError("augmentation input images must be N×H×W×3 uint8 or N×3×H×W float, got " + shapeText(images));
    }
    if (unit.numel() == 0)
        throw InputError("augmentation input images are empty (" + shapeText(images) + ")");
    if (images.is_floating_point()) {
        const auto minMax = torch::stack({unit.min(), unit.max()}).to(torch::kCPU, torch::kDouble);
        const double lo = minMax[0].item<double>(), hi = minMax[1].item<double>();
        if (!(lo >= 0 && hi <= 1)) // also false for NaN
            throw InputError("augmentation input float images must hold values in [0, 1] (min " +
                             std::to_string(lo) + ", max " + std::to_string(hi) + ")");
    }
    return unit;
}

void checkLabels(const AugmentInput& in, const torch::Tensor& unit) {
    const int64_t n = unit.size(0), h = unit.size(2), w = unit.size(3);
    if (in.seg.defined()) {
        const bool integer = !in.seg.is_floating_point() && !in.seg.is_complex() && in.seg.scalar_type() != torch::kBool;
        if (!integer || in.seg.dim() != 3 || in.seg.size(0) != n || in.seg.size(1) != h || in.seg.size(2) != w)
            throw InputError("augmentation input segmentation must be N×H×W integer train ids matching the images (" +
                             shapeText(unit) + "), got " + shapeText(in.seg));
        if (in.seg.device() != unit.device())
            throw InputError("augmentation input segmentation and images are on different devices");
    }
    if (!in.boxes.empty() && static_cast<int64_t>(in.boxes.size()) != n)
        throw InputError("augmentation input has " + std::to_string(in.boxes.size()) + " box lists for " +
                         std::to_string(n) + " images");
}

void checkParams(int64_t n, const std::vector<WeakParams>& weak, const std::vector<StrongOps>& strong) {
    if (static_cast<int64_t>(weak.size()) != n || static_cast<int64_t>(strong.size()) != n)
        throw InputError("augmentation parameters for " + std::to_string(weak.size()) + "/" +
                         std::to_string(strong.size()) + " samples, batch has " + std::to_string(n));
    for (const WeakParams& p : weak)
        if (!(p.scale > 0) || !std::isfinite(p.scale))
            throw InputError("weak view scale must be positive and finite, got " + std::to_string(p.scale));
    for (const StrongOps& ops : strong)
        for (const AppliedOp& a : ops) {
            checkMagnitude(a.op, a.magnitude);
            if (!(a.positionX >= 0 && a.positionX <= 1 && a.positionY >= 0 && a.positionY <= 1))
                throw InputError("cutout position must be in [0, 1]");
        }
}

// A view sampled from the source through per-sample matrices: image, labels, boxes, validity.
AugmentedView sampleView(const AugmentInput& in, const torch::Tensor& unit, std::vector<Affine2D> fromSource,
                         FrameSize view, const BoxFilter& filter) {
    AugmentedView v;
    v.source = {static_cast<int>(unit.size(3)), static_cast<int>(unit.size(2))};
    v.view = view;
    v.fromSource = std::move(fromSource);
    const auto grid = samplingGrid(v.fromSource, v.source, view, view.height, view.width, unit.device());
    v.valid = insideSource(grid);
    v.images = warpBilinear(unit, grid, v.valid, 0.0);
    if (in.seg.defined()) v.seg = warpNearest(in.seg, grid, v.valid, 255);
    for (std::size_t i = 0; i < in.boxes.size(); ++i)
        v.boxes.push_back(warpBoxes(in.boxes[i], v.fromSource[i], view.width, view.height, filter));
    return v;
}

// Step k of every sample's list, grouped by operation, so that each operation runs once per step
// on the samples that drew it (all of them when the draw is per batch).
torch::Tensor applyPhotometricSteps(torch::Tensor images, const std::vector<StrongOps>& ops, const torch::Tensor& valid) {
    std::size_t steps = 0;
    for (const auto& o : ops) steps = std::max(steps, o.size());
    for (std::size_t k = 0; k < steps; ++k) {
        std::map<AugmentOp, std::pair<std::vector<int64_t>, std::vector<double>>> groups;
        for (std::size_t i = 0; i < ops.size(); ++i)
            if (k < ops[i].size() && opInfo(ops[i][k].op).kind == OpKind::Photometric) {
                groups[ops[i][k].op].first.push_back(static_cast<int64_t>(i));
                groups[ops[i][k].op].second.push_back(ops[i][k].magnitude);
            }
        for (const auto& [op, members] : groups) {
            const auto magnitudes = torch::tensor(members.second, torch::kDouble).to(images.device());
            if (members.first.size() == ops.size()) {
                images = applyPhotometric(op, images, magnitudes, valid);
            } else {
                const auto index = torch::tensor(members.first, torch::kLong).to(images.device());
                const auto part = applyPhotometric(op, images.index_select(0, index), magnitudes, valid.index_select(0, index));
                images = images.index_copy(0, index, part);
            }
        }
    }
    return images;
}

} // namespace

std::vector<Affine2D> AugmentedBatch::strongFromWeak() const {
    std::vector<Affine2D> m;
    for (const StrongOps& ops : strongOps) m.push_back(strongGeometry(ops, strong.view));
    return m;
}

std::vector<std::optional<CutoutRect>> AugmentedBatch::cutouts() const {
    std::vector<std::optional<CutoutRect>> rects;
    for (const StrongOps& ops : strongOps) rects.push_back(cutoutRect(ops, strong.view));
    return rects;
}

namespace {
AugmentedView selectSamples(const AugmentedView& view, const std::vector<std::int64_t>& rows, const torch::Tensor& index) {
    AugmentedView out;
    out.images = view.images.index_select(0, index);
    if (view.seg.defined()) out.seg = view.seg.index_select(0, index);
    out.valid = view.valid.index_select(0, index);
    out.boxes = selectRows(view.boxes, rows);
    out.fromSource = selectRows(view.fromSource, rows);
    out.source = view.source;
    out.view = view.view;
    return out;
}
} // namespace

AugmentedBatch selectSamples(const AugmentedBatch& batch, const std::vector<std::int64_t>& rows) {
    if (static_cast<std::int64_t>(rows.size()) == batch.weak.images.size(0)) return batch;
    const auto index = torch::tensor(rows, torch::kLong).to(batch.weak.images.device());
    AugmentedBatch out;
    out.weak = selectSamples(batch.weak, rows, index);
    out.strong = selectSamples(batch.strong, rows, index);
    out.weakParams = selectRows(batch.weakParams, rows);
    out.strongOps = selectRows(batch.strongOps, rows);
    return out;
}

Augmenter::Augmenter(AugmentOptions options) : options_(std::move(options)) { validateAugmentOptions(options_); }

AugmentedBatch Augmenter::augment(const AugmentInput& input, std::uint64_t seed) const {
    // Malformed images are reported by augmentRows (unitImages), whatever this count says.
    const bool batched = input.images.defined() && input.images.dim() == 4;
    std::vector<std::size_t> all(batched ? static_cast<std::size_t>(input.images.size(0)) : 0);
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    return augmentRows(input, seed, static_cast<int>(all.size()), all);
}

AugmentedBatch Augmenter::augmentRows(const AugmentInput& input, std::uint64_t seed, int wholeBatch,
                                     const std::vector<std::size_t>& rows) const {
    const torch::Tensor unit = unitImages(input.images);
    if (rows.size() != static_cast<std::size_t>(unit.size(0)))
        throw Error("augmentRows: " + std::to_string(rows.size()) + " rows for " + std::to_string(unit.size(0)) +
                    " samples");
    AugmentRandom random(seed);
    const FrameSize source{static_cast<int>(unit.size(3)), static_cast<int>(unit.size(2))};
    const auto weak = drawWeakParams(options_, source, wholeBatch, random);
    const auto strong = drawStrongOps(options_, wholeBatch, random);
    std::vector<WeakParams> shardWeak;
    std::vector<StrongOps> shardStrong;
    for (const std::size_t r : rows) {
        shardWeak.push_back(weak.at(r));
        shardStrong.push_back(strong.at(r));
    }
    return applyToUnitImages(input, unit, shardWeak, shardStrong);
}

AugmentedBatch Augmenter::apply(const AugmentInput& input, const std::vector<WeakParams>& weak,
                                const std::vector<StrongOps>& strong) const {
    return applyToUnitImages(input, unitImages(input.images), weak, strong);
}

AugmentedBatch Augmenter::applyToUnitImages(const AugmentInput& input, const torch::Tensor& unit,
                                            const std::vector<WeakParams>& weak,
                                            const std::vector<StrongOps>& strong) const {
    checkLabels(input, unit);
    checkParams(unit.size(0), weak, strong);
    const FrameSize view{options_.cropWidth, options_.cropHeight};

    AugmentedBatch out;
    out.weakParams = weak;
    out.strongOps = strong;
    std::vector<Affine2D> weakFromSource, strongFromSource;
    for (std::size_t i = 0; i < weak.size(); ++i) {
        weakFromSource.push_back(weakMatrix(weak[i], view));
        strongFromSource.push_back(strongGeometry(strong[i], view) * weakFromSource.back());
    }
    out.weak = sampleView(input, unit, weakFromSource, view, options_.boxes);
    out.strong = sampleView(input, unit, strongFromSource, view, options_.boxes);

    AugmentedView& s = out.strong;
    const auto fromSource = s.valid;
    s.images = applyPhotometricSteps(s.images, strong, fromSource);
    const auto cutout = rectangleMask(out.cutouts(), view, view.height, view.width, unit.device());
    s.images = torch::where(cutout.unsqueeze(1), torch::full({}, 0.5, s.images.options()), s.images);
    s.images = torch::where(fromSource.unsqueeze(1), s.images, torch::zeros({}, s.images.options()));
    s.valid = fromSource.logical_and(cutout.logical_not());
    if (s.seg.defined()) s.seg = s.seg.masked_fill(cutout, 255);
    return out;
}

namespace {
struct TargetSampling {
    torch::Tensor grid, valid;
};

TargetSampling targetSampling(const AugmentedBatch& b, const torch::Device& device, int outHeight, int outWidth) {
    const int h = outHeight > 0 ? outHeight : b.strong.view.height;
    const int w = outWidth > 0 ? outWidth : b.strong.view.width;
    TargetSampling t;
    t.grid = samplingGrid(b.strongFromWeak(), b.weak.view, b.strong.view, h, w, device);
    const auto fromSource = insideSource(samplingGrid(b.strong.fromSource, b.strong.source, b.strong.view, h, w, device));
    const auto cutout = rectangleMask(b.cutouts(), b.strong.view, h, w, device);
    t.valid = insideSource(t.grid).logical_and(fromSource).logical_and(cutout.logical_not());
    return t;
}

TargetSampling targetSampling(const AugmentedBatch& b, const torch::Tensor& values, int outHeight, int outWidth) {
    if (values.dim() < 3 || values.size(0) != static_cast<int64_t>(b.strongOps.size()))
        throw InputError("teacher outputs must have one entry per sample (" + std::to_string(b.strongOps.size()) +
                         "), got " + shapeText(values));
    if (values.numel() == 0) throw InputError("teacher outputs are empty (" + shapeText(values) + ")");
    return targetSampling(b, values.device(), outHeight, outWidth);
}
} // namespace

torch::Tensor teacherValidity(const AugmentedBatch& batch, const torch::Device& device, int outHeight, int outWidth) {
    return targetSampling(batch, device, outHeight, outWidth).valid;
}

WarpedTarget warpTeacherProbabilities(const AugmentedBatch& batch, const torch::Tensor& probabilities,
                                      int outHeight, int outWidth) {
    if (probabilities.dim() != 4 || !probabilities.is_floating_point())
        throw InputError("teacher probabilities must be N×C×H×W floats, got " + shapeText(probabilities));
    const auto t = targetSampling(batch, probabilities, outHeight, outWidth);
    return {warpBilinear(probabilities, t.grid, t.valid, 0.0), t.valid};
}

torch::Tensor warpTeacherLabels(const AugmentedBatch& batch, const torch::Tensor& labels, std::int64_t ignore,
                                int outHeight, int outWidth) {
    if (labels.dim() != 3 || labels.is_floating_point())
        throw InputError("teacher labels must be N×H×W integers, got " + shapeText(labels));
    const auto t = targetSampling(batch, labels, outHeight, outWidth);
    return warpNearest(labels, t.grid, t.valid, ignore);
}

std::vector<std::vector<Box>> warpTeacherBoxes(const AugmentedBatch& batch, const std::vector<std::vector<Box>>& boxes,
                                               const BoxFilter& filter) {
    if (boxes.size() != batch.strongOps.size())
        throw InputError("teacher boxes for " + std::to_string(boxes.size()) + " samples, batch has " +
                         std::to_string(batch.strongOps.size()));
    const auto m = batch.strongFromWeak();
    std::vector<std::vector<Box>> out;
    for (std::size_t i = 0; i < boxes.size(); ++i)
        out.push_back(warpBoxes(boxes[i], m[i], batch.strong.view.width, batch.strong.view.height, filter));
    return out;
}

} // namespace mtl
