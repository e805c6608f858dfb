#include "ArgParser.h"
#include "Commands.h"

#include "core/eval/RunPredictor.h"

#include <iostream>

namespace mtlw {

int evalCommand(const Args& args) {
    ArgParser p("eval", "Evaluates a run's weights (best.pt, else the last checkpoint.pt) on a split of its "
                        "data set against the full-resolution labels, at the run's eval.input_width x "
                        "eval.input_height (0: full resolution), and prints one JSON object: run, checkpoint, "
                        "step, split, images, input, segmentation {mIoU, std, per_class}, detection {mAP, AP50, "
                        "AP75, std, per_class}, geometric_mean (null values: class without ground truth).");
    p.positional("RUN", "run id in the registry, or a run folder")
        .option("split", "NAME", "split of the run's data set", "val")
        .option("checkpoint", "FILE", "weights to evaluate instead of the run's best", "")
        .option("coco-out", "DIR", "write gt.json and detections.json (COCO) here", "")
        .option("seg-out", "DIR", "write the predicted train-id maps (<image id>.png) here", "")
        .option("max-images", "N", "evaluate the first N images only (0: all)", "0")
        .option("batch-size", "N", "images per forward pass", "4")
        .option("device", "NAME", "auto | cpu | cuda", "auto")
        .option("registry", "FILE", "SQLite registry", "$XDG_DATA_HOME/mtl-workbench/registry.sqlite");
    if (auto code = p.parseOrExit(args)) return *code;
    mtl::EvaluationOptions o;
    try {
        o.maxImages = static_cast<int>(p.integer("max-images", 0, 1 << 30));
        o.batchSize = static_cast<int>(p.integer("batch-size", 1, 1024));
    } catch (const UsageError& e) {
        std::cerr << "mtlw eval: " << e.what() << "\n" << p.usage() << "\n";
        return 2;
    }
    o.split = p.value("split");
    o.cocoOut = p.value("coco-out");
    o.segOut = p.value("seg-out");
    return withExitCodes("eval", [&] {
        mtl::RunPredictorOptions po;
        po.checkpoint = p.value("checkpoint");
        po.device = p.value("device");
        mtl::RunPredictor predictor(
            mtl::openStoredRun(p.value("RUN"), registryPathFrom(p.has("registry") ? p.value("registry") : "")), po);
        std::cout << predictor.evaluate(o).json << "\n";
        return 0;
    });
}

} // namespace mtlw
