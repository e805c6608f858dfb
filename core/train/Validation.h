#pragma once
// Runs a model over validation samples and scores the tasks it has: mIoU over the segmentation
// classes, COCO mAP over the detection classes, and their geometric mean (the paper's checkpoint
// criterion). The model is a parameter: the student, or the EMA teacher of the semi-supervised
// methods.
#include "core/data/Sample.h"
#include "core/eval/CocoEvaluator.h"
#include "core/eval/ImagePrediction.h"
#include "core/eval/SegmentationMetrics.h"
#include "core/model/DetectionPostprocess.h"
#include "core/model/MultiTaskModel.h"
#include "core/train/TrainingRun.h"

#include <vector>

namespace mtl {

// Accumulates predictions against full-resolution labels for the tasks of a model.
class ValidationScorer {
public:
    explicit ValidationScorer(const ModelSpec& spec);
    // `labels`: a sample's seg/boxes and its hasSeg/hasDet flags (tasks it is not labeled for
    // are not scored).
    void add(const Sample& labels, const ImagePrediction& prediction);
    // √(mIoU·mAP) for a multi-task model, else its one metric; the absent task's values are NaN.
    ValidationReport report() const;

private:
    ModelSpec spec_;
    SegmentationMetrics seg_;
    CocoEvaluator coco_;
    int images_ = 0;
};

// Each sample's image is the model input (eval.input_width × eval.input_height, or the full
// resolution); its labels (seg, boxes) and imageSize stay at the full resolution, what the metrics
// are computed at (core/eval/ModelPrediction.h). Consecutive samples of equal input size are
// batched. Leaves the model in the mode it found it in.
ValidationReport validate(MultiTaskModelImpl& model, const std::vector<Sample>& samples,
                          const torch::Device& device, const PostprocessOptions& postprocess,
                          int batchSize = 8);

// Splits samples[first..] into the next batch: up to batchSize consecutive samples whose images
// have the size of samples[first]'s.
std::vector<const Sample*> nextEqualSizeBatch(const std::vector<Sample>& samples, std::size_t first, int batchSize);

} // namespace mtl
