#pragma once
// COCO files for the stand-alone detection scorer (`mtlw score-det`): a ground-truth file
// (images, annotations, categories) and a results list, read into CocoEvaluator's input. Every
// problem in either file is an InputError naming the file and the JSON path of the bad item.
#include "core/eval/CocoEvaluator.h"

#include <nlohmann/json.hpp>

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
// {"mAP": v, "AP50": v, "AP75": v, "std": v, "per_class": {name: AP or null}} on one line; std is
// the population standard deviation of the per-class APs that are not null.
std::string cocoResultJson(const CocoResult& result, const std::vector<std::string>& classNames);
nlohmann::ordered_json cocoResultObject(const CocoResult& result, const std::vector<std::string>& classNames);

// A COCO results list [{image_id, category_id, bbox [x, y, w, h], score}] of detections per image:
// image i gets id i + 1 and class c category id c + 1, the numbering of cocoGroundTruthJson
// (core/data/DatasetReport.h), so that the two files score with `mtlw score-det`.
std::string cocoResultsListJson(const std::vector<std::vector<Detection>>& detectionsPerImage);

// Both files read and evaluated: what `mtlw score-det` prints.
std::string scoreCocoFiles(const std::string& gtPath, const std::string& resultsPath);

} // namespace mtl
