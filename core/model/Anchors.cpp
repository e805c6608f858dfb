#include "core/model/Anchors.h"

#include "core/common/Error.h"


namespace mtl {

torch::Tensor cellAnchors(const AnchorLayout& layout, std::size_t level) {
    const auto corners = cellAnchorCorners(layout, level);
    std::vector<float> flat;
    for (const auto& c : corners) flat.insert(flat.end(), c.begin(), c.end());
    return torch::tensor(flat).view({-1, 4});
}

torch::Tensor gridAnchors(const AnchorLayout& layout, const std::vector<std::array<int64_t, 2>>& levelSizes,
                          const torch::Device& device) {
    if (levelSizes.size() != layout.strides.size())
        throw Error("anchors: " + std::to_string(levelSizes.size()) + " feature levels for " +
                    std::to_string(layout.strides.size()) + " strides");
    const auto f = torch::TensorOptions().dtype(torch::kFloat).device(device);
    std::vector<torch::Tensor> levels;
    for (std::size_t l = 0; l < levelSizes.size(); ++l) {
        const auto [h, w] = levelSizes[l];
        const int stride = layout.strides[l];
        auto base = cellAnchors(layout, l).to(device);
        auto ys = torch::arange(h, f) * stride, xs = torch::arange(w, f) * stride;
        auto grid = torch::meshgrid({ys, xs}, "ij");
        auto cy = grid[0].reshape({-1}), cx = grid[1].reshape({-1});
        auto shifts = torch::stack({cx, cy, cx, cy}, 1); // h·w × 4
        levels.push_back((shifts.unsqueeze(1) + base.unsqueeze(0)).reshape({-1, 4}));
    }
    return torch::cat(levels, 0);
}

} // namespace mtl
