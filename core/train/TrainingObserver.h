#pragma once
// What a training run tells the outside while it trains: the CLI's progress bar, the GUI's live
// plots and the run queue listen through TrainingObserver. Torch- and Qt-free.
#include "core/eval/ValidationReport.h"
#include "core/experiment/Registry.h"

#include <cstdint>
#include <string>

namespace mtl {

struct StepReport {
    std::int64_t step = 0; // 1-based: steps done
    std::int64_t totalSteps = 0;
    double loss = 0, segLoss = 0;
    double detClsLoss = 0, detBoxLoss = 0; // RetinaNet: focal loss, generalized IoU loss
    double detLoss() const { return detClsLoss + detBoxLoss; }
    double lr = 0;
    double secondsPerStep = 0; // mean over the last logging period
    double loaderWaitShare = 0; // share of that time spent waiting for data
    double elapsed = 0;
};

// Called from the training thread: implementations must hand data over to their own thread.
class TrainingObserver {
public:
    virtual ~TrainingObserver() = default;
    virtual void onMessage(const std::string& /*line*/) {}
    virtual void onStep(const StepReport&) {}
    virtual void onValidation(const ValidationReport&) {}
    virtual void onFinished(RunStatus /*status*/, const std::string& /*message*/) {}
};

} // namespace mtl
