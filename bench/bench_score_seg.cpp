// Speed of `mtlw score-seg`'s work: folders of predicted and ground-truth label maps (2048x1024
// 8-bit PNGs, like Cityscapes) scored on one thread and on all cores, against the time spent
// decoding the PNGs alone (the claim: scoring is limited by decoding). The maps are made
// here with a fixed seed: horizontal bands of classes with blobs and a noisy boundary, so that
// they compress like real label maps; predictions are the ground truth with shifted bands.
// Prints figures and one JSON line. Usage: bench_score_seg [--pairs N] [--width W] [--height H]
#include "core/common/ParallelFor.h"
#include "core/eval/PerImageScores.h"
#include "core/eval/SegmentationMetrics.h"
#include "core/eval/SegmentationScoring.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

cv::Mat labelMap(int width, int height, std::mt19937& rng, int shift) {
    cv::Mat m(height, width, CV_8UC1);
    std::uniform_int_distribution<int> jitter(-3, 3), cls(0, 18), pos(0, std::max(width, height));
    const int bands[] = {10, 2, 8, 0, 1}; // sky, building, vegetation, road, sidewalk from top to bottom
    for (int y = 0; y < height; ++y) {
        uchar* row = m.ptr<uchar>(y);
        for (int x = 0; x < width; ++x) {
            const int band = std::clamp((y + shift + jitter(rng)) * 5 / height, 0, 4);
            row[x] = static_cast<uchar>(bands[band]);
        }
    }
    for (int k = 0; k < 40; ++k) {
        const cv::Point c(pos(rng) % width, pos(rng) % height);
        cv::circle(m, c, 10 + pos(rng) % 60, cv::Scalar(cls(rng)), cv::FILLED);
    }
    cv::rectangle(m, cv::Rect(0, height - height / 16, width, height / 16), cv::Scalar(255), cv::FILLED); // ego car
    return m;
}

double seconds(std::chrono::steady_clock::time_point a) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count();
}

} // namespace

int main(int argc, char** argv) {
    int pairs = 40, width = 2048, height = 1024;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--pairs")) pairs = std::stoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--width")) width = std::stoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--height")) height = std::stoi(argv[i + 1]);
    }
    const fs::path dir = fs::temp_directory_path() / ("bench_score_seg." + std::to_string(::getpid()));
    fs::create_directories(dir / "gt");
    fs::create_directories(dir / "pred");
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    mtl::parallelFor(static_cast<std::size_t>(pairs), cores, [&](std::size_t i, int) {
        std::mt19937 rng(static_cast<unsigned>(1000 + i));
        const std::string name = "frame_" + std::to_string(i) + ".png";
        cv::imwrite((dir / "gt" / name).string(), labelMap(width, height, rng, 0));
        cv::imwrite((dir / "pred" / name).string(), labelMap(width, height, rng, 12));
    });

    // Decoding alone, on all cores: the floor for scoring.
    auto t = std::chrono::steady_clock::now();
    mtl::parallelFor(static_cast<std::size_t>(pairs), cores, [&](std::size_t i, int) {
        const std::string name = "frame_" + std::to_string(i) + ".png";
        cv::imread((dir / "gt" / name).string(), cv::IMREAD_UNCHANGED);
        cv::imread((dir / "pred" / name).string(), cv::IMREAD_UNCHANGED);
    });
    const double decodeAll = seconds(t);

    double scoreOne = 0, scoreAll = 0, mIoU = 0;
    for (int threads : {1, 0}) {
        mtl::SegScoringOptions o;
        o.threads = threads;
        t = std::chrono::steady_clock::now();
        const auto m = mtl::scoreSegmentationFolders((dir / "pred").string(), (dir / "gt").string(), o);
        (threads == 1 ? scoreOne : scoreAll) = seconds(t);
        mIoU = m.meanIoU();
    }
    fs::remove_all(dir);

    // What a validation adds per image for its per-image results: the image's own IoU, on the maps
    // in memory, against the confusion counting every validation does (one thread).
    double confusionMs = 0, perImageMs = 0;
    {
        std::vector<std::pair<cv::Mat, cv::Mat>> maps;
        for (int i = 0; i < std::min(pairs, 50); ++i) {
            std::mt19937 rng(static_cast<unsigned>(1000 + i));
            cv::Mat gt = labelMap(width, height, rng, 0);
            maps.emplace_back(labelMap(width, height, rng, 12), gt);
        }
        mtl::SegmentationMetrics metrics(19, 255);
        t = std::chrono::steady_clock::now();
        for (const auto& [pred, gt] : maps) metrics.add(pred, gt);
        confusionMs = 1000 * seconds(t) / double(maps.size());
        double sum = 0;
        t = std::chrono::steady_clock::now();
        for (const auto& [pred, gt] : maps) sum += mtl::imageSegIoU(pred, gt, 19, 255);
        perImageMs = 1000 * seconds(t) / double(maps.size());
        if (!(sum >= 0)) std::printf("(no per-image IoU)\n");
    }

    std::printf("%d pairs of %dx%d PNGs, %d cores\n", pairs, width, height, cores);
    std::printf("  per image, in memory, 1 thread: confusion counting %.3f ms, the image's own IoU %.3f ms\n",
                confusionMs, perImageMs);
    std::printf("  score, 1 thread:   %.3f s (%.1f ms per pair)\n", scoreOne, 1000 * scoreOne / pairs);
    std::printf("  score, all cores:  %.3f s (%.1f ms per pair, %.1f pairs/s)\n", scoreAll, 1000 * scoreAll / pairs,
                pairs / scoreAll);
    std::printf("  decode only, all cores: %.3f s (%.0f%% of scoring)\n", decodeAll, 100 * decodeAll / scoreAll);
    std::printf("  500 pairs at this rate: %.1f s\n", 500 * scoreAll / pairs);
    std::printf("{\"pairs\": %d, \"width\": %d, \"height\": %d, \"cores\": %d, \"score_1_thread_s\": %.4f, "
                "\"score_all_cores_s\": %.4f, \"decode_all_cores_s\": %.4f, \"ms_per_pair_all_cores\": %.2f, "
                "\"estimated_500_pairs_s\": %.2f, \"mIoU\": %.6f, \"confusion_ms_per_image\": %.4f, "
                "\"per_image_iou_ms\": %.4f}\n",
                pairs, width, height, cores, scoreOne, scoreAll, decodeAll, 1000 * scoreAll / pairs,
                500 * scoreAll / pairs, mIoU, confusionMs, perImageMs);
    return 0;
}
