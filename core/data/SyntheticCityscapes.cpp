#include "core/data/SyntheticCityscapes.h"

#include "core/common/Error.h"
#include "core/common/SplitMix64.h"
#include "core/data/CityscapesLabels.h"
#include "core/data/synthetic/SynthLight.h"
#include "core/data/synthetic/SynthThings.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace fs = std::filesystem;

namespace mtl {

using namespace synth;

namespace {

constexpr int kMinSize = 64;
constexpr int kMaxSize = 8192;

void checkSide(const char* name, int v) {
    if (v < kMinSize || v > kMaxSize)
        throw InputError(std::string("synthetic data: ") + name + " must be between " + std::to_string(kMinSize) +
                         " and " + std::to_string(kMaxSize) + " pixels (got " + std::to_string(v) + ")");
}

void checkSize(int width, int height) {
    checkSide("width", width);
    checkSide("height", height);
}

// Draws an index from percentages that sum to 100.
template <std::size_t N> int drawIndex(Rng& rng, const std::array<int, N>& percent) {
    int v = rng.range(0, 99);
    for (std::size_t i = 0; i < N; ++i) {
        if (v < percent[i]) return static_cast<int>(i);
        v -= percent[i];
    }
    return static_cast<int>(N) - 1;
}

} // namespace

const char* layoutName(SceneLayout layout) {
    switch (layout) {
    case SceneLayout::Straight: return "straight";
    case SceneLayout::Curve: return "curve";
    case SceneLayout::Junction: return "junction";
    case SceneLayout::Roundabout: return "roundabout";
    case SceneLayout::ParkedRows: return "parked rows";
    case SceneLayout::OpenRoad: return "open road";
    }
    return "?";
}

const char* weatherName(Weather weather) {
    switch (weather) {
    case Weather::Clear: return "clear";
    case Weather::Overcast: return "overcast";
    case Weather::Dusk: return "dusk";
    case Weather::Night: return "night";
    case Weather::Fog: return "fog";
    case Weather::Rain: return "rain";
    }
    return "?";
}

SynthScene renderSyntheticScene(int width, int height, std::uint64_t seed) {
    checkSize(width, height);
    Rng rng(seed);
    SynthScene scene;
    scene.layout = static_cast<SceneLayout>(drawIndex(rng, std::array<int, kSceneLayouts>{24, 18, 16, 12, 16, 14}));
    scene.weather = static_cast<Weather>(drawIndex(rng, std::array<int, kWeathers>{35, 20, 12, 12, 9, 12}));
    scene.wetRoad = scene.weather == Weather::Rain ||
                    ((scene.weather == Weather::Overcast || scene.weather == Weather::Night) && rng.chance(30));
    const int roll = rng.chance(45) ? rng.range(-90, 90) : 0; // up to about 5 degrees
    const Street st = planStreet(rng, width, height, scene.layout, scene.weather);

    Canvas canvas(width, height);
    drawSky(canvas, rng, st);
    drawSkyline(canvas, rng, st);
    drawGround(canvas, rng, st);
    drawBorders(canvas, rng, st);
    drawThings(canvas, rng, st);
    applyLight(canvas, rng, st, scene.wetRoad);
    applyRoll(canvas, roll);
    scene.rgb = canvas.rgb;
    scene.labelIds = canvas.labelIds;
    scene.instanceIds = canvas.instanceIds;
    return scene;
}

namespace {

struct SplitPlan {
    const char* name;
    int count;
    std::vector<std::string> cities;
};

// The seed of one image depends only on (seed, split, index), so adding val images never
// changes the train images.
std::uint64_t imageSeed(std::uint64_t seed, int split, int index) {
    std::uint64_t h = SplitMix64(seed).next();
    h = SplitMix64(h ^ (0x5350'4C49'5400ull + static_cast<std::uint64_t>(split))).next();
    return SplitMix64(h + static_cast<std::uint64_t>(index)).next();
}

void makeFolder(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(dir.string() + ": cannot create folder (" + ec.message() + ")");
}

void writePng(const fs::path& file, const cv::Mat& m) {
    bool ok = false;
    try {
        ok = cv::imwrite(file.string(), m);
    } catch (const cv::Exception& e) {
        throw Error(file.string() + ": cannot write PNG (" + e.what() + ")");
    }
    if (!ok) throw Error(file.string() + ": cannot write PNG");
}

cv::Mat colorize(const cv::Mat& labelIds) {
    cv::Mat lut(1, 256, CV_8UC3, cv::Scalar::all(0));
    for (const auto& l : cityscapes::labels())
        if (l.id >= 0) lut.at<cv::Vec3b>(0, l.id) = cv::Vec3b(l.color[2], l.color[1], l.color[0]); // BGR file
    cv::Mat three, out;
    cv::merge(std::vector<cv::Mat>{labelIds, labelIds, labelIds}, three);
    cv::LUT(three, lut, out);
    return out;
}

} // namespace

void writeSyntheticCityscapes(const SynthOptions& opts, const std::function<void(int, int)>& progress) {
    if (opts.outDir.empty()) throw InputError("synthetic data: no output folder given");
    checkSize(opts.width, opts.height);
    if (opts.train < 1)
        throw InputError("synthetic data: train must be at least 1 (got " + std::to_string(opts.train) + ")");
    if (opts.val < 0)
        throw InputError("synthetic data: val must not be negative (got " + std::to_string(opts.val) + ")");

    const std::array<SplitPlan, 2> splits = {{{"train", opts.train, {"synthtown", "mockberg"}},
                                              {"val", opts.val, {"valcity"}}}};
    const int total = opts.train + opts.val;
    int done = 0;
    for (int s = 0; s < 2; ++s) {
        const SplitPlan& split = splits[static_cast<std::size_t>(s)];
        for (int i = 0; i < split.count; ++i) {
            const int nCities = static_cast<int>(split.cities.size());
            const std::string& city = split.cities[static_cast<std::size_t>(i % nCities)];
            char seqFrame[32];
            std::snprintf(seqFrame, sizeof seqFrame, "_%06d_%06d", i / nCities, 19); // frame 19 as in Cityscapes
            const std::string stem = city + seqFrame;
            const fs::path imageDir = fs::path(opts.outDir) / "leftImg8bit" / split.name / city;
            const fs::path gtDir = fs::path(opts.outDir) / "gtFine" / split.name / city;
            makeFolder(imageDir);
            makeFolder(gtDir);

            const SynthScene scene = renderSyntheticScene(opts.width, opts.height, imageSeed(opts.seed, s, i));
            cv::Mat bgr;
            cv::cvtColor(scene.rgb, bgr, cv::COLOR_RGB2BGR);
            writePng(imageDir / (stem + "_leftImg8bit.png"), bgr);
            writePng(gtDir / (stem + "_gtFine_labelIds.png"), scene.labelIds);
            writePng(gtDir / (stem + "_gtFine_instanceIds.png"), scene.instanceIds);
            writePng(gtDir / (stem + "_gtFine_color.png"), colorize(scene.labelIds));
            if (progress) progress(++done, total);
        }
    }
}

void writeSyntheticContactSheet(const SynthOptions& opts, const std::string& file, int count) {
    checkSize(opts.width, opts.height);
    if (count < 1) throw InputError("synthetic data: a contact sheet needs at least one scene (got " + std::to_string(count) + ")");
    constexpr int kColumns = 4;
    const int rows = (count + kColumns - 1) / kColumns, gap = 4;
    const int tileW = opts.width + gap, tileH = 2 * opts.height + gap;
    cv::Mat sheet(rows * tileH - gap, std::min(count, kColumns) * tileW - gap, CV_8UC3, cv::Scalar::all(255));
    for (int i = 0; i < count; ++i) {
        const SynthScene scene = renderSyntheticScene(opts.width, opts.height, imageSeed(opts.seed, 0, i));
        const int x = (i % kColumns) * tileW, y = (i / kColumns) * tileH;
        cv::Mat bgr;
        cv::cvtColor(scene.rgb, bgr, cv::COLOR_RGB2BGR);
        bgr.copyTo(sheet(cv::Rect(x, y, opts.width, opts.height)));
        colorize(scene.labelIds).copyTo(sheet(cv::Rect(x, y + opts.height, opts.width, opts.height)));
    }
    writePng(file, sheet);
}

} // namespace mtl
