#pragma once
// The scene's things, planned for its layout and drawn far to near so that nearer ones occlude
// farther ones: vehicles seen from behind or from the side, parked in rows or crossing; people
// standing, walking, children, crowds (a group region when too small to tell apart); riders;
// poles with signs, traffic lights or street lamps; trees. Rare classes stay rare.
#include "core/data/synthetic/SynthStreet.h"

namespace mtl::synth {

void drawThings(Canvas& canvas, Rng& rng, const Street& st);

} // namespace mtl::synth
