#include "core/eval/ValidationScorer.h"

#include "core/data/CityscapesLabels.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mtl {

ValidationScorer::ValidationScorer(const ModelSpec& spec)
    : spec_(spec), seg_(std::max(spec.segClasses, 1), cityscapes::kIgnore), coco_(std::max(spec.detClasses, 1)) {}

void ValidationScorer::add(const Sample& labels, const ImagePrediction& prediction) {
    ++images_;
    const double absent = std::numeric_limits<double>::quiet_NaN();
    ImageScore score{labels.id, absent, absent, absent};
    if (spec_.hasSeg() && labels.hasSeg) {
        // One pass over the pixels: the image's own counts give its IoU and join the validation's.
        SegmentationMetrics image(seg_.numClasses(), cityscapes::kIgnore);
        image.add(prediction.labels, labels.seg);
        score.segIoU = imageSegIoU(image);
        seg_.merge(image);
    }
    if (spec_.hasDet() && labels.hasDet) {
        coco_.addImage(labels.boxes, prediction.detections);
        const ImageDetScore det = imageDetScore(labels.boxes, prediction.detections);
        score.detAP50 = det.ap50;
        score.detRecall = det.recall;
    }
    perImage_.push_back(std::move(score));
}

PerImageResults ValidationScorer::perImage() const {
    PerImageResults r;
    r.images = perImage_;
    if (spec_.hasSeg()) {
        const int n = seg_.numClasses();
        for (int g = 0; g < n; ++g)
            for (int p = 0; p < n; ++p) r.confusion.push_back(seg_.count(g, p));
    }
    return r;
}

ValidationReport ValidationScorer::report() const {
    ValidationReport r;
    r.images = images_;
    const double absent = std::numeric_limits<double>::quiet_NaN();
    r.mIoU = r.mAP = r.AP50 = r.AP75 = r.stdIoU = r.stdAP = absent;
    if (spec_.hasSeg()) {
        r.mIoU = seg_.meanIoU();
        r.stdIoU = seg_.stdIoU();
        r.segIoU = seg_.iou();
    }
    if (spec_.hasDet()) {
        const CocoResult c = coco_.evaluate();
        r.mAP = c.mAP;
        r.AP50 = c.AP50;
        r.AP75 = c.AP75;
        r.stdAP = c.stdAP;
        r.detAP = c.perClass;
    }
    r.geometricMean = spec_.hasSeg() && spec_.hasDet() ? std::sqrt(r.mIoU * r.mAP)
                      : spec_.hasSeg()                 ? r.mIoU
                                                       : r.mAP;
    return r;
}

std::vector<const Sample*> nextEqualSizeBatch(const std::vector<Sample>& samples, std::size_t first, int batchSize) {
    std::vector<const Sample*> batch{&samples.at(first)};
    const cv::Size size = samples[first].image.size();
    while (first + batch.size() < samples.size() && static_cast<int>(batch.size()) < batchSize &&
           samples[first + batch.size()].image.size() == size)
        batch.push_back(&samples[first + batch.size()]);
    return batch;
}

} // namespace mtl
