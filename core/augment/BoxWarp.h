#pragma once
// Boxes through an affine map: the four corners are mapped, their enclosing axis-aligned box is
// clipped to the destination frame [0, W] × [0, H], and the box is dropped when the filter says so
// (too small after clipping, or mostly outside the frame). Under rotation and shear the enclosing
// box of the corners is larger than the object's tight box: that is the method's definition.
#include "core/augment/Affine2D.h"
#include "core/augment/AugmentOptions.h"
#include "core/data/Sample.h"

#include <vector>

namespace mtl {

// Boxes whose coordinates are not finite are rejected with InputError (naming the box index), so
// no NaN ever reaches a loss; boxes with x2 < x1 or y2 < y1 are treated as empty and dropped.
std::vector<Box> warpBoxes(const std::vector<Box>& boxes, const Affine2D& dstFromSrc, int dstWidth,
                           int dstHeight, const BoxFilter& filter);

} // namespace mtl
