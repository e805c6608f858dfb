#include "core/data/RepeatFactors.h"

#include "core/common/ParallelFor.h"
#include "core/common/SplitMix64.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace mtl {

namespace {

// The classes one image holds, per task (empty for a task it is not labeled for).
struct ImageClasses {
    std::vector<int> det, seg;
};

ImageClasses classesOf(const Sample& s, std::size_t detClasses, std::size_t segClasses) {
    ImageClasses c;
    if (s.hasDet)
        for (const Box& b : s.boxes)
            if (!b.crowd && b.cls >= 0 && static_cast<std::size_t>(b.cls) < detClasses) c.det.push_back(b.cls);
    if (s.hasSeg && !s.seg.empty()) {
        std::vector<char> seen(256, 0);
        for (int y = 0; y < s.seg.rows; ++y) {
            const unsigned char* row = s.seg.ptr<unsigned char>(y);
            for (int x = 0; x < s.seg.cols; ++x) seen[row[x]] = 1;
        }
        for (std::size_t k = 0; k < segClasses && k < seen.size(); ++k)
            if (seen[k]) c.seg.push_back(static_cast<int>(k));
    }
    std::sort(c.det.begin(), c.det.end());
    c.det.erase(std::unique(c.det.begin(), c.det.end()), c.det.end());
    return c;
}

// r per class from how many of `labeled` images hold it.
std::vector<double> classFactors(const std::vector<std::size_t>& holding, std::size_t labeled, double threshold) {
    std::vector<double> r(holding.size(), 1.0);
    if (labeled == 0) return r;
    for (std::size_t c = 0; c < holding.size(); ++c)
        if (holding[c] > 0)
            r[c] = std::max(1.0, std::sqrt(threshold / (static_cast<double>(holding[c]) / static_cast<double>(labeled))));
    return r;
}

} // namespace

RepeatFactors repeatFactors(const Dataset& data, const std::vector<std::size_t>& pool, double threshold,
                            int threads) {
    if (!(threshold > 0)) throw std::invalid_argument("repeatFactors: the threshold must be positive");
    const std::size_t nDet = data.classes().det.size(), nSeg = data.classes().seg.size();
    std::vector<ImageClasses> held(pool.size());
    parallelFor(pool.size(), threads, [&](std::size_t k, int) {
        const std::size_t i = pool[k];
        if (data.labeled(i, Task::Detection) || data.labeled(i, Task::Segmentation))
            held[k] = classesOf(data.loadLabels(i), nDet, nSeg);
    });
    std::vector<std::size_t> detHolding(nDet, 0), segHolding(nSeg, 0);
    std::size_t detLabeled = 0, segLabeled = 0;
    for (std::size_t k = 0; k < pool.size(); ++k) {
        detLabeled += data.labeled(pool[k], Task::Detection);
        segLabeled += data.labeled(pool[k], Task::Segmentation);
        for (int c : held[k].det) ++detHolding[static_cast<std::size_t>(c)];
        for (int c : held[k].seg) ++segHolding[static_cast<std::size_t>(c)];
    }
    RepeatFactors f;
    f.detClass = classFactors(detHolding, detLabeled, threshold);
    f.segClass = classFactors(segHolding, segLabeled, threshold);
    f.perImage.assign(pool.size(), 1.0);
    for (std::size_t k = 0; k < pool.size(); ++k) {
        for (int c : held[k].det) f.perImage[k] = std::max(f.perImage[k], f.detClass[static_cast<std::size_t>(c)]);
        for (int c : held[k].seg) f.perImage[k] = std::max(f.perImage[k], f.segClass[static_cast<std::size_t>(c)]);
    }
    return f;
}

std::vector<std::size_t> repeatedPool(const std::vector<std::size_t>& pool, const std::vector<double>& perImage,
                                      std::uint64_t seed) {
    if (perImage.size() != pool.size()) throw std::invalid_argument("repeatedPool: one factor per pool image");
    SplitMix64 rng(mixSeed(seed, 4)); // streams 1-3 are BatchSampler's
    std::vector<std::size_t> out;
    out.reserve(pool.size());
    for (std::size_t k = 0; k < pool.size(); ++k) {
        const double whole = std::floor(perImage[k]);
        const double u = static_cast<double>(rng.next() >> 11) * 0x1.0p-53; // uniform in [0, 1)
        const auto copies = static_cast<std::size_t>(whole) + (u < perImage[k] - whole ? 1 : 0);
        out.insert(out.end(), copies, pool[k]);
    }
    return out;
}

std::string RepeatFactors::summary(const ClassNames& names, std::size_t poolSize, std::size_t repeatedSize) const {
    std::string s = "repeat factor sampling: " + std::to_string(poolSize) + " images -> " +
                    std::to_string(repeatedSize) + " per epoch";
    std::string classes;
    const auto list = [&](const std::vector<double>& r, const std::vector<std::string>& n, const char* task) {
        for (std::size_t c = 0; c < r.size() && c < n.size(); ++c)
            if (r[c] > 1.0) {
                char buf[32];
                std::snprintf(buf, sizeof buf, " x%.2f", r[c]);
                classes += (classes.empty() ? "" : ", ") + std::string(task) + " " + n[c] + buf;
            }
    };
    list(detClass, names.det, "det");
    list(segClass, names.seg, "seg");
    return s + (classes.empty() ? "; no class is below the threshold" : "; " + classes);
}

} // namespace mtl
