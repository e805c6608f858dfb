#pragma once
// The strong augmentation's operations (RandAugment as in the paper's Table 10), their names and
// magnitude ranges. Torch-free: the command line and the config validate against this table.
//
// Table 10 lists 14 rows; "Shear X/Y" and "Translate X/Y" are two operations each here (as in
// RandAugment and in the Dense FixMatch pool), so the pool has 16 operations. Magnitudes are in the
// table's units: threshold in [0,1] of the intensity range, bits, enhancement factor, degrees,
// percent of the view's width/height, percent of the view's area.
//
// Photometric definitions (images are RGB floats in [0,1]; "valid" pixels are those that come from
// inside the source image — statistics use only those, and pixels outside are reset to the pad
// value afterwards). They follow PIL's ImageOps / ImageEnhance on continuous values, i.e. without
// PIL's rounding of each result to 8 bits:
//   AutoContrast  per channel c: lo = min, hi = max over valid pixels; v' = (v − lo)/(hi − lo);
//                 unchanged when hi ≤ lo.
//   Equalize      per channel, on 8-bit levels q = round(255 v): h = histogram over valid pixels;
//                 if fewer than two levels occur, unchanged; step = ⌊(Σh − h[last occupied level])
//                 / 255⌋; if step = 0, unchanged; else q' = min(255, ⌊(⌊step/2⌋ + Σ_{k<q} h[k]) /
//                 step⌋) and v' = q'/255.
//   Invert        v' = 1 − v.
//   Solarize(t)   v' = v if v < t, else 1 − v (t ∈ [0.1, 1]).
//   Posterize(b)  keeps the b high bits of q = round(255 v): v' = (q AND NOT (2^(8−b) − 1)) / 255,
//                 b ∈ {4,…,8}.
//   Blend(f)      the four enhancements blend a degenerate image D with the image I:
//                 v' = clamp(D + f (I − D), 0, 1), f ∈ [0.1, 1.9];
//   Saturation    D = luma L = 0.299 R + 0.587 G + 0.114 B in every channel (PIL's Color);
//   Contrast      D = the mean of L over valid pixels, in every pixel and channel (PIL rounds this
//                 mean to an 8-bit level; we do not);
//   Brightness    D = 0 (black): v' = clamp(f v) — multiplicative as PIL, not kornia's additive;
//   Sharpness     D = I smoothed by PIL's SMOOTH kernel [1 1 1; 1 5 1; 1 1 1]/13 per channel, with the
//                 one-pixel frame of the image kept from I (as PIL's filter leaves it).
//   Cutout(a)     an axis-aligned rectangle with the view's aspect ratio and a % of its area
//                 (a ∈ [10, 30]) is set to 0.5 gray; its position is uniform over the places where
//                 it fits inside the view. It is applied last, after all photometric ops, and its
//                 pixels carry no loss (labels and teacher targets become ignore there).
// Geometric definitions (about the view's centre c = (W/2, H/2), see Affine2D):
//   ShearX/Y(φ)   φ ∈ [−17°, 17°];  TranslateX/Y(p) shift by p % of W (or H), p ∈ [−15, 15];
//   Rotate(θ)     θ ∈ [−30°, 30°], counter-clockwise on screen;  HFlip  x → W − x.
//   ShiftX/Y(p)   as TranslateX/Y with p ∈ [−50, 50]: the authors' public code moves the strong
//                 crop by up to half a crop instead of drawing translations. Never drawn by
//                 RandAugment (opPool); `augment.strong_shift` puts one of each first in every
//                 strong view.
#include <string>
#include <vector>

namespace mtl {

enum class AugmentOp {
    AutoContrast, Equalize, Invert, Solarize, Posterize, Saturation, Contrast, Brightness, Sharpness,
    ShearX, ShearY, TranslateX, TranslateY, Rotate, HFlip, Cutout, ShiftX, ShiftY
};

enum class OpKind { Photometric, Geometric, Cutout };

struct OpInfo {
    AugmentOp op;
    const char* name;   // as on the command line and in records, e.g. "shear_x"
    OpKind kind;
    double lo, hi;      // magnitude range (both 0 for operations without a magnitude)
    bool integral;      // magnitude must be a whole number (posterize bits)
    const char* unit;   // for messages and --help
};

// Every operation in declaration order.
const std::vector<OpInfo>& augmentOps();
const OpInfo& opInfo(AugmentOp op);
std::string opName(AugmentOp op);
bool hasMagnitude(AugmentOp op);
// Throws InputError naming the valid names.
AugmentOp parseAugmentOp(const std::string& name);
// Throws InputError when the magnitude is not finite, outside the op's range, or not whole for an
// integral op (messages name the op, the value and the range).
void checkMagnitude(AugmentOp op, double magnitude);

} // namespace mtl
