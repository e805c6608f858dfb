#pragma once
// What `mtlw dataset info` and `mtlw dataset coco` print: per-split counts of images and labeled
// images, the class shares of a split (the "% pixels" / "% objects" rows of the paper's Tables 5,
// 6, 8 and 9), and detection ground truth in COCO format.
#include "core/data/Dataset.h"
#include "core/data/DatasetLocator.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mtl {

struct ClassShares {
    std::uint64_t labeledPixels = 0;  // pixels with a train id (255 = ignore is not counted)
    std::uint64_t objects = 0;        // boxes, crowd regions not counted
    std::vector<double> segPercent;   // per train id, % of labeledPixels
    std::vector<double> detPercent;   // per detection class, % of objects
};

// Reads every labeled sample's labels (not its image) on `threads` threads.
ClassShares computeClassShares(const Dataset& data, int threads);

// The JSON of `mtlw dataset info`: {"dataset", "kind", "root", "splits": {NAME: {"images",
// "labeled": {"seg", "det", "both", "neither"}, "skipped"}}, ["bdd100k": {"removed_val_overlap"}],
// "class_shares": {"split", "labeled_pixels", "objects", "seg_pixels_percent": {class: %},
// "det_objects_percent": {class: %}}}. Splits that are not on disk are left out.
std::string datasetInfoJson(const std::string& spec, const DatasetLocation& where, const std::string& sharesSplit,
                            int threads);

// COCO detection ground truth of the detection-labeled images: images {id (1-based, data set
// order), file_name (the image file's path relative to `imageRoot`, the data set's root, which is
// what FiftyOne's data_path and detectron2's image_root are given, so the file travels with the
// data set; the sample id where the data set has no file), width, height}, annotations {id,
// image_id, category_id (1-based class), bbox [x, y, w, h], area = w·h, iscrowd}, categories {id,
// name}.
std::string cocoGroundTruthJson(const Dataset& data, const std::string& imageRoot, int threads);
// The same for samples already read: sample i is image i + 1, named imageFiles[i] (or its id when
// that is empty or missing); samples without hasDet are left out.
std::string cocoGroundTruthJson(const std::vector<Sample>& labels, const std::vector<std::string>& detClassNames,
                                const std::vector<std::string>& imageFiles = {}, const std::string& imageRoot = {});

} // namespace mtl
