#include "core/augment/AugmentOptions.h"

#include "core/common/Error.h"

#include <cmath>
#include <sstream>

namespace mtl {

std::vector<AugmentOp> opPool(AugmentMode mode) {
    std::vector<AugmentOp> pool;
    for (const auto& info : augmentOps())
        if (mode == AugmentMode::Equivariant || info.kind != OpKind::Geometric) pool.push_back(info.op);
    return pool;
}

std::string toString(AugmentMode mode) { return mode == AugmentMode::Invariant ? "invariant" : "equivariant"; }
std::string toString(DrawScope scope) { return scope == DrawScope::PerBatch ? "per_batch" : "per_sample"; }

AugmentMode parseAugmentMode(const std::string& text) {
    if (text == "invariant") return AugmentMode::Invariant;
    if (text == "equivariant") return AugmentMode::Equivariant;
    throw InputError("unknown augmentation mode '" + text + "' (expected invariant or equivariant)");
}

DrawScope parseDrawScope(const std::string& text) {
    if (text == "per_batch") return DrawScope::PerBatch;
    if (text == "per_sample") return DrawScope::PerSample;
    throw InputError("unknown draw scope '" + text + "' (expected per_batch or per_sample)");
}

void validateAugmentOptions(const AugmentOptions& o) {
    std::ostringstream why;
    if (o.cropWidth < 1 || o.cropHeight < 1)
        why << "crop size " << o.cropWidth << "x" << o.cropHeight << " must be at least 1x1";
    else if (!(o.scaleMin > 0) || !std::isfinite(o.scaleMax) || o.scaleMin > o.scaleMax)
        why << "scale range [" << o.scaleMin << ", " << o.scaleMax << "] must satisfy 0 < min <= max";
    else if (o.numOps < 0 || o.numOps > static_cast<int>(opPool(o.mode).size()))
        why << "num_ops " << o.numOps << " must be in [0, " << opPool(o.mode).size() << "] for mode "
            << toString(o.mode);
    else if (!(o.boxes.minSize >= 0) || !(o.boxes.minVisible >= 0 && o.boxes.minVisible <= 1))
        why << "box filter (min size " << o.boxes.minSize << ", min visible " << o.boxes.minVisible
            << ") needs min size >= 0 and min visible in [0, 1]";
    else
        return;
    throw InputError("augmentation options: " + why.str());
}

} // namespace mtl
