#pragma once
// Small layer builders shared by the backbone and the heads.
#include "core/model/SyncBatchNorm.h"

#include <torch/torch.h>

namespace mtl {

// k×k convolution with "same" padding for odd k (padding = dilation · (k / 2)).
inline torch::nn::Conv2d convLayer(int in, int out, int kernel, int stride = 1, int dilation = 1,
                                   bool bias = false) {
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel)
                                 .stride(stride)
                                 .padding(dilation * (kernel / 2))
                                 .dilation(dilation)
                                 .bias(bias));
}

// Appends conv → BatchNorm → ReLU to `seq` (flat: Sequential inside Sequential is not allowed).
inline void appendConvBnRelu(torch::nn::Sequential& seq, int in, int out, int kernel, int dilation = 1) {
    seq->push_back(convLayer(in, out, kernel, 1, dilation));
    seq->push_back(SyncBatchNorm(out));
    seq->push_back(torch::nn::ReLU(torch::nn::ReLUOptions(true)));
}

// Bilinear resize of N×C×h×w to height × width (align_corners false, as the metrics expect).
inline torch::Tensor resizeBilinear(const torch::Tensor& x, int64_t height, int64_t width) {
    namespace F = torch::nn::functional;
    return F::interpolate(x, F::InterpolateFuncOptions()
                                 .size(std::vector<int64_t>{height, width})
                                 .mode(torch::kBilinear)
                                 .align_corners(false));
}

} // namespace mtl
