// Wall time of mtlw commands as users call them in loops: `mtlw --version`, `mtlw runs list` and
// `mtlw score-det` on a 500-image COCO case (issue target: 50 ms each), and optionally the
// COCO-val-sized case (--coco-val: 5,000 images, 80 classes, 66 detections per image). Each
// command runs `--repeat` times (after one untimed run that warms the page cache); prints one JSON
// object with the median, min and max milliseconds per command.
// Also the commands of issue 36's targets: `mtlw table --grid` of 30 run folders (10 seed groups
// of 3; target 200 ms) and `mtlw export tensorboard` of a run with 100k metric rows (target 1 s).
// Usage: bench_startup [--mtlw PATH] [--repeat N] [--coco-val]
#include "CocoCase.h"

#include "core/eval/PaperTable.h"
#include "core/eval/RunResults.h"
#include "core/experiment/ExperimentConfig.h"
#include "core/experiment/Registry.h"

#include <fstream>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

extern char** environ;

namespace {

// Runs the command with stdout and stderr to /dev/null; seconds of wall time, or -1 on failure.
double timeCommand(const std::vector<std::string>& words) {
    std::vector<char*> argv;
    for (const auto& w : words) argv.push_back(const_cast<char*>(w.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    const auto t0 = std::chrono::steady_clock::now();
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return -1;
    int status = 0;
    waitpid(pid, &status, 0);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? s : -1;
}

struct Figures {
    double medianMs = 0, minMs = 0, maxMs = 0;
    bool ok = true;
};

Figures measure(const std::vector<std::string>& words, int repeat) {
    Figures f;
    if (timeCommand(words) < 0) f.ok = false; // warm-up
    std::vector<double> ms;
    for (int i = 0; i < repeat && f.ok; ++i) {
        const double s = timeCommand(words);
        if (s < 0) f.ok = false;
        ms.push_back(s * 1000);
    }
    if (!f.ok || ms.empty()) return f;
    std::sort(ms.begin(), ms.end());
    f.medianMs = ms[ms.size() / 2];
    f.minMs = ms.front();
    f.maxMs = ms.back();
    return f;
}

// 30 run folders, 10 experiments of 3 seeds with 19-class results, each experiment in its own row
// of the grid (method x sampling, and two single-task ones); their paths.
std::vector<std::string> writeSeedGroupRuns(const std::filesystem::path& dir) {
    std::vector<std::string> folders;
    for (int g = 0; g < 10; ++g)
        for (int seed = 0; seed < 3; ++seed) {
            mtl::ExperimentConfig c;
            c.name = "lr" + std::to_string(g) + " seed=" + std::to_string(seed);
            c.seed = seed;
            static const char* methods[] = {"supervised", "fixmatch", "densefixmatch", "meanteacher"};
            c.train.method = mtl::LearningMethod::named(methods[g % 4]);
            c.augment.mode = c.train.method.info().strongView;
            c.train.sampling = (g / 4) % 2 ? mtl::Sampling::Explicit : mtl::Sampling::Implicit;
            if (g >= 8) c.model.tasks = g == 8 ? mtl::TaskSet::SegOnly : mtl::TaskSet::DetOnly;
            const std::filesystem::path run = dir / (std::to_string(folders.size() + 1) + "-run");
            std::filesystem::create_directories(run);
            std::ofstream(run / "config.yaml") << mtl::toYaml(c);
            mtl::ValidationReport report;
            mtl::ClassNames classes;
            for (int k = 0; k < 19; ++k) {
                classes.seg.push_back("class" + std::to_string(k));
                report.segIoU.push_back(0.01 * ((k * 7 + g * 3 + seed) % 90));
            }
            for (int k = 0; k < 8; ++k) {
                classes.det.push_back("det" + std::to_string(k));
                report.detAP.push_back(0.01 * ((k * 5 + g + seed * 2) % 60));
            }
            report.mIoU = 0.3 + 0.01 * g + 0.002 * seed;
            report.mAP = 0.2 + 0.005 * g + 0.003 * seed;
            report.geometricMean = std::sqrt(report.mIoU * report.mAP);
            std::ofstream(run / "best.json") << mtl::validationResultsJson(report, classes);
            folders.push_back(run.string());
        }
    return folders;
}

// A registry with one run of 10 keys x 10,000 steps.
void writeMetricRun(const std::string& registryPath) {
    mtl::Registry registry(registryPath);
    const std::int64_t id = registry.createRun("long run", "name: long run\n", "", "cpu", 0);
    for (int step = 1; step <= 10000; ++step) {
        std::vector<std::pair<std::string, double>> values;
        for (int k = 0; k < 10; ++k) values.push_back({"train/key" + std::to_string(k), 1.0 / (step + k)});
        registry.logMetrics(id, step, values, 1.7e9 + step);
    }
}

} // namespace

int main(int argc, char** argv) {
    std::string mtlw = MTLW_BINARY_DIR "/app/mtlw/mtlw";
    int repeat = 20;
    bool cocoVal = false;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--mtlw") && i + 1 < argc) mtlw = argv[++i];
        else if (!std::strcmp(argv[i], "--repeat") && i + 1 < argc) repeat = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--coco-val")) cocoVal = true;
        else {
            std::fprintf(stderr, "usage: bench_startup [--mtlw PATH] [--repeat N] [--coco-val]\n");
            return 2;
        }
    }
    const auto dir = std::filesystem::temp_directory_path() / ("bench_startup." + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string gt = (dir / "gt.json").string(), dets = (dir / "dets.json").string();
    const std::string registry = (dir / "registry.sqlite").string();
    writeCocoCase(gt, dets, 500, 100, 8);

    struct Case {
        const char* name;
        std::vector<std::string> words;
        int repeat;
    };
    std::vector<std::string> table{mtlw, "table", "--grid", "--format", "md"};
    std::vector<std::string> tableSeg{mtlw, "table", "--task", "seg", "--format", "md"};
    for (const std::string& run : writeSeedGroupRuns(dir / "runs")) table.push_back(run), tableSeg.push_back(run);
    const std::string metrics = (dir / "metrics.sqlite").string();
    writeMetricRun(metrics);
    std::vector<Case> cases = {
        {"version", {mtlw, "--version"}, repeat},
        {"runs_list", {mtlw, "runs", "list", "--registry", registry}, repeat},
        {"score_det_500", {mtlw, "score-det", gt, dets}, repeat},
        {"table_grid_30_runs_10_groups", table, repeat},
        // The class shares of the runs' data set (plain synthetic, 200 training scenes) come from
        // the cache after the untimed first run; without the set on this machine, no shares row.
        {"table_seg_30_runs_cached_shares", tableSeg, repeat},
        {"export_tensorboard_100k_rows",
         {mtlw, "export", "tensorboard", "1", "--out", (dir / "tb").string(), "--force", "--registry", metrics}, 5},
    };
    if (cocoVal) {
        const std::string bigGt = (dir / "gt-val.json").string(), bigDets = (dir / "dets-val.json").string();
        writeCocoCase(bigGt, bigDets, 5000, 66, 80);
        cases.push_back({"score_det_5000", {mtlw, "score-det", bigGt, bigDets}, 3});
    }
    std::printf("{\"bench\": \"startup\", \"mtlw\": \"%s\", \"repeat\": %d", mtlw.c_str(), repeat);
    int failures = 0;
    for (const auto& c : cases) {
        const Figures f = measure(c.words, c.repeat);
        if (!f.ok) {
            ++failures;
            std::printf(", \"%s\": null", c.name);
            continue;
        }
        std::printf(", \"%s\": {\"median_ms\": %.1f, \"min_ms\": %.1f, \"max_ms\": %.1f}", c.name, f.medianMs,
                    f.minMs, f.maxMs);
    }
    // The shares row of a per-class table as the GUI's Tables tab refreshes it (in process, no
    // program start): the cached entry's check, one stat per folder of the data set.
    {
        mtl::ExperimentConfig synthetic;
        mtl::trainingClassShares(synthetic, "", 0); // computes and caches on the first call
        std::vector<double> ms;
        for (int i = 0; i < repeat; ++i) {
            const auto t0 = std::chrono::steady_clock::now();
            const mtl::SharesRow row = mtl::trainingClassShares(synthetic, "", 0);
            ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
            if (!row.shares) failures += i == 0;
        }
        std::sort(ms.begin(), ms.end());
        std::printf(", \"cached_shares_lookup_ms\": {\"median_ms\": %.2f, \"max_ms\": %.2f}", ms[ms.size() / 2], ms.back());
    }
    std::printf("}\n");
    if (failures) std::fprintf(stderr, "bench_startup: a command failed; its inputs are kept in %s\n", dir.c_str());
    else std::filesystem::remove_all(dir);
    return failures ? 1 : 0;
}
