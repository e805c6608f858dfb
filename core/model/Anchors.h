#pragma once
// RetinaNet anchors: on each pyramid level, 3 scales (size · 2^{0, 1/3, 2/3}, truncated to whole
// pixels) × 3 aspect ratios (h/w = 0.5, 1, 2) centred on every cell at (x · stride, y · stride).
// Order: level → y → x → ratio → scale, the order of the head's flattened outputs.
#include <torch/torch.h>

#include <array>
#include <vector>

namespace mtl {

struct AnchorLayout {
    int smallestSize = 32;                         // P3's base size; doubles per level
    std::vector<int> strides{8, 16, 32, 64, 128};  // P3..P7
    std::vector<double> ratios{0.5, 1.0, 2.0};     // height / width
    int scalesPerOctave = 3;

    int perCell() const { return int(ratios.size()) * scalesPerOctave; }
};

// perCell × 4 boxes (x1, y1, x2, y2) centred on (0, 0) for one level's base size: ratio-major,
// then scale; corners rounded to whole pixels.
torch::Tensor cellAnchors(const AnchorLayout& layout, int baseSize);

// All anchors of feature maps of the given (height, width) per level: Σ h·w·perCell × 4, float.
torch::Tensor gridAnchors(const AnchorLayout& layout, const std::vector<std::array<int64_t, 2>>& levelSizes,
                          const torch::Device& device);

} // namespace mtl
