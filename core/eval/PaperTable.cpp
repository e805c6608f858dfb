#include "core/eval/PaperTable.h"

#include "core/common/Error.h"
#include "core/common/Statistics.h"
#include "core/data/ClassShareCache.h"
#include "core/data/DatasetLocator.h"
#include "core/experiment/SeedGroups.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <tuple>

namespace mtl {
namespace {

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

// Values are compared as printed, so that equal-looking numbers are both bold.
long long rounded(double v, int decimals) { return std::llround(v * std::pow(10.0, decimals)); }

std::string samplingName(const TableRun& r) {
    if (!r.method.learnsFromTeacher() && r.sampling == "implicit") return "Uniform";
    if (r.sampling.empty()) return r.sampling;
    return static_cast<char>(std::toupper(static_cast<unsigned char>(r.sampling[0]))) + r.sampling.substr(1);
}

std::string groupOf(const TableRun& r) {
    if (r.tasks != "multi") return "Single-task";
    return r.setting == "none" ? "Multi-task" : "(" + r.setting + ")";
}

int groupOrder(const std::string& g) { return g == "Single-task" ? 0 : g == "Multi-task" ? 1 : 2; }

std::string countText(const std::optional<std::size_t>& n) { return n ? std::to_string(*n) : "all"; }

// Label counts where a split applies (the paper's "# labels"), else the training splits ("data used").
std::string columnOf(const TableRun& r) {
    if (r.setting == "none") return r.trainSplits;
    if (r.tasks == "seg") return countText(r.segLabels);
    if (r.tasks == "det") return countText(r.detLabels);
    if (r.setting == "d" || r.setting == "e") return countText(r.segLabels) + "/" + countText(r.detLabels);
    return countText(r.segLabels); // (a): detection has all; (b), (c): equal counts
}

// Numeric columns first, ascending by their leading number; others after, in order of appearance.
bool columnBefore(const std::string& a, const std::string& b) {
    const bool na = !a.empty() && std::isdigit(static_cast<unsigned char>(a[0]));
    const bool nb = !b.empty() && std::isdigit(static_cast<unsigned char>(b[0]));
    if (na != nb) return na;
    if (!na) return false;
    const long long va = std::stoll(a), vb = std::stoll(b);
    return va != vb ? va < vb : a < b;
}

const std::vector<std::optional<double>>& perClassOf(const TableRun& r, Task task) {
    return task == Task::Segmentation ? r.results.report.segIoU : r.results.report.detAP;
}

const std::vector<std::string>& namesOf(const TableRun& r, Task task) {
    return task == Task::Segmentation ? r.results.classes.seg : r.results.classes.det;
}

// Bold on the cells of `rows` whose value (at `decimals`) is the highest; only among two or more.
void boldBest(std::vector<std::pair<TableCell*, double>> cells, int decimals) {
    if (cells.size() < 2) return;
    long long best = rounded(cells.front().second, decimals);
    for (const auto& [cell, v] : cells) best = std::max(best, rounded(v, decimals));
    for (auto& [cell, v] : cells)
        if (rounded(v, decimals) == best) cell->bold = true;
}

// What a run validated on: its data set ("synthetic" by the generator's parameters) and split.
std::string validationDataName(const ExperimentConfig& c) {
    const std::string set = c.data.dataset == "synthetic" ? "synthetic " + syntheticSetName(c.data.synthetic)
                                                         : c.data.dataset;
    return set + ", split " + c.data.valSplit;
}

// The runs' seed groups (indices into runs), after checking that they belong in one table: each
// run once, all validated on one data set.
std::vector<std::vector<std::size_t>> comparableGroups(const std::vector<TableRun>& runs) {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const TableRun& r = runs[i];
        for (std::size_t j = 0; j < i; ++j) {
            if (runs[j].results.file == r.results.file)
                throw InputError("run '" + r.name + "' (" + r.results.file + ") is given twice");
            if (runs[j].dataset != r.dataset)
                throw InputError("runs '" + runs[j].name + "' (" + runs[j].dataset + ") and '" + r.name + "' (" +
                                 r.dataset + ") were validated on different data sets");
        }
        keys.push_back(r.groupKey);
    }
    return groupByKey(keys);
}

// A value of a run or the mean over a group's seeds (± their std, n), or kNoValue.
TableCell statCell(const std::vector<double>& values, std::size_t groupSize, int decimals) {
    const MeanStd s = meanAndStd(values);
    if (s.n == 0) return {kNoValue};
    TableCell cell{fixed(s.mean, decimals)};
    if (groupSize > 1) {
        cell.count = s.n;
        if (s.n > 1) cell.spread = fixed(s.std, decimals);
    }
    return cell;
}

double meanOf(const std::vector<TableRun>& runs, const std::vector<std::size_t>& group,
              double (*value)(const TableRun&)) {
    std::vector<double> values;
    for (std::size_t i : group) values.push_back(value(runs[i]));
    return meanAndStd(values).mean;
}

// "12 name", or for seeds "12 13 14 name"; " (steps 2000, 4000)" when the members trained for
// different step counts.
std::string groupLabel(const std::vector<TableRun>& runs, const std::vector<std::size_t>& group) {
    const TableRun& first = runs[group.front()];
    std::string ids, steps;
    bool stepsDiffer = false;
    for (std::size_t i : group) {
        if (runs[i].id > 0) ids += std::to_string(runs[i].id) + " ";
        steps += (steps.empty() ? "" : ", ") + std::to_string(runs[i].steps);
        stepsDiffer = stepsDiffer || runs[i].steps != first.steps;
    }
    std::string label = ids + (group.size() > 1 ? seedGroupName(first.name, first.seed) : first.name);
    if (stepsDiffer) label += " (steps " + steps + ")";
    return label;
}

double mIoUOf(const TableRun& r) { return r.results.report.mIoU; }
double mAPOf(const TableRun& r) { return r.results.report.mAP; }
double geometricMeanOf(const TableRun& r) { return r.results.report.geometricMean; }

} // namespace

TableRun tableRunFrom(const StoredRun& run) {
    TableRun t;
    t.id = run.id;
    t.name = run.name;
    t.sampling = nameOf(run.config.train.sampling);
    t.tasks = nameOf(run.config.model.tasks);
    t.trainSplits = run.config.data.trainSplits;
    t.method = run.config.train.method;
    t.seed = run.config.seed;
    t.steps = run.config.train.steps;
    t.groupKey = seedGroupKey(run.config);
    t.dataset = validationDataName(run.config);
    const TrainConfig& tc = run.config.train;
    // A semi-supervised method's weak view flips by augment.flip (FixMatch*'s configs turn it off, as
    // the paper's Table 10 does), a supervised run by train.hflip unless it trains on the weak view:
    // rows that do not flip say so, as a comparison with one that does is not a fair one.
    const bool weakView = tc.method.learnsFromTeacher() || tc.supervisedViews == SupervisedViews::Weak;
    if (!(weakView ? run.config.augment.flip : tc.hflip)) t.controls = "no flip";
    if (tc.method.learnsFromTeacher()) {
        if (tc.pseudoSource == PseudoSource::Oracle) t.controls += (t.controls.empty() ? "" : ", ") + std::string("oracle");
        if (tc.unsupWeight != 1.0) {
            std::ostringstream weight;
            weight << "\u03bb max " << tc.unsupWeight;
            t.controls += (t.controls.empty() ? "" : ", ") + weight.str();
        }
    }
    if (!run.splitJson.empty()) {
        try {
            const nlohmann::json split = nlohmann::json::parse(run.splitJson);
            t.setting = split.at("setting").get<std::string>();
            t.segLabels = split.at("counts").at("seg").get<std::size_t>();
            t.detLabels = split.at("counts").at("det").get<std::size_t>();
        } catch (const nlohmann::json::exception& e) {
            throw InputError(run.dir + ": split.json: " + e.what());
        }
    }
    t.results = readRunResults(run.dir);
    return t;
}

std::string methodName(const TableRun& run) {
    return run.controls.empty() ? run.method.displayName() : run.method.displayName() + " [" + run.controls + "]";
}

std::string methodLabel(const TableRun& run) {
    std::string label = methodName(run);
    if (run.method.learnsFromTeacher() && !run.sampling.empty())
        label += run.sampling == "implicit" ? " (I)" : run.sampling == "explicit" ? " (E)" : " (" + run.sampling + ")";
    return label;
}

Table perClassTable(const std::vector<TableRun>& runs, Task task, const std::vector<double>& shares) {
    if (runs.empty()) throw InputError("a per-class table needs at least one run");
    const bool seg = task == Task::Segmentation;
    const std::vector<std::string>& names = namesOf(runs.front(), task);
    for (const TableRun& r : runs) {
        if (perClassOf(r, task).empty())
            throw InputError("run '" + r.name + "' (" + r.results.file + ") has no " +
                             (seg ? "segmentation" : "detection") + " results");
        if (namesOf(r, task) != names)
            throw InputError("run '" + r.name + "' has other " + (seg ? "segmentation" : "detection") +
                             " classes than run '" + runs.front().name + "'");
    }
    const std::vector<std::vector<std::size_t>> groups = comparableGroups(runs);
    if (!shares.empty() && shares.size() != names.size())
        throw Error("perClassTable: " + std::to_string(shares.size()) + " shares for " +
                    std::to_string(names.size()) + " classes");

    Table t;
    t.caption = seg ? "Class-wise segmentation IoU, mean IoU and standard deviation across classes."
                    : "Class-wise detection AP, mean AP and standard deviation across classes.";
    if (groups.size() < runs.size())
        t.caption += " A row of several seeds shows in every column the mean over the seeds \u00b1 their "
                     "standard deviation (n seeds).";
    t.header = {"Method", "Run"}; // the run: which of several runs of one method a row is
    t.labelColumns = 2;
    t.header.insert(t.header.end(), names.begin(), names.end());
    t.header.push_back(seg ? "mIoU" : "mAP");
    if (!shares.empty()) {
        std::vector<TableCell> row{{seg ? "% pixels" : "% objects"}, {""}};
        for (double s : shares) row.push_back({fixed(s, 2)});
        row.push_back({""});
        t.rows.push_back(row);
        t.rulesBefore.push_back(1);
    }
    const std::size_t firstRow = t.rows.size();
    std::vector<std::vector<double>> means(names.size() + 1); // per column, per group
    for (const auto& group : groups) {
        const TableRun& first = runs[group.front()];
        std::vector<TableCell> row{{methodLabel(first)}, {groupLabel(runs, group)}};
        for (std::size_t c = 0; c <= names.size(); ++c) {
            std::vector<double> values;
            for (std::size_t i : group) {
                const ValidationReport& rep = runs[i].results.report;
                const std::optional<double> v = c < names.size() ? perClassOf(runs[i], task)[c]
                                                                 : std::optional<double>(seg ? rep.mIoU : rep.mAP);
                values.push_back(v ? *v : std::nan(""));
            }
            TableCell cell = statCell(values, group.size(), 3);
            if (c == names.size() && group.size() == 1 && cell.text != kNoValue) // the paper's ± across classes
                cell.spread = fixed(seg ? first.results.report.stdIoU : first.results.report.stdAP, 3);
            row.push_back(cell);
            means[c].push_back(meanAndStd(values).mean);
        }
        t.rows.push_back(row);
    }
    for (std::size_t c = 0; c <= names.size(); ++c) {
        std::vector<std::pair<TableCell*, double>> cells;
        for (std::size_t g = 0; g < groups.size(); ++g)
            if (std::isfinite(means[c][g])) cells.push_back({&t.rows[firstRow + g][c + t.labelColumns], means[c][g]});
        boldBest(cells, 3);
    }
    return t;
}

Table summaryGrid(const std::vector<TableRun>& runs) {
    if (runs.empty()) throw InputError("a summary grid needs at least one run");
    const std::vector<std::vector<std::size_t>> groups = comparableGroups(runs);
    struct RowKey {
        std::string group, method, sampling;
        int groupRank, methodRank, samplingRank;
        bool operator<(const RowKey& o) const {
            return std::tie(groupRank, group, methodRank, method, samplingRank, sampling) <
                   std::tie(o.groupRank, o.group, o.methodRank, o.method, o.samplingRank, o.sampling);
        }
    };
    std::vector<std::string> columns;
    std::map<RowKey, std::map<std::pair<int, std::string>, std::size_t>> grid; // task 0 = det, 1 = seg -> group
    std::string stepNotes;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const TableRun& r = runs[groups[g].front()];
        const std::string group = groupOf(r), sampling = samplingName(r), column = columnOf(r);
        const RowKey key{group, methodName(r), sampling, groupOrder(group), int(r.method.order()),
                         sampling == "Uniform" ? 0 : sampling == "Implicit" ? 1 : 2};
        if (std::find(columns.begin(), columns.end(), column) == columns.end()) columns.push_back(column);
        for (int task : {0, 1}) {
            if (!std::isfinite(meanOf(runs, groups[g], task == 0 ? mAPOf : mIoUOf))) continue;
            auto [it, added] = grid[key].emplace(std::make_pair(task, column), g);
            if (!added)
                throw InputError("runs '" + runs[groups[it->second].front()].name + "' and '" + r.name +
                                 "' fill the same cell (" + group + ", " + key.method + ", " + sampling + ", " +
                                 column + ") and differ in more than their seed: give the table one of them");
        }
        const std::string label = groupLabel(runs, groups[g]);
        if (label.find(" (steps ") != std::string::npos) stepNotes += " " + label + ".";
    }
    std::stable_sort(columns.begin(), columns.end(), columnBefore);

    Table t;
    t.caption = "Detection mAP and segmentation mIoU per setting; columns: images labeled (seg/det where they "
                "differ) or the training splits. Bold: best per setting and column; \u25a1: the multi-task run "
                "with the highest geometric mean. Sampling as in the paper: Uniform is a supervised run's implicit "
                "sampling (train.sampling: implicit).";
    if (groups.size() < runs.size())
        t.caption += " Seeds of one experiment: mean \u00b1 standard deviation over the seeds (n); best and \u25a1 "
                     "by the mean.";
    if (!stepNotes.empty()) t.caption += " Seeds trained for different step counts:" + stepNotes;
    t.header = {"Setting", "Method", "Sampling", "Task"};
    t.header.insert(t.header.end(), columns.begin(), columns.end());
    t.labelColumns = 4;
    // Each filled cell: (row, column index, seed group, setting group, column, task).
    std::vector<std::tuple<std::size_t, std::size_t, std::size_t, std::string, std::string, int>> placed;
    std::string lastGroup;
    for (const auto& [key, cells] : grid) {
        if (!t.rows.empty() && key.group != lastGroup) t.rulesBefore.push_back(t.rows.size());
        lastGroup = key.group;
        for (int task : {0, 1}) {
            bool any = false;
            for (const auto& [cellKey, g] : cells) any = any || cellKey.first == task;
            if (!any) continue;
            std::vector<TableCell> row{{key.group}, {key.method}, {key.sampling}, {task == 0 ? "Detection" : "Segmentation"}};
            for (std::size_t c = 0; c < columns.size(); ++c) {
                const auto it = cells.find({task, columns[c]});
                if (it == cells.end()) {
                    row.push_back({""});
                    continue;
                }
                std::vector<double> values;
                for (std::size_t i : groups[it->second]) values.push_back(task == 0 ? mAPOf(runs[i]) : mIoUOf(runs[i]));
                row.push_back(statCell(values, groups[it->second].size(), 4));
                placed.emplace_back(t.rows.size(), t.labelColumns + c, it->second, key.group, columns[c], task);
            }
            t.rows.push_back(row);
        }
    }
    // Pointers into t.rows are taken only now that it no longer grows: cells per (setting group,
    // column, task) for bold, and per (setting group, column) and multi-task seed group for the marker.
    std::map<std::tuple<std::string, std::string, int>, std::vector<std::pair<TableCell*, double>>> best;
    std::map<std::pair<std::string, std::string>, std::map<std::size_t, std::vector<TableCell*>>> cellsOfGroup;
    for (const auto& [row, col, g, group, column, task] : placed) {
        TableCell* cell = &t.rows[row][col];
        best[{group, column, task}].push_back({cell, meanOf(runs, groups[g], task == 0 ? mAPOf : mIoUOf)});
        if (runs[groups[g].front()].tasks == "multi") cellsOfGroup[{group, column}][g].push_back(cell);
    }
    for (auto& [where, cells] : best) boldBest(cells, 4);
    for (auto& [where, byGroup] : cellsOfGroup) {
        if (byGroup.size() < 2) continue;
        std::size_t top = byGroup.begin()->first;
        for (const auto& [g, cells] : byGroup)
            if (meanOf(runs, groups[g], geometricMeanOf) > meanOf(runs, groups[top], geometricMeanOf)) top = g;
        if (!std::isfinite(meanOf(runs, groups[top], geometricMeanOf))) continue;
        for (TableCell* cell : byGroup[top]) cell->marked = true;
    }
    return t;
}

SharesRow trainingClassShares(const ExperimentConfig& config, const std::string& splits, int threads) {
    DatasetLocation where;
    try {
        where = locateExistingDataset(config.data.dataset, config.data.synthetic);
    } catch (const InputError& e) {
        return {std::nullopt, std::string("no class shares row: ") + e.what()};
    }
    return {classSharesOf(where, splits.empty() ? config.data.trainSplits : splits, threads), ""};
}

} // namespace mtl
