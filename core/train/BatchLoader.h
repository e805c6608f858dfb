#pragma once
// Keeps the training step fed: worker threads decode the samples of upcoming batches (OpenCV),
// bring them to the training input size, flip them, and pack tensors into a bounded queue while the
// model trains on the current batch. Batches come out in sampler order whatever the number of
// workers, and batch b is the same for a seed however it was produced (resume-safe).
#include "core/data/BatchSampler.h"
#include "core/data/Dataset.h"
#include "core/model/ImagePacking.h"

#include <torch/torch.h>

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace mtl {

struct TrainBatch {
    std::int64_t index = 0;        // sampler batch number
    std::vector<std::string> ids;  // sample ids, in batch order
    torch::Tensor images;  // N × H × W × 3 uint8 (normalised on the device)
    torch::Tensor seg;     // N × H × W long, 255 where unlabeled or ignored
    torch::Tensor hasSeg;  // N bool
    torch::Tensor hasDet;  // N bool
    std::vector<std::vector<Box>> boxes; // detection targets per sample (crowd regions left out)
    // Labels the run's split hides from training, for measuring pseudo-label quality (and Lu's
    // targets under the oracle control, train.pseudo_source); same layout as above, flags set where
    // a hidden label exists. Empty
    // (undefined tensors) unless BatchLoaderOptions::hiddenLabels is set.
    struct HiddenLabels {
        torch::Tensor seg, hasSeg, hasDet;
        std::vector<std::vector<Box>> boxes;
    } hiddenForEvaluation;
};

// Packs samples (all of one size) with their labels into a training batch.
TrainBatch packBatch(const std::vector<const Sample*>& samples, bool pinned = false);

// The samples `indices` of `train` as the loader gives them to a step (resized to width × height,
// not flipped), with the labels `train` hides in hiddenForEvaluation when `allLabels` is given.
// DataError naming the file when a sample cannot be read.
TrainBatch loadTrainBatch(const Dataset& train, const Dataset* allLabels, const std::vector<std::size_t>& indices,
                          int width, int height);

struct BatchLoaderOptions {
    int width = 256, height = 128; // training input size: samples are resized to it
    bool hflip = true;
    std::uint64_t seed = 0;
    int workers = 2;
    int queueDepth = 3;            // batches decoded ahead of the training step
    bool pinMemory = false;        // set when training on CUDA
    OnDataError onError = OnDataError::Fail;
    // The data set with every label (the one the split hides labels of): when set, batches carry
    // the hidden labels in TrainBatch::hiddenForEvaluation.
    std::shared_ptr<const Dataset> hiddenLabels;
    // Data-parallel training: this process's shard of every batch, the samples at positions
    // shardIndex, shardIndex + shardCount, … (flips are drawn for the whole batch first, so a sample
    // looks the same whatever the number of processes).
    int shardIndex = 0, shardCount = 1;
};

// Positions of a batch of `batchSize` samples that shard `index` of `count` takes.
std::vector<std::size_t> shardPositions(std::size_t batchSize, int index, int count);

class BatchLoader {
public:
    // Starts the workers at batch `firstBatch` (non-zero when a run resumes).
    BatchLoader(std::shared_ptr<const Dataset> data, BatchSampler sampler, BatchLoaderOptions options,
                std::int64_t firstBatch = 0);
    ~BatchLoader();
    BatchLoader(const BatchLoader&) = delete;
    BatchLoader& operator=(const BatchLoader&) = delete;

    // Blocks until the next batch is ready; rethrows a worker's exception (a DataError naming the
    // file, or under OnDataError::Skip only when every sample of a batch failed).
    TrainBatch next();
    double waitSeconds() const; // total time next() spent waiting
    // Samples left out under OnDataError::Skip (each bad sample counts once), and their messages.
    std::size_t skippedSamples() const;
    std::vector<std::string> skippedMessages() const;

private:
    void work();
    TrainBatch produce(std::int64_t b);

    std::shared_ptr<const Dataset> data_;
    BatchSampler sampler_;
    BatchLoaderOptions options_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::int64_t nextToClaim_, nextToDeliver_;
    std::map<std::int64_t, TrainBatch> ready_;
    std::exception_ptr error_;
    bool stopping_ = false;
    double waitSeconds_ = 0;
    std::set<std::size_t> bad_; // samples that failed to load (skip mode): not tried again
    std::vector<std::string> badMessages_;
    std::vector<std::thread> workers_;
};

} // namespace mtl
