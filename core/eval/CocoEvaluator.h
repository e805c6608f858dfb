#pragma once
// Bounding-box AP exactly as the COCO reference evaluator (pycocotools COCOeval, iouType bbox,
// area range "all", maxDets 100) computes it: IoU thresholds 0.50:0.05:0.95, greedy matching in
// score order per image and class, 101-point interpolated precision made monotone, crowd ground
// truth ignored, classes without ground truth left out of the mean.
#include "core/data/Sample.h"

#include <optional>
#include <vector>

namespace mtl {

struct CocoResult {
    double mAP = 0, AP50 = 0, AP75 = 0;        // over classes with ground truth; 0 when none
    double stdAP = 0; // population standard deviation of perClass over the same classes (the ± of
                      // the paper's Tables 6 and 9)
    std::vector<std::optional<double>> perClass; // AP@[.5:.95] per class; nullopt = no ground truth
};

class CocoEvaluator {
public:
    explicit CocoEvaluator(int numClasses, int maxDets = 100);
    // One image: its ground truth (Box::crowd marks COCO crowd regions) and detections. Box
    // coordinates as in Box (x2 = x1 + width).
    void addImage(const std::vector<Box>& gt, const std::vector<Detection>& dets);
    CocoResult evaluate() const;
    int numImages() const { return static_cast<int>(images_.size()); }

private:
    struct Image {
        std::vector<Box> gt;
        std::vector<bool> crowd;
        std::vector<Detection> dets;
    };
    int numClasses_, maxDets_;
    std::vector<Image> images_;
};

} // namespace mtl
