#pragma once
// splitmix64: a tiny generator whose output is identical on every machine and compiler, unlike the
// std:: distributions. Used wherever a seed must reproduce the same data (synthetic scenes, label
// splits, sampling order).
#include <cstdint>
#include <utility>
#include <vector>

namespace mtl {

class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform in [0, n) without modulo bias (rejection of the short last bucket); n > 0.
    std::uint64_t below(std::uint64_t n) {
        const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
        std::uint64_t v;
        do v = next(); while (v >= limit);
        return v % n;
    }
    // Fisher–Yates, front to back, with unbiased draws: the same permutation everywhere.
    template <typename T>
    void shuffle(std::vector<T>& items) {
        for (std::size_t i = 0; i + 1 < items.size(); ++i)
            std::swap(items[i], items[i + below(items.size() - i)]);
    }

private:
    std::uint64_t state_;
};

// Derives independent streams from one seed (e.g. one per epoch): splitmix64's finaliser of the
// combined value, so nearby seeds give unrelated streams.
inline std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t stream) {
    SplitMix64 g(seed ^ (stream * 0xD1B54A32D192ED03ull));
    return g.next();
}

} // namespace mtl
