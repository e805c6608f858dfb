#include "ArgParser.h"
#include "Commands.h"

#include "core/eval/EquivarianceProbe.h"
#include "core/common/Error.h"
#include "core/eval/RunPredictor.h"

#include <algorithm>
#include <iostream>

namespace mtlw {

int diagnoseCommand(const Args& args) {
    ArgParser p("diagnose", "Diagnostics of a trained run. 'equivariance': for each affine family of the strong "
                            "view (flip, translate, rotate, shear, scale) at three magnitudes, how far the run's "
                            "model commutes with it, f(T x) = T f(x), on images of a split: segmentation as the mIoU "
                            "between the two label maps where both exist, detection as the recall at IoU 0.5 of "
                            "the warped boxes (score >= --box-score) and the mean IoU of the matches. 1 = exactly "
                            "equivariant. Prints a table, or one JSON object with --json, and keeps the JSON "
                            "in the run folder (equivariance.json: the GUI's Equivariance tab plots it) unless "
                            "--no-save.");
    p.positional("WHAT", "equivariance")
        .positional("RUN", "run id in the registry, or a run folder")
        .option("split", "NAME", "split of the run's data set", "val")
        .option("checkpoint", "FILE", "weights to probe instead of the run's best", "")
        .option("max-images", "N", "images of the split (its first ones)", "20")
        .option("box-score", "S", "detections compared: those scoring at least S", "0.5")
        .option("device", "NAME", "auto | cpu | cuda", "auto")
        .flag("json", "print JSON instead of the table")
        .flag("no-save", "do not write equivariance.json into the run folder")
        .option("registry", "FILE", "SQLite registry", "$XDG_DATA_HOME/mtl-workbench/registry.sqlite");
    if (auto code = p.parseOrExit(args)) return *code;
    int maxImages = 0;
    mtl::EquivarianceOptions o;
    try {
        if (p.value("WHAT") != "equivariance")
            throw UsageError("unknown diagnostic '" + p.value("WHAT") + "' (equivariance)");
        maxImages = static_cast<int>(p.integer("max-images", 1, 100000));
        o.boxScore = p.number("box-score");
        if (!(o.boxScore >= 0 && o.boxScore <= 1)) throw UsageError("--box-score must be in [0, 1]");
    } catch (const UsageError& e) {
        std::cerr << "mtlw diagnose: " << e.what() << "\n" << p.usage() << "\n";
        return 2;
    }
    return withExitCodes("diagnose", [&] {
        mtl::RunPredictorOptions po;
        po.checkpoint = p.value("checkpoint");
        po.device = p.value("device");
        mtl::RunPredictor predictor(
            mtl::openStoredRun(p.value("RUN"), registryPathFrom(p.has("registry") ? p.value("registry") : "")), po);
        const auto diagnosis = predictor.diagnoseEquivariance(p.value("split"), maxImages, o, !p.has("no-save"));
        const auto& scores = diagnosis.scores;
        if (p.has("json")) {
            std::cout << mtl::equivarianceJson(scores) << "\n";
        } else {
            std::cout << "run " << predictor.run().name << ", checkpoint " << predictor.checkpointPath() << " (step "
                      << predictor.checkpointStep() << "), " << diagnosis.images << " images of " << diagnosis.data
                      << "\n" << mtl::equivarianceTable(scores);
        }
        return 0;
    });
}

} // namespace mtlw
