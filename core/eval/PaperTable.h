#pragma once
// The paper's tables from runs' stored results (best.json, else results.json):
//   - per-class tables (Tables 5, 6, 8, 9): a "% pixels" / "% objects" row of the data set's
//     class shares, then one row per run (method, "id name") with its per-class IoU or AP and
//     mean ± std across classes; the best value of each column in bold;
//   - seeds of one experiment (core/experiment/SeedGroups.h) are one row or cell: the mean over
//     the seeds ± their std, with n; the best chosen by the mean;
//   - summary grids (Tables 1–4, 7): rows method × sampling × task within a block per setting,
//     columns the label counts (or the training splits when the run used the labels on disk),
//     the best value per block, column and task in bold, and □ on the multi-task run with the
//     highest geometric mean in each block and column.
// Torch-free; the GUI builds the same tables.
#include "core/data/Dataset.h"
#include "core/data/DatasetReport.h"
#include "core/experiment/StoredRun.h"
#include "core/eval/RunResults.h"
#include "core/eval/TableFormat.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mtl {

// What a table needs to know of a run.
struct TableRun {
    std::int64_t id = 0; // registry id; 0 when unknown (a folder not named by one)
    std::string name;
    LearningMethod method;             // train.method
    std::string sampling;              // train.sampling (implicit | explicit)
    std::string tasks;                 // model.tasks (multi | seg | det)
    std::string setting = "none";      // of the label split: a..e, or none (labels on disk)
    std::string trainSplits;           // data.train_splits
    std::optional<std::size_t> segLabels, detLabels; // images labeled per task by the split
    std::int64_t seed = 0;
    int steps = 0;                     // train.steps
    std::string groupKey;              // seedGroupKey: equal keys are seeds of one experiment
    std::string dataset;               // what it validated on; one table's runs must agree
    // The controls it trained under (issue 35's, which tables must not mix with the method itself):
    // "no flip" (its training views are not flipped), "oracle" (train.pseudo_source), "λ max 0"
    // (train.unsup_weight other than 1); empty for none.
    std::string controls;
    StoredResults results;
};

// Reads the run's results (InputError naming the folder when it has none) and its split.
TableRun tableRunFrom(const StoredRun& run);

// The method and its controls: "Dense FixMatch", "Dense FixMatch [oracle]", ...
std::string methodName(const TableRun& run);
// The row label of a run: "Supervised", "FixMatch* (I)", "Dense FixMatch (E)", "Dense FixMatch [oracle] (E)", ...
std::string methodLabel(const TableRun& run);

// `shares`: percent per class of the task (empty: no shares row). InputError when a run did not
// evaluate the task, its classes or data set differ from the first run's, or a run is given twice.
Table perClassTable(const std::vector<TableRun>& runs, Task task, const std::vector<double>& shares);
// The "% pixels" / "% objects" row's numbers: class shares of `splits` ('+'-joined; empty: the
// run's training splits) of the data set `config` trained on, from the cache (core
// ClassShareCache), computed on `threads` threads the first time. A data set that is not on this
// machine is never generated: no shares then, and a note saying why. InputError when a split does
// not exist or a label is malformed.
struct SharesRow {
    std::optional<ClassShares> shares;
    std::string note; // why there are none
};
SharesRow trainingClassShares(const ExperimentConfig& config, const std::string& splits, int threads);
// InputError when two seed groups fill one cell, or as perClassTable.
Table summaryGrid(const std::vector<TableRun>& runs);

} // namespace mtl
