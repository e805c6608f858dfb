#include "core/common/Statistics.h"

#include <cmath>
#include <limits>

namespace mtl {

MeanStd meanAndStd(const std::vector<double>& values) {
    MeanStd s;
    double sum = 0;
    for (double v : values)
        if (std::isfinite(v)) {
            sum += v;
            ++s.n;
        }
    if (s.n == 0) {
        s.mean = std::numeric_limits<double>::quiet_NaN();
        return s;
    }
    s.mean = sum / double(s.n);
    if (s.n < 2) return s;
    double squares = 0;
    for (double v : values)
        if (std::isfinite(v)) squares += (v - s.mean) * (v - s.mean);
    s.std = std::sqrt(squares / double(s.n - 1));
    return s;
}

} // namespace mtl
