#include "core/eval/Validation.h"

#include "core/eval/ValidationScorer.h"
#include "core/model/ModelPrediction.h"

namespace mtl {

ValidationReport validate(MultiTaskModelImpl& model, const std::vector<Sample>& samples,
                          const torch::Device& device, const PostprocessOptions& postprocess, int batchSize,
                          PerImageResults* perImage) {
    const bool wasTraining = model.is_training();
    model.eval();
    ValidationScorer scorer(model.spec());
    for (std::size_t first = 0; first < samples.size();) {
        const auto batch = nextEqualSizeBatch(samples, first, batchSize);
        const auto predictions = predictBatch(model, batch, device, postprocess);
        for (std::size_t i = 0; i < batch.size(); ++i) scorer.add(*batch[i], predictions[i]);
        first += batch.size();
    }
    if (wasTraining) model.train();
    if (perImage) *perImage = scorer.perImage();
    return scorer.report();
}

} // namespace mtl
