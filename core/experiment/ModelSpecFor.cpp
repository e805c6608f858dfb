#include "core/experiment/ModelSpecFor.h"

namespace mtl {

ModelSpec modelSpecFor(const ModelConfig& m, const ClassNames& classes) {
    ModelSpec spec;
    spec.backbone = m.backbone;
    spec.width = m.width;
    spec.tasks = m.tasks;
    spec.segClasses = static_cast<int>(classes.seg.size());
    spec.detClasses = static_cast<int>(classes.det.size());
    spec.frozenBatchNorm = m.frozenBn;
    spec.minLevel = m.minLevel;
    spec.maxLevel = m.maxLevel;
    spec.anchorSize = m.anchorSize;
    spec.anchorScales = m.anchorScales;
    spec.anchorRatios = m.anchorRatios;
    spec.anchorDensity = m.anchorDensity;
    spec.headNorm = m.headNorm;
    spec.headDepth = m.headDepth;
    return spec;
}

} // namespace mtl
