// `mtlw dataset anchors DATASET --config CFG`: can the config's anchors match the data set's boxes?
#include "ArgParser.h"
#include "Commands.h"

#include "core/data/DatasetLocator.h"
#include "core/eval/AnchorCoverage.h"
#include "core/experiment/ExperimentConfig.h"
#include "core/experiment/ModelSpecFor.h"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>
#include <sstream>

namespace mtlw {
namespace {

std::string percent(double share) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(1) << 100 * share << " %";
    return s.str();
}

std::string anchorsLine(const mtl::ModelSpec& spec) {
    std::ostringstream s;
    s << "levels P" << spec.minLevel << "-P" << spec.maxLevel << ", anchor_size " << spec.anchorSize << ", "
      << spec.anchorScales << " scales per octave, ratios [";
    for (std::size_t i = 0; i < spec.anchorRatios.size(); ++i) s << (i ? ", " : "") << spec.anchorRatios[i];
    s << "]";
    if (spec.anchorDensity > 1) s << ", anchor_density " << spec.anchorDensity;
    return s.str();
}

nlohmann::ordered_json countsJson(const mtl::CoverageCounts& c) {
    return {{"boxes", c.boxes},
            {"iou_at_least_0.5", c.share(c.positive)},
            {"iou_0.4_to_0.5", c.share(c.ignored)},
            {"iou_below_0.4", c.share(c.low)},
            {"positives_per_box", c.positivesPerBox()}};
}

void printRow(const std::string& name, const mtl::CoverageCounts& c) {
    std::cout << std::left << std::setw(16) << name << std::right << std::setw(8) << c.boxes << std::setw(10)
              << percent(c.share(c.positive)) << std::setw(12) << percent(c.share(c.ignored)) << std::setw(10)
              << percent(c.share(c.low)) << std::setw(12) << std::fixed << std::setprecision(2) << c.positivesPerBox()
              << "\n";
}

} // namespace

int datasetAnchorsCommand(const Args& args) {
    ArgParser p("dataset anchors",
                "Before training: for every detection box of a split at the config's training scale, the best IoU "
                "any of the config's anchors reaches (RetinaNet makes an anchor positive at IoU >= 0.5 and ignores "
                "it in [0.4, 0.5)), per class and per pyramid level, the anchors at IoU >= 0.5 per box, and the "
                "cheapest change of model.anchor_size, model.anchor_ratios, model.min_level and model.anchor_density "
                "that brings 95 % of the boxes to IoU >= 0.4 (no box left to the best-anchor rescue alone).");
    p.positional("DATASET", "the data set: synthetic, synthetic:ROOT, cityscapes:ROOT or bdd100k:ROOT")
        .option("config", "FILE", "experiment config whose model and training scale are used")
        .repeatable("set", "KEY=VALUE", "override one config key, e.g. --set model.anchor_size=12")
        .option("split", "S", "split whose boxes are counted ('+' joins splits)", "train")
        .option("threads", "N", "decoding threads (0: all cores)", "0")
        .flag("json", "print one JSON object instead of a table");
    if (auto code = p.parseOrExit(args)) return *code;
    if (!p.has("config")) {
        std::cerr << "mtlw dataset anchors: --config FILE is required\n" << p.usage() << "\n";
        return 2;
    }
    return withExitCodes("dataset anchors", [&] {
        const mtl::ExperimentConfig config = mtl::loadExperimentConfig(p.value("config"), p.values("set"));
        const int threads = static_cast<int>(p.integer("threads", 0, 1024));
        const auto data = mtl::openDataset(mtl::locateDataset(p.value("DATASET"), config.data.synthetic), p.value("split"));
        std::vector<double> scales;
        const auto boxes = mtl::trainingScaleBoxes(*data, config, threads, &scales);
        const mtl::ModelSpec spec = mtl::modelSpecFor(config.model, data->classes());
        const mtl::AnchorLayout layout = mtl::anchorLayoutFor(spec);
        const auto coverage = mtl::anchorCoverage(boxes, layout, spec.detClasses);
        const auto suggestion = mtl::suggestAnchors(boxes, spec);
        const auto& classes = data->classes().det;

        if (p.isSet("json")) {
            nlohmann::ordered_json out;
            out["dataset"] = data->description();
            out["config"] = p.value("config");
            out["scales"] = scales;
            out["anchors"] = anchorsLine(spec);
            out["all"] = countsJson(coverage.all);
            for (std::size_t c = 0; c < coverage.perClass.size(); ++c)
                out["per_class"][c < classes.size() ? classes[c] : std::to_string(c)] = countsJson(coverage.perClass[c]);
            for (std::size_t l = 0; l < coverage.perLevel.size(); ++l)
                out["per_level"]["P" + std::to_string(layout.minLevel + int(l))] = countsJson(coverage.perLevel[l]);
            out["suggestion"] = {{"min_level", suggestion.spec.minLevel},
                                 {"anchor_size", suggestion.spec.anchorSize},
                                 {"anchor_ratios", suggestion.spec.anchorRatios},
                                 {"anchor_density", suggestion.spec.anchorDensity},
                                 {"covered_iou_at_least_0.4", suggestion.coveredShare},
                                 {"reaches_95_percent", suggestion.found}};
            std::cout << out.dump(2) << "\n";
            return 0;
        }
        std::cout << data->description() << ", " << coverage.all.boxes << " boxes at training scale";
        for (std::size_t i = 0; i < scales.size(); ++i) std::cout << (i ? ", " : " x ") << scales[i];
        std::cout << "\nanchors of " << p.value("config") << ": " << anchorsLine(spec) << "\n\n"
                  << std::left << std::setw(16) << "best anchor IoU" << std::right << std::setw(8) << "boxes"
                  << std::setw(10) << ">= 0.5" << std::setw(12) << "[0.4, 0.5)" << std::setw(10) << "< 0.4"
                  << std::setw(12) << "pos./box" << "\n";
        printRow("all", coverage.all);
        for (std::size_t c = 0; c < coverage.perClass.size(); ++c)
            if (coverage.perClass[c].boxes) printRow(c < classes.size() ? classes[c] : std::to_string(c), coverage.perClass[c]);
        for (std::size_t l = 0; l < coverage.perLevel.size(); ++l)
            printRow("best on P" + std::to_string(layout.minLevel + int(l)), coverage.perLevel[l]);
        std::cout << "\n" << (suggestion.found ? "95 % of the boxes reach IoU >= 0.4 with: " : "no change tried brings 95 % of the boxes to IoU >= 0.4; the best: ")
                  << anchorsLine(suggestion.spec) << " (" << percent(suggestion.coveredShare) << ")\n";
        return 0;
    });
}

} // namespace mtlw
