#include "core/data/DatasetLocator.h"

#include "core/common/Error.h"
#include "core/common/Paths.h"
#include "core/data/Bdd100kDataset.h"
#include "core/data/CityscapesDataset.h"
#include "core/data/ImageFiles.h"

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace mtl {

DatasetLocation locateDataset(const std::string& spec, const SynthOptions& synth,
                              const std::function<void(int, int)>& progress) {
    const auto colon = spec.find(':');
    const std::string kind = spec.substr(0, colon);
    const std::string root = colon == std::string::npos ? "" : spec.substr(colon + 1);
    if (kind != "synthetic" && kind != "cityscapes" && kind != "bdd100k") {
        // A bare folder is the usual slip: name the prefix its layout asks for.
        std::string hint;
        if (imagefiles::isFolder(fs::path(spec) / "leftImg8bit"))
            hint = "; the folder has the Cityscapes layout: give it as cityscapes:" + spec;
        else if (imagefiles::isFolder(fs::path(spec) / "images"))
            hint = "; the folder has the BDD100K layout: give it as bdd100k:" + spec;
        const std::string what = colon == std::string::npos ? "data set '" + spec + "' names no kind"
                                                            : "unknown data set kind '" + kind + "' in '" + spec + "'";
        throw InputError(what + " (expected synthetic, synthetic:ROOT, cityscapes:ROOT or bdd100k:ROOT)" + hint);
    }

    if (!root.empty()) {
        const char* marker = kind == "bdd100k" ? "images" : "leftImg8bit";
        if (!imagefiles::isFolder(fs::path(root) / marker)) {
            // Name the kind the user wrote: a synthetic folder is one `mtlw synth` writes.
            if (kind == "synthetic")
                throw InputError("data set '" + spec + "': " + root +
                                 (imagefiles::isFolder(root) ? " holds no synthetic scenes (no leftImg8bit/ folder)"
                                                             : " does not exist") +
                                 "; write them with `mtlw synth --out " + root + "`, or give plain 'synthetic' for the cached set");
            throw InputError("data set '" + spec + "': " + root +
                             (imagefiles::isFolder(root) ? " has no " + std::string(marker) + "/ folder"
                                                         : std::string(" does not exist")) +
                             " (expected the " + (kind == "bdd100k" ? "BDD100K" : "Cityscapes") + " layout)");
        }
        return {kind, root};
    }
    if (kind != "synthetic") throw InputError("data set '" + spec + "': give its root as " + kind + ":ROOT");

    // Plain "synthetic": one cached set per generator parameters. The marker file is written last,
    // so an interrupted generation is redone instead of used half-written.
    SynthOptions opts = synth;
    opts.outDir = cacheHome() + "/synthetic/" + syntheticSetName(opts);
    const fs::path marker = fs::path(opts.outDir) / ".complete";
    if (!fs::exists(marker)) {
        writeSyntheticCityscapes(opts, progress);
        std::ofstream(marker) << "written by mtl-workbench\n";
    }
    return {"synthetic", opts.outDir};
}

DatasetLocation locateExistingDataset(const std::string& spec, const SynthOptions& synth) {
    if (spec == "synthetic") {
        const std::string folder = cacheHome() + "/synthetic/" + syntheticSetName(synth);
        if (!fs::exists(fs::path(folder) / ".complete"))
            throw InputError("the synthetic set " + syntheticSetName(synth) + " is not on this machine (" + folder +
                             "); a run on it generates it");
    }
    return locateDataset(spec, synth);
}

std::string syntheticSetName(const SynthOptions& o) {
    return std::to_string(o.width) + "x" + std::to_string(o.height) + "-train" + std::to_string(o.train) + "-val" +
           std::to_string(o.val) + "-seed" + std::to_string(o.seed) + "-v" + std::to_string(kSyntheticGeneratorVersion);
}

std::shared_ptr<const Dataset> openDataset(const DatasetLocation& where, const std::string& splits,
                                           OnDataError onError) {
    std::vector<std::shared_ptr<const Dataset>> parts;
    std::size_t from = 0;
    for (;;) {
        const auto plus = splits.find('+', from);
        const std::string split = splits.substr(from, plus == std::string::npos ? std::string::npos : plus - from);
        if (split.empty()) throw InputError("empty split name in '" + splits + "'");
        if (where.kind == "bdd100k")
            parts.push_back(std::make_shared<Bdd100kDataset>(where.root, split, onError));
        else
            parts.push_back(std::make_shared<CityscapesDataset>(where.root, split, onError));
        if (plus == std::string::npos) break;
        from = plus + 1;
    }
    if (parts.size() == 1) return parts.front();
    return std::make_shared<ConcatenatedDataset>(std::move(parts));
}

} // namespace mtl
