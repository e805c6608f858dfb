#include "ArgParser.h"
#include "Commands.h"
#include "ProgressPrinter.h"

#include "core/common/Error.h"
#include "core/experiment/ExperimentConfig.h"
#include "core/experiment/Registry.h"
#include "core/train/TrainingRun.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

namespace mtlw {
namespace {
std::atomic<bool> g_interrupted{false};
extern "C" void onSignal(int) { g_interrupted = true; }
} // namespace

std::string registryPathFrom(const std::string& optionValue) {
    return optionValue.empty() ? mtl::Registry::defaultPath() : optionValue;
}

int runCommand(const Args& args) {
    ArgParser p("run", "Trains the experiment described by CONFIG (YAML) in a background thread, logs "
                       "losses and validation metrics to the registry and the run folder, and prints "
                       "the result table. Ctrl-C stops the run cleanly (it is marked interrupted).");
    p.positional("CONFIG", "experiment config, e.g. experiments/quickstart.yaml")
        .option("registry", "FILE", "SQLite registry", "$XDG_DATA_HOME/mtl-workbench/registry.sqlite")
        .option("runs-dir", "DIR", "folder for run folders", "runs/ beside the registry")
        .flag("quiet", "no progress bar or step lines; messages, validations and results only");
    if (auto code = p.parseOrExit(args)) return *code;

    return withExitCodes("run", [&] {
        // The config is checked before the registry is touched: bad input writes nothing.
        const mtl::ExperimentConfig config = mtl::loadExperimentConfig(p.value("CONFIG"));
        const std::string registry = registryPathFrom(p.has("registry") ? p.value("registry") : "");
        mtl::TrainingRun run(config, registry, p.has("runs-dir") ? p.value("runs-dir") : "");
        ProgressPrinter progress(p.isSet("quiet"), 10);
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
        run.start(&progress);
        while (run.running()) {
            if (g_interrupted) run.requestStop();
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        const mtl::RunStatus status = run.wait();
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
        if (auto v = run.lastValidation(); v && status == mtl::RunStatus::Finished) {
            std::cout << "run " << run.id() << " (" << config.name << "): " << run.runDir() << "\n";
            printResultTable(std::cout, *v);
        }
        if (status == mtl::RunStatus::Finished) return 0;
        if (status == mtl::RunStatus::Interrupted) return 130;
        std::cerr << "mtlw run: " << run.errorMessage() << "\n";
        return run.failedOnInput() ? 2 : 1;
    });
}

} // namespace mtlw
