#include "core/experiment/Sweep.h"

#include "core/common/Error.h"
#include "core/common/Paths.h"
#include "core/experiment/ConfigSchema.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace fs = std::filesystem;

namespace mtl {
namespace {

[[noreturn]] void fail(const std::string& file, const YAML::Mark& mark, const std::string& what) {
    throw ConfigError(file, mark.line + 1, mark.column + 1, what);
}

struct GridAxis {
    std::string key, label; // label: the key's last part, or the whole key where parts collide
    YAML::Mark keyMark;
    std::vector<YAML::Node> values;
};

std::string scalarOf(const YAML::Node& n, const std::string& file, const std::string& what) {
    if (!n.IsScalar()) fail(file, n.Mark(), what + " must be a single value");
    return n.Scalar();
}

int intOf(const YAML::Node& n, const std::string& file, const std::string& what) {
    try {
        const int v = n.as<int>();
        if (v < 0) fail(file, n.Mark(), what + " must not be negative");
        return v;
    } catch (const YAML::Exception&) {
        fail(file, n.Mark(), what + " must be an integer, got '" + (n.IsScalar() ? n.Scalar() : "?") + "'");
    }
}

SlurmOptions readSlurm(const YAML::Node& s, const std::string& file) {
    if (!s.IsMap()) fail(file, s.Mark(), "'slurm' must be a section (a map of keys)");
    SlurmOptions o;
    for (const auto& kv : s) {
        const std::string key = scalarOf(kv.first, file, "a key");
        const std::string what = "'slurm." + key + "'";
        if (key == "partition") o.partition = scalarOf(kv.second, file, what);
        else if (key == "time") o.time = scalarOf(kv.second, file, what);
        else if (key == "mem") o.mem = scalarOf(kv.second, file, what);
        else if (key == "cpus_per_task") o.cpusPerTask = intOf(kv.second, file, what);
        else if (key == "gpus") o.gpus = intOf(kv.second, file, what);
        else if (key == "max_parallel") o.maxParallel = intOf(kv.second, file, what);
        else if (key == "processes_per_run") o.processesPerRun = intOf(kv.second, file, what);
        else fail(file, kv.first.Mark(), "unknown key 'slurm." + key +
                                             "' (partition, time, mem, cpus_per_task, gpus, max_parallel, processes_per_run)");
    }
    // SBATCH values reach the script verbatim: keep them to one plain word.
    for (const std::string* v : {&o.partition, &o.time, &o.mem})
        if (v->find_first_of(" \t\n'\"\\$`;") != std::string::npos)
            fail(file, s.Mark(), "slurm values must not contain spaces, quotes or shell characters: '" + *v + "'");
    return o;
}

std::vector<GridAxis> readGrid(const YAML::Node& g, const std::string& file) {
    if (!g.IsMap() || g.size() == 0) fail(file, g.Mark(), "'grid' must map config keys to lists of values");
    std::vector<GridAxis> axes;
    std::map<std::string, int> lastParts;
    for (const auto& kv : g) {
        GridAxis a;
        a.key = scalarOf(kv.first, file, "a grid key");
        a.keyMark = kv.first.Mark();
        const YAML::Node& list = kv.second;
        if (!list.IsSequence() || list.size() == 0)
            fail(file, list.IsNull() ? kv.first.Mark() : list.Mark(), "grid key '" + a.key + "' needs a non-empty list of values");
        for (const auto& v : list) a.values.push_back(v);
        a.label = a.key.substr(a.key.rfind('.') == std::string::npos ? 0 : a.key.rfind('.') + 1);
        ++lastParts[a.label];
        axes.push_back(std::move(a));
    }
    for (GridAxis& a : axes)
        if (lastParts[a.label] > 1) a.label = a.key;
    return axes;
}

std::string bashQuoted(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string jobName(const std::string& name) {
    std::string out;
    for (char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    return out.empty() ? "mtlw-sweep" : out;
}

} // namespace

Sweep loadSweep(const std::string& path, const std::vector<std::string>& overrides) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path + ": cannot read the sweep file");
    std::stringstream text;
    text << in.rdbuf();
    const YAML::Node root = configschema::loadYaml(text.str(), path);
    if (!root.IsMap()) fail(path, root.Mark(), "a sweep must be a map with 'base' and 'grid'");
    for (const auto& kv : root) {
        const std::string key = scalarOf(kv.first, path, "a key");
        if (key != "base" && key != "name" && key != "set" && key != "grid" && key != "slurm")
            fail(path, kv.first.Mark(), "unknown key '" + key + "' (base, name, set, grid, slurm)");
    }
    if (!root["base"]) fail(path, root.Mark(), "a sweep needs 'base': the config every cell starts from");
    if (!root["grid"]) fail(path, root.Mark(), "a sweep needs 'grid': config keys and their values");
    fs::path base(scalarOf(root["base"], path, "'base'"));
    if (base.is_relative()) base = fs::path(path).parent_path() / base;
    if (!fs::is_regular_file(base))
        fail(path, root["base"].Mark(), "base config " + base.lexically_normal().string() + " does not exist");
    const ExperimentConfig start = loadExperimentConfig(base.lexically_normal().string());

    Sweep sweep;
    sweep.file = path;
    sweep.name = root["name"] ? scalarOf(root["name"], path, "'name'") : start.name;
    if (root["slurm"]) sweep.slurm = readSlurm(root["slurm"], path);
    const std::vector<GridAxis> axes = readGrid(root["grid"], path);
    const YAML::Node fixed = root["set"];
    if (fixed && !fixed.IsMap()) fail(path, fixed.Mark(), "'set' must map config keys to values");

    std::size_t total = 1;
    for (const GridAxis& a : axes) {
        total *= a.values.size();
        if (total > 100000) fail(path, a.keyMark, "the grid has more than 100000 cells");
    }
    for (std::size_t cell = 0; cell < total; ++cell) {
        SweepCell c;
        c.index = static_cast<int>(cell);
        c.config = start;
        if (fixed)
            for (const auto& kv : fixed)
                configschema::applyValue(c.config, scalarOf(kv.first, path, "a key"), kv.second, kv.first.Mark(), path);
        // Mixed radix, the last axis varying fastest.
        std::size_t rest = cell;
        std::vector<std::size_t> pick(axes.size());
        for (std::size_t i = axes.size(); i-- > 0;) {
            pick[i] = rest % axes[i].values.size();
            rest /= axes[i].values.size();
        }
        std::string name = sweep.name;
        for (std::size_t i = 0; i < axes.size(); ++i) {
            const YAML::Node& v = axes[i].values[pick[i]];
            configschema::applyValue(c.config, axes[i].key, v, axes[i].keyMark, path);
            const std::string shown = v.IsScalar() ? v.Scalar() : YAML::Dump(v);
            c.values.push_back({axes[i].key, shown});
            name += " " + axes[i].label + "=" + shown;
        }
        for (const std::string& o : overrides) applyOverride(c.config, o);
        c.config.name = name;
        configschema::validateRelations(c.config, path, root["grid"].Mark(), path, root.Mark());
        sweep.cells.push_back(std::move(c));
    }
    return sweep;
}

std::string cellNumber(const Sweep& sweep, int index) {
    const std::size_t width = std::max<std::size_t>(3, std::to_string(sweep.cells.size() - 1).size());
    std::string n = std::to_string(index);
    return std::string(width > n.size() ? width - n.size() : 0, '0') + n;
}

std::string writeSlurmArray(const Sweep& sweep, const std::string& dirText) {
    if (sweep.cells.empty()) throw InputError(sweep.file + ": the sweep has no cells");
    const fs::path dir = fs::absolute(dirText).lexically_normal();
    std::error_code ec;
    for (const char* sub : {"configs", "logs", "runs"}) {
        fs::create_directories(dir / sub, ec);
        if (ec) throw InputError((dir / sub).string() + ": cannot create the folder: " + ec.message());
    }
    for (const SweepCell& c : sweep.cells)
        writeFileAtomically((dir / "configs" / ("cell-" + cellNumber(sweep, c.index) + ".yaml")).string(),
                            "# " + c.config.name + " (cell " + std::to_string(c.index) + " of " + sweep.file + ")\n" +
                                toYaml(c.config));

    const SlurmOptions& s = sweep.slurm;
    const std::size_t width = cellNumber(sweep, 0).size();
    std::ostringstream out;
    out << "#!/bin/bash\n"
        << "# Written by `mtlw sweep " << sweep.file << " --slurm`: one array task per cell ("
        << sweep.cells.size() << " cells). Submit with: sbatch " << (dir / "sweep.sbatch").string() << "\n"
        << "#SBATCH --job-name=" << jobName(sweep.name) << "\n"
        << "#SBATCH --array=0-" << sweep.cells.size() - 1 << (s.maxParallel > 0 ? "%" + std::to_string(s.maxParallel) : "") << "\n"
        << "#SBATCH --output=" << (dir / "logs").string() << "/cell-%a.out\n";
    if (!s.partition.empty()) out << "#SBATCH --partition=" << s.partition << "\n";
    if (!s.time.empty()) out << "#SBATCH --time=" << s.time << "\n";
    if (!s.mem.empty()) out << "#SBATCH --mem=" << s.mem << "\n";
    if (s.processesPerRun > 1) out << "#SBATCH --nodes=1\n#SBATCH --ntasks-per-node=" << s.processesPerRun << "\n";
    if (s.cpusPerTask > 0) out << "#SBATCH --cpus-per-task=" << s.cpusPerTask << "\n";
    if (s.gpus > 0 && s.processesPerRun > 1) out << "#SBATCH --gpus-per-task=" << s.gpus << "\n";
    else if (s.gpus > 0) out << "#SBATCH --gpus=" << s.gpus << "\n";
    out << "set -euo pipefail\n"
        << "MTLW=\"${MTLW:-mtlw}\"\n"
        << "SWEEP_DIR=" << bashQuoted(dir.string()) << "\n"
        << "cell=$(printf '%0" << width << "d' \"$SLURM_ARRAY_TASK_ID\")\n"
        << "# The run folder on the shared file system keeps everything; the registry is the node's own\n"
        << "# (SQLite over a network file system is unsafe). Afterwards: mtlw import \"$SWEEP_DIR\"/runs/*\n"
        << (s.processesPerRun > 1
                ? "# One data-parallel run of " + std::to_string(s.processesPerRun) +
                      " processes (srun's tasks; rank 0 writes); a port per array task on shared nodes.\n"
                      "export MASTER_PORT=$((29500 + SLURM_ARRAY_TASK_ID % 20000))\n"
                      "exec srun \"$MTLW\""
                : std::string("exec \"$MTLW\""))
        << " run \"$SWEEP_DIR/configs/cell-$cell.yaml\" --run-dir \"$SWEEP_DIR/runs/cell-$cell\" \\\n"
        << "    --registry \"${TMPDIR:-/tmp}/mtlw-${SLURM_ARRAY_JOB_ID:-0}-$cell.sqlite\" --quiet\n";
    const std::string script = (dir / "sweep.sbatch").string();
    writeFileAtomically(script, out.str());
    fs::permissions(script, fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add, ec);
    return script;
}

} // namespace mtl
