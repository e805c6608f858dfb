#pragma once
// Teacher snapshots while a run trains (config diagnostics.every / diagnostics.images): every N
// steps, what the teacher gives a fixed set of training images unlabeled for a task — its
// segmentation pseudo-label map and boxes in the image's frame and, through the step's own
// teach(), in the strong view's frame — with the confusion of the segmentation pseudo-labels
// against the labels the split hides. Files: TeacherSnapshotFiles.h. Cost per snapshot: two
// teacher forwards of `images` images and a few small PNGs.
#include "core/experiment/ExperimentConfig.h"
#include "core/train/BatchLoader.h"
#include "core/train/TeacherSnapshotFiles.h"

#include <cstdint>
#include <string>

namespace mtl {

class SemiSupervisedStep;
struct TrainingData;

class TeacherSnapshotter {
public:
    // Chooses the images (by config.seed) and writes their images and labels under
    // <runDir>/teacher; a resumed run (firstStep > 0) keeps the snapshots up to firstStep.
    TeacherSnapshotter(const ExperimentConfig& config, const TrainingData& data, bool segHead, bool detHead,
                       const std::string& runDir, std::int64_t firstStep);

    bool due(std::int64_t done) const { return every_ > 0 && done % every_ == 0; }
    // Takes the snapshot of step `done` (teacher after that step) and returns its JSON file.
    std::string take(SemiSupervisedStep& learner, std::int64_t done);
    const std::string& indexFile() const { return indexFile_; }
    const TeacherSnapshotIndex& index() const { return index_; }

private:
    int every_;
    double boxThreshold_;
    int segClasses_;
    TeacherSnapshotIndex index_;
    TrainBatch batch_; // the chosen images as the loader gives them, with their hidden labels
    std::string indexFile_;
};

} // namespace mtl
