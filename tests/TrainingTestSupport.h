#pragma once
// Shared by the tests that train real runs and look inside them: stopping a run at an exact step and
// reading a checkpoint back into a model of the run's config.
#include "core/model/Checkpoint.h"
#include "core/model/MultiTaskModel.h"
#include "core/train/TrainingRun.h"

#include <cstdint>
#include <string>

// Stops its run right after the report of step `at` (reports come from the training thread between
// steps, so the run stops at exactly that step).
class StopAtStep : public mtl::TrainingObserver {
public:
    StopAtStep(mtl::TrainingRun& run, std::int64_t at) : run_(run), at_(at) {}
    void onStep(const mtl::StepReport& r) override {
        if (r.step == at_) run_.requestStop();
    }

private:
    mtl::TrainingRun& run_;
    std::int64_t at_;
};

// The student of `checkpoint` (and its EMA teacher into `teacher`, when given) in a model of `c`'s
// architecture.
inline mtl::MultiTaskModel modelFrom(const std::string& checkpoint, const mtl::ExperimentConfig& c,
                                     mtl::MultiTaskModelImpl* teacher = nullptr) {
    mtl::ModelSpec spec;
    spec.backbone = c.model.backbone;
    spec.width = c.model.width;
    spec.tasks = c.model.tasks;
    spec.anchorSize = c.model.anchorSize;
    mtl::MultiTaskModel model(spec);
    mtl::loadCheckpoint(checkpoint, *model, nullptr, teacher);
    return model;
}
