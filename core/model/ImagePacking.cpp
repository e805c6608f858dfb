#include "core/model/ImagePacking.h"

#include "core/common/Error.h"

#include <cstring>

namespace mtl {

torch::Tensor packImages(const std::vector<const Sample*>& samples, bool pinned) {
    const int64_t n = static_cast<int64_t>(samples.size());
    const int h = samples.front()->image.rows, w = samples.front()->image.cols;
    auto images = torch::empty({n, h, w, 3}, torch::TensorOptions(torch::kUInt8).pinned_memory(pinned));
    for (int64_t i = 0; i < n; ++i) {
        const Sample& s = *samples[i];
        if (s.image.rows != h || s.image.cols != w || s.image.type() != CV_8UC3)
            throw Error("batch of mixed sizes: image " + s.id + " is " + std::to_string(s.image.cols) +
                        "x" + std::to_string(s.image.rows) + ", expected " + std::to_string(w) + "x" +
                        std::to_string(h));
        for (int y = 0; y < h; ++y)
            std::memcpy(images[i][y].data_ptr<uint8_t>(), s.image.ptr<uint8_t>(y), size_t(w) * 3);
    }
    return images;
}

} // namespace mtl
