#pragma once
// The paper's model: a ResNet backbone shared by a DeepLabv3+ segmentation head and a RetinaNet
// detection head; or one head only (the single-task baselines), as the ModelSpec says.
#include "core/model/Anchors.h"
#include "core/model/DeepLabHead.h"
#include "core/model/ModelSpec.h"
#include "core/model/ResNet.h"
#include "core/model/RetinaNetHead.h"

#include <torch/torch.h>

namespace mtl {

struct MultiTaskOutput {
    // N × segClasses × H/4 × W/4, the DeepLabv3+ head's own resolution (stride 4): the losses resize
    // it on the fly (core/model/SegmentationLoss.h) rather than hold N × segClasses × H × W values
    // and their gradient; segLogitsAtInputSize() is the input-sized map. Undefined without that head.
    torch::Tensor segLogits;
    torch::Tensor classLogits; // N × anchors × detClasses; undefined without a detection head
    torch::Tensor boxDeltas;   // N × anchors × 4
    std::vector<std::array<int64_t, 2>> levelSizes; // P3..P7 (height, width), for the anchors
    std::array<int64_t, 2> inputSize{0, 0};          // (height, width) of the images

    // segLogits bilinearly resized to the input size (align_corners false).
    torch::Tensor segLogitsAtInputSize() const;
};

struct ParameterSplit {
    std::vector<torch::Tensor> decayed;    // convolution weights
    std::vector<torch::Tensor> notDecayed; // BatchNorm scales and shifts, biases
};

class MultiTaskModelImpl : public torch::nn::Module {
public:
    explicit MultiTaskModelImpl(const ModelSpec& spec);
    MultiTaskOutput forward(const torch::Tensor& images); // normalised N × 3 × H × W

    // Keeps the backbone's BatchNorm in inference mode when the spec freezes it.
    void train(bool on = true) override;

    const ModelSpec& spec() const { return spec_; }
    ResNet& backbone() { return backbone_; }
    const AnchorLayout& anchorLayout() const { return anchorLayout_; }
    // The anchors matching an output's pyramid (A × 4 on the output's device), cached per size.
    torch::Tensor anchors(const MultiTaskOutput& out);
    std::vector<int64_t> anchorsPerLevel(const MultiTaskOutput& out) const;
    // Trainable parameters only (a frozen BatchNorm's are not).
    ParameterSplit parametersForWeightDecay() const;

private:
    ModelSpec spec_;
    AnchorLayout anchorLayout_;
    ResNet backbone_{nullptr};
    DeepLabHead segHead_{nullptr};
    FeaturePyramid pyramid_{nullptr};
    RetinaNetHead detHead_{nullptr};
    std::vector<std::array<int64_t, 2>> cachedSizes_;
    torch::Tensor cachedAnchors_;
};
TORCH_MODULE(MultiTaskModel);

} // namespace mtl
