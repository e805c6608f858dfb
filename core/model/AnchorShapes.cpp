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
    layout.density = spec.anchorDensity;
    return layout;
}

std::vector<std::array<float, 4>> cellAnchorCorners(const AnchorLayout& layout, std::size_t level) {
    const int baseSize = layout.sizes[level];
    const double stride = layout.strides[level];
    // Offsets of the tiled centres along one axis: (k - (n - 1) / 2) · stride / n.
    std::vector<double> tiled;
    for (int k = 0; k < layout.density; ++k) tiled.push_back((k - (layout.density - 1) / 2.0) * stride / layout.density);
    std::vector<std::array<float, 4>> corners;
    for (double ratio : layout.ratios)
        for (int s = 0; s < layout.scalesPerOctave; ++s) {
            const double size = std::floor(baseSize * std::pow(2.0, double(s) / layout.scalesPerOctave));
            const double h = size * std::sqrt(ratio), w = size / std::sqrt(ratio);
            const std::vector<double> offsets = s == 0 ? tiled : std::vector<double>{0.0};
            for (double oy : offsets)
                for (double ox : offsets)
                    corners.push_back({float(std::nearbyint(ox - w / 2)), float(std::nearbyint(oy - h / 2)),
                                       float(std::nearbyint(ox + w / 2)), float(std::nearbyint(oy + h / 2))});
        }
    return corners;
}

} // namespace mtl
