#pragma once
// A model's predictions at the resolution of the labels, shared by validation during training,
// `mtlw eval` and the GUI's viewer (through RunPredictor). The model may see the image at another
// size (eval.input_width × eval.input_height): segmentation logits are then upsampled bilinearly
// to the label size before the argmax, and boxes are scaled back. An input whose sides are not
// multiples of 32 is padded (right and bottom, with the mean colour) so that every pyramid level
// lines up; the padding is cropped from the logits and boxes are clipped to the unpadded image.
#include "core/data/Sample.h"
#include "core/model/ImagePrediction.h"
#include "core/model/DetectionPostprocess.h"
#include "core/model/MultiTaskModel.h"

#include <vector>

namespace mtl {

// Each sample's `image` is the model input (all of one size); its `imageSize` is the size of its
// labels, what predictions are mapped to. Detections whose box has no area after clipping and
// scaling are dropped: they can match nothing, and COCO results files reject them. Runs under
// NoGradGuard; the caller puts the model in eval mode.
std::vector<ImagePrediction> predictBatch(MultiTaskModelImpl& model, const std::vector<const Sample*>& samples,
                                          const torch::Device& device, const PostprocessOptions& postprocess);

} // namespace mtl
