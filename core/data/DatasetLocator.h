#pragma once
// Turns a data set argument ("synthetic", "synthetic:ROOT", "cityscapes:ROOT") into a folder in
// the Cityscapes layout, generating the default synthetic set into the cache on first use.
#include "core/data/SyntheticCityscapes.h"

#include <functional>
#include <string>

namespace mtl {

struct DatasetLocation {
    std::string kind; // "cityscapes" or "synthetic"
    std::string root;
};

// `synth` describes the set generated for plain "synthetic" (its outDir is ignored: the set goes
// to cacheHome()/synthetic/<parameters>, reused when complete). Throws InputError on an unknown
// kind or a missing root folder.
DatasetLocation locateDataset(const std::string& spec, const SynthOptions& synth,
                              const std::function<void(int, int)>& progress = {});

} // namespace mtl
