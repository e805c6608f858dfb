#include "ArgParser.h"
#include "Commands.h"

#include "core/common/ProcessIdentity.h"
#include "core/experiment/Registry.h"

#include <nlohmann/json.hpp>

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

// A TSV field: tabs and line breaks become spaces, so that every run is one line of six fields.
std::string tsvField(std::string s) {
    for (char& c : s)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return s;
}

// Seconds since the epoch as JSON: null while the moment has not come (0).
nlohmann::json moment(double t) { return t > 0 ? nlohmann::json(t) : nlohmann::json(nullptr); }

nlohmann::json recordJson(const mtl::RunRecord& r) {
    return {{"id", r.id},
            {"uid", r.uid},
            {"name", r.name},
            {"status", mtl::toString(r.status)},
            {"message", r.message},
            {"created", moment(r.createdAt)},
            {"started", moment(r.startedAt)},
            {"finished", moment(r.finishedAt)},
            {"device", r.device},
            {"seed", r.seed},
            {"tags", r.tags},
            {"folder", r.runDir}};
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
                             "time and folder. --format tsv prints them for scripts (a header line, then one "
                             "line per run: id, status, name, created, tags joined by commas, folder, separated "
                             "by tabs; tabs and line breaks inside a field become spaces); json prints an array "
                             "of objects with the same and uid, message, started, finished, device and seed "
                             "(times in seconds since the epoch, null when not yet).");
    p.option("status", "STATUS", "only runs in this state (queued, running, finished, failed, interrupted, diverged)")
        .option("tag", "TAG", "only runs with this tag")
        .option("format", "FORMAT", "table | tsv | json", "table")
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
        const std::string format = p.value("format");
        if (format != "table" && format != "tsv" && format != "json")
            throw mtl::InputError("--format: '" + format + "' is not one of table, tsv, json");
        const mtl::Registry registry = openRegistry(p);
        if (format == "json") {
            nlohmann::json runs = nlohmann::json::array();
            for (const auto& r : registry.listRuns(filter)) runs.push_back(recordJson(r));
            std::cout << runs.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
            return 0;
        }
        if (format == "tsv") {
            std::cout << "id\tstatus\tname\tcreated\ttags\tfolder\n";
            for (const auto& r : registry.listRuns(filter))
                std::cout << r.id << "\t" << mtl::toString(r.status) << "\t" << tsvField(r.name) << "\t" << when(r.createdAt)
                          << "\t" << tsvField(joined(r.tags, ",")) << "\t" << tsvField(r.runDir) << "\n";
            return 0;
        }
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
                             "and the resolved config; --json prints it as one JSON object.");
    p.positional("ID", "run id")
        .flag("json", "print one JSON object (the fields of `runs list --format json` and version, libraries, "
                      "notes, checkpoints, files, metrics, class_results, config)")
        .option("registry", "FILE", kRegistryHelp, kRegistryDefault);
    if (auto code = p.parseOrExit(args)) return *code;
    return withExitCodes("runs", [&] {
        const mtl::Registry registry = openRegistry(p);
        const mtl::RunRecord r = requireRun(registry, p.value("ID"));
        if (p.isSet("json")) {
            nlohmann::json j = recordJson(r);
            j["host"] = r.host;
            j["pid"] = r.pid;
            j["version"] = r.gitCommit;
            j["libraries"] = r.libraryVersions;
            j["notes"] = r.notes;
            const auto number = [](double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); };
            j["checkpoints"] = nlohmann::json::array();
            for (const auto& c : registry.checkpoints(r.id))
                j["checkpoints"].push_back({{"kind", c.kind}, {"step", c.step}, {"path", c.path}, {"score", number(c.metric)}});
            j["files"] = nlohmann::json::object();
            for (const auto& a : registry.artifacts(r.id)) j["files"][a.kind] = a.path;
            j["metrics"] = nlohmann::json::object(); // the last value of each key
            for (const auto& key : registry.metricKeys(r.id)) {
                const auto series = registry.series(r.id, key);
                j["metrics"][key] = {{"value", number(series.back().value)}, {"step", series.back().step},
                                     {"points", series.size()}};
            }
            j["class_results"] = nlohmann::json::array();
            for (const auto& c : registry.classResults(r.id))
                j["class_results"].push_back({{"task", c.task}, {"metric", c.metric}, {"class", c.className},
                                              {"value", number(c.value)}, {"step", c.step}});
            j["config"] = r.configYaml;
            std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
            return 0;
        }
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
