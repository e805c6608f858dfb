#pragma once
// The random parameters of the weak and strong views, drawn on the CPU (a few numbers per sample),
// and the 3×3 matrices they define. Torch-free. Drawing them apart from the pixel work makes views
// identical for a seed on every device, and lets tests and the command line give exact parameters.
//
// Random numbers: std::mt19937_64 seeded with the call's seed (its output sequence is fixed by the
// C++ standard) turned into doubles from its top 53 bits, so the draws are the same with every
// compiler and standard library (std::uniform_real_distribution is not).
#include "core/augment/Affine2D.h"
#include "core/augment/AugmentOptions.h"

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

namespace mtl {

struct FrameSize {
    int width = 0, height = 0;
};

// Weak view α of one sample: resize by `scale`, crop the view's size at integer offset (cropX,
// cropY) of the resized image, then mirror when `flip`. A negative offset (the resized image is
// smaller than the crop) places the image inside the crop; the rest is padding (image 0, labels
// 255 = ignore, and not valid).
struct WeakParams {
    double scale = 1;
    int cropX = 0, cropY = 0;
    bool flip = false;
};

// One operation of a strong view, as applied. For cutout, positionX/Y ∈ [0, 1] place the rectangle
// within the range where it fits (0 = left/top edge, 1 = right/bottom edge).
struct AppliedOp {
    AugmentOp op = AugmentOp::Invert;
    double magnitude = 0;
    double positionX = 0.5, positionY = 0.5;
};
using StrongOps = std::vector<AppliedOp>; // one sample's operations in the order drawn

struct CutoutRect {
    double x = 0, y = 0, width = 0, height = 0; // view pixels, continuous coordinates
};

// Weak view ← source image: x' = s x − cropX (then x' → W − x' when flipped), y' = s y − cropY.
Affine2D weakMatrix(const WeakParams& params, FrameSize view);
// Strong view ← weak view: the geometric operations composed in the order drawn (identity for
// photometric-only lists). The strong view's matrix from the source is this times weakMatrix.
Affine2D strongGeometry(const StrongOps& ops, FrameSize view);
// The cutout rectangle of the list, if it has a cutout.
std::optional<CutoutRect> cutoutRect(const StrongOps& ops, FrameSize view);

class AugmentRandom {
public:
    explicit AugmentRandom(std::uint64_t seed) : engine_(seed) {}
    double uniform(double lo, double hi); // [lo, hi)
    int integer(int lo, int hi);          // uniform over lo..hi inclusive
    bool coin() { return integer(0, 1) == 1; }

private:
    std::mt19937_64 engine_;
};

// A batch's seed from a run seed and a step (splitmix64 of both), so that consecutive steps get
// unrelated streams.
std::uint64_t augmentSeed(std::uint64_t runSeed, std::uint64_t step);

// Weak parameters for `batch` samples whose source images are `source`-sized.
std::vector<WeakParams> drawWeakParams(const AugmentOptions& options, FrameSize source, int batch,
                                       AugmentRandom& random);
// RandAugment: options.numOps distinct operations of the mode's pool in random order, per batch or
// per sample; magnitudes uniform in each op's range (posterize: uniform over the whole bits),
// per sample or per batch; cutout positions always per sample. Then, per sample, the options'
// cutout (last) and shift (first) where they ask for them (AugmentOptions).
std::vector<StrongOps> drawStrongOps(const AugmentOptions& options, int batch, AugmentRandom& random);

} // namespace mtl
