#pragma once
// The scene's light, applied once every surface is drawn: per-material textures (foliage, grass,
// dirt, bark, brick, concrete, glass, asphalt, paving), the time of day and weather (brightness,
// tint, saturation; the glow of lamps, lit windows and headlights after dark; fog thickening with
// distance; a wet road; rain streaks), sensor noise, and the camera's roll. Label maps are only
// moved by the roll, never changed.
#include "core/data/synthetic/SynthStreet.h"

namespace mtl::synth {

void applyLight(Canvas& canvas, Rng& rng, const Street& st, bool wetRoad);
// Tilts the whole scene by a small roll: each column moves up or down in proportion to its
// distance from the centre (slope in 1/1024 pixel per pixel), edge rows repeated.
void applyRoll(Canvas& canvas, int slope1024);

} // namespace mtl::synth
