#pragma once
// What the teacher taught, as a run folder keeps it (written by TeacherSnapshotter while the run
// trains, read by the GUI's Teacher tab). Torch-free. Layout under <run>/teacher/:
//   index.json            version, the chosen images (id, labeled flags, hidden-label flags, truth
//                         boxes) and the snapshots taken so far (step, file)
//   image-K.png           image K at the training input size (RGB), written once
//   truth-K.png           its segmentation labels, visible or hidden (train ids, 255 = none)
//   step-NNNNNN.json      one snapshot: per image the teacher's boxes in the image's frame (with
//                         scores down to kSnapshotBoxFloor, so another threshold can be tried) and
//                         in the strong view's frame (those the step trains on), the files below,
//                         and the confusion of the segmentation pseudo-labels against the hidden
//                         labels (truth class × pseudo-label class, pixels)
//   step-NNNNNN/own-K.png     the segmentation pseudo-label map in the image's frame
//   step-NNNNNN/strong-K.png  the same pseudo-labels moved into the strong view (A∘α⁻¹), 255 where
//                             the strong pixel has none: exactly what Lu trained on
//   step-NNNNNN/view-K.png    the strong view itself (RGB)
#include "core/data/Dataset.h"
#include "core/data/Sample.h"

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace mtl {

inline constexpr int kTeacherSnapshotVersion = 1;
inline constexpr float kSnapshotBoxFloor = 0.05f; // lowest box score kept in the image's frame
inline const char* const kTeacherFolder = "teacher";

struct SnapshotImage {
    std::size_t index = 0; // in the training set
    std::string id;
    bool segLabeled = false, detLabeled = false; // what training sees
    bool segHidden = false, detHidden = false;   // labels the split hides (only for comparison)
    std::vector<Box> truthBoxes;                 // visible or hidden
    std::string imageFile, truthFile;            // absolute
};

// `count` training images unlabeled for a task the model has (segmentation or detection), chosen
// by `seed` alone (the same set for a run however often it resumes), in training-set order. Fewer
// when fewer are unlabeled; when none is (every image labeled), labeled ones, so that a run
// without hidden labels still shows its teacher. `allLabels` (may be null): the same images with
// the labels the split hides. Files are left empty (the snapshotter names them).
std::vector<SnapshotImage> chooseSnapshotImages(const Dataset& train, const Dataset* allLabels, int count,
                                                std::uint64_t seed, bool segHead, bool detHead);

struct SnapshotEntry {
    std::int64_t step = 0;
    std::string file; // absolute path of step-NNNNNN.json
};

struct TeacherSnapshotIndex {
    std::string folder; // <run>/teacher
    std::vector<SnapshotImage> images;
    std::vector<std::string> segClasses, detClasses;
    std::vector<SnapshotEntry> snapshots; // by step
    bool anyHiddenLabels() const;
};

struct SnapshotPrediction {
    std::vector<Detection> ownBoxes;    // image frame, score ≥ kSnapshotBoxFloor
    std::vector<Box> strongBoxes;       // strong view's frame: the pseudo-boxes trained on (score ≥ σ)
    std::string ownMapFile, strongMapFile, viewFile; // absolute; empty without a segmentation head
};

struct TeacherSnapshot {
    std::int64_t step = 0;
    double boxThreshold = 0.5; // the run's pseudo-box threshold σ
    std::vector<SnapshotPrediction> images; // in the index's order
    // Pixels of images whose segmentation labels are hidden: truth class t, pseudo-label class p
    // at confusion[t * classes + p]; empty when no image has hidden segmentation labels.
    std::vector<std::int64_t> confusion;
    int classes = 0;
};

std::string snapshotIndexPath(const std::string& runDir);
// InputError naming the file (and the JSON path) when it is missing, malformed, or of another
// snapshot version.
TeacherSnapshotIndex readSnapshotIndex(const std::string& runDir);
TeacherSnapshot readSnapshot(const std::string& file);
// A stored PNG: RGB for images, one channel of train ids for label maps. InputError naming the file
// when it is missing or cannot be decoded.
cv::Mat readSnapshotImage(const std::string& file, bool labels);

// Written by TeacherSnapshotter (atomically: a reader never sees half a file).
void writeSnapshotIndex(const TeacherSnapshotIndex& index);
void writeSnapshot(const TeacherSnapshot& snapshot, const std::string& file);
void writeSnapshotPng(const cv::Mat& image, const std::string& file, bool rgb);

} // namespace mtl
