#include "core/eval/EvaluationSamples.h"

#include "core/augment/SampleTransforms.h"
#include "core/common/Error.h"
#include "core/common/ParallelFor.h"
#include "core/experiment/ScaleCheck.h"

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

std::vector<Sample> loadValidationImages(const ExperimentConfig& config, const DatasetLocation& where,
                                         const Dataset& train, const std::function<void(const std::string&)>& say) {
    const EvalConfig& ec = config.eval;
    const auto valSet = openDataset(where, config.data.valSplit, config.data.onError);
    std::vector<std::string> skipped;
    std::vector<Sample> images = loadForEvaluation(*valSet, ec.inputWidth, ec.inputHeight, ec.maxImages,
                                                   config.data.workers, config.data.onError, skipped);
    say("validation: " + std::to_string(images.size()) + " images of " + valSet->description() + " at " +
        (ec.inputWidth > 0 ? std::to_string(ec.inputWidth) + "x" + std::to_string(ec.inputHeight)
                           : std::string("full resolution")) +
        (skipped.empty() ? std::string()
                         : "; skipped " + std::to_string(skipped.size()) + " unreadable (first: " + skipped.front() + ")"));
    // The data set's image size from its first sample's labels; a sample that cannot be read is
    // the loader's business (data.on_error), not this check's.
    if (train.size() == 0) return images;
    try {
        const cv::Size source = train.loadLabels(0).imageSize;
        const std::string warning = evaluationScaleWarning(config, source.width, source.height);
        if (!warning.empty()) say("warning: " + warning);
    } catch (const DataError&) {
    }
    return images;
}

} // namespace mtl
