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

namespace {

// The frame both decimations share: a series of at most `passThrough` points comes back whole
// (non-finite values dropped); else `column(first, end, keep)` is called for each pixel column's
// indices [first, end) within [xMin, xMax], and the nearest point outside the range on each side
// is kept so the line reaches the edges.
template <typename Column>
XYSeries decimateByColumn(const XYSeries& s, double xMin, double xMax, std::size_t columns, std::size_t passThrough,
                          Column column) {
    XYSeries out;
    const std::size_t n = std::min(s.x.size(), s.y.size());
    const auto keep = [&](std::size_t i) {
        if (!std::isfinite(s.y[i])) return;
        out.x.push_back(s.x[i]);
        out.y.push_back(s.y[i]);
    };
    if (n <= passThrough || columns == 0 || !(xMax > xMin)) {
        for (std::size_t i = 0; i < n; ++i) keep(i);
        return out;
    }
    const auto xEnd = s.x.begin() + static_cast<std::ptrdiff_t>(n);
    const auto first = static_cast<std::size_t>(std::lower_bound(s.x.begin(), xEnd, xMin) - s.x.begin());
    const auto last = static_cast<std::size_t>(std::upper_bound(s.x.begin(), xEnd, xMax) - s.x.begin());
    if (first > 0) keep(first - 1);
    const double perColumn = double(columns) / (xMax - xMin);
    const auto columnOf = [&](std::size_t i) {
        return std::min(columns - 1, static_cast<std::size_t>((s.x[i] - xMin) * perColumn));
    };
    for (std::size_t i = first; i < last;) {
        const std::size_t begin = i, c = columnOf(i);
        while (i < last && columnOf(i) == c) ++i;
        column(begin, i, out);
    }
    if (last < n) keep(last);
    return out;
}

} // namespace

XYSeries decimateMinMax(const XYSeries& s, double xMin, double xMax, std::size_t columns) {
    return decimateByColumn(s, xMin, xMax, columns, 4 * columns + 2, [&](std::size_t begin, std::size_t end, XYSeries& out) {
        // Indices of the first, lowest, highest and last finite point, in their order.
        const std::size_t none = end;
        std::size_t firstIdx = none, minIdx = none, maxIdx = none, lastIdx = none;
        for (std::size_t i = begin; i < end; ++i) {
            if (!std::isfinite(s.y[i])) continue;
            if (firstIdx == none) firstIdx = minIdx = maxIdx = i;
            if (s.y[i] < s.y[minIdx]) minIdx = i;
            if (s.y[i] > s.y[maxIdx]) maxIdx = i;
            lastIdx = i;
        }
        if (firstIdx == none) return;
        std::array<std::size_t, 4> picks = {firstIdx, minIdx, maxIdx, lastIdx};
        std::sort(picks.begin(), picks.end());
        for (std::size_t k = 0; k < picks.size(); ++k)
            if (k == 0 || picks[k] != picks[k - 1]) {
                out.x.push_back(s.x[picks[k]]);
                out.y.push_back(s.y[picks[k]]);
            }
    });
}

XYSeries decimateEnvelope(const XYSeries& s, double xMin, double xMax, std::size_t columns, Envelope side) {
    return decimateByColumn(s, xMin, xMax, columns, columns + 2, [&](std::size_t begin, std::size_t end, XYSeries& out) {
        std::size_t firstIdx = end;
        double extreme = 0;
        for (std::size_t i = begin; i < end; ++i) {
            if (!std::isfinite(s.y[i])) continue;
            if (firstIdx == end) firstIdx = i, extreme = s.y[i];
            extreme = side == Envelope::Lower ? std::min(extreme, s.y[i]) : std::max(extreme, s.y[i]);
        }
        if (firstIdx == end) return;
        out.x.push_back(s.x[firstIdx]);
        out.y.push_back(extreme);
    });
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
