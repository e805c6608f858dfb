#pragma once
// Summary statistics over repeated measurements (seeds of one experiment).
#include <cstddef>
#include <vector>

namespace mtl {

struct MeanStd {
    double mean = 0;
    double std = 0;   // sample standard deviation (n − 1); 0 for a single value
    std::size_t n = 0;
};

// Over the finite values of `values` (NaN marks a missing one); mean NaN when none is finite.
MeanStd meanAndStd(const std::vector<double>& values);

} // namespace mtl
