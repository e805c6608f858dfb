#include "core/model/MultiTaskModel.h"

#include "core/model/Layers.h"

namespace mtl {
namespace {
bool isBatchNorm(const torch::nn::Module& m) { return m.as<SyncBatchNorm>() != nullptr; }
} // namespace

MultiTaskModelImpl::MultiTaskModelImpl(const ModelSpec& spec) : spec_(spec) {
    anchorLayout_ = anchorLayoutFor(spec);
    // Only DeepLab needs the dilated stride-16 last stage; a detector alone keeps stride 32.
    backbone_ = register_module("backbone", ResNet(spec.backbone, spec.width, /*dilateLastStage=*/spec.hasSeg()));
    if (spec.hasSeg())
        segHead_ = register_module("seg_head", DeepLabHead(backbone_->channels(4), backbone_->channels(1),
                                                           spec.segClasses, spec.width));
    if (spec.hasDet()) {
        const int channels = scaledChannels(256, spec.width);
        std::vector<int> inputs; // C<minLevel>..C5: stage l - 1 of the backbone (C2 = stage 1)
        for (int level = spec.minLevel; level <= 5; ++level) inputs.push_back(backbone_->channels(level - 1));
        pyramid_ = register_module("fpn", FeaturePyramid(inputs, channels, spec.minLevel, spec.maxLevel));
        detHead_ = register_module("det_head",
                                   RetinaNetHead(channels, anchorLayout_.perCell(), spec.detClasses, spec.headNorm, spec.headDepth));
    }
    if (spec.frozenBatchNorm) {
        for (auto& m : backbone_->modules(false))
            if (isBatchNorm(*m))
                for (auto& p : m->parameters()) p.set_requires_grad(false);
        train(is_training());
    }
}

void MultiTaskModelImpl::train(bool on) {
    torch::nn::Module::train(on);
    if (spec_.frozenBatchNorm && backbone_)
        for (auto& m : backbone_->modules(false))
            if (isBatchNorm(*m)) m->eval();
}

torch::Tensor MultiTaskOutput::segLogitsAtInputSize() const {
    if (!segLogits.defined() || (segLogits.size(2) == inputSize[0] && segLogits.size(3) == inputSize[1])) return segLogits;
    return resizeBilinear(segLogits, inputSize[0], inputSize[1]);
}

MultiTaskOutput MultiTaskModelImpl::forward(const torch::Tensor& images) {
    const BackboneFeatures f = backbone_->forward(images);
    MultiTaskOutput out;
    out.inputSize = {images.size(2), images.size(3)};
    if (segHead_) out.segLogits = segHead_->forward(f.c2, f.c5);
    if (detHead_) {
        // The dilated last stage computes at stride 16 what the undilated one computes at stride 32
        // on every other row and column: those samples are RetinaNet's C5.
        using torch::indexing::None;
        using torch::indexing::Slice;
        auto c5 = backbone_->dilatedLastStage() ? f.c5.index({Slice(), Slice(), Slice(None, None, 2), Slice(None, None, 2)})
                                                : f.c5;
        const std::vector<torch::Tensor> stages{f.c2, f.c3, f.c4, c5}; // C2..C5
        const std::vector<torch::Tensor> inputs(stages.begin() + (spec_.minLevel - 2), stages.end());
        DetectionHeadOutput det = detHead_->forward(pyramid_->forward(inputs));
        out.classLogits = det.classLogits;
        out.boxDeltas = det.boxDeltas;
        out.levelSizes = det.levelSizes;
    }
    return out;
}

torch::Tensor MultiTaskModelImpl::anchors(const MultiTaskOutput& out) {
    const auto device = out.boxDeltas.device();
    if (!cachedAnchors_.defined() || cachedSizes_ != out.levelSizes || cachedAnchors_.device() != device) {
        cachedAnchors_ = gridAnchors(anchorLayout_, out.levelSizes, device);
        cachedSizes_ = out.levelSizes;
    }
    return cachedAnchors_;
}

std::vector<int64_t> MultiTaskModelImpl::anchorsPerLevel(const MultiTaskOutput& out) const {
    std::vector<int64_t> counts;
    for (const auto& [h, w] : out.levelSizes) counts.push_back(h * w * anchorLayout_.perCell());
    return counts;
}

ParameterSplit MultiTaskModelImpl::parametersForWeightDecay() const {
    ParameterSplit split;
    for (const auto& p : named_parameters()) {
        if (!p.value().requires_grad()) continue;
        // Weight decay on scales and shifts only pulls them towards 0, which is not a useful prior.
        (p.value().dim() > 1 ? split.decayed : split.notDecayed).push_back(p.value());
    }
    return split;
}

} // namespace mtl
