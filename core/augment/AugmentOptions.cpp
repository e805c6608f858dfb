#include "core/augment/AugmentOptions.h"

#include "core/common/Error.h"

#include <cmath>
#include <sstream>

namespace mtl {

std::vector<AugmentOp> opPool(const AugmentOptions& o) {
    std::vector<AugmentOp> pool;
    for (const auto& info : augmentOps()) {
        const AugmentOp op = info.op;
        if (op == AugmentOp::ShiftX || op == AugmentOp::ShiftY) continue;
        if (o.mode == AugmentMode::Invariant && info.kind == OpKind::Geometric) continue;
        if (o.cutoutAlways && op == AugmentOp::Cutout) continue;
        if (o.strongShift > 0 && (op == AugmentOp::TranslateX || op == AugmentOp::TranslateY)) continue;
        pool.push_back(op);
    }
    return pool;
}

template <>
const EnumTable<AugmentMode>& enumTable<AugmentMode>() {
    static const EnumTable<AugmentMode> t{"augmentation mode",
                                          {{"invariant", AugmentMode::Invariant}, {"equivariant", AugmentMode::Equivariant}}};
    return t;
}

template <>
const EnumTable<DrawScope>& enumTable<DrawScope>() {
    static const EnumTable<DrawScope> t{"draw scope", {{"per_batch", DrawScope::PerBatch}, {"per_sample", DrawScope::PerSample}}};
    return t;
}

std::string toString(AugmentMode mode) { return nameOf(mode); }
std::string toString(DrawScope scope) { return nameOf(scope); }
AugmentMode parseAugmentMode(const std::string& text) { return parseName<AugmentMode>(text); }
DrawScope parseDrawScope(const std::string& text) { return parseName<DrawScope>(text); }

void validateAugmentOptions(const AugmentOptions& o) {
    std::ostringstream why;
    if (o.cropWidth < 1 || o.cropHeight < 1)
        why << "crop size " << o.cropWidth << "x" << o.cropHeight << " must be at least 1x1";
    else if (!(o.scaleMin > 0) || !std::isfinite(o.scaleMax) || o.scaleMin > o.scaleMax)
        why << "scale range [" << o.scaleMin << ", " << o.scaleMax << "] must satisfy 0 < min <= max";
    else if (!(o.strongShift >= 0 && o.strongShift <= 0.5))
        why << "strong shift " << o.strongShift << " must be in [0, 0.5] of the crop";
    else if (o.strongShift > 0 && o.mode != AugmentMode::Equivariant)
        why << "strong shift " << o.strongShift << " moves pixels and needs mode equivariant (mode "
            << toString(o.mode) << " keeps the strong view aligned with the weak one)";
    else if (o.numOps < 0 || o.numOps > static_cast<int>(opPool(o).size()))
        why << "num_ops " << o.numOps << " must be in [0, " << opPool(o).size() << "] for mode "
            << toString(o.mode) << (o.cutoutAlways || o.strongShift > 0 ? " with these options" : "");
    else if (!(o.boxes.minSize >= 0) || !(o.boxes.minVisible >= 0 && o.boxes.minVisible <= 1))
        why << "box filter (min size " << o.boxes.minSize << ", min visible " << o.boxes.minVisible
            << ") needs min size >= 0 and min visible in [0, 1]";
    else
        return;
    throw InputError("augmentation options: " + why.str());
}

} // namespace mtl
