#include "core/augment/AugmentOps.h"

#include "core/common/Error.h"

#include <cmath>
#include <sstream>

namespace mtl {

const std::vector<OpInfo>& augmentOps() {
    using K = OpKind;
    static const std::vector<OpInfo> table = {
        {AugmentOp::AutoContrast, "autocontrast", K::Photometric, 0, 0, false, ""},
        {AugmentOp::Equalize, "equalize", K::Photometric, 0, 0, false, ""},
        {AugmentOp::Invert, "invert", K::Photometric, 0, 0, false, ""},
        {AugmentOp::Solarize, "solarize", K::Photometric, 0.1, 1.0, false, "threshold"},
        {AugmentOp::Posterize, "posterize", K::Photometric, 4, 8, true, "bits"},
        {AugmentOp::Saturation, "saturation", K::Photometric, 0.1, 1.9, false, "factor"},
        {AugmentOp::Contrast, "contrast", K::Photometric, 0.1, 1.9, false, "factor"},
        {AugmentOp::Brightness, "brightness", K::Photometric, 0.1, 1.9, false, "factor"},
        {AugmentOp::Sharpness, "sharpness", K::Photometric, 0.1, 1.9, false, "factor"},
        {AugmentOp::ShearX, "shear_x", K::Geometric, -17, 17, false, "degrees"},
        {AugmentOp::ShearY, "shear_y", K::Geometric, -17, 17, false, "degrees"},
        {AugmentOp::TranslateX, "translate_x", K::Geometric, -15, 15, false, "% of width"},
        {AugmentOp::TranslateY, "translate_y", K::Geometric, -15, 15, false, "% of height"},
        {AugmentOp::Rotate, "rotate", K::Geometric, -30, 30, false, "degrees"},
        {AugmentOp::HFlip, "hflip", K::Geometric, 0, 0, false, ""},
        {AugmentOp::Cutout, "cutout", K::Cutout, 10, 30, false, "% of area"},
        {AugmentOp::ShiftX, "shift_x", K::Geometric, -50, 50, false, "% of width"},
        {AugmentOp::ShiftY, "shift_y", K::Geometric, -50, 50, false, "% of height"},
    };
    return table;
}

const OpInfo& opInfo(AugmentOp op) { return augmentOps().at(static_cast<std::size_t>(op)); }
std::string opName(AugmentOp op) { return opInfo(op).name; }
bool hasMagnitude(AugmentOp op) { return opInfo(op).lo != 0 || opInfo(op).hi != 0; }

AugmentOp parseAugmentOp(const std::string& name) {
    std::string names;
    for (const auto& info : augmentOps()) {
        if (name == info.name) return info.op;
        names += (names.empty() ? "" : ", ") + std::string(info.name);
    }
    throw InputError("unknown augmentation operation '" + name + "' (known: " + names + ")");
}

void checkMagnitude(AugmentOp op, double magnitude) {
    const OpInfo& info = opInfo(op);
    std::ostringstream range;
    range << "[" << info.lo << ", " << info.hi << "]" << (*info.unit ? " " : "") << info.unit;
    std::ostringstream value;
    value << magnitude;
    if (!std::isfinite(magnitude) || magnitude < info.lo || magnitude > info.hi) {
        if (!hasMagnitude(op))
            throw InputError("operation '" + std::string(info.name) + "' takes no magnitude (use 0), got " +
                             value.str());
        throw InputError("magnitude " + value.str() + " of '" + info.name + "' is outside " + range.str());
    }
    if (info.integral && magnitude != std::floor(magnitude))
        throw InputError("magnitude " + value.str() + " of '" + info.name + "' must be a whole number in " +
                         range.str());
}

} // namespace mtl
