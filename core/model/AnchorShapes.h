#pragma once
// RetinaNet's anchor layout without Torch, shared by the model (core/model/Anchors, on tensors) and
// by `mtlw dataset anchors` (core/eval/AnchorCoverage), so that both see exactly the same anchors.
// On each pyramid level: scalesPerOctave sizes (size · 2^{i/scales}, truncated to whole pixels) ×
// the aspect ratios (height / width), centred on every cell at (x · stride, y · stride). With a
// density above 1 the smallest size is tiled density × density times per cell (FaceBoxes' anchor
// densification), its centres stride / density apart and symmetric about the cell's centre.
#include "core/model/ModelSpec.h"

#include <array>
#include <cstddef>
#include <vector>

namespace mtl {

struct AnchorLayout {
    int minLevel = 3;                              // level of strides[0]
    std::vector<int> strides{8, 16, 32, 64, 128};  // 2^level, P3..P7
    std::vector<int> sizes{32, 64, 128, 256, 512}; // base size per level
    std::vector<double> ratios{0.5, 1.0, 2.0};     // height / width
    int scalesPerOctave = 3;
    int density = 1;                               // tiling of the smallest size per cell and axis

    int perCell() const { return int(ratios.size()) * (scalesPerOctave - 1 + density * density); }
    int levels() const { return int(strides.size()); }
};

// The layout of a model: levels minLevel..maxLevel, anchorSize doubling per level.
AnchorLayout anchorLayoutFor(const ModelSpec& spec);

// One cell's perCell anchors on `level` (an index into strides and sizes), relative to the cell's
// centre, as corners (x1, y1, x2, y2) rounded to whole pixels; ratio-major, then scale, then (for
// the smallest size) the tiled positions row by row — the order of the head's outputs.
std::vector<std::array<float, 4>> cellAnchorCorners(const AnchorLayout& layout, std::size_t level);

} // namespace mtl
