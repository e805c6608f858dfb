#include "core/train/BestCheckpoint.h"

#include "core/common/Error.h"
#include "core/eval/RunResults.h"
#include "core/model/Checkpoint.h"

#include <cmath>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace mtl {

BestCheckpoint::BestCheckpoint(std::string runDir, ClassNames classes)
    : runDir_(std::move(runDir)), classes_(std::move(classes)) {
    if (fs::is_regular_file(resultsPath()) && fs::is_regular_file(checkpointPath())) {
        const double g = readValidationResults(resultsPath()).report.geometricMean;
        if (std::isfinite(g)) best_ = g;
    }
}

std::string BestCheckpoint::checkpointPath() const { return (fs::path(runDir_) / "best.pt").string(); }
std::string BestCheckpoint::resultsPath() const { return (fs::path(runDir_) / "best.json").string(); }

bool BestCheckpoint::offer(const ValidationReport& report, MultiTaskModelImpl& evaluated) {
    const double g = report.geometricMean;
    if (!std::isfinite(g) || (best_ && !(g > *best_))) return false;
    // Both files are complete before either replaces its predecessor.
    saveCheckpoint(checkpointPath() + ".new", evaluated, nullptr, report.step);
    {
        std::ofstream out(resultsPath() + ".tmp");
        out << validationResultsJson(report, classes_);
        if (!out.flush()) throw Error("cannot write " + resultsPath() + ".tmp");
    }
    fs::rename(checkpointPath() + ".new", checkpointPath());
    fs::rename(resultsPath() + ".tmp", resultsPath());
    best_ = g;
    return true;
}

} // namespace mtl
