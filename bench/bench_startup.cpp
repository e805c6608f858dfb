// Wall time of mtlw commands as users call them in loops: `mtlw --version`, `mtlw runs list` and
// `mtlw score-det` on a 500-image COCO case (issue target: 50 ms each), and optionally the
// COCO-val-sized case (--coco-val: 5,000 images, 80 classes, 66 detections per image). Each
// command runs `--repeat` times (after one untimed run that warms the page cache); prints one JSON
// object with the median, min and max milliseconds per command.
// Usage: bench_startup [--mtlw PATH] [--repeat N] [--coco-val]
#include "CocoCase.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
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
    std::vector<Case> cases = {
        {"version", {mtlw, "--version"}, repeat},
        {"runs_list", {mtlw, "runs", "list", "--registry", registry}, repeat},
        {"score_det_500", {mtlw, "score-det", gt, dets}, repeat},
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
    std::printf("}\n");
    std::filesystem::remove_all(dir);
    return failures ? 1 : 0;
}
