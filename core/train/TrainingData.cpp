#include "core/train/TrainingData.h"

#include "core/common/Error.h"
#include "core/common/ParallelFor.h"
#include "core/data/RepeatFactors.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>

namespace fs = std::filesystem;

namespace mtl {

namespace {

std::string resolveSplitFile(const ExperimentConfig& config) {
    fs::path p(config.data.split.file);
    if (p.is_relative() && !config.sourceFile.empty() && fs::exists(config.sourceFile))
        p = fs::path(config.sourceFile).parent_path() / p;
    return p.string();
}

// Where a config setting came from, for error messages: its file, or a config built in code.
std::string origin(const ExperimentConfig& config) {
    return config.sourceFile.empty() ? std::string("experiment config") : config.sourceFile;
}

bool inPool(const Dataset& d, std::size_t i, TrainImages which) {
    const bool seg = d.labeled(i, Task::Segmentation), det = d.labeled(i, Task::Detection);
    if (which == TrainImages::All) return true;
    return which == TrainImages::FullyLabeled ? seg && det : seg || det;
}

bool labeledFor(const Dataset& d, std::size_t i, LabeledFor which) {
    const bool seg = d.labeled(i, Task::Segmentation), det = d.labeled(i, Task::Detection);
    switch (which) {
    case LabeledFor::Both: return seg && det;
    case LabeledFor::Seg: return seg;
    case LabeledFor::Det: return det;
    case LabeledFor::Any: break;
    }
    return seg || det;
}

BatchSampler makeSampler(const ExperimentConfig& config, const Dataset& train, const std::vector<std::size_t>& pool) {
    // The pool may list an image several times (repeat factor sampling): the sampler walks it as given.
    const TrainConfig& tc = config.train;
    const auto seed = static_cast<std::uint64_t>(config.seed);
    if (tc.sampling == Sampling::Implicit) return BatchSampler::implicitSampling(pool, tc.batchSize, seed);
    std::vector<std::size_t> labeled, unlabeled;
    for (std::size_t i : pool) (labeledFor(train, i, tc.labeledFor) ? labeled : unlabeled).push_back(i);
    try {
        return BatchSampler::explicitSampling(labeled, unlabeled, tc.labeledBatch, tc.unlabeledBatch, seed);
    } catch (const InputError& e) {
        throw InputError(origin(config) + ": train.sampling: " + e.what() + " (data.train_images: " +
                         nameOf(config.data.trainImages) + ", train.labeled_for: " + nameOf(tc.labeledFor) + ")");
    }
}

} // namespace

TrainingData prepareTrainingData(const ExperimentConfig& config, const DatasetLocation& where) {
    const DataConfig& dc = config.data;
    std::shared_ptr<const Dataset> base = openDataset(where, dc.trainSplits, dc.onError);
    std::shared_ptr<const Dataset> train = base;
    std::optional<LabelSplit> split;
    std::string splitName;
    if (!dc.split.file.empty()) {
        if (dc.split.setting != SplitSetting::None)
            throw InputError(origin(config) + ": data.split: give either a file or a setting, not both");
        splitName = resolveSplitFile(config);
        split = readLabelSplit(splitName);
    } else if (dc.split.setting != SplitSetting::None) {
        const std::size_t poolSize = [&] {
            std::size_t n = 0;
            for (std::size_t i = 0; i < base->size(); ++i)
                n += base->labeled(i, Task::Segmentation) && base->labeled(i, Task::Detection);
            return n;
        }();
        const auto count = [&](const std::string& text, const char* key) -> std::optional<std::size_t> {
            if (dc.split.setting == SplitSetting::A && std::string(key) == "det" && text == "all") return std::nullopt;
            return parseLabelCount(text, poolSize, origin(config) + ": data.split." + key);
        };
        split = makeLabelSplit(*base, nameOf(dc.split.setting), count(dc.split.det, "det"), count(dc.split.seg, "seg"),
                               static_cast<std::uint64_t>(dc.split.seed));
        split->dataset = dc.dataset;
        splitName = origin(config) + ": data.split";
    }
    std::string splitJson;
    if (split) {
        train = std::make_shared<PartialLabels>(base, *split, splitName);
        splitJson = labelSplitToJson(*split, base->size());
    }

    std::vector<std::size_t> pool;
    for (std::size_t i = 0; i < train->size(); ++i)
        if (inPool(*train, i, dc.trainImages)) pool.push_back(i);
    if (pool.empty())
        throw InputError(origin(config) + ": data.train_images: " + nameOf(dc.trainImages) + " selects no image of " +
                         train->description());
    std::string repeatSummary;
    BatchSampler sampler = [&] {
        if (config.train.repeatThreshold <= 0) return makeSampler(config, *train, pool);
        const RepeatFactors factors = repeatFactors(*train, pool, config.train.repeatThreshold, config.train.threads);
        const auto repeated = repeatedPool(pool, factors.perImage, static_cast<std::uint64_t>(config.seed));
        repeatSummary = "; " + factors.summary(train->classes(), pool.size(), repeated.size());
        return makeSampler(config, *train, repeated);
    }();

    std::string summary = train->description() + ": " + std::to_string(train->size()) + " images, " +
                          std::to_string(train->labeledCount(Task::Detection)) + " labeled for detection, " +
                          std::to_string(train->labeledCount(Task::Segmentation)) + " for segmentation; " +
                          std::to_string(pool.size()) + " in the training pool (" + nameOf(dc.trainImages) + "), " +
                          nameOf(config.train.sampling) + " sampling" + repeatSummary;
    if (!base->skipped().empty())
        summary += "; " + std::to_string(base->skipped().size()) + " images skipped (first: " +
                   base->skipped().front() + ")";
    return TrainingData{train, split ? base : nullptr, split, splitJson, std::move(pool), std::move(sampler), summary};
}

void checkLabelsFor(const ModelSpec& spec, const Dataset& train, const std::string& dataset) {
    const std::string tasks = "model.tasks '" + taskSetName(spec.tasks) + "'";
    if (spec.hasSeg() && train.labeledCount(Task::Segmentation) == 0)
        throw InputError(tasks + " has a segmentation head, but no training image of " + dataset +
                         " is labeled for segmentation (use model.tasks: det)");
    if (spec.hasDet() && train.labeledCount(Task::Detection) == 0)
        throw InputError(tasks + " has a detection head, but no training image of " + dataset +
                         " is labeled for detection (use model.tasks: seg)");
}

} // namespace mtl
