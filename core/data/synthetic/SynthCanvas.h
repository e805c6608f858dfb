#pragma once
// The drawing surface of the synthetic scene generator (SyntheticCityscapes.h): every primitive
// writes the image, the Cityscapes label ids, the instance ids and a material at once, so labels
// are exact by construction; the material picks the texture the final light pass gives a pixel.
//
// Everything here is integer arithmetic on purpose: float rounding (and FMA contraction) differs
// between compilers and CPUs, and the generated data set must be identical on every machine. The
// only drawing calls used from OpenCV (rectangle, fillPoly, 1-pixel line) are integer too. For the
// same reason no statement makes two random draws whose order C++ leaves unspecified (two function
// arguments, the operands of +): such draws go into separate statements or into a braced list.
#include "core/common/SplitMix64.h"

#include <opencv2/core.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace mtl::synth {

// Cityscapes label ids (not train ids).
enum : int {
    kRoad = 7, kSidewalk = 8, kBuilding = 11, kWall = 12, kFence = 13, kPole = 17,
    kTrafficLight = 19, kTrafficSign = 20, kVegetation = 21, kTerrain = 22, kSky = 23,
    kPerson = 24, kRider = 25, kCar = 26, kTruck = 27, kBus = 28, kTrain = 31,
    kMotorcycle = 32, kBicycle = 33, kNumLabelIds = 34
};

// What a surface is made of: the texture the light pass gives it (SynthLight.h).
enum class Material : std::uint8_t {
    Plain, Sky, Cloud, Asphalt, Paving, Grass, Dirt, Foliage, Bark, Brick, Concrete, Glass, Metal, Cloth, Lamp,
    Count
};

// The generator's draws on top of splitmix64 (identical everywhere).
class Rng : public SplitMix64 {
public:
    using SplitMix64::SplitMix64;
    // Uniform in [lo, hi]; the modulo bias is irrelevant for drawing.
    int range(int lo, int hi) {
        if (hi <= lo) return lo;
        return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1));
    }
    bool chance(int percent) { return range(0, 99) < percent; }
    template <typename T, std::size_t N> const T& pick(const std::array<T, N>& items) {
        return items[static_cast<std::size_t>(range(0, static_cast<int>(N) - 1))];
    }
};

inline int clamp255(int v) { return std::clamp(v, 0, 255); }

struct Rgb {
    int r, g, b;
};

// Mostly a change of brightness, a little of hue.
Rgb jitter(Rng& rng, Rgb c, int amount);
Rgb scaled(Rgb c, int percent);
Rgb mix(Rgb a, Rgb b, int percentB);

// What a primitive writes into the maps at once.
struct Ink {
    Rgb color;
    int label;
    int instance; // labelId*1000+k, or the plain labelId for stuff and for groups (crowds)
    Material material = Material::Plain;
    Ink with(Rgb c) const { return {c, label, instance, material}; }
    Ink as(Material m) const { return {color, label, instance, m}; }
};

class Canvas {
public:
    Canvas(int w, int h);

    static Ink stuff(int label, Rgb c, Material m) { return {c, label, label, m}; }
    Ink newInstance(int label, Rgb c, Material m) { return {c, label, label * 1000 + nextK_[label]++, m}; }
    // A region of many objects of one class that cannot be told apart (Cityscapes' "group"): the
    // class's label id with no instance number, as in gtFine's instanceIds.
    static Ink group(int label, Rgb c, Material m) { return {c, label, label, m}; }

    int width() const { return rgb.cols; }
    int height() const { return rgb.rows; }

    void rect(int x0, int y0, int x1, int y1, const Ink& ink); // inclusive corners
    void row(int y, int x0, int x1, const Ink& ink);           // inclusive, clipped; empty when x1 < x0
    void poly(const std::vector<cv::Point>& pts, const Ink& ink);
    // A bar of `thickness` pixels from a to b, offset across its main direction (no sqrt needed).
    void bar(cv::Point a, cv::Point b, int thickness, const Ink& ink);
    // Filled disc, or a ring when inner > 0; filled ellipse with radii rx, ry. Own integer scans.
    void disc(cv::Point c, int outer, int inner, const Ink& ink);
    void ellipse(cv::Point c, int rx, int ry, const Ink& ink);

    cv::Mat rgb, labelIds, instanceIds, material;

private:
    template <typename Draw> void paint(const Ink& ink, Draw draw);
    void put(int x, int y, const Ink& ink);
    std::array<int, kNumLabelIds> nextK_{};
};

} // namespace mtl::synth
