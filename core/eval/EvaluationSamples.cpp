#include "core/eval/EvaluationSamples.h"

#include "core/augment/SampleTransforms.h"
#include "core/common/Error.h"
#include "core/common/ParallelFor.h"

#include <algorithm>
#include <mutex>

namespace mtl {

std::vector<Sample> loadForEvaluation(const Dataset& data, int width, int height, int limit, int threads,
                                      OnDataError onError, std::vector<std::string>& skipped) {
    std::size_t n = data.size();
    if (limit > 0) n = std::min<std::size_t>(n, static_cast<std::size_t>(limit));
    std::vector<Sample> samples(n);
    std::mutex skippedMutex;
    parallelFor(n, threads, [&](std::size_t i, int) {
        Sample s;
        try {
            s = data.load(i);
        } catch (const DataError& e) {
            if (onError == OnDataError::Fail) throw;
            std::lock_guard<std::mutex> lock(skippedMutex);
            skipped.push_back(e.what());
            return;
        }
        if (width > 0 && height > 0) resizeImageOnly(s, width, height);
        samples[i] = std::move(s);
    });
    samples.erase(std::remove_if(samples.begin(), samples.end(), [](const Sample& s) { return s.image.empty(); }),
                  samples.end());
    return samples;
}

} // namespace mtl
