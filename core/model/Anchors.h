#pragma once
// RetinaNet anchors as tensors, for the layout of core/model/AnchorShapes.h. Order: level → y → x
// → ratio → scale (→ tiled position), the order of the head's flattened outputs.
#include "core/model/AnchorShapes.h"

#include <torch/torch.h>

#include <array>
#include <vector>

namespace mtl {

// perCell × 4 boxes (x1, y1, x2, y2) of one level (an index into the layout's levels) relative to
// a cell's centre, in cellAnchorCorners' order; corners rounded to whole pixels.
torch::Tensor cellAnchors(const AnchorLayout& layout, std::size_t level);

// All anchors of feature maps of the given (height, width) per level: Σ h·w·perCell × 4, float.
torch::Tensor gridAnchors(const AnchorLayout& layout, const std::vector<std::array<int64_t, 2>>& levelSizes,
                          const torch::Device& device);

} // namespace mtl
