#pragma once
// What one validation says: per-class and mean scores of the tasks a model has. Written during
// training (results.json, best.json, the registry), read back by tables, the GUI and `mtlw eval`.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mtl {

// A single-task model scores its own task only: the other task's metrics are NaN and its per-class
// list is empty. geometricMean is √(mIoU·mAP) for a multi-task model, else the one metric.
struct ValidationReport {
    std::int64_t step = 0;
    int images = 0;
    double mIoU = 0, mAP = 0, AP50 = 0, AP75 = 0, geometricMean = 0;
    double stdIoU = 0, stdAP = 0; // population std of the per-class values that are not nullopt
    std::vector<std::optional<double>> segIoU; // per train id; nullopt = absent
    std::vector<std::optional<double>> detAP;  // per detection class; nullopt = no ground truth
    // Its per-image results (core/eval/PerImageScores.h), relative to the run folder; empty when
    // none were kept (runs older than them, `mtlw eval`).
    std::string perImageFile;
    bool hasSeg() const { return !segIoU.empty(); }
    bool hasDet() const { return !detAP.empty(); }
};

} // namespace mtl
