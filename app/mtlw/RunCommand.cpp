#include "ArgParser.h"
#include "Commands.h"
#include "ProcessLauncher.h"
#include "ProgressPrinter.h"

#include "core/common/Error.h"
#include "core/experiment/ExperimentConfig.h"
#include "core/experiment/Registry.h"
#include "core/train/TrainingRun.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

namespace mtlw {
int runCommand(const Args& args) {
    ArgParser p("run", "Trains the experiment described by CONFIG (YAML; 'base: FILE' inherits from another "
                       "config) in a background thread, logs losses and validation metrics to the registry and "
                       "the run folder, and prints the result table. Ctrl-C stops the run cleanly (it is marked "
                       "interrupted); --resume continues it from its last checkpoint.");
    p.optionalPositional("CONFIG", "experiment config, e.g. experiments/quickstart.yaml (not with --resume)")
        .repeatable("set", "KEY=VALUE", "override one config key, e.g. --set train.steps=100")
        .option("resume", "RUN", "continue run RUN (interrupted, failed or queued) from its last checkpoint")
        .option("registry", "FILE", "SQLite registry", "$XDG_DATA_HOME/mtl-workbench/registry.sqlite")
        .option("runs-dir", "DIR", "folder for run folders", "runs/ beside the registry")
        .option("run-dir", "DIR", "the run's folder itself (instead of one made under --runs-dir)")
        .flag("quiet", "no progress bar or step lines; messages, validations and results only")
        .option("nproc-per-node", "N", "train one run with N processes on this machine, each on a shard of every "
                "batch (one GPU each on CUDA; the cores shared on CPU); see docs/CLUSTER.md")
        .option("timeout", "SECONDS", "data-parallel: how long a process waits for the others before the run "
                "stops, interrupted", "1800");
    if (auto code = p.parseOrExit(args)) return *code;
    if (p.has("resume") == p.has("CONFIG")) {
        std::cerr << "mtlw run: give either CONFIG or --resume RUN\n" << p.usage() << "\n";
        return 2;
    }
    if (p.has("resume") && (p.has("set") || p.has("run-dir") || p.has("runs-dir"))) {
        std::cerr << "mtlw run: --resume continues a run as it was configured: no --set, --run-dir or --runs-dir\n";
        return 2;
    }

    return withExitCodes("run", [&] {
        const std::string registry = registryPathFrom(p.has("registry") ? p.value("registry") : "");
        mtl::DataParallelSetup parallel;
        parallel.world = mtl::processWorldFromEnvironment();
        parallel.timeoutSeconds = static_cast<int>(p.integer("timeout", 1, 7 * 24 * 3600));
        if (p.has("nproc-per-node")) {
            if (parallel.world.distributed())
                throw mtl::InputError("--nproc-per-node: this process is already " + parallel.world.describe() +
                                      " (from " + parallel.world.source + ")");
            LaunchOptions launch;
            launch.processes = static_cast<int>(p.integer("nproc-per-node", 1, 1024));
            launch.timeoutSeconds = parallel.timeoutSeconds;
            launch.registryPath = registry;
            // Bad input fails here, once, before any process starts.
            if (p.has("CONFIG")) {
                const auto config = mtl::loadExperimentConfig(p.value("CONFIG"), p.values("set"));
                if (config.train.batchSize % launch.processes != 0)
                    throw mtl::InputError("train.batch_size " + std::to_string(config.train.batchSize) +
                                          " is the global batch and must be a multiple of --nproc-per-node " +
                                          std::to_string(launch.processes));
            }
            if (launch.processes > 1) return launchProcesses(withoutOption(args, "nproc-per-node"), launch);
        }
        std::unique_ptr<mtl::TrainingRun> run;
        if (!parallel.world.isWritingRank()) {
            run = mtl::TrainingRun::otherRank(parallel); // rank 0 has the run and its config
        } else if (p.has("resume")) {
            run = mtl::TrainingRun::resume(runIdFrom(p.value("resume")), registry, parallel);
        } else {
            // The config is checked before the registry is touched: bad input writes nothing.
            const mtl::ExperimentConfig config = mtl::loadExperimentConfig(p.value("CONFIG"), p.values("set"));
            run = std::make_unique<mtl::TrainingRun>(config, registry, p.has("runs-dir") ? p.value("runs-dir") : "",
                                                     p.has("run-dir") ? p.value("run-dir") : "", parallel);
        }
        if (const char* idFile = std::getenv("MTLW_RUN_ID_FILE"); idFile && *idFile && parallel.world.isWritingRank())
            std::ofstream(idFile) << run->id() << "\n"; // for the launcher's account of a fault
        // The other ranks print only their own failure: rank 0 speaks for the run.
        ProgressPrinter progress(p.isSet("quiet"), 10);
        watchSignals(true);
        run->start(parallel.world.isWritingRank() ? &progress : nullptr);
        while (run->running()) {
            if (interruptRequested()) run->requestStop();
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        const mtl::RunStatus status = run->wait();
        watchSignals(false);
        if (auto v = run->lastValidation(); v && status == mtl::RunStatus::Finished) {
            std::cout << "run " << run->id() << " (" << run->config().name << "): " << run->runDir() << "\n";
            printResultTable(std::cout, *v);
        }
        if (status == mtl::RunStatus::Failed)
            std::cerr << "mtlw run: " << (parallel.world.isWritingRank() ? "" : "rank " + std::to_string(parallel.world.rank) + ": ")
                      << run->errorMessage() << "\n";
        return exitCodeOf(status, run->failedOnInput());
    });
}

} // namespace mtlw
