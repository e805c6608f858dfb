#include "core/model/AnchorShapes.h"

#include <cmath>

namespace mtl {

AnchorLayout anchorLayoutFor(const ModelSpec& spec) {
    AnchorLayout layout;
    layout.minLevel = spec.minLevel;
    layout.strides.clear();
    layout.sizes.clear();
    for (int level = spec.minLevel; level <= spec.maxLevel; ++level) {
        layout.strides.push_back(1 << level);
        layout.sizes.push_back(spec.anchorSize << (level - spec.minLevel));
    }
    layout.ratios = spec.anchorRatios;
    layout.scalesPerOctave = spec.anchorScales;
    return layout;
}

std::vector<std::array<float, 4>> cellAnchorCorners(const AnchorLayout& layout, int baseSize) {
    std::vector<std::array<float, 4>> corners;
    for (double ratio : layout.ratios)
        for (int s = 0; s < layout.scalesPerOctave; ++s) {
            const double size = std::floor(baseSize * std::pow(2.0, double(s) / layout.scalesPerOctave));
            const double h = size * std::sqrt(ratio), w = size / std::sqrt(ratio);
            corners.push_back({float(std::nearbyint(-w / 2)), float(std::nearbyint(-h / 2)), float(std::nearbyint(w / 2)),
                               float(std::nearbyint(h / 2))});
        }
    return corners;
}

} // namespace mtl
