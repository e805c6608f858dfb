#include "core/augment/TensorWarp.h"

namespace mtl {
namespace F = torch::nn::functional;

torch::Tensor samplingGrid(const std::vector<Affine2D>& dstFromSrc, FrameSize src, FrameSize dst,
                           int outHeight, int outWidth, const torch::Device& device) {
    // affine_grid yields θ·(u, v, 1) for the output's normalised pixel centres u, v ∈ (−1, 1); the
    // grid wants normalised source coordinates, so θ = N_src · M⁻¹ · N_dst⁻¹ with N(x) = 2x/W − 1.
    const Affine2D fromNormalisedDst(dst.width / 2.0, 0, dst.width / 2.0, 0, dst.height / 2.0, dst.height / 2.0);
    const Affine2D toNormalisedSrc(2.0 / src.width, 0, -1, 0, 2.0 / src.height, -1);
    const auto n = static_cast<std::int64_t>(dstFromSrc.size());
    auto theta = torch::empty({n, 2, 3}, torch::kDouble);
    auto t = theta.accessor<double, 3>();
    for (std::int64_t i = 0; i < n; ++i) {
        const Affine2D m = toNormalisedSrc * dstFromSrc[std::size_t(i)].inverse() * fromNormalisedDst;
        for (int r = 0; r < 2; ++r)
            for (int c = 0; c < 3; ++c) t[i][r][c] = m(r, c);
    }
    return F::affine_grid(theta.to(device, torch::kFloat), {n, 1, outHeight, outWidth}, /*align_corners=*/false);
}

torch::Tensor insideSource(const torch::Tensor& grid) {
    // A hair of slack so that centres exactly on the frame's edge count as inside despite rounding.
    return grid.abs().le(1.0f + 1e-6f).all(-1);
}

torch::Tensor warpBilinear(const torch::Tensor& values, const torch::Tensor& grid,
                           const torch::Tensor& inside, double fill) {
    auto out = F::grid_sample(values, grid.to(values.dtype()),
                              F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kBorder).align_corners(false));
    return torch::where(inside.unsqueeze(1), out, torch::full({}, fill, out.options()));
}

torch::Tensor warpNearest(const torch::Tensor& labels, const torch::Tensor& grid,
                          const torch::Tensor& inside, std::int64_t fill) {
    // Labels travel as floats (exact for integers below 2^24) through nearest sampling.
    auto out = F::grid_sample(labels.unsqueeze(1).to(grid.dtype()), grid,
                              F::GridSampleFuncOptions().mode(torch::kNearest).padding_mode(torch::kBorder).align_corners(false));
    out = out.squeeze(1).round().to(labels.dtype());
    return torch::where(inside, out, torch::full({}, fill, out.options()));
}

torch::Tensor rectangleMask(const std::vector<std::optional<CutoutRect>>& rects, FrameSize frame,
                            int outHeight, int outWidth, const torch::Device& device) {
    const auto n = static_cast<std::int64_t>(rects.size());
    auto bounds = torch::zeros({n, 4}, torch::kDouble); // x0, x1, y0, y1; empty when x0 = x1
    auto b = bounds.accessor<double, 2>();
    for (std::int64_t i = 0; i < n; ++i)
        if (const auto& r = rects[std::size_t(i)]) {
            b[i][0] = r->x, b[i][1] = r->x + r->width, b[i][2] = r->y, b[i][3] = r->y + r->height;
        }
    bounds = bounds.to(device, torch::kFloat);
    const auto opts = torch::TensorOptions().device(device).dtype(torch::kFloat);
    const auto xs = ((torch::arange(outWidth, opts) + 0.5f) * (float(frame.width) / outWidth)).view({1, 1, -1});
    const auto ys = ((torch::arange(outHeight, opts) + 0.5f) * (float(frame.height) / outHeight)).view({1, -1, 1});
    const auto col = [&](int k) { return bounds.select(1, k).view({n, 1, 1}); };
    return xs.ge(col(0)).logical_and(xs.lt(col(1))).logical_and(ys.ge(col(2))).logical_and(ys.lt(col(3)));
}

} // namespace mtl
