#include "core/common/SeriesTransforms.h"

#include "core/common/Statistics.h"

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

XYSeries decimateEnvelope(const XYSeries& s, double xMin, double xMax, std::size_t columns, Envelope side) {
    XYSeries out;
    const std::size_t n = std::min(s.x.size(), s.y.size());
    const auto keep = [&](std::size_t i) {
        if (!std::isfinite(s.y[i])) return;
        out.x.push_back(s.x[i]);
        out.y.push_back(s.y[i]);
    };
    if (n <= columns + 2 || columns == 0 || !(xMax > xMin)) {
        for (std::size_t i = 0; i < n; ++i) keep(i);
        return out;
    }
    const auto xEnd = s.x.begin() + static_cast<std::ptrdiff_t>(n);
    std::size_t first = static_cast<std::size_t>(std::lower_bound(s.x.begin(), xEnd, xMin) - s.x.begin());
    std::size_t last = static_cast<std::size_t>(std::upper_bound(s.x.begin(), xEnd, xMax) - s.x.begin());
    if (first > 0) keep(first - 1);
    const double perColumn = double(columns) / (xMax - xMin);
    const auto columnOf = [&](std::size_t i) {
        return std::min(columns - 1, static_cast<std::size_t>((s.x[i] - xMin) * perColumn));
    };
    for (std::size_t i = first; i < last;) {
        const std::size_t column = columnOf(i);
        std::size_t firstIdx = n;
        double extreme = 0;
        for (; i < last && columnOf(i) == column; ++i) {
            if (!std::isfinite(s.y[i])) continue;
            if (firstIdx == n) firstIdx = i, extreme = s.y[i];
            extreme = side == Envelope::Lower ? std::min(extreme, s.y[i]) : std::max(extreme, s.y[i]);
        }
        if (firstIdx == n) continue;
        out.x.push_back(s.x[firstIdx]);
        out.y.push_back(extreme);
    }
    if (last < n) keep(last);
    return out;
}

BandSeries seedBand(const std::vector<StepSeries>& members, BandKind kind) {
    BandSeries band;
    if (members.empty()) return band;
    const std::size_t n = members.size();
    std::vector<std::size_t> at(n, 0);
    std::vector<double> values;
    values.reserve(n);
    const StepSeries& lead = members.front();
    for (std::size_t i = 0; i < lead.step.size(); ++i) {
        const double step = lead.step[i];
        bool everyMember = true;
        for (std::size_t m = 1; m < n && everyMember; ++m) {
            const std::vector<double>& steps = members[m].step;
            while (at[m] < steps.size() && steps[at[m]] < step) ++at[m];
            everyMember = at[m] < steps.size() && steps[at[m]] == step;
        }
        if (!everyMember) {
            bool ended = false;
            for (std::size_t m = 1; m < n; ++m) ended = ended || at[m] == members[m].step.size();
            if (ended) break;
            continue;
        }
        at[0] = i;
        values.clear();
        double x = 0;
        for (std::size_t m = 0; m < n; ++m) {
            x += members[m].x[at[m]];
            if (std::isfinite(members[m].y[at[m]])) values.push_back(members[m].y[at[m]]);
        }
        if (values.empty()) continue;
        const MeanStd stats = meanAndStd(values);
        band.mean.push_back(stats.mean);
        if (kind == BandKind::StdDev) {
            band.low.push_back(stats.mean - stats.std);
            band.high.push_back(stats.mean + stats.std);
        } else {
            band.low.push_back(*std::min_element(values.begin(), values.end()));
            band.high.push_back(*std::max_element(values.begin(), values.end()));
        }
        band.x.push_back(x / double(n));
    }
    return band;
}

} // namespace mtl
