#include "core/train/TeacherSnapshotter.h"

#include "core/common/Error.h"
#include "core/train/SemiSupervisedStep.h"
#include "core/train/TrainingData.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace fs = std::filesystem;

namespace mtl {
namespace {

// Row i of an N × H × W integer tensor as an 8-bit label map (values are train ids or 255).
cv::Mat labelMap(const torch::Tensor& maps, std::int64_t i) {
    const auto m = maps[i].to(torch::kCPU).to(torch::kUInt8).contiguous();
    return cv::Mat(int(m.size(0)), int(m.size(1)), CV_8UC1, m.data_ptr<std::uint8_t>()).clone();
}

// Row i of an N × 3 × h × w float [0, 1] tensor as an RGB image.
cv::Mat viewImage(const torch::Tensor& images, std::int64_t i) {
    const auto m = images[i].to(torch::kCPU).mul(255).round().clamp(0, 255).to(torch::kUInt8).permute({1, 2, 0}).contiguous();
    return cv::Mat(int(m.size(0)), int(m.size(1)), CV_8UC3, m.data_ptr<std::uint8_t>()).clone();
}

std::string stepName(std::int64_t step) {
    char name[32];
    std::snprintf(name, sizeof name, "step-%06lld", static_cast<long long>(step));
    return name;
}

} // namespace

TeacherSnapshotter::TeacherSnapshotter(const ExperimentConfig& config, const TrainingData& data, bool segHead,
                                       bool detHead, const std::string& runDir, std::int64_t firstStep)
    : every_(config.diagnostics.every), boxThreshold_(config.train.pseudoScoreThreshold),
      segClasses_(segHead ? int(data.train->classes().seg.size()) : 0) {
    index_.folder = (fs::path(runDir) / kTeacherFolder).string();
    indexFile_ = snapshotIndexPath(runDir);
    if (every_ <= 0) return;
    fs::create_directories(index_.folder);
    // Snapshots a resumed run already took up to its checkpoint stay; later ones are taken again.
    if (firstStep > 0 && fs::is_regular_file(indexFile_)) {
        try {
            for (const SnapshotEntry& e : readSnapshotIndex(runDir).snapshots)
                if (e.step <= firstStep) index_.snapshots.push_back(e);
        } catch (const InputError&) {
            // An unreadable index from an older version: its snapshots are dropped, not the run.
        }
    }
    index_.images = chooseSnapshotImages(*data.train, data.allLabels.get(), config.diagnostics.images,
                                         static_cast<std::uint64_t>(config.seed), segHead, detHead);
    if (index_.images.empty()) return;
    index_.segClasses = data.train->classes().seg;
    index_.detClasses = data.train->classes().det;
    std::vector<std::size_t> indices;
    for (const SnapshotImage& s : index_.images) indices.push_back(s.index);
    batch_ = loadTrainBatch(*data.train, data.allLabels.get(), indices, config.train.inputWidth,
                            config.train.inputHeight);
    const auto& hidden = batch_.hiddenForEvaluation;
    for (std::size_t k = 0; k < index_.images.size(); ++k) {
        SnapshotImage& s = index_.images[k];
        const auto i = static_cast<std::int64_t>(k);
        const auto rgb = batch_.images[i].contiguous();
        s.imageFile = (fs::path(index_.folder) / ("image-" + std::to_string(k) + ".png")).string();
        writeSnapshotPng(cv::Mat(int(rgb.size(0)), int(rgb.size(1)), CV_8UC3, rgb.data_ptr<std::uint8_t>()).clone(),
                         s.imageFile, true);
        const bool visibleSeg = batch_.hasSeg[i].item<bool>();
        const bool hiddenSeg = hidden.hasSeg.defined() && hidden.hasSeg[i].item<bool>();
        if (visibleSeg || hiddenSeg) {
            s.truthFile = (fs::path(index_.folder) / ("truth-" + std::to_string(k) + ".png")).string();
            writeSnapshotPng(labelMap(visibleSeg ? batch_.seg : hidden.seg, i), s.truthFile, false);
        }
        s.truthBoxes = batch_.hasDet[i].item<bool>() ? batch_.boxes[k]
                       : hidden.hasDet.defined() && hidden.hasDet[i].item<bool>() ? hidden.boxes[k]
                                                                                   : std::vector<Box>{};
    }
    writeSnapshotIndex(index_);
}

std::string TeacherSnapshotter::take(SemiSupervisedStep& learner, std::int64_t done) {
    if (index_.images.empty()) return {};
    torch::NoGradGuard noGrad;
    const TeacherTargets taught = learner.teach(batch_, done);
    const PseudoLabels own = learner.teacherOnImages(batch_, kSnapshotBoxFloor);

    const std::string name = stepName(done);
    const fs::path folder = fs::path(index_.folder) / name;
    fs::create_directories(folder);
    TeacherSnapshot snapshot;
    snapshot.step = done;
    snapshot.boxThreshold = boxThreshold_;
    snapshot.classes = segClasses_;
    const auto& hidden = batch_.hiddenForEvaluation;
    for (std::size_t k = 0; k < index_.images.size(); ++k) {
        const auto i = static_cast<std::int64_t>(k);
        SnapshotPrediction p;
        if (!own.boxes.empty()) p.ownBoxes = own.boxes[k];
        if (!taught.targets.boxes.empty()) p.strongBoxes = taught.targets.boxes[k];
        const std::string n = std::to_string(k);
        p.viewFile = (folder / ("view-" + n + ".png")).string();
        writeSnapshotPng(viewImage(taught.views.strong.images, i), p.viewFile, true);
        if (own.seg.defined()) {
            const cv::Mat ownMap = labelMap(own.seg, i);
            p.ownMapFile = (folder / ("own-" + n + ".png")).string();
            p.strongMapFile = (folder / ("strong-" + n + ".png")).string();
            writeSnapshotPng(ownMap, p.ownMapFile, false);
            writeSnapshotPng(labelMap(taught.targets.seg, i), p.strongMapFile, false);
            if (index_.images[k].segHidden) {
                // Which classes the teacher turns into which, on the labels training does not see.
                if (snapshot.confusion.empty())
                    snapshot.confusion.assign(std::size_t(segClasses_) * std::size_t(segClasses_), 0);
                const cv::Mat truth = labelMap(hidden.seg, i);
                for (int y = 0; y < truth.rows; ++y)
                    for (int x = 0; x < truth.cols; ++x) {
                        const int t = truth.at<std::uint8_t>(y, x), q = ownMap.at<std::uint8_t>(y, x);
                        if (t < segClasses_ && q < segClasses_) ++snapshot.confusion[std::size_t(t * segClasses_ + q)];
                    }
            }
        }
        snapshot.images.push_back(std::move(p));
    }
    const std::string file = (fs::path(index_.folder) / (name + ".json")).string();
    writeSnapshot(snapshot, file);
    index_.snapshots.erase(std::remove_if(index_.snapshots.begin(), index_.snapshots.end(),
                                          [&](const SnapshotEntry& e) { return e.step >= done; }),
                           index_.snapshots.end());
    index_.snapshots.push_back({done, file});
    writeSnapshotIndex(index_);
    return file;
}

} // namespace mtl
