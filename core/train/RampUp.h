#pragma once
// The weight λt of the unsupervised losses over training: Mean Teacher's sigmoid-shaped ramp-up,
// exp(−5(1 − s/L)²) for step s < L, then 1 (the model's outputs are unreliable early on, so the
// pseudo-labels count little at first). The paper ramps over the first ~5 % (4.1) or ~10 % (4.2,
// 4.3) of the steps. Torch-free.
#include <cstdint>

namespace mtl {

// L = 0 means no ramp: 1 from the first step.
double sigmoidRampUp(std::int64_t step, std::int64_t rampSteps);

// The ramp's length for a run: round(fraction · totalSteps).
std::int64_t rampUpSteps(double fraction, std::int64_t totalSteps);

} // namespace mtl
