#pragma once
// ImageNet weights for the backbone from a file written by Python's torch.save of a torchvision
// ResNet's state dict as a plain dict (README, "Pretrained backbone"):
//   python3 -c "import torch, torchvision; torch.save(dict(torchvision.models.resnet50(
//       weights='IMAGENET1K_V1').state_dict()), 'resnet50-imagenet.pt')"
#include "core/model/ResNet.h"

#include <map>
#include <string>

namespace mtl {

// name → tensor. InputError naming the file when it cannot be read or holds no dict of tensors.
std::map<std::string, torch::Tensor> readStateDict(const std::string& path);

// Copies every parameter and buffer of the backbone from the file, matched by torchvision's names
// (keys the backbone lacks, such as fc.*, are ignored). InputError naming the file and the key for
// a missing key or a shape that differs (another depth or width multiplier). Returns the number of
// tensors copied.
int loadPretrainedBackbone(ResNetImpl& backbone, const std::string& path);

} // namespace mtl
