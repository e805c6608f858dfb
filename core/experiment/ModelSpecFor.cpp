#include "core/experiment/ModelSpecFor.h"

namespace mtl {

ModelSpec modelSpecFor(const ModelConfig& m, const ClassNames& classes) {
    ModelSpec spec;
    spec.backbone = parseBackbone(m.backbone);
    spec.width = m.width;
    spec.tasks = parseTaskSet(m.tasks);
    spec.segClasses = static_cast<int>(classes.seg.size());
    spec.detClasses = static_cast<int>(classes.det.size());
    spec.frozenBatchNorm = m.frozenBn;
    spec.anchorSize = m.anchorSize;
    return spec;
}

} // namespace mtl
