#pragma once
// Box arithmetic on tensors of (x1, y1, x2, y2) boxes with continuous edges (width = x2 − x1):
// IoU, the RetinaNet box coder, generalized IoU loss, clipping and non-maximum suppression.
#include <torch/torch.h>

namespace mtl {

// IoU of every box of a (… × M × 4) with every box of b (… × K × 4) → … × M × K; leading
// dimensions broadcast. Pairs with an empty union give 0.
torch::Tensor pairwiseIou(const torch::Tensor& a, const torch::Tensor& b);

// Box coder with weights (1, 1, 1, 1): dx = (gx − ax) / aw, dy likewise, dw = log(gw / aw), dh
// likewise, with centres x1 + w/2. Element-wise over … × 4.
torch::Tensor encodeBoxes(const torch::Tensor& boxes, const torch::Tensor& anchors);
// Inverse of encodeBoxes; dw and dh are clamped to log(1000/16) first so that exp cannot overflow.
torch::Tensor decodeBoxes(const torch::Tensor& deltas, const torch::Tensor& anchors);

// 1 − GIoU of corresponding boxes (… × 4 each) → …; GIoU = IoU − (|C| − |A ∪ B|) / |C| with C the
// smallest enclosing box, eps 1e-7 in both divisions.
torch::Tensor generalizedIouLoss(const torch::Tensor& predicted, const torch::Tensor& target);

// Clips K × 4 boxes to [0, width] × [0, height].
torch::Tensor clipBoxes(const torch::Tensor& boxes, double width, double height);

// Greedy NMS: indices (long, CPU) of the kept boxes in descending score order; a box is dropped
// when its IoU with an already kept one exceeds iouThreshold. Ties in score keep input order.
torch::Tensor nms(const torch::Tensor& boxes, const torch::Tensor& scores, double iouThreshold);
// NMS within each class only (boxes of different classes never suppress each other).
torch::Tensor classwiseNms(const torch::Tensor& boxes, const torch::Tensor& scores,
                           const torch::Tensor& classes, double iouThreshold);

} // namespace mtl
