// The semi-supervised step as it really runs — TrainingRun's thread, the loader, the augmentation,
// the losses — against the model work of the same shapes alone (teacher forward, student forward
// and backward, SGD, EMA) in a plain loop. Prints one JSON object: median seconds per step of both,
// their ratio (the step's overhead), system and user CPU seconds per step, and peak RSS.
// Usage: bench_ssl_step [CONFIG] [--steps N] [--warmup W] [--student-views all|used] [--default-malloc]
// (--default-malloc: glibc's allocator settings instead of tuneMallocForTraining's, for comparison)
#include "core/common/Device.h"
#include "core/common/MallocTuning.h"
#include "core/data/DatasetLocator.h"
#include "core/experiment/ExperimentConfig.h"
#include "core/experiment/ModelSpecFor.h"
#include "core/experiment/Registry.h"
#include "core/model/MultiTaskLoss.h"
#include "core/train/EmaTeacher.h"
#include "core/train/Optimizer.h"
#include "core/train/TrainingRun.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace {

struct CpuTimes {
    double user = 0, system = 0;
};

CpuTimes cpuTimes() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto seconds = [](const timeval& t) { return double(t.tv_sec) + 1e-6 * double(t.tv_usec); };
    return {seconds(u.ru_utime), seconds(u.ru_stime)};
}

double peakRssGb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_maxrss) / (1024.0 * 1024.0); // ru_maxrss is in KiB
}

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

// Per-step times and the CPU time of the measured steps, from the training thread's reports.
class StepClock : public mtl::TrainingObserver {
public:
    explicit StepClock(int warmup) : warmup_(warmup) {}
    void onStep(const mtl::StepReport& r) override {
        if (r.step == warmup_) first_ = cpuTimes();
        if (r.step > warmup_) {
            seconds.push_back(r.secondsPerStep);
            last_ = cpuTimes();
        }
    }
    CpuTimes perStep() const {
        const double n = double(std::max<std::size_t>(1, seconds.size()));
        return {(last_.user - first_.user) / n, (last_.system - first_.system) / n};
    }
    std::vector<double> seconds;

private:
    int warmup_;
    CpuTimes first_, last_;
};

struct ModelOnly {
    double seconds = 0;
    CpuTimes perStep;
};

// The model work of one step at the shapes the run had: the teacher on `teacherViews` images (no
// gradient), the student forward and backward on `studentViews`, clipping, SGD and the EMA update.
ModelOnly modelOnly(const mtl::ExperimentConfig& config, const mtl::ModelSpec& spec, int studentViews,
                    int teacherViews, int steps, int warmup) {
    const mtl::TrainConfig& tc = config.train;
    mtl::configureTorchThreads(tc.threads);
    const torch::Device device(mtl::resolveDevice(mtl::nameOf(tc.device)));
    mtl::MultiTaskModel student(spec);
    student->to(device);
    mtl::EmaTeacher teacher(*student, tc.emaDecay);
    auto sgd = mtl::makeSgd(student->parametersForWeightDecay(), tc.lr, tc.momentum, tc.weightDecay);
    const auto options = torch::TensorOptions(device);
    const auto studentInput = torch::randn({studentViews, 3, tc.inputHeight, tc.inputWidth}, options);
    const auto teacherInput = torch::randn({std::max(1, teacherViews), 3, tc.inputHeight, tc.inputWidth}, options);
    const auto segLabels = torch::randint(0, std::max(1, spec.segClasses), {studentViews, tc.inputHeight, tc.inputWidth},
                                          options.dtype(torch::kLong));
    std::vector<double> seconds;
    CpuTimes first;
    for (int step = 0; step < steps; ++step) {
        if (step == warmup) first = cpuTimes();
        const auto start = std::chrono::steady_clock::now();
        if (teacherViews > 0) {
            torch::NoGradGuard noGrad;
            const auto t = teacher.model().forward(teacherInput);
            if (t.segLogits.defined()) t.segLogitsAtInputSize().argmax(1);
        }
        const mtl::MultiTaskOutput out = student->forward(studentInput);
        // Losses of the real kinds, so that gradients have their real magnitudes (tiny ones would
        // run into denormal arithmetic on the CPU).
        auto loss = torch::zeros({}, options);
        if (out.segLogits.defined()) loss = loss + mtl::segmentationLoss(out.segLogits, segLabels);
        if (out.classLogits.defined())
            loss = loss +
                   torch::binary_cross_entropy_with_logits(out.classLogits.to(torch::kFloat),
                                                           torch::zeros_like(out.classLogits, torch::kFloat)) +
                   out.boxDeltas.to(torch::kFloat).abs().mean();
        sgd->zero_grad();
        loss.backward();
        mtl::clipGradientNorm(student->parameters(), tc.gradClipNorm > 0 ? tc.gradClipNorm : 1e9);
        sgd->step();
        teacher.update(*student);
        loss.item<float>(); // the step is done when its result is
        if (step >= warmup) seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    const CpuTimes last = cpuTimes();
    const double n = double(std::max<std::size_t>(1, seconds.size()));
    return {median(seconds), {(last.user - first.user) / n, (last.system - first.system) / n}};
}

// The median of a logged per-step series over the measured steps (the views each model ran on).
int medianViews(const mtl::Registry& registry, std::int64_t run, const std::string& key, int warmup) {
    std::vector<double> values;
    for (const mtl::MetricPoint& p : registry.series(run, key))
        if (p.step > warmup) values.push_back(p.value);
    return static_cast<int>(median(values) + 0.5);
}

} // namespace

int main(int argc, char** argv) {
    std::string configPath = MTLW_SOURCE_DIR "/bench/ssl_step.yaml", views;
    int steps = 13, warmup = 3;
    bool tunedMalloc = true;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--default-malloc")) {
            tunedMalloc = false;
            continue;
        }
        if (!std::strcmp(argv[i], "--steps") && i + 1 < argc) steps = std::stoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--warmup") && i + 1 < argc) warmup = std::stoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--student-views") && i + 1 < argc) views = argv[++i];
        else configPath = argv[i];
    }
    if (tunedMalloc) mtl::tuneMallocForTraining(); // before any thread allocates
    if (steps <= warmup) {
        std::cerr << "bench_ssl_step: --steps must exceed --warmup\n";
        return 2;
    }
    mtl::ExperimentConfig config = mtl::loadExperimentConfig(configPath);
    if (!views.empty()) {
        if (views != "all" && views != "used") {
            std::cerr << "bench_ssl_step: --student-views is all or used, got '" << views << "'\n";
            return 2;
        }
        config.train.studentViews = views == "used" ? mtl::StudentViews::Used : mtl::StudentViews::All;
    }
    config.train.steps = steps;
    config.train.logEvery = 1;            // one report per step: per-step times
    config.train.checkpointEvery = steps; // the final one only
    config.eval.every = 0;
    config.eval.maxImages = 1;

    const auto dir = std::filesystem::temp_directory_path() / ("mtlw-bench-ssl-" + std::to_string(::getpid()));
    const std::string registryPath = (dir / "registry.sqlite").string();
    StepClock clock(warmup);
    std::int64_t runId = 0;
    {
        mtl::TrainingRun run(config, registryPath);
        runId = run.id();
        run.start(&clock);
        if (run.wait() != mtl::RunStatus::Finished) {
            std::cerr << "bench_ssl_step: " << run.errorMessage() << "\n";
            return 1;
        }
    }
    const double runPeakRss = peakRssGb();
    int studentViews = 0, teacherViews = 0;
    {
        mtl::Registry registry(registryPath);
        studentViews = medianViews(registry, runId, "train/student_views", warmup);
        teacherViews = medianViews(registry, runId, "train/teacher_views", warmup);
    }
    const auto where = mtl::locateDataset(config.data.dataset, config.data.synthetic, {});
    const auto trainSet = mtl::openDataset(where, config.data.trainSplits, config.data.onError);
    const mtl::ModelSpec spec = mtl::modelSpecFor(config.model, trainSet->classes());
    std::filesystem::remove_all(dir);

    const double step = median(clock.seconds);
    const CpuTimes stepCpu = clock.perStep();
    const ModelOnly model = modelOnly(config, spec, studentViews, teacherViews, steps, warmup);
    std::printf("{\"config\": \"%s\", \"malloc\": \"%s\", \"student_views\": \"%s\", \"device\": \"%s\", \"threads\": %d, "
                "\"steps_measured\": %d, \"student_images\": %d, \"teacher_images\": %d, "
                "\"step_seconds\": %.3f, \"model_only_seconds\": %.3f, \"overhead_ratio\": %.3f, "
                "\"step_system_cpu_seconds\": %.2f, \"step_user_cpu_seconds\": %.2f, "
                "\"model_only_system_cpu_seconds\": %.2f, \"model_only_user_cpu_seconds\": %.2f, "
                "\"peak_rss_gb\": %.2f}\n",
                configPath.c_str(), tunedMalloc ? "tuned" : "default", config.train.studentViews == mtl::StudentViews::Used ? "used" : "all",
                mtl::resolveDevice(mtl::nameOf(config.train.device)).c_str(), config.train.threads, steps - warmup, studentViews,
                teacherViews, step, model.seconds, model.seconds > 0 ? step / model.seconds : 0.0, stepCpu.system,
                stepCpu.user, model.perStep.system, model.perStep.user, runPeakRss);
    return 0;
}
