#pragma once
// COCO files for the stand-alone detection scorer (`mtlw score-det`): a ground-truth file
// (images, annotations, categories) and a results list, read into CocoEvaluator's input. Every
// problem in either file is an InputError naming the file and the JSON path of the bad item.
#include "core/eval/CocoEvaluator.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mtl {

struct CocoGroundTruth {
    std::string file;                            // where it was read from, for messages
    std::vector<std::string> classNames;         // 0-based classes in the order of `categories`
    std::map<std::int64_t, int> classOfCategory; // category id -> class
    std::map<std::int64_t, int> indexOfImage;    // image id -> index, ascending ids as pycocotools
    std::vector<std::vector<Box>> boxes;         // per image index (Box::crowd from iscrowd)
};

CocoGroundTruth readCocoGroundTruth(const std::string& path);
// Detections per image index of `gt`; `path` is a COCO results list.
std::vector<std::vector<Detection>> readCocoResults(const std::string& path,
                                                    const CocoGroundTruth& gt);
CocoResult evaluateCoco(const CocoGroundTruth& gt,
                        const std::vector<std::vector<Detection>>& dets);
// {"mAP": v, "AP50": v, "AP75": v, "per_class": {name: AP or null}} on one line.
std::string cocoResultJson(const CocoResult& result, const std::vector<std::string>& classNames);

// Both files read and evaluated: what `mtlw score-det` prints.
std::string scoreCocoFiles(const std::string& gtPath, const std::string& resultsPath);

} // namespace mtl
