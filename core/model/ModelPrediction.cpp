#include "core/model/ModelPrediction.h"

#include "core/common/Error.h"
#include "core/model/ImagePacking.h"
#include "core/model/InputNormalizer.h"

namespace mtl {
namespace {

// The coarsest pyramid level RetinaNet's P5 pairs with (stride 32; P6 and P7 round up).
constexpr int kSizeMultiple = 32;

int paddingTo(int size) { return (kSizeMultiple - size % kSizeMultiple) % kSizeMultiple; }

cv::Size labelSize(const Sample& s) {
    return s.imageSize.area() > 0 ? s.imageSize : s.image.size();
}

} // namespace

std::vector<ImagePrediction> predictBatch(MultiTaskModelImpl& model, const std::vector<const Sample*>& samples,
                                          const torch::Device& device, const PostprocessOptions& postprocess) {
    std::vector<ImagePrediction> out(samples.size());
    if (samples.empty()) return out;
    torch::NoGradGuard noGrad;
    const InputNormalizer normalize(device);
    const int h = samples.front()->image.rows, w = samples.front()->image.cols;
    torch::Tensor input = normalize(packImages(samples).to(device));
    const int padW = paddingTo(w), padH = paddingTo(h);
    if (padW || padH) input = torch::constant_pad_nd(input, {0, padW, 0, padH}, 0);
    const MultiTaskOutput result = model.forward(input);

    if (result.segLogits.defined()) {
        const torch::Tensor logits = result.segLogitsAtInputSize().index(
            {torch::indexing::Slice(), torch::indexing::Slice(), torch::indexing::Slice(0, h),
             torch::indexing::Slice(0, w)});
        for (std::size_t i = 0; i < samples.size(); ++i) {
            const cv::Size size = labelSize(*samples[i]);
            torch::Tensor one = logits[static_cast<int64_t>(i)].unsqueeze(0);
            if (size.width != w || size.height != h)
                one = torch::nn::functional::interpolate(
                    one, torch::nn::functional::InterpolateFuncOptions()
                             .size(std::vector<int64_t>{size.height, size.width})
                             .mode(torch::kBilinear)
                             .align_corners(false));
            const torch::Tensor labels = one[0].argmax(0).to(torch::kUInt8).to(torch::kCPU).contiguous();
            out[i].labels = cv::Mat(size.height, size.width, CV_8UC1, labels.data_ptr<uint8_t>()).clone();
        }
    }
    if (result.classLogits.defined()) {
        const auto dets = postprocessDetections(result.classLogits, result.boxDeltas, model.anchors(result),
                                                model.anchorsPerLevel(result), w, h, postprocess);
        for (std::size_t i = 0; i < samples.size(); ++i) {
            const cv::Size size = labelSize(*samples[i]);
            const float sx = float(size.width) / w, sy = float(size.height) / h;
            for (Detection d : dets[i]) {
                d.box.x1 *= sx;
                d.box.x2 *= sx;
                d.box.y1 *= sy;
                d.box.y2 *= sy;
                if (d.box.x2 > d.box.x1 && d.box.y2 > d.box.y1) out[i].detections.push_back(d);
            }
        }
    }
    return out;
}

} // namespace mtl
