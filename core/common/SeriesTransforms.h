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

// A band's edge for `columns` pixel columns showing x in [xMin, xMax]: one point per column that
// holds finite points, at its first x, the lowest (Lower) or highest (Upper) y in it, and the nearest
// point outside the range on each side. A fill between the lower envelope of a band's low edge and
// the upper envelope of its high edge covers every pixel the full band covers, with a quarter of
// decimateMinMax's points and without its zigzag (which makes the fill slow to paint).
enum class Envelope { Lower, Upper };
XYSeries decimateEnvelope(const XYSeries& series, double xMin, double xMax, std::size_t columns, Envelope side);

// One seed's series of a metric: the steps it was logged at (ascending), what the plot's x axis
// shows at each (the step, or wall time) and the value.
struct StepSeries {
    std::vector<double> step, x, y;
};
enum class BandKind { StdDev, MinMax };
// A seed group's curve: mean and band at every step that all members logged (a member still
// running ends the group's curve at its last step), x the members' mean x there. The band is the
// mean ± sample standard deviation, or the members' minimum and maximum. At a step where some
// member's value is not finite, the others make the point; where none is, it is left out.
struct BandSeries {
    std::vector<double> x, mean, low, high;
};
BandSeries seedBand(const std::vector<StepSeries>& members, BandKind kind);

} // namespace mtl
