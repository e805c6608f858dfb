#include "core/data/DatasetLocator.h"

#include "core/common/Error.h"
#include "core/common/Paths.h"

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace mtl {

DatasetLocation locateDataset(const std::string& spec, const SynthOptions& synth,
                              const std::function<void(int, int)>& progress) {
    const auto colon = spec.find(':');
    const std::string kind = spec.substr(0, colon);
    const std::string root = colon == std::string::npos ? "" : spec.substr(colon + 1);
    if (kind != "synthetic" && kind != "cityscapes")
        throw InputError("unknown data set kind '" + kind +
                         "' in '" + spec + "' (expected synthetic, synthetic:ROOT or cityscapes:ROOT)");

    if (!root.empty()) {
        if (!fs::is_directory(fs::path(root) / "leftImg8bit"))
            throw InputError("data set '" + spec + "': " + root +
                             " has no leftImg8bit/ folder (expected the Cityscapes layout)");
        return {kind, root};
    }
    if (kind == "cityscapes") throw InputError("data set '" + spec + "': give its root as cityscapes:ROOT");

    // Plain "synthetic": one cached set per generator parameters. The marker file is written last,
    // so an interrupted generation is redone instead of used half-written.
    SynthOptions opts = synth;
    const std::string name = std::to_string(opts.width) + "x" + std::to_string(opts.height) +
                             "-train" + std::to_string(opts.train) + "-val" + std::to_string(opts.val) +
                             "-seed" + std::to_string(opts.seed);
    opts.outDir = cacheHome() + "/synthetic/" + name;
    const fs::path marker = fs::path(opts.outDir) / ".complete";
    if (!fs::exists(marker)) {
        writeSyntheticCityscapes(opts, progress);
        std::ofstream(marker) << "written by mtl-workbench\n";
    }
    return {"synthetic", opts.outDir};
}

} // namespace mtl
