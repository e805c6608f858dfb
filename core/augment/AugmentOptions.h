#pragma once
// What the augmentation engine is told to do: the config's `augment:` section. Torch-free.
#include "core/augment/AugmentOps.h"
#include "core/common/EnumNames.h"

#include <string>
#include <vector>

namespace mtl {

// invariant = FixMatch* (strong view: photometric ops and cutout only; the teacher target needs no
// geometric warp); equivariant = Dense FixMatch (also shear, translate, rotate and flip, undone on
// the teacher's outputs through A∘α⁻¹).
enum class AugmentMode { Invariant, Equivariant };
// Whether a random choice is made once for the whole batch or separately for every sample.
enum class DrawScope { PerBatch, PerSample };

struct BoxFilter {
    // A warped box is dropped when its clipped width or height is below minSize pixels, or when the
    // part inside the view is less than minVisible of the warped box's area ("mostly outside").
    // 0.25 keeps boxes of objects cut by the crop (they are still objects in the view; dropping them
    // would teach the detector that their visible part is background) but not slivers.
    double minSize = 2.0;
    double minVisible = 0.25;
};

struct AugmentOptions {
    // Weak view α: scale s ~ U[scaleMin, scaleMax], crop of cropWidth × cropHeight, flip p = 0.5.
    // The paper crops 800 × 800 at 0.5–2; the defaults fit the CPU default input (256 × 128).
    int cropWidth = 256;
    int cropHeight = 128;
    double scaleMin = 0.5;
    double scaleMax = 2.0;
    bool flip = true; // Table 10 marks the weak flip "disabled for FixMatch*": set false to follow it
    // Strong view A: RandAugment with numOps distinct operations from the mode's pool, in random
    // order. The paper draws the operations per batch ("2 per batch") and kornia the magnitudes per
    // sample; both are configurable.
    AugmentMode mode = AugmentMode::Equivariant;
    int numOps = 2;
    DrawScope opsDraw = DrawScope::PerBatch;
    DrawScope magnitudeDraw = DrawScope::PerSample;
    // Where the authors' public code differs from the paper's text (off by default and in every
    // shipped config): `cutoutAlways` gives every strong view a cutout after its drawn operations
    // and takes cutout out of the pool; `strongShift` > 0 starts every strong view with a shift of
    // the weak crop by a uniform draw in [−strongShift, strongShift) of its width and of its
    // height, whole pixels, per sample (their code: 0.5), and takes the translations out of the
    // pool. The shift moves pixels, so it needs the equivariant mode.
    bool cutoutAlways = false;
    double strongShift = 0;
    BoxFilter boxes;
};

// The operations RandAugment draws from, in table order: invariant = the 9 photometric ops +
// cutout, equivariant = those and the 6 geometric ones; less cutout with `cutoutAlways` and the
// translations with `strongShift`. Never the shifts.
std::vector<AugmentOp> opPool(const AugmentOptions& options);

template <> const EnumTable<AugmentMode>& enumTable<AugmentMode>();
template <> const EnumTable<DrawScope>& enumTable<DrawScope>();
std::string toString(AugmentMode mode);
std::string toString(DrawScope scope);
// Throw InputError naming the valid values.
AugmentMode parseAugmentMode(const std::string& text);
DrawScope parseDrawScope(const std::string& text);

// Checks what single values cannot: scaleMin ≤ scaleMax, numOps ≤ the pool size, positive sizes,
// strongShift in [0, 0.5] and only in the equivariant mode.
// Throws InputError.
void validateAugmentOptions(const AugmentOptions& options);

} // namespace mtl
