#pragma once
// Which training images are labeled for which task: the paper's low-data settings (section 4.1,
// Figure 1), simulated by hiding labels. The pool is the training images labeled on disk for both
// tasks (N = 2,975 for Cityscapes train).
//   (a) detection: the whole pool; segmentation: a random subset of k_seg.
//   (b) one random subset of k labeled for both tasks (complete overlap).
//   (c) two independent random subsets of the same size k (expected overlap k²/N).
//   (d) detection: a random subset of k_det; segmentation: a random subset of k_seg of it
//       (k_seg ≤ k_det: complete inclusion).
//   (e) two independent random subsets of sizes k_det and k_seg (expected overlap k_det·k_seg/N).
// Random draws use splitmix64 (identical on every machine): detection from stream 1 of the seed,
// segmentation from stream 2, so (c) and (e) draw the two subsets independently.
#include "core/data/Dataset.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mtl {

struct LabelSplit {
    std::string dataset;        // the data set argument it was made for (informational)
    std::string setting;        // "a".."e"
    std::uint64_t seed = 0;
    std::size_t poolSize = 0;   // N
    std::vector<std::string> det, seg; // labeled image ids per task, sorted
    double expectedOverlap = 0; // of the setting's construction

    std::size_t overlap() const; // images labeled for both tasks
};

// "93", "1/32" (rounded to the nearest integer, halves up: 2975/32 → 93) or "all"; throws
// InputError naming `what` when the text is none of these or the count is outside 1..poolSize.
std::size_t parseLabelCount(const std::string& text, std::size_t poolSize, const std::string& what);

// kDet / kSeg: nullopt where the setting does not take one ((a) has no k_det). Throws InputError
// when the counts do not fit the setting.
LabelSplit makeLabelSplit(const Dataset& train, const std::string& setting, std::optional<std::size_t> kDet,
                          std::optional<std::size_t> kSeg, std::uint64_t seed);

// JSON: {"format", "version", "dataset", "setting", "seed", "pool_size", "counts": {det, seg, both,
// det_only, seg_only, unlabeled}, "overlap", "expected_overlap", "det": [ids], "seg": [ids]}.
std::string labelSplitToJson(const LabelSplit& split, std::size_t trainImages);
// Throws InputError naming the file and the JSON path.
LabelSplit readLabelSplit(const std::string& path);

// A data set whose labels outside the split are hidden. Every id of the split must be in `base`
// and labeled there for its task: otherwise an InputError naming `splitFile`, the task and the id.
class PartialLabels : public Dataset {
public:
    PartialLabels(std::shared_ptr<const Dataset> base, const LabelSplit& split, const std::string& splitFile);
    std::size_t size() const override { return base_->size(); }
    const std::string& id(std::size_t i) const override { return base_->id(i); }
    bool labeled(std::size_t i, Task task) const override;
    Sample load(std::size_t i, bool wantSeg, bool wantDet) const override;
    Sample loadLabels(std::size_t i) const override;
    const ClassNames& classes() const override { return base_->classes(); }
    std::string imageFile(std::size_t i) const override { return base_->imageFile(i); }
    std::string description() const override { return base_->description() + " (split " + splitFile_ + ")"; }
    const std::vector<std::string>& skipped() const override { return base_->skipped(); }

private:
    std::shared_ptr<const Dataset> base_;
    std::string splitFile_;
    std::vector<bool> seg_, det_;
};

} // namespace mtl
