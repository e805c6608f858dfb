#pragma once
// Keeps the training step fed: a producer thread draws samples, augments them and packs tensors
// into a small queue while the model trains on the previous batch.
#include "core/data/Sample.h"

#include <torch/torch.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace mtl {

struct TrainBatch {
    torch::Tensor images;  // N × H × W × 3 uint8 (normalised on the device)
    torch::Tensor seg;     // N × H × W long, 255 where unlabeled or ignored
    torch::Tensor hasSeg;  // N bool
    torch::Tensor hasDet;  // N bool
    std::vector<std::vector<Box>> boxes; // per sample; empty where not labeled for detection
};

// Images of samples of one size → N × H × W × 3 uint8 (rows copied one by one, so any cv::Mat
// stride works). Throws Error naming the sample when sizes differ.
torch::Tensor packImages(const std::vector<const Sample*>& samples);
// Packs samples (all of one size) with their labels into a training batch.
TrainBatch packBatch(const std::vector<const Sample*>& samples);

struct BatchLoaderOptions {
    int batchSize = 8;
    bool hflip = true;
    std::uint64_t seed = 0;
    int queueDepth = 3;
};

class BatchLoader {
public:
    // Samples must already have the training input size.
    BatchLoader(std::vector<Sample> samples, BatchLoaderOptions options);
    ~BatchLoader();
    BatchLoader(const BatchLoader&) = delete;
    BatchLoader& operator=(const BatchLoader&) = delete;

    TrainBatch next(); // blocks until a batch is ready; rethrows the producer's exception
    double waitSeconds() const { return waitSeconds_; } // total time next() spent waiting

private:
    void produce();

    std::vector<Sample> samples_;
    BatchLoaderOptions options_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<TrainBatch> queue_;
    std::exception_ptr error_;
    bool stopping_ = false;
    double waitSeconds_ = 0;
    std::thread worker_;
};

} // namespace mtl
