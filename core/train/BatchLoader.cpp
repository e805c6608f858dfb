#include "core/train/BatchLoader.h"

#include "core/augment/SampleTransforms.h"
#include "core/common/Error.h"

#include <chrono>
#include <cstring>
#include <random>

namespace mtl {

torch::Tensor packImages(const std::vector<const Sample*>& samples) {
    const int64_t n = static_cast<int64_t>(samples.size());
    const int h = samples.front()->image.rows, w = samples.front()->image.cols;
    auto images = torch::empty({n, h, w, 3}, torch::kUInt8);
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

TrainBatch packBatch(const std::vector<const Sample*>& samples) {
    const int64_t n = static_cast<int64_t>(samples.size());
    const int h = samples.front()->image.rows, w = samples.front()->image.cols;
    auto images = packImages(samples);
    auto seg = torch::full({n, h, w}, 255, torch::kLong);
    auto hasSeg = torch::zeros({n}, torch::kBool);
    auto hasDet = torch::zeros({n}, torch::kBool);
    std::vector<std::vector<Box>> boxes(n);
    for (int64_t i = 0; i < n; ++i) {
        const Sample& s = *samples[i];
        if (s.hasSeg && !s.seg.empty()) {
            auto segU8 = torch::from_blob(const_cast<uint8_t*>(s.seg.ptr<uint8_t>()), {h, w},
                                          {static_cast<int64_t>(s.seg.step[0]), 1}, torch::kUInt8);
            seg[i].copy_(segU8);
            hasSeg[i] = true;
        }
        hasDet[i] = s.hasDet;
        if (s.hasDet) boxes[i] = s.boxes;
    }
    return {images, seg, hasSeg, hasDet, std::move(boxes)};
}

BatchLoader::BatchLoader(std::vector<Sample> samples, BatchLoaderOptions options)
    : samples_(std::move(samples)), options_(options) {
    if (samples_.empty()) throw InputError("the training split has no samples");
    worker_ = std::thread([this] { produce(); });
}

BatchLoader::~BatchLoader() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    worker_.join();
}

void BatchLoader::produce() {
    try {
        std::mt19937_64 rng(options_.seed);
        std::vector<std::size_t> order(samples_.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::size_t cursor = order.size();
        for (;;) {
            std::vector<Sample> picked;
            for (int b = 0; b < options_.batchSize; ++b) {
                if (cursor == order.size()) { // a new epoch: every sample once per epoch
                    std::shuffle(order.begin(), order.end(), rng);
                    cursor = 0;
                }
                Sample s = samples_[order[cursor++]]; // shares pixel buffers with the stored sample
                if (options_.hflip && (rng() & 1)) {
                    s.image = s.image.clone(); // the flip must not touch the stored sample
                    s.seg = s.seg.clone();
                    flipSampleHorizontally(s);
                }
                picked.push_back(std::move(s));
            }
            std::vector<const Sample*> ptrs;
            for (const auto& s : picked) ptrs.push_back(&s);
            TrainBatch batch = packBatch(ptrs);

            std::unique_lock<std::mutex> lock(mutex_);
            changed_.wait(lock, [&] { return stopping_ || int(queue_.size()) < options_.queueDepth; });
            if (stopping_) return;
            queue_.push_back(std::move(batch));
            changed_.notify_all();
        }
    } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        error_ = std::current_exception();
        changed_.notify_all();
    }
}

TrainBatch BatchLoader::next() {
    const auto t0 = std::chrono::steady_clock::now();
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return !queue_.empty() || error_; });
    waitSeconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (queue_.empty() && error_) std::rethrow_exception(error_);
    TrainBatch batch = std::move(queue_.front());
    queue_.pop_front();
    changed_.notify_all();
    return batch;
}

} // namespace mtl
