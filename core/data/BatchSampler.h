#pragma once
// Which samples make up training batch b (paper, section 3.3):
//   implicit  B samples drawn uniformly from the whole pool (labeled or not);
//   explicit  B_l samples from the labeled part and B_u from the unlabeled part of the pool.
// Endless and deterministic: each part is walked epoch by epoch, every sample once per epoch, in a
// permutation drawn from the seed and the epoch number (splitmix64). So batch b is a pure function
// of (seed, b): resuming at batch b needs no other state.
#include <cstdint>
#include <vector>

namespace mtl {

class BatchSampler {
public:
    static BatchSampler implicitSampling(std::vector<std::size_t> pool, int batchSize, std::uint64_t seed);
    static BatchSampler explicitSampling(std::vector<std::size_t> labeled, std::vector<std::size_t> unlabeled,
                                         int labeledBatch, int unlabeledBatch, std::uint64_t seed);

    // Dataset indices of batch b (b ≥ 0): the labeled part first under explicit sampling.
    std::vector<std::size_t> batch(std::int64_t b) const;
    int batchSize() const;
    // Under explicit sampling, how many leading entries of a batch come from the labeled part.
    int labeledPerBatch() const { return parts_.size() == 2 ? parts_[0].perBatch : 0; }

private:
    struct Part {
        std::vector<std::size_t> items;
        int perBatch;
        std::uint64_t stream;
    };
    BatchSampler(std::vector<Part> parts, std::uint64_t seed);
    std::vector<Part> parts_;
    std::uint64_t seed_;
};

} // namespace mtl
