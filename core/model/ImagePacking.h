#pragma once
// Samples' images as the model's input batch, before normalisation on the device.
#include "core/data/Sample.h"

#include <torch/torch.h>

#include <vector>

namespace mtl {

// Images of samples of one size → N × H × W × 3 uint8 (rows copied one by one, so any cv::Mat
// stride works), in page-locked memory when `pinned` (for asynchronous copies to a GPU). Throws
// Error naming the sample when sizes differ.
torch::Tensor packImages(const std::vector<const Sample*>& samples, bool pinned = false);

} // namespace mtl
