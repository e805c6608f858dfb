#include "ArgParser.h"
#include "Commands.h"
#include "ProgressPrinter.h"

#include "core/experiment/Sweep.h"
#include "core/train/RunQueue.h"

#include <atomic>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <thread>

namespace mtlw {

int sweepCommand(const Args& args) {
    ArgParser p("sweep", "Expands the sweep FILE (a base config and a grid over config keys) into one run per "
                         "cell. --local J trains them here, J at a time, recording each in the registry; "
                         "--slurm DIR writes a SLURM job array (DIR/sweep.sbatch, one config per cell in "
                         "DIR/configs) whose tasks each train one cell into DIR/runs/cell-N; 'mtlw import "
                         "DIR/runs/*' then merges the results. Without either, prints the cells.");
    p.positional("FILE", "sweep file (YAML: base, name, set, grid, slurm)")
        .option("local", "J", "train the cells in this process, J runs at a time")
        .option("slurm", "DIR", "write the SLURM job array into DIR")
        .repeatable("set", "KEY=VALUE", "override one config key in every cell")
        .option("registry", "FILE", "SQLite registry (with --local)", "$XDG_DATA_HOME/mtl-workbench/registry.sqlite")
        .option("runs-dir", "DIR", "folder for run folders (with --local)", "runs/ beside the registry")
        .flag("quiet", "no step lines; messages, validations and the summary only");
    if (auto code = p.parseOrExit(args)) return *code;
    if (p.has("local") && p.has("slurm")) {
        std::cerr << "mtlw sweep: give --local or --slurm, not both\n" << p.usage() << "\n";
        return 2;
    }
    int jobs = 0;
    try {
        if (p.has("local")) jobs = static_cast<int>(p.integer("local", 1, 256));
    } catch (const UsageError& e) {
        std::cerr << "mtlw sweep: " << e.what() << "\n" << p.usage() << "\n";
        return 2;
    }
    return withExitCodes("sweep", [&] {
        const mtl::Sweep sweep = mtl::loadSweep(p.value("FILE"), p.values("set"));
        if (p.has("slurm")) {
            const std::string script = mtl::writeSlurmArray(sweep, p.value("slurm"));
            std::cout << sweep.cells.size() << " cells; submit with: sbatch " << script << "\n";
            return 0;
        }
        if (!p.has("local")) {
            for (const auto& c : sweep.cells) std::cout << mtl::cellNumber(sweep, c.index) << "  " << c.config.name << "\n";
            return 0;
        }
        const std::string registry = registryPathFrom(p.has("registry") ? p.value("registry") : "");
        const bool quiet = p.isSet("quiet");
        // Concurrent runs share stderr: plain lines, each prefixed with its run.
        mtl::RunQueue queue(registry, jobs, [&](std::int64_t id, const std::string&) {
            return std::make_unique<ProgressPrinter>(quiet, 10, "[run " + std::to_string(id) + "] ");
        });
        for (const auto& c : sweep.cells) queue.add(c.config, p.has("runs-dir") ? p.value("runs-dir") : "");
        watchSignals(true);
        std::atomic<bool> allEnded{false};
        std::thread watcher([&] {
            // Ctrl-C: running cells stop cleanly, the others are marked interrupted (resumable).
            while (!allEnded) {
                if (interruptRequested()) {
                    queue.stopAll();
                    return;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        });
        const auto results = queue.waitAll();
        allEnded = true;
        watcher.join();
        const bool interrupted = interruptRequested();
        watchSignals(false);
        int code = 0;
        std::cout << std::left << std::setw(6) << "id" << std::setw(13) << "status" << std::setw(10) << "score" << "name\n";
        for (const auto& r : results) {
            std::ostringstream score;
            if (r.validation) score << std::fixed << std::setprecision(4) << r.validation->geometricMean;
            std::cout << std::setw(6) << r.id << std::setw(13) << mtl::toString(r.status) << std::setw(10)
                      << (r.validation ? score.str() : "-") << r.name << "\n";
            code = std::max(code, exitCodeOf(r.status, r.failedOnInput) == 0 ? 0 : 1);
        }
        return interrupted ? 130 : code;
    });
}

} // namespace mtlw
