#include "core/common/SeriesTransforms.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace mtl {

std::vector<double> smoothEma(const std::vector<double>& y, double weight) {
    std::vector<double> out(y.size());
    double mean = 0, debias = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
        if (!std::isfinite(y[i])) {
            out[i] = y[i];
            continue;
        }
        mean = weight * mean + (1 - weight) * y[i];
        debias = weight * debias + (1 - weight);
        out[i] = mean / debias;
    }
    return out;
}

XYSeries decimateMinMax(const XYSeries& s, double xMin, double xMax, std::size_t columns) {
    XYSeries out;
    const std::size_t n = std::min(s.x.size(), s.y.size());
    const auto keep = [&](std::size_t i) {
        if (!std::isfinite(s.y[i])) return;
        out.x.push_back(s.x[i]);
        out.y.push_back(s.y[i]);
    };
    if (n <= 4 * columns + 2 || columns == 0 || !(xMax > xMin)) {
        for (std::size_t i = 0; i < n; ++i) keep(i);
        return out;
    }
    const auto xEnd = s.x.begin() + static_cast<std::ptrdiff_t>(n);
    std::size_t first = static_cast<std::size_t>(std::lower_bound(s.x.begin(), xEnd, xMin) - s.x.begin());
    std::size_t last = static_cast<std::size_t>(std::upper_bound(s.x.begin(), xEnd, xMax) - s.x.begin());
    if (first > 0) keep(first - 1);
    const double perColumn = double(columns) / (xMax - xMin);
    std::size_t i = first;
    while (i < last) {
        const std::size_t column = std::min(columns - 1, static_cast<std::size_t>((s.x[i] - xMin) * perColumn));
        // Indices of first, min, max, last finite point of this column.
        std::size_t firstIdx = n, minIdx = n, maxIdx = n, lastIdx = n;
        for (; i < last && std::min(columns - 1, static_cast<std::size_t>((s.x[i] - xMin) * perColumn)) == column; ++i) {
            if (!std::isfinite(s.y[i])) continue;
            if (firstIdx == n) firstIdx = minIdx = maxIdx = i;
            if (s.y[i] < s.y[minIdx]) minIdx = i;
            if (s.y[i] > s.y[maxIdx]) maxIdx = i;
            lastIdx = i;
        }
        if (firstIdx == n) continue;
        std::array<std::size_t, 4> picks = {firstIdx, minIdx, maxIdx, lastIdx};
        std::sort(picks.begin(), picks.end());
        for (std::size_t k = 0; k < picks.size(); ++k)
            if (k == 0 || picks[k] != picks[k - 1]) keep(picks[k]);
    }
    if (last < n) keep(last);
    return out;
}

} // namespace mtl
