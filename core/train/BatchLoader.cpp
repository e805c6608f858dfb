#include "core/train/BatchLoader.h"

#include "core/augment/SampleTransforms.h"
#include "core/common/Device.h"
#include "core/common/Error.h"
#include "core/common/SplitMix64.h"

#include <chrono>
#include <cstring>

namespace mtl {

namespace {
// Moves the labels `visible` does not show for sample `index` out of `s` into the returned sample
// (same image, shared): `s` keeps exactly what training may see.
Sample separateHiddenLabels(Sample& s, const Dataset& visible, std::size_t index) {
    Sample hidden;
    hidden.id = s.id;
    hidden.image = s.image;
    hidden.imageSize = s.imageSize;
    if (s.hasSeg && !visible.labeled(index, Task::Segmentation)) {
        hidden.seg = s.seg;
        hidden.hasSeg = true;
        s.seg = cv::Mat();
        s.hasSeg = false;
    }
    if (s.hasDet && !visible.labeled(index, Task::Detection)) {
        hidden.boxes = std::move(s.boxes);
        hidden.hasDet = true;
        s.boxes.clear();
        s.hasDet = false;
    }
    return hidden;
}
// The batch of `picked`, with `hidden` (the same samples' hidden labels) when given.
TrainBatch packWithHidden(const std::vector<Sample>& picked, const std::vector<Sample>* hidden, bool pinned) {
    std::vector<const Sample*> ptrs;
    for (const auto& s : picked) ptrs.push_back(&s);
    TrainBatch batch = packBatch(ptrs, pinned);
    if (hidden) {
        std::vector<const Sample*> hiddenPtrs;
        for (const auto& s : *hidden) hiddenPtrs.push_back(&s);
        TrainBatch h = packBatch(hiddenPtrs);
        batch.hiddenForEvaluation = {h.seg, h.hasSeg, h.hasDet, std::move(h.boxes)};
    }
    return batch;
}
} // namespace

TrainBatch packBatch(const std::vector<const Sample*>& samples, bool pinned) {
    const int64_t n = static_cast<int64_t>(samples.size());
    const int h = samples.front()->image.rows, w = samples.front()->image.cols;
    TrainBatch batch;
    batch.images = packImages(samples, pinned);
    batch.seg = torch::full({n, h, w}, 255, torch::TensorOptions(torch::kLong).pinned_memory(pinned));
    batch.hasSeg = torch::zeros({n}, torch::kBool);
    batch.hasDet = torch::zeros({n}, torch::kBool);
    batch.boxes.resize(static_cast<std::size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        const Sample& s = *samples[i];
        batch.ids.push_back(s.id);
        if (s.hasSeg && !s.seg.empty()) {
            auto segU8 = torch::from_blob(const_cast<uint8_t*>(s.seg.ptr<uint8_t>()), {h, w},
                                          {static_cast<int64_t>(s.seg.step[0]), 1}, torch::kUInt8);
            batch.seg[i].copy_(segU8);
            batch.hasSeg[i] = true;
        }
        batch.hasDet[i] = s.hasDet;
        if (s.hasDet)
            for (const Box& b : s.boxes)
                if (!b.crowd) batch.boxes[std::size_t(i)].push_back(b);
    }
    return batch;
}

BatchLoader::BatchLoader(std::shared_ptr<const Dataset> data, BatchSampler sampler, BatchLoaderOptions options,
                         std::int64_t firstBatch)
    : data_(std::move(data)), sampler_(std::move(sampler)), options_(options), nextToClaim_(firstBatch),
      nextToDeliver_(firstBatch) {
    if (data_->size() == 0) throw InputError(data_->description() + ": the training set has no samples");
    for (int w = 0; w < std::max(1, options_.workers); ++w) workers_.emplace_back([this] { work(); });
}

BatchLoader::~BatchLoader() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    for (auto& w : workers_) w.join();
}

void BatchLoader::work() {
    configureTorchThreads(1); // packing is memcpy: no intra-op pool needed in the workers
    for (;;) {
        std::int64_t b;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            changed_.wait(lock, [&] {
                return stopping_ || error_ || nextToClaim_ < nextToDeliver_ + options_.queueDepth;
            });
            if (stopping_ || error_) return;
            b = nextToClaim_++;
        }
        try {
            TrainBatch batch = produce(b);
            std::lock_guard<std::mutex> lock(mutex_);
            ready_.emplace(b, std::move(batch));
        } catch (...) {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!error_) error_ = std::current_exception();
        }
        changed_.notify_all();
    }
}

std::vector<std::size_t> shardPositions(std::size_t batchSize, int index, int count) {
    std::vector<std::size_t> positions;
    for (std::size_t i = static_cast<std::size_t>(index); i < batchSize; i += static_cast<std::size_t>(count))
        positions.push_back(i);
    return positions;
}

TrainBatch BatchLoader::produce(std::int64_t b) {
    // Flips depend on (seed, batch, position) only, so the batch is the same whichever worker made
    // it and however it is sharded.
    SplitMix64 rng(mixSeed(options_.seed, static_cast<std::uint64_t>(b)));
    std::vector<Sample> picked, hidden;
    std::string firstProblem;
    const std::vector<std::size_t> whole = sampler_.batch(b);
    std::vector<bool> flips;
    for (std::size_t i = 0; i < whole.size(); ++i) flips.push_back(options_.hflip && (rng.next() & 1));
    for (const std::size_t position : shardPositions(whole.size(), options_.shardIndex, options_.shardCount)) {
        const std::size_t index = whole[position];
        const bool flip = flips[position];
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (bad_.count(index)) continue;
        }
        Sample s;
        try {
            s = options_.hiddenLabels ? options_.hiddenLabels->load(index) : data_->load(index);
        } catch (const DataError& e) {
            if (options_.onError == OnDataError::Fail) throw;
            std::lock_guard<std::mutex> lock(mutex_);
            if (bad_.insert(index).second) badMessages_.push_back(e.what());
            if (firstProblem.empty()) firstProblem = e.what();
            continue;
        }
        resizeSample(s, options_.width, options_.height);
        if (flip) flipSampleHorizontally(s);
        if (options_.hiddenLabels) hidden.push_back(separateHiddenLabels(s, *data_, index));
        picked.push_back(std::move(s));
    }
    if (picked.empty())
        throw DataError("no sample of training batch " + std::to_string(b) + " could be read" +
                        (firstProblem.empty() ? std::string() : "; first problem: " + firstProblem));
    TrainBatch batch = packWithHidden(picked, options_.hiddenLabels ? &hidden : nullptr, options_.pinMemory);
    batch.index = b;
    return batch;
}

TrainBatch loadTrainBatch(const Dataset& train, const Dataset* allLabels, const std::vector<std::size_t>& indices,
                          int width, int height) {
    std::vector<Sample> picked, hidden;
    for (const std::size_t index : indices) {
        Sample s = allLabels ? allLabels->load(index) : train.load(index);
        resizeSample(s, width, height);
        if (allLabels) hidden.push_back(separateHiddenLabels(s, train, index));
        picked.push_back(std::move(s));
    }
    return packWithHidden(picked, allLabels ? &hidden : nullptr, false);
}

TrainBatch BatchLoader::next() {
    const auto t0 = std::chrono::steady_clock::now();
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return ready_.count(nextToDeliver_) || error_; });
    waitSeconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (error_) std::rethrow_exception(error_);
    auto node = ready_.extract(nextToDeliver_++);
    changed_.notify_all();
    return std::move(node.mapped());
}

double BatchLoader::waitSeconds() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return waitSeconds_;
}

std::size_t BatchLoader::skippedSamples() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return bad_.size();
}

std::vector<std::string> BatchLoader::skippedMessages() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return badMessages_;
}

} // namespace mtl
