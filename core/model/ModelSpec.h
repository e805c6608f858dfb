#pragma once
// What a multi-task model is made of: backbone, width, heads, class counts, anchor size. Free of
// Torch headers, so that the config, the command line and the GUI can talk about models.
#include "core/common/EnumNames.h"
#include <string>
#include <vector>

namespace mtl {

enum class BackboneKind { ResNet18, ResNet34, ResNet50 };
enum class TaskSet { Multi, SegOnly, DetOnly };
enum class HeadNorm { None, Group }; // normalisation in RetinaNet's towers (GroupNorm: RetinaNet v2)

struct ModelSpec {
    BackboneKind backbone = BackboneKind::ResNet50;
    double width = 1.0;         // multiplier on every channel count (backbone and heads)
    TaskSet tasks = TaskSet::Multi;
    int segClasses = 19;        // Cityscapes and BDD100K: 19 train ids
    int detClasses = 8;         // Cityscapes 8, BDD100K 10
    bool frozenBatchNorm = false; // backbone BatchNorm in inference mode, its affine terms fixed
    // RetinaNet's pyramid and anchors: levels P<minLevel>..P<maxLevel> (stride 2^level), anchors of
    // anchorSize on the lowest level doubling per level, anchorScales sizes per octave
    // (size · 2^{i/scales}) and the aspect ratios (height / width). The paper: P3–P7, 32, 3, 0.5/1/2.
    int minLevel = 3, maxLevel = 7;
    int anchorSize = 32;
    int anchorScales = 3;
    std::vector<double> anchorRatios{0.5, 1.0, 2.0};
    // Anchor densification (FaceBoxes): the smallest size of every level tiled density × density
    // times per cell, stride / density apart, so that boxes of a few pixels find an anchor centred
    // close enough to reach IoU 0.4 on a coarse grid. 1 (the paper): one anchor per shape and cell.
    int anchorDensity = 1;
    HeadNorm headNorm = HeadNorm::None;
    int headDepth = 4; // convolutions per tower (RetinaNet: 4); fewer make a fine level like P2 affordable

    bool hasSeg() const { return tasks != TaskSet::DetOnly; }
    bool hasDet() const { return tasks != TaskSet::SegOnly; }
};

// Names as the config writes them: "resnet18", "resnet34", "resnet50"; "multi", "seg", "det".
// The parsers throw InputError naming the accepted values.
template <> const EnumTable<BackboneKind>& enumTable<BackboneKind>();
template <> const EnumTable<TaskSet>& enumTable<TaskSet>();
template <> const EnumTable<HeadNorm>& enumTable<HeadNorm>();
std::string backboneName(BackboneKind kind);
BackboneKind parseBackbone(const std::string& name);
std::string taskSetName(TaskSet tasks);
TaskSet parseTaskSet(const std::string& name);

std::string headNormName(HeadNorm norm); // "none" or "group"
HeadNorm parseHeadNorm(const std::string& name);

// round(channels · width), at least 1: the channel count of a layer under a width multiplier.
int scaledChannels(int channels, double width);

// Everything that decides the shapes of the model's tensors and what its outputs mean, as one line.
// A checkpoint stores it; loading it into a model with another architecture is refused with both
// lines in the message. Pyramid and anchor settings appear only where they differ from the paper's,
// so that checkpoints written before they were configurable keep their names.
std::string architectureName(const ModelSpec& spec);

} // namespace mtl
