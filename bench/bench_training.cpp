// Training throughput of an experiment config (default: the quick-start experiment), measured
// through the real TrainingRun: seconds per step and the share of it spent waiting for data.
// Prints one JSON object. Usage: bench_training [CONFIG] [--steps N]
#include "core/common/Device.h"
#include "core/common/MallocTuning.h"
#include "core/experiment/ExperimentConfig.h"
#include "core/train/TrainingRun.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {
class Collector : public mtl::TrainingObserver {
public:
    std::vector<mtl::StepReport> reports;
    void onStep(const mtl::StepReport& r) override { reports.push_back(r); }
};
} // namespace

int main(int argc, char** argv) {
    mtl::tuneMallocForTraining();
    std::string configPath = MTLW_SOURCE_DIR "/experiments/quickstart.yaml";
    int steps = 120;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--steps") && i + 1 < argc) steps = std::stoi(argv[++i]);
        else configPath = argv[i];
    }
    mtl::ExperimentConfig config = mtl::loadExperimentConfig(configPath);
    config.train.steps = steps;
    config.train.logEvery = 20;
    config.eval.every = 0;
    config.eval.maxImages = 8;

    const auto dir = std::filesystem::temp_directory_path() / ("mtlw-bench-" + std::to_string(::getpid()));
    Collector collector;
    mtl::RunStatus status;
    {
        mtl::TrainingRun run(config, (dir / "registry.sqlite").string());
        run.start(&collector);
        status = run.wait();
        if (status != mtl::RunStatus::Finished) {
            std::cerr << "bench_training: run " << mtl::toString(status) << ": " << run.errorMessage() << "\n";
            return 1;
        }
    }
    std::filesystem::remove_all(dir);
    // The first period includes start-up (allocator warm-up, first-batch latency): left out.
    double seconds = 0, wait = 0;
    int periods = 0;
    for (std::size_t i = 1; i < collector.reports.size(); ++i, ++periods) {
        seconds += collector.reports[i].secondsPerStep;
        wait += collector.reports[i].loaderWaitShare;
    }
    if (periods == 0) {
        std::cerr << "bench_training: give --steps of at least 40\n";
        return 2;
    }
    std::printf("{\"config\": \"%s\", \"steps\": %d, \"batch_size\": %d, \"input\": \"%dx%d\", "
                "\"backbone\": \"%s\", \"model_width\": %g, \"device\": \"%s\", \"seconds_per_step\": %.4f, "
                "\"images_per_second\": %.1f, \"loader_wait_share\": %.4f}\n",
                configPath.c_str(), steps, config.train.batchSize, config.train.inputWidth,
                config.train.inputHeight, mtl::nameOf(config.model.backbone).c_str(), config.model.width, mtl::resolveDevice(mtl::nameOf(config.train.device)).c_str(),
                seconds / periods, config.train.batchSize * periods / seconds, wait / periods);
    return 0;
}
