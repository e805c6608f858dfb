#include "core/train/RampUp.h"

#include <algorithm>
#include <cmath>

namespace mtl {

double sigmoidRampUp(std::int64_t step, std::int64_t rampSteps) {
    if (rampSteps <= 0 || step >= rampSteps) return 1.0;
    const double phase = 1.0 - static_cast<double>(std::max<std::int64_t>(step, 0)) / static_cast<double>(rampSteps);
    return std::exp(-5.0 * phase * phase);
}

std::int64_t rampUpSteps(double fraction, std::int64_t totalSteps) {
    return static_cast<std::int64_t>(std::llround(fraction * static_cast<double>(totalSteps)));
}

} // namespace mtl
