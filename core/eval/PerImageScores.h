#pragma once
// Per-image results of a validation, for finding where a run fails: each image's segmentation IoU
// and detection AP50 and recall, and the validation's segmentation confusion matrix. Written into
// the run folder (per-image/step-NNNNNN.json) at every validation and named by results.json's
// "per_image"; the viewer ranks images by them, the Tables tab draws the confusion matrix.
// Torch-free.
#include "core/data/Sample.h"

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace mtl {

// NaN where a score does not apply (the task is not labeled on the image; no box to find).
struct ImageScore {
    std::string id;
    double segIoU;    // mean IoU over the classes in the image's ground truth or prediction
    double detAP50;   // AP at IoU 0.5 of the image's detections, all classes pooled
    double detRecall; // share of its boxes found (IoU ≥ 0.5) by the detections the run keeps
};

class SegmentationMetrics;

// IoU per class over one image's pixels (ignore pixels of the ground truth left out), averaged over
// the classes present in its ground truth or prediction; NaN when no pixel counts. The first form
// takes the image's counts already made (SegmentationMetrics of that image alone).
double imageSegIoU(const SegmentationMetrics& image);
double imageSegIoU(const cv::Mat& pred, const cv::Mat& gt, int numClasses, int ignore);

struct ImageDetScore {
    double ap50, recall; // NaN when the image has no (non-crowd) box
};
// Detections matched greedily by score to boxes of their class (core matchBoxes at IoU 0.5); AP is
// the area under the precision envelope over recall (all points), recall the share of boxes matched.
ImageDetScore imageDetScore(const std::vector<Box>& truth, const std::vector<Detection>& detections);

struct PerImageResults {
    std::int64_t step = 0;
    std::vector<ImageScore> images;          // validation order
    std::vector<std::string> segClasses;     // the confusion matrix's classes
    std::vector<std::int64_t> confusion;     // n × n pixel counts, row = ground truth, column = prediction
};

// {"step", "images": [{"id", "seg_iou", "det_ap50", "det_recall"} (null where NaN)],
//  "confusion": {"classes": [...], "counts": [[...], ...]}}
std::string perImageResultsJson(const PerImageResults& results);
// InputError naming the file and the JSON path of a bad item.
PerImageResults readPerImageResults(const std::string& path);
enum class ImageMetric { SegIoU, DetAP50, DetRecall };
double scoreOf(const ImageScore& image, ImageMetric metric);

// An image in a ranking, with the value it is ranked by (NaN: it has none, ranked last).
struct RankedImage {
    std::string id;
    double value;
};
// Without `better`: `run`'s images worst first (ascending score). With it: the images both runs
// scored, ordered by better − run descending ("where does B beat A"), then the others. Ties and
// images without a value keep their validation order.
std::vector<RankedImage> rankImages(const PerImageResults& run, ImageMetric metric,
                                    const PerImageResults* better = nullptr);

// The file of a validation at `step`, relative to the run folder.
std::string perImageFileName(std::int64_t step);

} // namespace mtl
