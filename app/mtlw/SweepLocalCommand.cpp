// `mtlw sweep --local J`: the sweep's cells trained in this process, J at a time (model program).
#include "ArgParser.h"
#include "Commands.h"
#include "ProgressPrinter.h"
#include "SweepCommand.h"

#include "core/experiment/Sweep.h"
#include "core/train/RunQueue.h"

#include <atomic>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <thread>

namespace mtlw {
namespace {

int trainCellsHere(const mtl::Sweep& sweep, int jobs, const ArgParser& p) {
    const std::string registry = registryPathFrom(p.has("registry") ? p.value("registry") : "");
    const bool quiet = p.isSet("quiet");
    // Concurrent runs share stderr: plain lines, each prefixed with its run.
    mtl::RunQueue queue(registry, jobs, [&](std::int64_t id, const std::string&) {
        return std::make_unique<ProgressPrinter>(quiet, 10, "[run " + std::to_string(id) + "] ");
    });
    std::vector<mtl::ExperimentConfig> configs;
    for (const auto& c : sweep.cells) configs.push_back(c.config);
    queue.addAll(configs, p.has("runs-dir") ? p.value("runs-dir") : "");
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
}

} // namespace

int sweepLocalCommand(const Args& args) { return sweepCommandWith(args, trainCellsHere); }

} // namespace mtlw
