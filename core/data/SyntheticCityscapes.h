#pragma once
// Procedural street scenes written in the real Cityscapes on-disk layout (`mtlw synth`), so that
// the whole product can be exercised without downloading data. Deterministic for a seed.
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

struct SynthScene {
    cv::Mat rgb;         // CV_8UC3, RGB
    cv::Mat labelIds;    // CV_8UC1, Cityscapes label ids
    cv::Mat instanceIds; // CV_16UC1, labelId*1000+k for instance pixels, labelId elsewhere
};

// Renders one scene. Equal arguments give bit-identical output on every machine.
SynthScene renderSyntheticScene(int width, int height, std::uint64_t seed);

// Writes leftImg8bit/{train,val}/{city}/{city}_{seq:06}_{frame:06}_leftImg8bit.png and
// gtFine/{split}/{city}/..._gtFine_{labelIds,instanceIds,color}.png under opts.outDir.
// `progress(done, total)` is called after each image when given. Throws mtl::InputError on bad
// options and mtl::Error when a file cannot be written (naming the file).
void writeSyntheticCityscapes(const SynthOptions& opts,
                              const std::function<void(int, int)>& progress = {});

} // namespace mtl
