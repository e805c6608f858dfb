#include "ArgParser.h"
#include "Commands.h"

#include "core/common/ProcessIdentity.h"
#include "core/experiment/Registry.h"

#include <cmath>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>

namespace mtlw {
namespace {

const char* const kRegistryHelp = "SQLite registry";
const char* const kRegistryDefault = "$XDG_DATA_HOME/mtl-workbench/registry.sqlite";

std::string when(double t) {
    if (t <= 0) return "-";
    const std::time_t s = static_cast<std::time_t>(t);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", std::localtime(&s));
    return text;
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : separator) + i;
    return out;
}

mtl::Registry openRegistry(const ArgParser& p) { return mtl::Registry(registryPathFrom(p.has("registry") ? p.value("registry") : "")); }

mtl::RunRecord requireRun(const mtl::Registry& registry, const std::string& idText) {
    const std::int64_t id = runIdFrom(idText);
    auto run = registry.run(id);
    if (!run) throw mtl::InputError("registry " + registry.path() + ": no run with id " + std::to_string(id));
    return *run;
}

int listRuns(const Args& args) {
    ArgParser p("runs list", "Lists the runs of the registry, newest first: id, status, name, tags, creation "
                             "time and folder.");
    p.option("status", "STATUS", "only runs in this state (queued, running, finished, failed, interrupted, diverged)")
        .option("tag", "TAG", "only runs with this tag")
        .option("registry", "FILE", kRegistryHelp, kRegistryDefault);
    if (auto code = p.parseOrExit(args)) return *code;
    return withExitCodes("runs", [&] {
        mtl::RunFilter filter;
        if (p.has("status")) {
            try {
                filter.status = mtl::runStatusFromString(p.value("status"));
            } catch (const mtl::Error& e) {
                throw mtl::InputError(std::string("--status: ") + e.what());
            }
        }
        filter.tag = p.value("tag");
        const mtl::Registry registry = openRegistry(p);
        std::cout << std::left << std::setw(6) << "id" << std::setw(13) << "status" << std::setw(24) << "name"
                  << std::setw(21) << "created" << std::setw(16) << "tags" << "folder\n";
        for (const auto& r : registry.listRuns(filter))
            std::cout << std::setw(6) << r.id << std::setw(13) << mtl::toString(r.status) << std::setw(23) << r.name
                      << " " << std::setw(21) << when(r.createdAt) << std::setw(16) << joined(r.tags, ",") << r.runDir << "\n";
        return 0;
    });
}

int showRun(const Args& args) {
    ArgParser p("runs show", "Everything the registry holds about run ID: state, provenance, tags, notes, "
                             "checkpoints, files, the last value of each metric, the latest per-class results "
                             "and the resolved config.");
    p.positional("ID", "run id").option("registry", "FILE", kRegistryHelp, kRegistryDefault);
    if (auto code = p.parseOrExit(args)) return *code;
    return withExitCodes("runs", [&] {
        const mtl::Registry registry = openRegistry(p);
        const mtl::RunRecord r = requireRun(registry, p.value("ID"));
        std::cout << "run " << r.id << ": " << r.name << "\n"
                  << "status: " << mtl::toString(r.status) << (r.message.empty() ? "" : " (" + r.message + ")") << "\n"
                  << "uid: " << r.uid << "\n"
                  << "created: " << when(r.createdAt) << "\nstarted: " << when(r.startedAt)
                  << "\nfinished: " << when(r.finishedAt) << "\n"
                  << "host: " << r.host << " (pid " << r.pid << ")\n"
                  << "device: " << r.device << "\nseed: " << r.seed << "\n"
                  << "version: " << r.gitCommit << "\nlibraries: " << r.libraryVersions << "\n"
                  << "tags: " << joined(r.tags, ", ") << "\nnotes: " << r.notes << "\n"
                  << "folder: " << r.runDir << "\n";
        for (const auto& c : registry.checkpoints(r.id))
            std::cout << "checkpoint " << c.kind << ": step " << c.step << " " << c.path
                      << (std::isnan(c.metric) ? std::string() : " (score " + std::to_string(c.metric) + ")") << "\n";
        for (const auto& a : registry.artifacts(r.id)) std::cout << "file " << a.kind << ": " << a.path << "\n";
        for (const auto& key : registry.metricKeys(r.id)) {
            const auto series = registry.series(r.id, key);
            std::cout << "metric " << key << ": " << std::setprecision(6) << series.back().value << " at step "
                      << series.back().step << " (" << series.size() << " points)\n";
        }
        for (const auto& c : registry.classResults(r.id))
            std::cout << c.task << " " << c.metric << " " << c.className << ": "
                      << (std::isnan(c.value) ? std::string("-") : std::to_string(c.value)) << " (step " << c.step << ")\n";
        std::cout << "config:\n" << r.configYaml;
        return 0;
    });
}

int removeRun(const Args& args) {
    ArgParser p("runs rm", "Removes run ID and everything recorded for it from the registry (a running run "
                           "must be stopped first).");
    p.positional("ID", "run id")
        .flag("delete-files", "also delete the run's folder")
        .option("registry", "FILE", kRegistryHelp, kRegistryDefault);
    if (auto code = p.parseOrExit(args)) return *code;
    return withExitCodes("runs", [&] {
        mtl::Registry registry = openRegistry(p);
        const mtl::RunRecord r = requireRun(registry, p.value("ID"));
        // Opening the registry marked dead owners' runs interrupted: what is still running is alive.
        if (r.status == mtl::RunStatus::Running)
            throw mtl::InputError("run " + std::to_string(r.id) + " is running (pid " + std::to_string(r.pid) +
                                  " on " + r.host + "): stop it first");
        registry.removeRun(r.id);
        if (p.isSet("delete-files") && !r.runDir.empty()) std::filesystem::remove_all(r.runDir);
        std::cout << "removed run " << r.id << "\n";
        return 0;
    });
}

int tagRun(const Args& args) {
    ArgParser p("runs tag", "Adds TAG to run ID (or removes it with --remove). Tags are free text.");
    p.positional("ID", "run id")
        .positional("TAG", "tag text")
        .flag("remove", "remove the tag instead")
        .option("registry", "FILE", kRegistryHelp, kRegistryDefault);
    if (auto code = p.parseOrExit(args)) return *code;
    return withExitCodes("runs", [&] {
        mtl::Registry registry = openRegistry(p);
        const mtl::RunRecord r = requireRun(registry, p.value("ID"));
        if (p.isSet("remove")) registry.removeTag(r.id, p.value("TAG"));
        else registry.addTag(r.id, p.value("TAG"));
        std::cout << "run " << r.id << " tags: " << joined(registry.tags(r.id), ", ") << "\n";
        return 0;
    });
}

int noteRun(const Args& args) {
    ArgParser p("runs note", "Sets the notes of run ID (free text; empty clears them).");
    p.positional("ID", "run id").positional("TEXT", "the notes").option("registry", "FILE", kRegistryHelp, kRegistryDefault);
    if (auto code = p.parseOrExit(args)) return *code;
    return withExitCodes("runs", [&] {
        mtl::Registry registry = openRegistry(p);
        const mtl::RunRecord r = requireRun(registry, p.value("ID"));
        registry.setNotes(r.id, p.value("TEXT"));
        return 0;
    });
}

} // namespace

int runsCommand(const Args& args) {
    static const std::map<std::string, int (*)(const Args&)> actions = {
        {"list", listRuns}, {"show", showRun}, {"rm", removeRun}, {"tag", tagRun}, {"note", noteRun}};
    if (!args.empty()) {
        if (auto it = actions.find(args.front()); it != actions.end())
            return it->second(Args(args.begin() + 1, args.end()));
        if (args.front() == "--help" || args.front() == "-h") {
            std::cout << "usage: mtlw runs [list|show ID|rm ID|tag ID TAG|note ID TEXT] [options]\n\n"
                         "The runs of the registry; without an action, lists them.\n"
                         "'mtlw runs ACTION --help' describes an action's options.\n\n";
            return listRuns(args);
        }
    }
    return listRuns(args);
}

} // namespace mtlw
