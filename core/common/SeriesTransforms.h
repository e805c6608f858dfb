#pragma once
// What a plot does to a metric series before drawing it: smoothing at full resolution, then
// decimation to what the screen can show (PlotJuggler and W&B draw long series the same way).
#include <cstddef>
#include <vector>

namespace mtl {

struct XYSeries {
    std::vector<double> x, y; // x ascending
};

// TensorBoard's debiased exponential moving average: s_i = m_i / (1 − w^(i+1)) with
// m_i = w·m_(i−1) + (1 − w)·y_i, m_(−1) = 0. weight in [0, 1): 0 returns y unchanged. Non-finite
// values are passed through and do not enter the average.
std::vector<double> smoothEma(const std::vector<double>& y, double weight);

// Min/max decimation for a plot `columns` pixels wide showing x in [xMin, xMax]: the points in
// each pixel column are replaced by the first, lowest, highest and last of them, in their original
// order (so a line through them covers exactly the pixels the full line covers); the nearest point
// outside the range on each side is kept so the line reaches the edges. Non-finite y are dropped.
// At most 4·columns + 2 points; a series with no more points than that comes back unchanged
// (minus non-finite values).
XYSeries decimateMinMax(const XYSeries& series, double xMin, double xMax, std::size_t columns);

} // namespace mtl
