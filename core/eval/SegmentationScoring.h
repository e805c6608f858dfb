#pragma once
// The stand-alone segmentation scorer (`mtlw score-seg`): a folder of predicted label maps against
// a folder of ground-truth label maps (8-bit single-channel PNGs of train ids, matched by file
// name). PNG decoding dominates, so the files are spread over worker threads.
#include "core/eval/SegmentationMetrics.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace mtl {

struct SegScoringOptions {
    int numClasses = 19;
    int ignore = 255;
    int threads = 0; // 0: one per hardware thread
};

// Every *.png in gtDir needs a file of the same name in predDir and vice versa (other files and
// subfolders are not looked at). Any problem is an InputError naming the file; with several bad
// files, the first in name order is reported.
SegmentationMetrics scoreSegmentationFolders(const std::string& predDir, const std::string& gtDir,
                                             const SegScoringOptions& options = {});

// {"mIoU": v, "std": v, "per_class": {name: IoU or null}} on one line; std is the population
// standard deviation of the per-class IoUs that are not null. Names are the Cityscapes class names
// for 19 classes, else the class ids.
std::string segmentationResultJson(const SegmentationMetrics& metrics);
// The same object with the given class names (one per class).
nlohmann::ordered_json segmentationResultObject(const SegmentationMetrics& metrics,
                                                const std::vector<std::string>& classNames);

} // namespace mtl
