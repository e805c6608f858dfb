#include "core/augment/PhotometricOps.h"

#include <limits>
#include <stdexcept>

namespace mtl {
namespace {

// Per-sample scalars broadcast over N × C × H × W.
torch::Tensor perSample(const torch::Tensor& values, const torch::Tensor& like) {
    return values.to(like.options()).view({-1, 1, 1, 1});
}

torch::Tensor blend(const torch::Tensor& degenerate, const torch::Tensor& images, const torch::Tensor& factors) {
    return (degenerate + perSample(factors, images) * (images - degenerate)).clamp(0, 1);
}

// ITU-R 601-2 luma, as PIL's convert("L"): N × 1 × H × W.
torch::Tensor luma(const torch::Tensor& images) {
    return 0.299 * images.select(1, 0).unsqueeze(1) + 0.587 * images.select(1, 1).unsqueeze(1) +
           0.114 * images.select(1, 2).unsqueeze(1);
}

// 8-bit levels of [0, 1] values.
torch::Tensor levels(const torch::Tensor& images) {
    return (images * 255).round().clamp(0, 255).to(torch::kLong);
}

} // namespace

torch::Tensor autoContrast(const torch::Tensor& images, const torch::Tensor& valid) {
    const auto mask = valid.unsqueeze(1).expand_as(images);
    const auto inf = torch::full({}, std::numeric_limits<float>::infinity(), images.options());
    const auto lo = torch::where(mask, images, inf).amin({2, 3}, true);
    const auto hi = torch::where(mask, images, -inf).amax({2, 3}, true);
    const auto stretches = hi.gt(lo); // false also when no pixel is valid (lo = +inf, hi = −inf)
    const auto offset = torch::where(stretches, lo, torch::zeros_like(lo));
    const auto scale = torch::where(stretches, 1 / (hi - lo), torch::ones_like(lo));
    return ((images - offset) * scale).clamp(0, 1);
}

torch::Tensor equalize(const torch::Tensor& images, const torch::Tensor& valid) {
    const int64_t n = images.size(0), c = images.size(1), h = images.size(2), w = images.size(3);
    const auto q = levels(images).view({n * c, h * w});
    const auto weight = valid.to(torch::kLong).view({n, 1, h * w}).expand({n, c, h * w}).reshape({n * c, h * w});
    const auto hist = torch::zeros({n * c, 256}, q.options()).scatter_add_(1, q, weight);
    const auto levelIndex = torch::arange(256, q.options()).unsqueeze(0);
    const auto occupied = hist.gt(0);
    const auto last = torch::where(occupied, levelIndex, torch::zeros_like(levelIndex)).amax(1, true);
    const auto step = torch::div(hist.sum(1, true) - hist.gather(1, last), 255, "floor");
    const auto unchanged = occupied.sum(1, true).le(1).logical_or(step.eq(0)); // N·C × 1
    const auto safeStep = torch::where(step.eq(0), torch::ones_like(step), step);
    const auto before = hist.cumsum(1) - hist; // pixels below each level
    const auto lut = torch::div(torch::div(safeStep, 2, "floor") + before, safeStep, "floor").clamp_max(255);
    const auto mapped = lut.gather(1, q).to(images.dtype()) / 255;
    return torch::where(unchanged, images.reshape({n * c, h * w}), mapped).view({n, c, h, w});
}

torch::Tensor invert(const torch::Tensor& images) { return 1 - images; }

torch::Tensor solarize(const torch::Tensor& images, const torch::Tensor& thresholds) {
    return torch::where(images.lt(perSample(thresholds, images)), images, 1 - images);
}

torch::Tensor posterize(const torch::Tensor& images, const torch::Tensor& bits) {
    // Keep the high `bits` bits: AND with 256 − 2^(8 − bits) (= NOT(2^(8−bits) − 1) on 8 bits).
    const auto b = bits.to(images.device(), torch::kLong).view({-1, 1, 1, 1});
    const auto keep = 256 - torch::pow(2, 8 - b);
    return torch::bitwise_and(levels(images), keep).to(images.dtype()) / 255;
}

torch::Tensor adjustSaturation(const torch::Tensor& images, const torch::Tensor& factors) {
    return blend(luma(images).expand_as(images), images, factors);
}

torch::Tensor adjustContrast(const torch::Tensor& images, const torch::Tensor& factors, const torch::Tensor& valid) {
    const auto weight = valid.to(images.dtype()).unsqueeze(1);
    const auto mean = (luma(images) * weight).sum({1, 2, 3}, true) / weight.sum({1, 2, 3}, true).clamp_min(1);
    return blend(mean.expand_as(images), images, factors);
}

torch::Tensor adjustBrightness(const torch::Tensor& images, const torch::Tensor& factors) {
    return blend(torch::zeros_like(images), images, factors);
}

torch::Tensor adjustSharpness(const torch::Tensor& images, const torch::Tensor& factors) {
    auto degenerate = images.clone();
    if (images.size(2) >= 3 && images.size(3) >= 3) {
        // SMOOTH = (3×3 box sum + 4 × centre) / 13, the box sum as two 1-D passes over shifted
        // slices: about ten times faster on the CPU than a depthwise convolution.
        const auto rows = images.slice(2, 0, -2) + images.slice(2, 1, -1) + images.slice(2, 2);
        const auto box = rows.slice(3, 0, -2) + rows.slice(3, 1, -1) + rows.slice(3, 2);
        const auto centre = images.slice(2, 1, -1).slice(3, 1, -1);
        degenerate.slice(2, 1, -1).slice(3, 1, -1).copy_((box + 4 * centre) / 13);
    }
    return blend(degenerate, images, factors);
}

torch::Tensor applyPhotometric(AugmentOp op, const torch::Tensor& images, const torch::Tensor& magnitudes,
                               const torch::Tensor& valid) {
    switch (op) {
    case AugmentOp::AutoContrast: return autoContrast(images, valid);
    case AugmentOp::Equalize: return equalize(images, valid);
    case AugmentOp::Invert: return invert(images);
    case AugmentOp::Solarize: return solarize(images, magnitudes);
    case AugmentOp::Posterize: return posterize(images, magnitudes);
    case AugmentOp::Saturation: return adjustSaturation(images, magnitudes);
    case AugmentOp::Contrast: return adjustContrast(images, magnitudes, valid);
    case AugmentOp::Brightness: return adjustBrightness(images, magnitudes);
    case AugmentOp::Sharpness: return adjustSharpness(images, magnitudes);
    default: throw std::logic_error("applyPhotometric: '" + opName(op) + "' is not a photometric operation");
    }
}

} // namespace mtl
