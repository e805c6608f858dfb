#include "ArgParser.h"
#include "Commands.h"

#include "core/eval/SegmentationScoring.h"

#include <iostream>

namespace mtlw {

int scoreSegCommand(const Args& args) {
    ArgParser p("score-seg", "Scores predicted label maps against ground-truth label maps (8-bit "
                             "PNGs of train ids, matched by file name; every *.png needs its "
                             "counterpart) and prints one JSON object: mIoU and per_class IoU "
                             "(null: class in neither). Decodes on all cores.");
    p.positional("PRED_DIR", "folder of predicted label maps")
        .positional("GT_DIR", "folder of ground-truth label maps")
        .option("num-classes", "N", "number of classes (19: Cityscapes names)", "19")
        .option("ignore", "V", "ground-truth value that never counts", "255");
    if (auto code = p.parseOrExit(args)) return *code;
    mtl::SegScoringOptions o;
    try {
        o.numClasses = static_cast<int>(p.integer("num-classes", 1, 256));
        o.ignore = static_cast<int>(p.integer("ignore", 0, 255));
    } catch (const UsageError& e) {
        std::cerr << "mtlw score-seg: " << e.what() << "\n" << p.usage() << "\n";
        return 2;
    }
    return withExitCodes("score-seg", [&] {
        const auto metrics = mtl::scoreSegmentationFolders(p.value("PRED_DIR"), p.value("GT_DIR"), o);
        std::cout << mtl::segmentationResultJson(metrics) << "\n";
        return 0;
    });
}

} // namespace mtlw
