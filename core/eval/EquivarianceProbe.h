#pragma once
// How far a model is equivariant to the affine part of Dense FixMatch's strong view — what the
// method assumes: f(T·x) = T·f(x). For each family (flip, translate, rotate, shear, scale) at a few
// magnitudes, the image is warped by T and predicted, and the prediction on the original image is
// warped by T; the two are compared where both exist (pixels whose preimage lies in the image):
// segmentation by the mIoU between the two label maps, detection by the recall at IoU 0.5 of the
// warped boxes among the boxes predicted on the warped image (same class, greedy matching) and the
// mean IoU of those matches. A model exactly equivariant to T scores 1. Torch-free: the model is a
// function of an RGB image (`mtlw diagnose equivariance` passes a trained run's).
#include "core/augment/Affine2D.h"
#include "core/model/ImagePrediction.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mtl {

struct EquivarianceTransform {
    std::string family;    // flip | translate | rotate | shear | scale
    double magnitude = 0;  // translate: share of the width; rotate, shear: degrees; scale: factor
    std::string label() const; // "translate 0.1", "flip"
    // The map from the image's frame to the warped image's frame (same size), about the centre.
    Affine2D matrix(int width, int height) const;
};

// The families of the strong view at a small, a medium and a large magnitude (flip: one).
std::vector<EquivarianceTransform> equivarianceTransforms();

struct EquivarianceScore {
    EquivarianceTransform transform;
    std::optional<double> segMeanIoU;  // none without segmentation
    std::optional<double> boxRecall;   // none when no reference box was predicted
    std::optional<double> boxMeanIoU;  // over the matched pairs; none without a match
    int images = 0;
};

struct EquivarianceOptions {
    int segClasses = 0;          // 0: no segmentation to compare
    double boxScore = 0.5;       // detections compared: those scoring at least this (the pseudo-box threshold)
};

using ImagePredictor = std::function<ImagePrediction(const cv::Mat& rgb)>;

// `images`: RGB CV_8UC3. Predictions are expected at the image's size.
std::vector<EquivarianceScore> measureEquivariance(const std::vector<cv::Mat>& images, const ImagePredictor& predict,
                                                   const EquivarianceOptions& options,
                                                   const std::vector<EquivarianceTransform>& transforms =
                                                       equivarianceTransforms());

// A fixed-width text table, one row per transform, and the same as one JSON object.
std::string equivarianceTable(const std::vector<EquivarianceScore>& scores);
std::string equivarianceJson(const std::vector<EquivarianceScore>& scores);

// `mtlw diagnose equivariance` keeps its last result in the run folder, for the GUI's table and plot.
inline const char* const kEquivarianceFile = "equivariance.json";
// The scores of a JSON file as equivarianceJson writes it; InputError naming the file and the JSON
// path when it is missing or malformed.
std::vector<EquivarianceScore> readEquivarianceJson(const std::string& file);

} // namespace mtl
