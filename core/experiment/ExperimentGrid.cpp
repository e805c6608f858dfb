#include "core/experiment/ExperimentGrid.h"

#include "core/common/Error.h"

#include <yaml-cpp/yaml.h>

#include <set>

namespace mtl {

std::vector<ExperimentConfig> expandGrid(const ExperimentConfig& base, const GridRequest& r) {
    const auto require = [](bool nonEmpty, const char* what) {
        if (!nonEmpty) throw InputError(std::string("experiment grid: pick at least one ") + what);
    };
    require(!r.methods.empty(), "method");
    require(!r.samplings.empty(), "sampling");
    require(!r.luScopes.empty(), "Lu scope");
    require(!r.seeds.empty(), "seed");

    std::vector<ExperimentConfig> out;
    std::set<std::string> names; // a supervised run is the same whatever Lu scope was picked
    for (const LearningMethod method : r.methods)
        for (const Sampling sampling : r.samplings)
            for (const std::string& luScope : r.luScopes)
                for (const std::int64_t seed : r.seeds) {
                    const bool supervised = !method.learnsFromTeacher();
                    std::string name = base.name + "-" + r.setting + "-d" + r.det + "-s" + r.seg + "-" + method.name() +
                                       "-" + nameOf(sampling) + (supervised ? "" : "-lu" + luScope) + "-seed" +
                                       std::to_string(seed);
                    if (!names.insert(name).second) continue;
                    YAML::Node root = YAML::Load(toYaml(base));
                    // toYaml writes the mode the base's method implied; left in, it would read as
                    // given and contradict a cell of the other semi-supervised method.
                    if (!base.augmentModeGiven) root["augment"].remove("mode");
                    root["name"] = name;
                    root["seed"] = seed;
                    root["data"]["split"]["file"] = "";
                    root["data"]["split"]["setting"] = r.setting;
                    root["data"]["split"]["det"] = r.det;
                    root["data"]["split"]["seg"] = r.seg;
                    root["data"]["split"]["seed"] = seed;
                    root["data"]["train_images"] = supervised ? "labeled" : "all";
                    root["train"]["sampling"] = nameOf(sampling);
                    // Written only for the semi-supervised methods: a supervised grid runs on a
                    // schema without them too.
                    if (!supervised) {
                        root["train"]["method"] = method.name();
                        root["train"]["lu_scope"] = luScope;
                    }
                    YAML::Emitter emitter;
                    emitter << root;
                    ExperimentConfig config = parseExperimentConfig(emitter.c_str(), "experiment grid (" + name + ")");
                    config.sourceFile = base.sourceFile;
                    out.push_back(std::move(config));
                }
    return out;
}

} // namespace mtl
