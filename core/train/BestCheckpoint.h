#pragma once
// Keeps the best checkpoint of a run by the paper's criterion: best.pt holds the weights of the
// evaluated model (the student, or the EMA teacher) whose validation had the highest geometric
// mean √(mIoU·mAP) so far — strictly higher than every earlier one, so a tie keeps the earlier
// step —, and best.json beside it that validation's results (core/eval/RunResults.h). A single-task
// model is judged by its one metric. A run resumed in the same folder starts from its best.json.
#include "core/data/Dataset.h"
#include "core/model/MultiTaskModel.h"
#include "core/train/TrainingRun.h"

#include <optional>
#include <string>

namespace mtl {

class BestCheckpoint {
public:
    BestCheckpoint(std::string runDir, ClassNames classes);

    // Saves when the report is a new best (a NaN geometric mean never is); returns whether it was.
    bool offer(const ValidationReport& report, MultiTaskModelImpl& evaluated);
    std::optional<double> bestGeometricMean() const { return best_; }
    std::string checkpointPath() const;
    std::string resultsPath() const;

private:
    std::string runDir_;
    ClassNames classes_;
    std::optional<double> best_;
};

} // namespace mtl
