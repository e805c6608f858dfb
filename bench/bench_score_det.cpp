// Speed of `mtlw score-det`'s work (read both COCO files, evaluate) on a synthetic case of
// 500 images x 100 detections x 8 classes (the target: under 1 s on one core).
// Files are generated with a fixed seed into a temporary folder. Prints one JSON object.
// Usage: bench_score_det [--images N] [--dets-per-image D] [--classes C]
#include "CocoCase.h"

#include "core/eval/CocoJson.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

double seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

} // namespace

int main(int argc, char** argv) {
    int images = 500, dets = 100, classes = 8;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--images")) images = std::stoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--dets-per-image")) dets = std::stoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--classes")) classes = std::stoi(argv[i + 1]);
    }
    const auto dir = std::filesystem::temp_directory_path() /
                     ("bench_score_det." + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string gtPath = (dir / "gt.json").string(), detPath = (dir / "dets.json").string();
    writeCocoCase(gtPath, detPath, images, dets, classes);

    // Best of 3: the figure is about the code, not about a noisy shared machine.
    double best[3] = {1e9, 1e9, 1e9}; // read gt, read dets, evaluate
    mtl::CocoResult result;
    for (int rep = 0; rep < 3; ++rep) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto gt = mtl::readCocoGroundTruth(gtPath);
        const auto t1 = std::chrono::steady_clock::now();
        const auto dt = mtl::readCocoResults(detPath, gt);
        const auto t2 = std::chrono::steady_clock::now();
        result = mtl::evaluateCoco(gt, dt);
        const auto t3 = std::chrono::steady_clock::now();
        const double s[3] = {seconds(t0, t1), seconds(t1, t2), seconds(t2, t3)};
        if (s[0] + s[1] + s[2] < best[0] + best[1] + best[2])
            std::copy(s, s + 3, best);
    }
    const auto detBytes = std::filesystem::file_size(detPath);
    std::filesystem::remove_all(dir);
    std::printf("{\"images\": %d, \"dets_per_image\": %d, \"classes\": %d, \"dets_json_bytes\": %llu, "
                "\"read_gt_s\": %.4f, \"read_dets_s\": %.4f, \"evaluate_s\": %.4f, "
                "\"total_s\": %.4f, \"mAP\": %.6f}\n",
                images, dets, classes, static_cast<unsigned long long>(detBytes), best[0], best[1],
                best[2], best[0] + best[1] + best[2], result.mAP);
    return 0;
}
