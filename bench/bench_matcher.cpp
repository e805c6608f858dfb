// Speed of the anchor matcher against the number of boxes per image: the unsupervised detection
// loss matches the teacher's pseudo-boxes, and when those run away (hundreds per image) the step
// is dominated by matching. Times matchBoxesToAnchors (what training uses; on the CPU images in
// parallel, box by box) against the batched tensor form (matchBoxesToAnchorsBatched: IoU over
// N × G × A), on the synthetic configs' pyramid (P2-P5, 8 px, 2 scales, ratios 0.5/1/2/3) for a
// batch of 8 images of 256x128, with the training processes' allocator settings, and checks that
// both give the same matches.
// Prints a table and one JSON line. Usage: bench_matcher [--images N] [--repeats R]
#include "core/common/MallocTuning.h"
#include "core/model/AnchorMatcher.h"
#include "core/model/Anchors.h"
#include "core/model/ModelSpec.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace mtl;

namespace {
template <class F> double medianSeconds(int repeats, F&& f) {
    std::vector<double> t;
    for (int r = 0; r < repeats; ++r) {
        const auto start = std::chrono::steady_clock::now();
        f();
        t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}
} // namespace

int main(int argc, char** argv) {
    int images = 8, repeats = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--images")) images = std::stoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--repeats")) repeats = std::stoi(argv[i + 1]);
    }
    tuneMallocForTraining(); // as every training process does: large tensors stay off fresh mmaps
    ModelSpec spec;
    spec.minLevel = 2;
    spec.maxLevel = 5;
    spec.anchorSize = 8;
    spec.anchorScales = 2;
    spec.anchorRatios = {0.5, 1.0, 2.0, 3.0};
    const auto anchors = gridAnchors(anchorLayoutFor(spec), {{32, 64}, {16, 32}, {8, 16}, {4, 8}}, torch::kCPU);
    std::mt19937 random(1);
    std::uniform_real_distribution<float> x(0, 240), y(0, 112), side(4, 60);
    std::printf("%d images of 256x128, %lld anchors each, median of %d\n", images,
                static_cast<long long>(anchors.size(0)), repeats);
    std::printf("%8s %12s %12s %8s\n", "boxes", "host ms", "batched ms", "same");
    std::string json = "{\"bench\":\"matcher\",\"images\":" + std::to_string(images) + ",\"anchors\":" +
                       std::to_string(anchors.size(0)) + ",\"rows\":[";
    bool allSame = true;
    for (int boxes : {0, 10, 50, 170, 400}) {
        std::vector<std::vector<Box>> truth(static_cast<std::size_t>(images));
        for (int i = 0; i < images; ++i)
            for (int k = 0; k < boxes; ++k) {
                const float x1 = x(random), y1 = y(random);
                truth[i].push_back({x1, y1, x1 + side(random), y1 + side(random), k % 8});
            }
        const GroundTruthBoxes padded = padGroundTruth(truth);
        torch::Tensor host, batched;
        const double hostSeconds = medianSeconds(repeats, [&] { host = matchBoxesToAnchors(padded, anchors); });
        const double batchedSeconds =
            medianSeconds(repeats, [&] { batched = matchBoxesToAnchorsBatched(padded, anchors); });
        const bool same = torch::equal(host, batched);
        allSame = allSame && same;
        std::printf("%8d %12.2f %12.2f %8s\n", boxes, hostSeconds * 1e3, batchedSeconds * 1e3, same ? "yes" : "NO");
        json += std::string(boxes ? "," : "") + "{\"boxes_per_image\":" + std::to_string(boxes) +
                ",\"host_ms\":" + std::to_string(hostSeconds * 1e3) + ",\"batched_ms\":" +
                std::to_string(batchedSeconds * 1e3) + ",\"same\":" + (same ? "true" : "false") + "}";
    }
    std::printf("%s]}\n", json.c_str());
    return allSame ? 0 : 1;
}
