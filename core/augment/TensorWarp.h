#pragma once
// Batched affine warps on LibTorch tensors (affine_grid + grid_sample), on the tensors' device.
//
// A warp samples every output pixel centre at M⁻¹(centre) in the source, where M maps the source
// frame to the destination frame (Affine2D conventions). Frames are coordinate systems with a size:
// a tensor of any resolution can cover a frame (teacher outputs at stride 4 cover the view frame),
// so frame sizes and tensor sizes are separate arguments. Output pixels whose centre maps outside
// the source frame are "outside": they get the fill value and are reported by insideSource().
// Inside the frame, values near the border are read with border clamping (never blended with the
// fill), so probabilities stay probabilities.
#include "core/augment/Affine2D.h"
#include "core/augment/AugmentParams.h"

#include <torch/torch.h>

#include <optional>
#include <vector>

namespace mtl {

// N × outHeight × outWidth × 2 normalised source coordinates (grid_sample, align_corners=false).
torch::Tensor samplingGrid(const std::vector<Affine2D>& dstFromSrc, FrameSize src, FrameSize dst,
                           int outHeight, int outWidth, const torch::Device& device);
// N × H × W bool: the grid point lies in the source frame (centre maps to [0, W] × [0, H]).
torch::Tensor insideSource(const torch::Tensor& grid);

// Bilinear, N × C × H × W floating tensors; outside pixels = fill.
torch::Tensor warpBilinear(const torch::Tensor& values, const torch::Tensor& grid,
                           const torch::Tensor& inside, double fill);
// Nearest neighbour for labels, N × H × W of any integer type (kept); outside pixels = fill.
torch::Tensor warpNearest(const torch::Tensor& labels, const torch::Tensor& grid,
                          const torch::Tensor& inside, std::int64_t fill);

// N × outHeight × outWidth bool: pixel centres (in frame coordinates) inside each sample's
// rectangle; all false for samples without one.
torch::Tensor rectangleMask(const std::vector<std::optional<CutoutRect>>& rects, FrameSize frame,
                            int outHeight, int outWidth, const torch::Device& device);

} // namespace mtl
