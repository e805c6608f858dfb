// Configs built from several sources: a `base:` chain of files, then `--set` overrides.
#include "core/common/Error.h"
#include "core/experiment/ConfigSchema.h"
#include "core/experiment/ExperimentConfig.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace mtl {
namespace {

constexpr int kMaxBaseDepth = 32;

// Where the augment section was last set, for errors about relations between its keys.
struct AugmentOrigin {
    std::string file;
    YAML::Mark mark;
};

// A path set by this layer is relative to this layer's file.
void anchor(std::string& value, const std::string& before, const fs::path& folder) {
    if (value != before && !value.empty() && fs::path(value).is_relative())
        value = (folder / value).lexically_normal().string();
}

void applyFile(ExperimentConfig& config, const std::string& path, std::vector<std::string>& chain,
               AugmentOrigin& augment, YAML::Node& leafRoot) {
    std::error_code ec;
    const std::string key = fs::weakly_canonical(path, ec).string();
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path + ": cannot read the config file");
    std::stringstream text;
    text << in.rdbuf();
    const YAML::Node root = configschema::loadYaml(text.str(), path);
    if (chain.empty()) leafRoot = root;
    chain.push_back(key);

    if (root.IsMap() && root["base"]) {
        const YAML::Node base = root["base"];
        const auto fail = [&](const std::string& what) {
            throw ConfigError(path, base.Mark().line + 1, base.Mark().column + 1, what);
        };
        if (!base.IsScalar() || base.Scalar().empty()) fail("'base' must name a config file");
        fs::path basePath(base.Scalar());
        if (basePath.is_relative()) basePath = fs::path(path).parent_path() / basePath;
        const std::string baseKey = fs::weakly_canonical(basePath, ec).string();
        if (std::find(chain.begin(), chain.end(), baseKey) != chain.end())
            fail("'base' makes a loop: " + basePath.lexically_normal().string() + " is already in the chain");
        if (static_cast<int>(chain.size()) >= kMaxBaseDepth)
            fail("'base' chain is deeper than " + std::to_string(kMaxBaseDepth) + " files");
        if (!fs::is_regular_file(basePath)) fail("base config " + basePath.lexically_normal().string() + " does not exist");
        YAML::Node unusedLeaf;
        applyFile(config, basePath.lexically_normal().string(), chain, augment, unusedLeaf);
    }
    const std::string pretrained = config.model.pretrained, splitFile = config.data.split.file,
                      initFrom = config.train.initFrom;
    configschema::applyMap(config, root, path, {"base"});
    const fs::path folder = fs::path(path).parent_path();
    anchor(config.model.pretrained, pretrained, folder);
    anchor(config.train.initFrom, initFrom, folder);
    anchor(config.data.split.file, splitFile, folder);
    if (root.IsMap() && root["augment"]) augment = {path, root["augment"].Mark()};
    chain.pop_back();
}

} // namespace

void applyOverride(ExperimentConfig& config, const std::string& assignment) {
    const std::string label = "--set " + assignment;
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
        throw ConfigError(label, 1, 1, "an override is KEY=VALUE, e.g. train.steps=100");
    const std::string key = assignment.substr(0, eq);
    const YAML::Node value = configschema::loadYaml(assignment.substr(eq + 1), label);
    configschema::applyValue(config, key, value, YAML::Mark(), label);
}

ExperimentConfig loadExperimentConfig(const std::string& path, const std::vector<std::string>& overrides) {
    ExperimentConfig config;
    std::vector<std::string> chain;
    AugmentOrigin augment;
    YAML::Node root;
    applyFile(config, path, chain, augment, root);
    for (const std::string& o : overrides) {
        applyOverride(config, o);
        if (o.rfind("augment.", 0) == 0 || o.rfind("augment=", 0) == 0) augment = {"--set " + o, YAML::Mark()};
    }
    const YAML::Mark rootMark = root.IsDefined() ? root.Mark() : YAML::Mark();
    if (augment.file.empty()) augment = {path, rootMark};
    configschema::validateRelations(config, augment.file, augment.mark, path, rootMark);
    config.sourceFile = path;
    return config;
}

} // namespace mtl
