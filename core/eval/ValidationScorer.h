#pragma once
// Scores predictions against full-resolution labels for the tasks a model has: mIoU over the
// segmentation classes, COCO mAP over the detection classes, and their geometric mean (the paper's
// checkpoint criterion). Torch-free: validation during training, `mtlw eval` and tests feed it.
#include "core/data/Sample.h"
#include "core/eval/CocoEvaluator.h"
#include "core/eval/PerImageScores.h"
#include "core/eval/SegmentationMetrics.h"
#include "core/eval/ValidationReport.h"
#include "core/model/ImagePrediction.h"
#include "core/model/ModelSpec.h"

#include <cstddef>
#include <vector>

namespace mtl {

class ValidationScorer {
public:
    explicit ValidationScorer(const ModelSpec& spec);
    // `labels`: a sample's seg/boxes and its hasSeg/hasDet flags (tasks it is not labeled for
    // are not scored).
    void add(const Sample& labels, const ImagePrediction& prediction);
    // √(mIoU·mAP) for a multi-task model, else its one metric; the absent task's values are NaN.
    ValidationReport report() const;
    // Each added image's scores and the segmentation confusion matrix (step and class names are
    // the caller's to fill).
    PerImageResults perImage() const;

private:
    ModelSpec spec_;
    SegmentationMetrics seg_;
    CocoEvaluator coco_;
    int images_ = 0;
    std::vector<ImageScore> perImage_;
};

// Splits samples[first..] into the next batch: up to batchSize consecutive samples whose images
// have the size of samples[first]'s.
std::vector<const Sample*> nextEqualSizeBatch(const std::vector<Sample>& samples, std::size_t first, int batchSize);

} // namespace mtl
