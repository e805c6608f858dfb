#include "core/train/Validation.h"

#include "core/data/CityscapesLabels.h"
#include "core/eval/CocoEvaluator.h"
#include "core/eval/SegmentationMetrics.h"
#include "core/model/CenterNetCoder.h"
#include "core/model/InputNormalizer.h"
#include "core/model/SegmentationLoss.h"
#include "core/train/BatchLoader.h"

#include <cmath>

namespace mtl {

ValidationReport validate(MultiTaskNetImpl& model, const std::vector<Sample>& samples,
                          const torch::Device& device, double scoreThreshold, int batchSize) {
    const bool wasTraining = model.is_training();
    model.eval();
    torch::NoGradGuard noGrad;
    const InputNormalizer normalize(device);
    SegmentationMetrics seg(model.segClasses(), cityscapes::kIgnore);
    CocoEvaluator coco(model.detClasses());

    for (std::size_t first = 0; first < samples.size(); first += batchSize) {
        std::vector<const Sample*> chunk;
        for (std::size_t i = first; i < std::min(samples.size(), first + batchSize); ++i)
            chunk.push_back(&samples[i]);
        const int h = chunk.front()->image.rows, w = chunk.front()->image.cols;
        MultiTaskOutput out = model.forward(normalize(packImages(chunk).to(device)));
        auto predicted = upsampleLogits(out.segLogits, h, w).argmax(1).to(torch::kUInt8).to(torch::kCPU).contiguous();
        auto dets = decodeCenterNet(out, MultiTaskNetImpl::kOutputStride, w, h, scoreThreshold);
        for (std::size_t i = 0; i < chunk.size(); ++i) {
            const Sample& s = *chunk[i];
            if (s.hasSeg) {
                cv::Mat pred(h, w, CV_8UC1, predicted[int64_t(i)].data_ptr<uint8_t>());
                seg.add(pred, s.seg);
            }
            if (s.hasDet) coco.addImage(s.boxes, dets[i]);
        }
    }
    if (wasTraining) model.train();

    ValidationReport r;
    r.images = static_cast<int>(samples.size());
    r.mIoU = seg.meanIoU();
    r.segIoU = seg.iou();
    const CocoResult c = coco.evaluate();
    r.mAP = c.mAP;
    r.AP50 = c.AP50;
    r.AP75 = c.AP75;
    r.detAP = c.perClass;
    r.geometricMean = std::sqrt(r.mIoU * r.mAP);
    return r;
}

} // namespace mtl
