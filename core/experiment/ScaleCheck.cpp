#include "core/experiment/ScaleCheck.h"

#include <cstdio>

namespace mtl {

bool trainsOnAugmentedViews(const TrainConfig& train) {
    return train.method.learnsFromTeacher() || train.supervisedViews == SupervisedViews::Weak;
}

ScaleRange trainingScales(const ExperimentConfig& config, int sourceSize, int inputSize) {
    const double loader = double(inputSize) / double(sourceSize);
    if (!trainsOnAugmentedViews(config.train)) return {loader, loader};
    return {loader * config.augment.scaleMin, loader * config.augment.scaleMax};
}

std::string evaluationScaleWarning(const ExperimentConfig& config, int sourceWidth, int sourceHeight) {
    const EvalConfig& e = config.eval;
    const bool fullResolution = e.inputWidth <= 0 || e.inputHeight <= 0;
    const double ex = fullResolution ? 1.0 : double(e.inputWidth) / sourceWidth;
    const double ey = fullResolution ? 1.0 : double(e.inputHeight) / sourceHeight;
    const ScaleRange tx = trainingScales(config, sourceWidth, config.train.inputWidth);
    const ScaleRange ty = trainingScales(config, sourceHeight, config.train.inputHeight);
    if (tx.contains(ex) && ty.contains(ey)) return {};
    char text[512];
    std::snprintf(text, sizeof text,
                  "validation sees the %dx%d images at scale %.3g x %.3g (eval.input_width x input_height %s), "
                  "outside the scales training sees: %.3g-%.3g x %.3g-%.3g (train.input_width x input_height "
                  "%dx%d%s); metrics will be depressed by the mismatch",
                  sourceWidth, sourceHeight, ex, ey,
                  fullResolution ? "0 x 0: full resolution" : (std::to_string(e.inputWidth) + "x" + std::to_string(e.inputHeight)).c_str(),
                  tx.min, tx.max, ty.min, ty.max, config.train.inputWidth, config.train.inputHeight,
                  trainsOnAugmentedViews(config.train) ? ", times augment.scale_min-scale_max" : "");
    return text;
}

} // namespace mtl
