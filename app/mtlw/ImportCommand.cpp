#include "ArgParser.h"
#include "Commands.h"

#include "core/experiment/RunFolder.h"

#include <iostream>

namespace mtlw {

int importCommand(const Args& args) {
    ArgParser p("import", "Merges run folders (e.g. written by the tasks of 'mtlw sweep --slurm') into the "
                          "registry: config, split, metrics, last results, checkpoints and files. A folder "
                          "already imported (the same run.json uid) is updated, not added again, so importing "
                          "twice gives the same registry. A folder still marked running enters as interrupted.");
    p.positionalList("RUN_DIR", "run folders (each with run.json)")
        .option("registry", "FILE", "SQLite registry", "$XDG_DATA_HOME/mtl-workbench/registry.sqlite");
    if (auto code = p.parseOrExit(args)) return *code;
    return withExitCodes("import", [&] {
        // Every folder is read before anything is written: one bad folder imports nothing.
        std::vector<mtl::RunSnapshot> snapshots;
        for (const std::string& dir : p.values("RUN_DIR")) snapshots.push_back(mtl::readRunFolder(dir));
        mtl::Registry registry(registryPathFrom(p.has("registry") ? p.value("registry") : ""));
        for (const auto& s : snapshots) {
            const bool known = registry.runByUid(s.record.uid).has_value();
            const std::int64_t id = registry.mergeRun(s);
            std::cout << (known ? "updated" : "imported") << " run " << id << " (" << mtl::toString(s.record.status)
                      << ", " << s.metrics.size() << " metric values): " << s.record.name << "\n";
        }
        return 0;
    });
}

} // namespace mtlw
