#include "core/train/Validation.h"

#include "core/data/CityscapesLabels.h"
#include "core/eval/CocoEvaluator.h"
#include "core/eval/SegmentationMetrics.h"
#include "core/model/InputNormalizer.h"
#include "core/train/BatchLoader.h"

#include <cmath>
#include <limits>

namespace mtl {

ValidationReport validate(MultiTaskModelImpl& model, const std::vector<Sample>& samples,
                          const torch::Device& device, const PostprocessOptions& postprocess, int batchSize) {
    const bool wasTraining = model.is_training();
    model.eval();
    torch::NoGradGuard noGrad;
    const InputNormalizer normalize(device);
    const ModelSpec& spec = model.spec();
    SegmentationMetrics seg(spec.segClasses, cityscapes::kIgnore);
    CocoEvaluator coco(spec.detClasses);

    for (std::size_t first = 0; first < samples.size(); first += batchSize) {
        std::vector<const Sample*> chunk;
        for (std::size_t i = first; i < std::min(samples.size(), first + batchSize); ++i)
            chunk.push_back(&samples[i]);
        const int h = chunk.front()->image.rows, w = chunk.front()->image.cols;
        const MultiTaskOutput out = model.forward(normalize(packImages(chunk).to(device)));
        torch::Tensor predicted;
        if (out.segLogits.defined())
            predicted = out.segLogits.argmax(1).to(torch::kUInt8).to(torch::kCPU).contiguous();
        std::vector<std::vector<Detection>> dets;
        if (out.classLogits.defined())
            dets = postprocessDetections(out.classLogits, out.boxDeltas, model.anchors(out),
                                         model.anchorsPerLevel(out), w, h, postprocess);
        for (std::size_t i = 0; i < chunk.size(); ++i) {
            const Sample& s = *chunk[i];
            if (predicted.defined() && s.hasSeg) {
                cv::Mat pred(h, w, CV_8UC1, predicted[int64_t(i)].data_ptr<uint8_t>());
                seg.add(pred, s.seg);
            }
            if (!dets.empty() && s.hasDet) coco.addImage(s.boxes, dets[i]);
        }
    }
    if (wasTraining) model.train();

    ValidationReport r;
    r.images = static_cast<int>(samples.size());
    const double absent = std::numeric_limits<double>::quiet_NaN();
    r.mIoU = r.mAP = r.AP50 = r.AP75 = absent;
    if (spec.hasSeg()) {
        r.mIoU = seg.meanIoU();
        r.segIoU = seg.iou();
    }
    if (spec.hasDet()) {
        const CocoResult c = coco.evaluate();
        r.mAP = c.mAP;
        r.AP50 = c.AP50;
        r.AP75 = c.AP75;
        r.detAP = c.perClass;
    }
    r.geometricMean = spec.hasSeg() && spec.hasDet() ? std::sqrt(r.mIoU * r.mAP) : spec.hasSeg() ? r.mIoU : r.mAP;
    return r;
}

} // namespace mtl
