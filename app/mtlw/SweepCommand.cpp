#include "ArgParser.h"
#include "Commands.h"
#include "HelperProgram.h"
#include "SweepCommand.h"

#include "core/experiment/Sweep.h"

#include <iostream>

namespace mtlw {

ArgParser sweepParser() {
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
    return p;
}

int sweepCommandWith(const Args& args, const LocalSweep& trainHere) {
    ArgParser p = sweepParser();
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
        return trainHere(sweep, jobs, p);
    });
}

int sweepCommand(const Args& args) {
    return sweepCommandWith(args, [&](const mtl::Sweep&, int, const ArgParser&) { return runInHelper(Program::Model, "sweep", args); });
}

} // namespace mtlw
