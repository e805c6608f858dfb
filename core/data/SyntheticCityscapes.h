#pragma once
// Procedural street scenes written in the real Cityscapes on-disk layout (`mtlw synth`), so that
// the whole product can be exercised without downloading data. Deterministic for a seed. Scenes
// vary in layout, camera (height, pitch, roll), time of day and weather; classes differ by texture
// and shape, not only by colour (foliage, grass and dirt; brick, concrete and glass); objects vary
// in pose and size, occlude each other and gather in crowds; rare classes stay rare.
#include <opencv2/core.hpp>

#include <cstdint>
#include <functional>
#include <string>

namespace mtl {

struct SynthOptions {
    std::string outDir;
    int train = 200;
    int val = 40;
    int width = 256;
    int height = 128;
    std::uint64_t seed = 0;
};

// Bumped whenever the generator's output changes on purpose: cached sets are keyed by it.
constexpr int kSyntheticGeneratorVersion = 2;

// What a scene shows. Layouts: a straight street, a curved one, a junction with a crossing street
// and zebra crossings, a roundabout around a planted island, a street lined with parked cars, and
// an open road through fields and hills without buildings.
enum class SceneLayout { Straight, Curve, Junction, Roundabout, ParkedRows, OpenRoad };
// Time of day and weather: the light, the sky, the street lamps and lit windows, fog over distance,
// rain streaks and a wet (darker, reflecting) road.
enum class Weather { Clear, Overcast, Dusk, Night, Fog, Rain };
constexpr int kSceneLayouts = 6, kWeathers = 6;
const char* layoutName(SceneLayout layout); // "straight", "curve", "junction", …
const char* weatherName(Weather weather);   // "clear", "overcast", "dusk", …

struct SynthScene {
    cv::Mat rgb;         // CV_8UC3, RGB
    cv::Mat labelIds;    // CV_8UC1, Cityscapes label ids
    cv::Mat instanceIds; // CV_16UC1, labelId*1000+k for instance pixels, labelId elsewhere (also
                         // for groups: crowds too small to tell apart, as in Cityscapes)
    SceneLayout layout = SceneLayout::Straight;
    Weather weather = Weather::Clear;
    bool wetRoad = false;
};

// Renders one scene. Equal arguments give bit-identical output on every machine.
SynthScene renderSyntheticScene(int width, int height, std::uint64_t seed);

// Writes leftImg8bit/{train,val}/{city}/{city}_{seq:06}_{frame:06}_leftImg8bit.png and
// gtFine/{split}/{city}/..._gtFine_{labelIds,instanceIds,color}.png under opts.outDir.
// `progress(done, total)` is called after each image when given. Throws mtl::InputError on bad
// options and mtl::Error when a file cannot be written (naming the file).
void writeSyntheticCityscapes(const SynthOptions& opts,
                              const std::function<void(int, int)>& progress = {});

// A PNG contact sheet of the first `count` training scenes of the set `opts` describes (the same
// seeds as writeSyntheticCityscapes; opts.outDir is not used): 4 scenes per row, each image above
// its label colours. Throws mtl::Error naming the file when it cannot be written.
void writeSyntheticContactSheet(const SynthOptions& opts, const std::string& file, int count = 16);

} // namespace mtl
