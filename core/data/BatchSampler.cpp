#include "core/data/BatchSampler.h"

#include "core/common/Error.h"
#include "core/common/SplitMix64.h"

#include <string>

namespace mtl {

BatchSampler BatchSampler::implicitSampling(std::vector<std::size_t> pool, int batchSize, std::uint64_t seed) {
    if (pool.empty()) throw InputError("implicit sampling: the training pool is empty");
    if (batchSize < 1) throw InputError("implicit sampling: the batch size must be at least 1");
    return BatchSampler({{std::move(pool), batchSize, 1}}, seed);
}

BatchSampler BatchSampler::explicitSampling(std::vector<std::size_t> labeled, std::vector<std::size_t> unlabeled,
                                            int labeledBatch, int unlabeledBatch, std::uint64_t seed) {
    if (labeledBatch < 1 || unlabeledBatch < 1)
        throw InputError("explicit sampling needs at least one labeled and one unlabeled sample per batch");
    if (labeled.empty()) throw InputError("explicit sampling: no training image is labeled");
    if (unlabeled.empty())
        throw InputError("explicit sampling: every training image is labeled, so there is nothing to draw the " +
                         std::to_string(unlabeledBatch) + " unlabeled samples of a batch from (use implicit sampling)");
    return BatchSampler({{std::move(labeled), labeledBatch, 2}, {std::move(unlabeled), unlabeledBatch, 3}}, seed);
}

BatchSampler::BatchSampler(std::vector<Part> parts, std::uint64_t seed) : parts_(std::move(parts)), seed_(seed) {}

int BatchSampler::batchSize() const {
    int n = 0;
    for (const Part& p : parts_) n += p.perBatch;
    return n;
}

std::vector<std::size_t> BatchSampler::batch(std::int64_t b) const {
    std::vector<std::size_t> out;
    out.reserve(static_cast<std::size_t>(batchSize()));
    for (const Part& part : parts_) {
        const std::uint64_t n = part.items.size();
        std::uint64_t position = static_cast<std::uint64_t>(b) * static_cast<std::uint64_t>(part.perBatch);
        std::uint64_t epoch = UINT64_MAX;
        std::vector<std::size_t> order;
        for (int j = 0; j < part.perBatch; ++j, ++position) {
            if (position / n != epoch) { // a batch may straddle two epochs
                epoch = position / n;
                order = part.items;
                SplitMix64 rng(mixSeed(mixSeed(seed_, part.stream), epoch));
                rng.shuffle(order);
            }
            out.push_back(order[position % n]);
        }
    }
    return out;
}

} // namespace mtl
