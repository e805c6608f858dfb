#pragma once
// What `mtlw augment` and `mtlw augment-preview` do, behind a Torch-free interface.
#include "core/augment/AugmentOptions.h"

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace mtl {

// One operation at a fixed magnitude on an RGB image (CV_8UC3), through the strong view's code
// path on a view of the image's own size (geometric operations about the image centre, pixels from
// outside black; cutout centred). Throws InputError on a bad magnitude or an empty image.
cv::Mat applyAugmentOp(const cv::Mat& rgb, AugmentOp op, double magnitude);

struct AugmentPreviewRequest {
    std::string dataset = "synthetic"; // as in the config: synthetic, synthetic:ROOT, cityscapes:ROOT
    std::size_t index = 0;             // sample of the train split
    AugmentOptions options;
    std::uint64_t seed = 0;
    std::string outDir;
};

struct AugmentPreviewResult {
    std::vector<std::string> files;
    std::string description; // the drawn parameters and matrices, one JSON object
};

// The pictures of one sample's preview, in memory (RGB, CV_8UC3): what the GUI's augmentation
// preview shows and writeAugmentPreview writes. Labelled pictures carry the labels drawn as below.
struct AugmentPreviewImages {
    std::string sampleId;
    cv::Mat weakLabelled, strongLabelled, target, panel;
    std::string description; // as AugmentPreviewResult::description
};
// Throws InputError for a bad data set or index (outDir is not used).
AugmentPreviewImages renderAugmentPreview(const AugmentPreviewRequest& request);

// Writes, for one sample: <id>_<mode>_weak.png (weak view with its labels drawn: segmentation
// blended in the Cityscapes palette, boxes), <id>_<mode>_strong.png (strong view, labels drawn),
// <id>_<mode>_target.png (the weak view's labels as a stand-in teacher output, warped by A∘α⁻¹:
// label map, boxes, not-valid pixels checkered) and <id>_<mode>_panel.png (top row: weak image,
// strong image, strong validity; bottom row: the three labelled panels). Throws InputError for a
// bad data set or index.
AugmentPreviewResult writeAugmentPreview(const AugmentPreviewRequest& request);

} // namespace mtl
