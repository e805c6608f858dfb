#include "core/model/ModelSpec.h"

#include "core/common/Error.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace mtl {

template <>
const EnumTable<BackboneKind>& enumTable<BackboneKind>() {
    static const EnumTable<BackboneKind> t{
        "backbone",
        {{"resnet18", BackboneKind::ResNet18}, {"resnet34", BackboneKind::ResNet34}, {"resnet50", BackboneKind::ResNet50}}};
    return t;
}

template <>
const EnumTable<TaskSet>& enumTable<TaskSet>() {
    static const EnumTable<TaskSet> t{"task set", {{"multi", TaskSet::Multi}, {"seg", TaskSet::SegOnly}, {"det", TaskSet::DetOnly}}};
    return t;
}

template <>
const EnumTable<HeadNorm>& enumTable<HeadNorm>() {
    static const EnumTable<HeadNorm> t{"head normalisation", {{"none", HeadNorm::None}, {"group", HeadNorm::Group}}};
    return t;
}

std::string backboneName(BackboneKind kind) { return nameOf(kind); }
BackboneKind parseBackbone(const std::string& name) { return parseName<BackboneKind>(name); }
std::string taskSetName(TaskSet tasks) { return nameOf(tasks); }
TaskSet parseTaskSet(const std::string& name) { return parseName<TaskSet>(name); }
std::string headNormName(HeadNorm norm) { return nameOf(norm); }
HeadNorm parseHeadNorm(const std::string& name) { return parseName<HeadNorm>(name); }

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
