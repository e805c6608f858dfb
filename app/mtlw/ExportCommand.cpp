#include "ArgParser.h"
#include "Commands.h"

#include "core/experiment/TensorBoardExport.h"

#include <chrono>
#include <iostream>

namespace mtlw {
namespace {

int exportTensorBoardCommand(const Args& args) {
    ArgParser p("export tensorboard",
                "Writes every scalar metric of the runs as TensorBoard event files, one sub-folder per run named "
                "'<id>-<name>' (what TensorBoard's run picker shows): `tensorboard --logdir DIR` reads them, and so "
                "do W&B (sync_tensorboard) and Aim (aim convert tensorboard). Values are stored as 32-bit floats.");
    p.positionalList("RUN", "run ids in the registry")
        .option("out", "DIR", "output folder; refused when it exists and is not empty, unless --force")
        .flag("force", "write into a folder that is not empty, replacing each exported run's sub-folder")
        .option("registry", "FILE", "SQLite registry", "$XDG_DATA_HOME/mtl-workbench/registry.sqlite");
    if (auto code = p.parseOrExit(args)) return *code;
    if (!p.has("out")) {
        std::cerr << "mtlw export: --out DIR is required\n" << p.usage() << "\n";
        return 2;
    }
    return withExitCodes("export", [&] {
        std::vector<std::int64_t> ids;
        for (const std::string& run : p.values("RUN")) ids.push_back(runIdFrom(run));
        const mtl::Registry registry(registryPathFrom(p.has("registry") ? p.value("registry") : ""));
        const auto start = std::chrono::steady_clock::now();
        const auto written = mtl::exportTensorBoard(registry, ids, p.value("out"), p.isSet("force"));
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::size_t rows = 0;
        for (const auto& e : written) {
            std::cout << e.file << ": " << e.rows << " values\n";
            rows += e.rows;
        }
        std::cout << "exported " << rows << " values of " << written.size() << " run(s) in " << seconds
                  << " s; view with: tensorboard --logdir " << p.value("out") << "\n";
        return 0;
    });
}

} // namespace

int exportCommand(const Args& args) {
    if (!args.empty() && args.front() == "tensorboard") return exportTensorBoardCommand(Args(args.begin() + 1, args.end()));
    // The one format's help is the command's (the man page is written from it).
    if (!args.empty() && (args.front() == "--help" || args.front() == "-h")) return exportTensorBoardCommand(args);
    std::cerr << "usage: mtlw export tensorboard RUN... --out DIR [--force] [--registry FILE]\n"
                 "mtlw export: give the format: tensorboard (event files for TensorBoard, W&B and Aim)\n";
    return 2;
}

} // namespace mtlw
