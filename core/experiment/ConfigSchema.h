#pragma once
// Internal to core/experiment: the config schema applied piece by piece, for configs built from
// several sources (a `base:` chain, `--set` overrides, sweep cells). Every error is a ConfigError
// at the file, line and column of the piece that caused it.
#include "core/experiment/ExperimentConfig.h"

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace mtl::configschema {

YAML::Node loadYaml(const std::string& yamlText, const std::string& fileLabel);
// Sets the keys present in `root` (a map; null sets nothing), leaving the others as they are.
void applyMap(ExperimentConfig& config, const YAML::Node& root, const std::string& file,
              const std::vector<std::string>& skipTopKeys = {});
// Sets one dotted key (a leaf, or a section given as a map).
void applyValue(ExperimentConfig& config, const std::string& path, const YAML::Node& value,
                const YAML::Mark& keyMark, const std::string& file);
// Checks relations between keys once every piece is applied.
void validateRelations(ExperimentConfig& config, const std::string& augmentFile, const YAML::Mark& augmentMark,
                       const std::string& rootFile, const YAML::Mark& rootMark);

} // namespace mtl::configschema
