#include "core/augment/AugmentPreview.h"

#include "core/augment/Augmenter.h"
#include "core/common/Error.h"
#include "core/data/CityscapesLabels.h"
#include "core/data/DatasetLocator.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <sstream>

namespace mtl {
namespace {

torch::Tensor batchOfOne(const cv::Mat& rgb) {
    auto images = torch::empty({1, rgb.rows, rgb.cols, 3}, torch::kUInt8);
    for (int y = 0; y < rgb.rows; ++y)
        std::memcpy(images[0][y].data_ptr<uint8_t>(), rgb.ptr<uint8_t>(y), std::size_t(rgb.cols) * 3);
    return images;
}

torch::Tensor labelsOfOne(const Sample& s) {
    if (!s.hasSeg || s.seg.empty()) return torch::full({1, s.image.rows, s.image.cols}, 255, torch::kUInt8);
    auto seg = torch::empty({1, s.seg.rows, s.seg.cols}, torch::kUInt8);
    for (int y = 0; y < s.seg.rows; ++y)
        std::memcpy(seg[0][y].data_ptr<uint8_t>(), s.seg.ptr<uint8_t>(y), std::size_t(s.seg.cols));
    return seg;
}

// 3 × H × W floats in [0, 1] → CV_8UC3 RGB.
cv::Mat toRgbMat(const torch::Tensor& unit) {
    const auto bytes = (unit * 255).round().clamp(0, 255).to(torch::kCPU, torch::kUInt8).permute({1, 2, 0}).contiguous();
    return cv::Mat(int(bytes.size(0)), int(bytes.size(1)), CV_8UC3, bytes.data_ptr<uint8_t>()).clone();
}

cv::Mat toMaskMat(const torch::Tensor& t) {
    const auto bytes = t.to(torch::kCPU, torch::kUInt8).contiguous();
    return cv::Mat(int(bytes.size(0)), int(bytes.size(1)), CV_8UC1, bytes.data_ptr<uint8_t>()).clone();
}

cv::Mat enlarged(const cv::Mat& m, int factor) {
    cv::Mat out;
    cv::resize(m, out, cv::Size(m.cols * factor, m.rows * factor), 0, 0, cv::INTER_NEAREST);
    return out;
}

cv::Vec3b paletteColor(int trainId) {
    const auto c = cityscapes::trainIdColor(trainId);
    return {c[0], c[1], c[2]};
}

// Labelled pixels blended with their class colour; `opacity` 1 paints the label map alone. Pixels
// where `shown` is 0 get a dark checkerboard (nothing to learn there).
cv::Mat paintLabels(const cv::Mat& rgb, const cv::Mat& labels, const cv::Mat& shown, double opacity) {
    cv::Mat out = rgb.clone();
    for (int y = 0; y < out.rows; ++y)
        for (int x = 0; x < out.cols; ++x) {
            auto& px = out.at<cv::Vec3b>(y, x);
            if (!shown.at<uint8_t>(y, x)) {
                const uint8_t v = ((x / 6 + y / 6) % 2) ? 40 : 70;
                px = {v, v, v};
                continue;
            }
            const int label = labels.at<uint8_t>(y, x);
            if (label == cityscapes::kIgnore) continue;
            const cv::Vec3b c = paletteColor(label);
            for (int k = 0; k < 3; ++k) px[k] = cv::saturate_cast<uint8_t>((1 - opacity) * px[k] + opacity * c[k]);
        }
    return out;
}

void drawBoxes(cv::Mat& rgb, const std::vector<Box>& boxes, int factor) {
    for (const Box& b : boxes) {
        const cv::Vec3b c = paletteColor(b.cls + cityscapes::kFirstDetTrainId);
        const cv::Point p1(int(std::lround(b.x1 * factor)), int(std::lround(b.y1 * factor)));
        const cv::Point p2(int(std::lround(b.x2 * factor)) - 1, int(std::lround(b.y2 * factor)) - 1);
        cv::rectangle(rgb, p1, p2, cv::Scalar(255, 255, 255), 3);
        cv::rectangle(rgb, p1, p2, cv::Scalar(c[0], c[1], c[2]), 1);
    }
}

void writePng(const std::string& path, const cv::Mat& rgb) {
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    if (!cv::imwrite(path, bgr)) throw Error(path + ": cannot write the image");
}

std::string matrixJson(const Affine2D& m) {
    std::ostringstream s;
    s << "[[" << m(0, 0) << ", " << m(0, 1) << ", " << m(0, 2) << "], [" << m(1, 0) << ", " << m(1, 1) << ", "
      << m(1, 2) << "], [0, 0, 1]]";
    return s.str();
}

std::string describe(const std::string& id, const AugmentPreviewRequest& r, const AugmentedBatch& b,
                     double agreement) {
    const WeakParams& w = b.weakParams[0];
    std::ostringstream s;
    s << "{\"sample\": \"" << id << "\", \"mode\": \"" << toString(r.options.mode) << "\", \"seed\": " << r.seed
      << ", \"weak\": {\"scale\": " << w.scale << ", \"crop\": [" << w.cropX << ", " << w.cropY
      << "], \"flip\": " << (w.flip ? "true" : "false") << "}, \"strong_ops\": [";
    for (std::size_t k = 0; k < b.strongOps[0].size(); ++k) {
        const AppliedOp& a = b.strongOps[0][k];
        s << (k ? ", " : "") << "{\"op\": \"" << opName(a.op) << "\", \"magnitude\": " << a.magnitude << "}";
    }
    s << "], \"weak_from_source\": " << matrixJson(b.weak.fromSource[0])
      << ", \"strong_from_weak\": " << matrixJson(b.strongFromWeak()[0])
      << ", \"target_agrees_with_strong_labels\": " << agreement << "}";
    return s.str();
}

} // namespace

cv::Mat applyAugmentOp(const cv::Mat& rgb, AugmentOp op, double magnitude) {
    if (rgb.empty() || rgb.type() != CV_8UC3)
        throw InputError("the image to augment must be a non-empty 8-bit RGB image");
    checkMagnitude(op, magnitude);
    AugmentOptions options;
    options.cropWidth = rgb.cols;
    options.cropHeight = rgb.rows;
    AppliedOp applied;
    applied.op = op;
    applied.magnitude = magnitude;
    const auto batch = Augmenter(options).apply({batchOfOne(rgb), {}, {}}, {WeakParams{}}, {{applied}});
    return toRgbMat(batch.strong.images[0]);
}

AugmentPreviewImages renderAugmentPreview(const AugmentPreviewRequest& r) {
    const Augmenter augmenter(r.options);
    const auto dataset = openDataset(locateDataset(r.dataset, SynthOptions{}), "train"); // any kind, BDD100K too
    if (r.index >= dataset->size())
        throw InputError("sample index " + std::to_string(r.index) + " is outside the train split of '" + r.dataset +
                         "' (" + std::to_string(dataset->size()) + " images)");
    const Sample sample = dataset->load(r.index);
    const AugmentedBatch b = augmenter.augment({batchOfOne(sample.image), labelsOfOne(sample), {sample.boxes}}, r.seed);

    // The weak view's labels stand in for the teacher's output: warped by A∘α⁻¹ they must agree
    // with the strong view's own labels wherever the target is valid.
    const auto targetLabels = warpTeacherLabels(b, b.weak.seg);
    const auto targetValid = warpTeacherProbabilities(b, torch::ones({1, 1, r.options.cropHeight, r.options.cropWidth})).valid;
    const auto comparable = targetValid.logical_and(targetLabels.ne(255)).logical_and(b.strong.seg.ne(255));
    const double agreement = comparable.sum().item<double>() == 0
                                 ? 1.0
                                 : (targetLabels.eq(b.strong.seg).logical_and(comparable)).sum().item<double>() /
                                       comparable.sum().item<double>();
    const auto targetBoxes = warpTeacherBoxes(b, b.weak.boxes, r.options.boxes);

    const int factor = std::max(1, 512 / r.options.cropWidth);
    const cv::Mat weakImage = enlarged(toRgbMat(b.weak.images[0]), factor);
    const cv::Mat strongImage = enlarged(toRgbMat(b.strong.images[0]), factor);
    // Validity: white = target valid, gray = image pixel the teacher did not see, black = no image.
    const cv::Mat validity = enlarged(toMaskMat(b.strong.valid[0].to(torch::kUInt8) * 128 +
                                                targetValid[0].to(torch::kUInt8) * 127), factor);
    cv::Mat validityRgb;
    cv::cvtColor(validity, validityRgb, cv::COLOR_GRAY2RGB);
    const auto labelsOf = [&](const torch::Tensor& t) { return enlarged(toMaskMat(t), factor); };
    cv::Mat weakLabelled = paintLabels(weakImage, labelsOf(b.weak.seg[0]), labelsOf(b.weak.valid[0]), 0.55);
    cv::Mat strongLabelled = paintLabels(strongImage, labelsOf(b.strong.seg[0]), labelsOf(b.strong.valid[0]), 0.55);
    cv::Mat target = paintLabels(cv::Mat::zeros(weakImage.size(), CV_8UC3), labelsOf(targetLabels[0]),
                                 labelsOf(targetValid[0]), 1.0);
    drawBoxes(weakLabelled, b.weak.boxes[0], factor);
    drawBoxes(strongLabelled, b.strong.boxes[0], factor);
    drawBoxes(target, targetBoxes[0], factor);

    const int gap = 6, w = weakImage.cols, h = weakImage.rows;
    cv::Mat panel(2 * h + 3 * gap, 3 * w + 4 * gap, CV_8UC3, cv::Scalar(24, 24, 24));
    const cv::Mat tiles[2][3] = {{weakImage, strongImage, validityRgb}, {weakLabelled, strongLabelled, target}};
    for (int row = 0; row < 2; ++row)
        for (int col = 0; col < 3; ++col)
            tiles[row][col].copyTo(panel(cv::Rect(gap + col * (w + gap), gap + row * (h + gap), w, h)));

    AugmentPreviewImages images;
    images.sampleId = sample.id;
    images.weakLabelled = weakLabelled;
    images.strongLabelled = strongLabelled;
    images.target = target;
    images.panel = panel;
    images.description = describe(sample.id, r, b, agreement);
    return images;
}

AugmentPreviewResult writeAugmentPreview(const AugmentPreviewRequest& r) {
    const AugmentPreviewImages images = renderAugmentPreview(r);
    std::filesystem::create_directories(r.outDir);
    const std::string stem = (std::filesystem::path(r.outDir) / (images.sampleId + "_" + toString(r.options.mode))).string();
    AugmentPreviewResult result;
    for (const auto& [suffix, image] : {std::pair<std::string, const cv::Mat*>{"_weak.png", &images.weakLabelled},
                                        {"_strong.png", &images.strongLabelled}, {"_target.png", &images.target},
                                        {"_panel.png", &images.panel}}) {
        writePng(stem + suffix, *image);
        result.files.push_back(stem + suffix);
    }
    result.description = images.description;
    return result;
}

} // namespace mtl
