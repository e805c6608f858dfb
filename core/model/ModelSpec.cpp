#include "core/model/ModelSpec.h"

#include "core/common/Error.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace mtl {

std::string backboneName(BackboneKind kind) {
    switch (kind) {
    case BackboneKind::ResNet18: return "resnet18";
    case BackboneKind::ResNet34: return "resnet34";
    case BackboneKind::ResNet50: return "resnet50";
    }
    return "unknown";
}

BackboneKind parseBackbone(const std::string& name) {
    for (auto k : {BackboneKind::ResNet18, BackboneKind::ResNet34, BackboneKind::ResNet50})
        if (backboneName(k) == name) return k;
    throw InputError("unknown backbone '" + name + "' (expected resnet18, resnet34 or resnet50)");
}

std::string taskSetName(TaskSet tasks) {
    switch (tasks) {
    case TaskSet::Multi: return "multi";
    case TaskSet::SegOnly: return "seg";
    case TaskSet::DetOnly: return "det";
    }
    return "unknown";
}

TaskSet parseTaskSet(const std::string& name) {
    for (auto t : {TaskSet::Multi, TaskSet::SegOnly, TaskSet::DetOnly})
        if (taskSetName(t) == name) return t;
    throw InputError("unknown task set '" + name + "' (expected multi, seg or det)");
}

std::string headNormName(HeadNorm norm) { return norm == HeadNorm::Group ? "group" : "none"; }

HeadNorm parseHeadNorm(const std::string& name) {
    if (name == "none") return HeadNorm::None;
    if (name == "group") return HeadNorm::Group;
    throw InputError("unknown head normalisation '" + name + "' (expected none or group)");
}

int scaledChannels(int channels, double width) {
    return std::max(1, static_cast<int>(std::lround(channels * width)));
}

std::string architectureName(const ModelSpec& spec) {
    std::ostringstream out;
    out << backboneName(spec.backbone) << " width " << spec.width << " tasks " << taskSetName(spec.tasks);
    if (spec.hasSeg()) out << " seg_classes " << spec.segClasses;
    if (spec.hasDet()) {
        out << " det_classes " << spec.detClasses << " anchor_size " << spec.anchorSize;
        const ModelSpec paper;
        if (spec.minLevel != paper.minLevel || spec.maxLevel != paper.maxLevel)
            out << " levels P" << spec.minLevel << "-P" << spec.maxLevel;
        if (spec.anchorScales != paper.anchorScales) out << " anchor_scales " << spec.anchorScales;
        if (spec.anchorRatios != paper.anchorRatios) {
            out << " anchor_ratios";
            for (std::size_t i = 0; i < spec.anchorRatios.size(); ++i) out << (i ? "," : " ") << spec.anchorRatios[i];
        }
        if (spec.anchorDensity != paper.anchorDensity) out << " anchor_density " << spec.anchorDensity;
        if (spec.headNorm != paper.headNorm) out << " head_norm " << headNormName(spec.headNorm);
        if (spec.headDepth != paper.headDepth) out << " head_depth " << spec.headDepth;
    }
    return out.str();
}

} // namespace mtl
