#pragma once
// Shared by the tests that train real runs and look inside them: their scratch folder, stopping a run
// at an exact step and reading a checkpoint back into a model of the run's config.
#include "TestSupport.h"

#include "core/model/Checkpoint.h"
#include "core/model/MultiTaskModel.h"
#include "core/train/TrainingRun.h"

#include <QTemporaryDir>

#include <cstdint>
#include <string>

// A test's scratch folder: a tiny synthetic set (12 training and 4 validation scenes, 128 × 64) made
// by start(), and a fresh registry file per call of freshRegistry().
struct TrainingScratch {
    QTemporaryDir dir;
    QString data;
    int registries = 0;
    bool start() {
        if (!dir.isValid()) return false;
        data = writeTinySynthetic(dir.filePath("synth"), 12, 4, 128, 64, 5);
        return true;
    }
    std::string freshRegistry() { return dir.filePath(QString("registry%1.sqlite").arg(++registries)).toStdString(); }
};

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
