// Synthetic scene generation speed: milliseconds per scene of renderSyntheticScene (drawing, light,
// roll; no PNG encoding), and how often each layout and weather came up. Prints one JSON object.
// Usage: bench_synth [--scenes N] [--width W] [--height H]
#include "core/data/SyntheticCityscapes.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    int scenes = 400, width = 256, height = 128;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--scenes")) scenes = std::stoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--width")) width = std::stoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--height")) height = std::stoi(argv[i + 1]);
    }
    std::vector<double> ms;
    std::vector<int> layouts(mtl::kSceneLayouts, 0), weathers(mtl::kWeathers, 0);
    int wet = 0;
    for (int i = 0; i < scenes; ++i) {
        const auto start = std::chrono::steady_clock::now();
        const mtl::SynthScene s = mtl::renderSyntheticScene(width, height, 1000 + static_cast<std::uint64_t>(i));
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        ++layouts[static_cast<std::size_t>(s.layout)];
        ++weathers[static_cast<std::size_t>(s.weather)];
        wet += s.wetRoad;
    }
    std::sort(ms.begin(), ms.end());
    double mean = 0;
    for (double v : ms) mean += v;
    mean /= double(ms.size());
    std::printf("{\"scenes\": %d, \"size\": \"%dx%d\", \"ms_per_scene_median\": %.3f, \"ms_per_scene_mean\": %.3f, "
                "\"ms_per_scene_p95\": %.3f",
                scenes, width, height, ms[ms.size() / 2], mean, ms[ms.size() * 95 / 100]);
    std::printf(", \"layouts\": {");
    for (int i = 0; i < mtl::kSceneLayouts; ++i)
        std::printf("%s\"%s\": %d", i ? ", " : "", mtl::layoutName(static_cast<mtl::SceneLayout>(i)), layouts[std::size_t(i)]);
    std::printf("}, \"weathers\": {");
    for (int i = 0; i < mtl::kWeathers; ++i)
        std::printf("%s\"%s\": %d", i ? ", " : "", mtl::weatherName(static_cast<mtl::Weather>(i)), weathers[std::size_t(i)]);
    std::printf("}, \"wet_road\": %d}\n", wet);
    return 0;
}
