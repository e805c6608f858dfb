#include "core/experiment/StoredRun.h"

#include "core/common/Error.h"
#include "core/common/JsonSupport.h"
#include "core/experiment/Registry.h"

#include <cctype>
#include <filesystem>

namespace fs = std::filesystem;

namespace mtl {
namespace {

bool allDigits(const std::string& s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

} // namespace

StoredRun readStoredRun(const std::string& dir) {
    const fs::path configPath = fs::path(dir) / "config.yaml";
    if (!fs::is_regular_file(configPath)) throw InputError(dir + ": not a run folder (no config.yaml)");
    StoredRun r;
    r.dir = dir;
    r.configYaml = jsonsupport::readText(configPath.string());
    r.config = parseExperimentConfig(r.configYaml, configPath.string());
    r.name = r.config.name;
    const fs::path split = fs::path(dir) / "split.json";
    if (fs::is_regular_file(split)) r.splitJson = jsonsupport::readText(split.string());
    // Folders are named <id>-<name> by TrainingRun.
    const std::string base = fs::path(dir).filename().string();
    const std::string prefix = base.substr(0, base.find('-'));
    if (allDigits(prefix) && prefix.size() < 18) r.id = std::stoll(prefix);
    return r;
}

StoredRun openStoredRun(const std::string& run, const std::string& registryPath) {
    if (fs::is_directory(run)) return readStoredRun(run);
    if (!allDigits(run) || run.size() > 18)
        throw InputError(run + ": neither a run id nor a run folder");
    if (!fs::is_regular_file(registryPath)) throw InputError(run + ": not a run folder, and there is no registry " + registryPath);
    const Registry registry(registryPath);
    const auto record = registry.run(std::stoll(run));
    if (!record) throw InputError("run " + run + " is not in the registry " + registryPath);
    if (record->runDir.empty() || !fs::is_directory(record->runDir))
        throw InputError("run " + run + ": its folder '" + record->runDir + "' does not exist");
    StoredRun r = readStoredRun(record->runDir);
    // The registry's copies are what the run recorded; the folder's files are their mirrors.
    if (!record->configYaml.empty()) {
        r.configYaml = record->configYaml;
        r.config = parseExperimentConfig(record->configYaml, registryPath + ": run " + run + " config");
    }
    if (!record->splitJson.empty()) r.splitJson = record->splitJson;
    r.id = record->id;
    r.name = record->name;
    return r;
}

} // namespace mtl
