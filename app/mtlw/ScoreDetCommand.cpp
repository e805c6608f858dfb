#include "ArgParser.h"
#include "Commands.h"

#include "core/eval/CocoJson.h"

#include <iostream>

namespace mtlw {

int scoreDetCommand(const Args& args) {
    ArgParser p("score-det", "Scores COCO detection results against COCO ground truth (bbox AP as "
                             "pycocotools computes it) and prints one JSON object: mAP, AP50, AP75 "
                             "and per_class AP by category name (null: no ground truth).");
    p.positional("GT", "COCO ground-truth JSON (images, annotations, categories)")
        .positional("DETS", "COCO results JSON: [{image_id, category_id, bbox, score}, ...]");
    if (auto code = p.parseOrExit(args)) return *code;
    return withExitCodes("score-det", [&] {
        std::cout << mtl::scoreCocoFiles(p.value("GT"), p.value("DETS")) << "\n";
        return 0;
    });
}

} // namespace mtlw
