#include "ArgParser.h"
#include "Commands.h"

#include "core/eval/PaperTable.h"

#include <iostream>

namespace mtlw {

int tableCommand(const Args& args) {
    ArgParser p("table", "Prints the paper's tables from runs' results (best.json, else results.json in each run "
                         "folder). Per-class (default): a '% pixels' or '% objects' row of the data set, one row per "
                         "run with per-class IoU (--task seg) or AP (--task det) and mean±std, the best per class in "
                         "bold. --grid: mAP and mIoU in rows setting x method x sampling x task, columns the label "
                         "counts of the runs' splits (or the training splits), the best per column in bold and a "
                         "square on the multi-task run with the best geometric mean. CSV drops the emphasis.");
    p.positionalList("RUN", "run ids in the registry, or run folders")
        .option("task", "seg|det", "the task of a per-class table", "seg")
        .option("format", "csv|md|latex", "output format", "md")
        .flag("grid", "a summary grid (Tables 1-4, 7) instead of a per-class table")
        .option("shares-split", "SPLITS", "split(s) of the first run's data set for the shares row; 'none' leaves "
                                          "it out (default: the first run's data.train_splits)", "")
        .option("threads", "N", "threads reading labels for the shares row (0: all cores)", "0")
        .option("registry", "FILE", "SQLite registry", "$XDG_DATA_HOME/mtl-workbench/registry.sqlite");
    if (auto code = p.parseOrExit(args)) return *code;
    int threads = 0;
    try {
        threads = static_cast<int>(p.integer("threads", 0, 1024));
        if (p.value("task") != "seg" && p.value("task") != "det")
            throw UsageError("option '--task' must be seg or det, got '" + p.value("task") + "'");
    } catch (const UsageError& e) {
        std::cerr << "mtlw table: " << e.what() << "\n" << p.usage() << "\n";
        return 2;
    }
    return withExitCodes("table", [&] {
        const mtl::TableFormat format = mtl::parseTableFormat(p.value("format"));
        const std::string registry = registryPathFrom(p.has("registry") ? p.value("registry") : "");
        std::vector<mtl::StoredRun> folders;
        std::vector<mtl::TableRun> runs;
        for (const std::string& run : p.values("RUN")) {
            folders.push_back(mtl::openStoredRun(run, registry));
            runs.push_back(mtl::tableRunFrom(folders.back()));
        }
        mtl::Table table;
        if (p.isSet("grid")) {
            table = mtl::summaryGrid(runs);
        } else {
            const mtl::Task task = p.value("task") == "seg" ? mtl::Task::Segmentation : mtl::Task::Detection;
            std::vector<double> shares;
            if (p.value("shares-split") != "none") {
                const mtl::SharesRow row = mtl::trainingClassShares(folders.front().config, p.value("shares-split"), threads);
                if (row.shares) shares = task == mtl::Task::Segmentation ? row.shares->segPercent : row.shares->detPercent;
                else std::cerr << "mtlw table: " << row.note << "\n";
            }
            table = mtl::perClassTable(runs, task, shares);
        }
        std::cout << mtl::formatTable(table, format);
        return 0;
    });
}

} // namespace mtlw
