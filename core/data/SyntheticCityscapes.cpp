#include "core/data/SyntheticCityscapes.h"

#include "core/common/Error.h"
#include "core/common/SplitMix64.h"
#include "core/data/CityscapesLabels.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

// Everything here is integer arithmetic on purpose: float rounding (and FMA contraction) differs
// between compilers and CPUs, and the generated data set must be identical on every machine.
// The only drawing calls used from OpenCV (rectangle, fillPoly, 1-pixel line) are integer too.
// For the same reason no statement makes two random draws whose order C++ leaves unspecified
// (two function arguments, the operands of +): such draws go into separate statements or into a
// braced list, which is evaluated left to right.

namespace fs = std::filesystem;

namespace mtl {

namespace {

// Cityscapes label ids (not train ids).
enum : int {
    kRoad = 7, kSidewalk = 8, kBuilding = 11, kWall = 12, kFence = 13, kPole = 17,
    kTrafficLight = 19, kTrafficSign = 20, kVegetation = 21, kTerrain = 22, kSky = 23,
    kPerson = 24, kRider = 25, kCar = 26, kTruck = 27, kBus = 28, kTrain = 31,
    kMotorcycle = 32, kBicycle = 33, kNumLabelIds = 34
};

constexpr int kMinSize = 64;
constexpr int kMaxSize = 8192;

// The generator's draws on top of splitmix64 (identical everywhere).
class Rng : public SplitMix64 {
public:
    using SplitMix64::SplitMix64;
    // Uniform in [lo, hi]; the modulo bias is irrelevant for drawing.
    int range(int lo, int hi) {
        if (hi <= lo) return lo;
        return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1));
    }
    bool chance(int percent) { return range(0, 99) < percent; }
    template <typename T, std::size_t N>
    const T& pick(const std::array<T, N>& items) {
        return items[static_cast<std::size_t>(range(0, static_cast<int>(N) - 1))];
    }
};

int clamp255(int v) { return std::clamp(v, 0, 255); }

struct Rgb {
    int r, g, b;
};

Rgb jitter(Rng& rng, Rgb c, int amount) {
    const int shade = rng.range(-amount, amount); // mostly brightness, a little hue
    return {clamp255(c.r + shade + rng.range(-amount / 3, amount / 3)),
            clamp255(c.g + shade + rng.range(-amount / 3, amount / 3)),
            clamp255(c.b + shade + rng.range(-amount / 3, amount / 3))};
}

Rgb scaled(Rgb c, int percent) {
    return {clamp255(c.r * percent / 100), clamp255(c.g * percent / 100), clamp255(c.b * percent / 100)};
}

// What a primitive writes into the three maps at once.
struct Ink {
    Rgb color;
    int label;
    int instance; // labelId*1000+k, or the plain labelId for stuff
    Ink with(Rgb c) const { return {c, label, instance}; }
};

class Canvas {
public:
    Canvas(int w, int h)
        : rgb(h, w, CV_8UC3, cv::Scalar::all(0)), labelIds(h, w, CV_8UC1, cv::Scalar(0)),
          instanceIds(h, w, CV_16UC1, cv::Scalar(0)) {}

    static Ink stuff(int label, Rgb c) { return {c, label, label}; }
    Ink newInstance(int label, Rgb c) { return {c, label, label * 1000 + nextK_[label]++}; }

    // Inclusive corners.
    void rect(int x0, int y0, int x1, int y1, const Ink& ink) {
        if (x1 < x0) std::swap(x0, x1);
        if (y1 < y0) std::swap(y0, y1);
        paint(ink, [&](cv::Mat& m, const cv::Scalar& v) {
            cv::rectangle(m, cv::Point(x0, y0), cv::Point(x1, y1), v, cv::FILLED, cv::LINE_8);
        });
    }
    void poly(const std::vector<cv::Point>& pts, const Ink& ink) {
        paint(ink, [&](cv::Mat& m, const cv::Scalar& v) {
            cv::fillPoly(m, std::vector<std::vector<cv::Point>>{pts}, v, cv::LINE_8);
        });
    }
    // A bar of `thickness` pixels from a to b, offset across its main direction (no sqrt needed).
    void bar(cv::Point a, cv::Point b, int thickness, const Ink& ink) {
        if (thickness <= 1) {
            paint(ink, [&](cv::Mat& m, const cv::Scalar& v) { cv::line(m, a, b, v, 1, cv::LINE_8); });
            return;
        }
        const int lo = -(thickness - 1) / 2, hi = thickness / 2;
        const bool flat = std::abs(b.x - a.x) >= std::abs(b.y - a.y);
        const cv::Point d0 = flat ? cv::Point(0, lo) : cv::Point(lo, 0);
        const cv::Point d1 = flat ? cv::Point(0, hi) : cv::Point(hi, 0);
        poly({a + d0, b + d0, b + d1, a + d1}, ink);
    }
    // Filled disc, or a ring when inner > 0; own integer scan so the shape is exact everywhere.
    void disc(cv::Point c, int outer, int inner, const Ink& ink) {
        if (outer < 1) outer = 1;
        const int out2 = outer * outer + outer, in2 = inner > 0 ? inner * inner + inner : -1;
        const int y0 = std::max(0, c.y - outer), y1 = std::min(rgb.rows - 1, c.y + outer);
        const int x0 = std::max(0, c.x - outer), x1 = std::min(rgb.cols - 1, c.x + outer);
        for (int y = y0; y <= y1; ++y) {
            auto* px = rgb.ptr<cv::Vec3b>(y);
            auto* lb = labelIds.ptr<std::uint8_t>(y);
            auto* in = instanceIds.ptr<std::uint16_t>(y);
            for (int x = x0; x <= x1; ++x) {
                const int d2 = (x - c.x) * (x - c.x) + (y - c.y) * (y - c.y);
                if (d2 > out2 || d2 <= in2) continue;
                px[x] = cv::Vec3b(ink.color.r, ink.color.g, ink.color.b);
                lb[x] = static_cast<std::uint8_t>(ink.label);
                in[x] = static_cast<std::uint16_t>(ink.instance);
            }
        }
    }

    cv::Mat rgb, labelIds, instanceIds;

private:
    template <typename Draw>
    void paint(const Ink& ink, Draw draw) {
        draw(rgb, cv::Scalar(ink.color.r, ink.color.g, ink.color.b));
        draw(labelIds, cv::Scalar(ink.label));
        draw(instanceIds, cv::Scalar(ink.instance));
    }
    std::array<int, kNumLabelIds> nextK_{};
};

// The street in perspective: edges run from an x at the horizon to an x at the bottom row.
struct Street {
    int w = 0, h = 0, horizon = 0;
    int roadTopL = 0, roadTopR = 0, roadBotL = 0, roadBotR = 0;
    int walkTopL = 0, walkTopR = 0, walkBotL = 0, walkBotR = 0; // outer sidewalk edges

    int at(int xTop, int xBottom, int y) const { return xTop + (xBottom - xTop) * (y - horizon) / (h - horizon); }
    int roadL(int y) const { return at(roadTopL, roadBotL, y); }
    int roadR(int y) const { return at(roadTopR, roadBotR, y); }
    int walkL(int y) const { return at(walkTopL, walkBotL, y); }
    int walkR(int y) const { return at(walkTopR, walkBotR, y); }
    // Size in pixels of one "image height" of object standing at y: things shrink towards the horizon.
    int unit(int y) const { return std::max(1, (y - horizon) * h / (h - horizon)); }
    // A y between lo% and hi% of the way from the horizon to the bottom row.
    int yAt(Rng& rng, int lo, int hi) const { return horizon + (h - horizon) * rng.range(lo, hi) / 100; }
};

const std::array<Rgb, 8> kVehicleColors = {{{200, 200, 205}, {30, 30, 35}, {120, 125, 130}, {160, 30, 30},
                                              {30, 60, 140}, {235, 235, 230}, {60, 90, 60}, {190, 160, 40}}};
const std::array<Rgb, 6> kFacadeColors = {{{185, 170, 150}, {140, 135, 130}, {160, 95, 75},
                                             {205, 198, 185}, {115, 105, 98}, {150, 160, 172}}};
const std::array<Rgb, 5> kSkinColors = {{{235, 200, 170}, {210, 160, 120}, {170, 120, 85},
                                          {120, 80, 55}, {90, 60, 45}}};
const std::array<Rgb, 8> kClothColors = {{{40, 40, 45}, {200, 30, 40}, {30, 60, 150}, {230, 230, 225},
                                           {90, 110, 60}, {150, 120, 90}, {240, 180, 40}, {110, 60, 130}}};
const Rgb kTyre = {28, 28, 30};
const Rgb kGlass = {45, 55, 70};

// --- Background ------------------------------------------------------------------------------

void drawSky(Canvas& canvas, Rng& rng, const Street& st) {
    const bool overcast = rng.chance(30);
    const Rgb top = overcast ? jitter(rng, {170, 175, 182}, 15) : jitter(rng, {70, 120, 195}, 20);
    const Rgb bottom = overcast ? jitter(rng, {205, 208, 212}, 12) : jitter(rng, {165, 195, 225}, 15);
    for (int y = 0; y < st.horizon; ++y) {
        const int t = y * 256 / std::max(1, st.horizon);
        const Rgb c = {top.r + (bottom.r - top.r) * t / 256, top.g + (bottom.g - top.g) * t / 256,
                       top.b + (bottom.b - top.b) * t / 256};
        canvas.rect(0, y, st.w - 1, y, Canvas::stuff(kSky, c));
    }
    for (int n = rng.range(0, 3); n > 0; --n) { // clouds: texture, still sky
        const int cx = rng.range(0, st.w), cy = rng.range(0, st.horizon / 2);
        const int r = std::max(2, st.h / rng.range(12, 24));
        for (int k = rng.range(3, 6); k > 0; --k) {
            const cv::Point c{cx + rng.range(-2 * r, 2 * r), cy + rng.range(-r / 2, r / 2)};
            const int size = r + rng.range(-r / 3, r / 3);
            canvas.disc(c, size, 0, Canvas::stuff(kSky, jitter(rng, {235, 237, 240}, 10)));
        }
    }
}

void drawTreeLine(Canvas& canvas, Rng& rng, const Street& st) {
    const int r = std::max(3, st.h * rng.range(5, 10) / 100);
    for (int x = rng.range(-r, 0); x < st.w + r; x += r + rng.range(0, r)) {
        const int cy = st.horizon - rng.range(r / 2, 2 * r);
        const Ink leaf = Canvas::stuff(kVegetation, jitter(rng, {70, 105, 45}, 18));
        canvas.disc({x, cy}, r + rng.range(-r / 4, r / 4), 0, leaf);
    }
}

void drawBuildings(Canvas& canvas, Rng& rng, const Street& st) {
    const int cell = std::max(3, st.h / 16);
    for (int x = -rng.range(0, st.w / 10); x < st.w;) {
        const int bw = std::max(4, st.w * rng.range(8, 24) / 100);
        if (rng.chance(12)) { // a gap: sky and the tree line show through
            x += bw / 2;
            continue;
        }
        const int top = st.horizon * rng.range(0, 65) / 100;
        const Rgb facade = jitter(rng, rng.pick(kFacadeColors), 18);
        canvas.rect(x, top, x + bw - 1, st.horizon, Canvas::stuff(kBuilding, facade));
        canvas.rect(x, top, x + bw - 1, top + std::max(1, cell / 3), Canvas::stuff(kBuilding, scaled(facade, 70)));
        const Rgb glass = jitter(rng, {60, 70, 85}, 20);
        const int ww = std::max(1, cell / 2), wh = std::max(1, cell * 6 / 10);
        for (int wy = top + cell / 2 + 1; wy + wh < st.horizon - cell / 2; wy += cell)
            for (int wx = x + cell / 2; wx + ww < x + bw - cell / 3; wx += cell) {
                const Rgb c = rng.chance(8) ? jitter(rng, {215, 200, 140}, 15) : jitter(rng, glass, 8);
                canvas.rect(wx, wy, wx + ww - 1, wy + wh - 1, Canvas::stuff(kBuilding, c));
            }
        x += bw;
    }
}

void drawGround(Canvas& canvas, Rng& rng, const Street& st) {
    const int h = st.h, y0 = st.horizon;
    canvas.rect(0, y0, st.w - 1, h - 1, Canvas::stuff(kTerrain, jitter(rng, {115, 140, 70}, 20)));
    const Ink walk = Canvas::stuff(kSidewalk, jitter(rng, {170, 162, 165}, 20));
    canvas.poly({{st.walkTopL, y0}, {st.roadTopL, y0}, {st.roadBotL, h}, {st.walkBotL, h}}, walk);
    canvas.poly({{st.roadTopR, y0}, {st.walkTopR, y0}, {st.walkBotR, h}, {st.roadBotR, h}}, walk);
    const Ink curb = walk.with(scaled(walk.color, 115));
    canvas.poly({{st.roadTopL - 1, y0}, {st.roadTopL, y0}, {st.roadBotL, h}, {st.roadBotL - h / 40 - 1, h}}, curb);
    canvas.poly({{st.roadTopR, y0}, {st.roadTopR + 1, y0}, {st.roadBotR + h / 40 + 1, h}, {st.roadBotR, h}}, curb);

    const Ink road = Canvas::stuff(kRoad, jitter(rng, {95, 92, 98}, 18));
    canvas.poly({{st.roadTopL, y0}, {st.roadTopR, y0}, {st.roadBotR, h}, {st.roadBotL, h}}, road);
    for (int n = rng.range(0, 4); n > 0; --n) { // patches and stains
        const int y = st.yAt(rng, 10, 100), r = std::max(1, st.unit(y) / rng.range(8, 20));
        const cv::Point c{rng.range(st.roadL(y), st.roadR(y)), y};
        canvas.disc(c, r, 0, road.with(jitter(rng, scaled(road.color, 85), 6)));
    }
    // Dashed centre line, dashes longer towards the camera (still road).
    const int cTop = (st.roadTopL + st.roadTopR) / 2, cBot = (st.roadBotL + st.roadBotR) / 2;
    const Ink paint = road.with(jitter(rng, {225, 225, 215}, 12));
    constexpr int kSteps = 9;
    for (int s = 1; s < kSteps; s += 2) {
        const int ya = y0 + (h - y0) * s * s / (kSteps * kSteps);
        const int yb = y0 + (h - y0) * (s + 1) * (s + 1) / (kSteps * kSteps);
        const int xa = st.at(cTop, cBot, ya), xb = st.at(cTop, cBot, yb);
        const int wa = st.unit(ya) / 70, wb = st.unit(yb) / 70;
        canvas.poly({{xa - wa, ya}, {xa + wa, ya}, {xb + wb, yb}, {xb - wb, yb}}, paint);
    }
}

// Bushes along the outer edge of a sidewalk, on the terrain side.
void drawHedge(Canvas& canvas, Rng& rng, const Street& st, bool left) {
    const Rgb leaf = jitter(rng, {80, 120, 50}, 20);
    for (int y = st.horizon + 1; y < st.h;) {
        const int r = std::max(1, st.unit(y) * rng.range(5, 10) / 100);
        const int x = left ? st.walkL(y) - r / 2 : st.walkR(y) + r / 2;
        canvas.disc({x, y - r / 2}, r, 0, Canvas::stuff(kVegetation, jitter(rng, leaf, 12)));
        y += std::max(1, r / 2);
    }
}

// A wall or fence band along the far end of one sidewalk.
void drawBarrier(Canvas& canvas, Rng& rng, const Street& st, bool fence) {
    const bool left = rng.chance(50);
    const int len = st.w * rng.range(10, 35) / 100;
    const int gap = 2 + rng.range(0, st.w / 8);
    const int x0 = left ? st.roadTopL - gap - len : st.roadTopR + gap;
    const int x1 = x0 + len, yTop = st.horizon - st.h * rng.range(3, 9) / 100;
    const int yBot = st.horizon + st.h * rng.range(1, 3) / 100;
    if (!fence) {
        const Ink wall = Canvas::stuff(kWall, jitter(rng, {150, 145, 140}, 25));
        canvas.rect(x0, yTop, x1, yBot, wall);
        for (int y = yTop + 2; y < yBot; y += 3) canvas.rect(x0, y, x1, y, wall.with(scaled(wall.color, 80)));
        return;
    }
    const Ink fenceInk = Canvas::stuff(kFence, jitter(rng, {120, 105, 90}, 30));
    const int step = std::max(2, st.w / 50);
    for (int x = x0; x <= x1; x += step) canvas.rect(x, yTop, x, yBot, fenceInk);
    canvas.rect(x0, yTop, x1, yTop, fenceInk);
    canvas.rect(x0, (yTop + yBot) / 2, x1, (yTop + yBot) / 2, fenceInk);
}

// --- Things (drawn far to near) --------------------------------------------------------------

enum class Kind { Car, Truck, Bus, Tram, Person, Bicycle, Rider, Motorcyclist, Pole, Tree };

struct Thing {
    Kind kind;
    int x, y; // bottom centre: where it stands
};

void drawWheels(Canvas& canvas, const Ink& ink, int x0, int x1, int y, int r) {
    canvas.disc({x0, y - r}, r, 0, ink.with(kTyre));
    canvas.disc({x1, y - r}, r, 0, ink.with(kTyre));
}

void drawCar(Canvas& canvas, Rng& rng, const Street& st, const Thing& t) {
    const int u = st.unit(t.y);
    const int h = std::max(3, u * rng.range(24, 32) / 100), w = h * rng.range(130, 210) / 100;
    const int x0 = t.x - w / 2, x1 = x0 + w - 1, r = std::max(1, h / 5);
    const int belt = t.y - h * 55 / 100, roof = t.y - h + 1;
    const Ink body = canvas.newInstance(kCar, jitter(rng, rng.pick(kVehicleColors), 15));
    canvas.poly({{x0 + w / 10, belt}, {x0 + w / 5, roof}, {x1 - w / 5, roof}, {x1 - w / 10, belt}}, body);
    canvas.rect(x0, belt, x1, t.y - r, body);
    const int inset = std::max(1, h / 10);
    canvas.poly({{x0 + w / 10 + inset, belt}, {x0 + w / 5 + inset, roof + inset},
                 {x1 - w / 5 - inset, roof + inset}, {x1 - w / 10 - inset, belt}},
                body.with(jitter(rng, kGlass, 10)));
    const int lamp = std::max(1, h / 10);
    canvas.rect(x0, belt + lamp, x0 + lamp, belt + 2 * lamp, body.with({200, 30, 30}));
    canvas.rect(x1 - lamp, belt + lamp, x1, belt + 2 * lamp, body.with({200, 30, 30}));
    drawWheels(canvas, body, x0 + w / 5, x1 - w / 5, t.y, r);
}

void drawTruck(Canvas& canvas, Rng& rng, const Street& st, const Thing& t) {
    const int u = st.unit(t.y);
    const int h = std::max(4, u * rng.range(48, 60) / 100), w = h * rng.range(150, 230) / 100;
    const int x0 = t.x - w / 2, x1 = x0 + w - 1, r = std::max(1, h / 7), cab = w / 4;
    const bool cabLeft = rng.chance(50);
    const Ink ink = canvas.newInstance(kTruck, jitter(rng, rng.pick(kVehicleColors), 15));
    const int bx0 = cabLeft ? x0 + cab : x0, bx1 = cabLeft ? x1 : x1 - cab;
    const int cx0 = cabLeft ? x0 : x1 - cab + 1, cx1 = cabLeft ? x0 + cab - 1 : x1;
    canvas.rect(bx0, t.y - h + 1, bx1, t.y - r, ink.with(jitter(rng, {215, 215, 210}, 30)));
    canvas.rect(cx0, t.y - h * 70 / 100, cx1, t.y - r, ink);
    canvas.rect(cx0 + cab / 5, t.y - h * 65 / 100, cx1 - cab / 5, t.y - h * 45 / 100, ink.with(kGlass));
    drawWheels(canvas, ink, x0 + w / 8 + r, x1 - w / 8 - r, t.y, r);
}

void drawBus(Canvas& canvas, Rng& rng, const Street& st, const Thing& t, bool tram) {
    const int u = st.unit(t.y);
    const int h = std::max(4, u * rng.range(55, 65) / 100);
    const int w = h * (tram ? rng.range(300, 420) : rng.range(200, 290)) / 100;
    const int x0 = t.x - w / 2, x1 = x0 + w - 1, r = std::max(1, h / 8);
    const std::array<Rgb, 4> colors = {{{200, 40, 40}, {240, 195, 40}, {40, 90, 170}, {232, 232, 228}}};
    const Ink ink = canvas.newInstance(tram ? kTrain : kBus, jitter(rng, rng.pick(colors), 12));
    canvas.rect(x0, t.y - h + 1, x1, t.y - (tram ? 0 : r), ink);
    const int winTop = t.y - h * 85 / 100, winBot = t.y - h * 50 / 100, pane = std::max(2, h / 3);
    for (int x = x0 + pane / 3; x + pane < x1; x += pane + std::max(1, pane / 4))
        canvas.rect(x, winTop, x + pane - 1, winBot, ink.with(jitter(rng, kGlass, 8)));
    if (tram) { // pantograph
        canvas.bar({t.x - h / 4, t.y - h}, {t.x, t.y - h * 13 / 10}, 1, ink.with({40, 40, 40}));
        canvas.bar({t.x, t.y - h * 13 / 10}, {t.x + h / 4, t.y - h}, 1, ink.with({40, 40, 40}));
    } else {
        drawWheels(canvas, ink, x0 + w / 6, x1 - w / 6, t.y, r);
    }
}

// Standing or walking figure of height h with its feet at (x, y).
void drawPerson(Canvas& canvas, Rng& rng, const Ink& ink, int x, int y, int h) {
    h = std::max(4, h);
    const Rgb skin = jitter(rng, rng.pick(kSkinColors), 8);
    const Rgb legs = jitter(rng, rng.pick(kClothColors), 15);
    const int headR = std::max(1, h / 14), tw = std::max(1, h / 9), stride = h * rng.range(0, 16) / 100;
    const int shoulder = y - h + 2 * headR + 1, hip = y - h * 47 / 100, lw = std::max(1, h / 14);
    canvas.poly({{x - tw, hip}, {x, hip}, {x - stride + lw, y}, {x - stride - lw, y}}, ink.with(legs));
    canvas.poly({{x, hip}, {x + tw, hip}, {x + stride + lw, y}, {x + stride - lw, y}}, ink.with(scaled(legs, 85)));
    canvas.rect(x - tw, shoulder, x + tw, hip, ink);
    const int arm = std::max(1, h / 16);
    const Ink sleeve = ink.with(scaled(ink.color, 85));
    canvas.bar({x - tw - arm / 2, shoulder + 1}, {x - tw - arm - stride / 3, hip + h / 20}, arm, sleeve);
    canvas.bar({x + tw + arm / 2, shoulder + 1}, {x + tw + arm + stride / 3, hip + h / 20}, arm, sleeve);
    canvas.disc({x, y - h + headR}, headR, 0, ink.with(skin));
}

// A two-wheeler standing at (x, y); returns {seat, handlebar, pedal} for a rider.
std::array<cv::Point, 3> drawTwoWheeler(Canvas& canvas, const Ink& ink, int x, int y, int u, bool motor) {
    const int r = std::max(2, u * (motor ? 10 : 9) / 100), d = r * 13 / 10;
    const cv::Point rear(x - d, y - r), front(x + d, y - r), crank(x, y - r);
    const cv::Point seat(x - d / 3, y - r * 22 / 10), bar(x + d * 8 / 10, y - r * 24 / 10);
    const int t = std::max(1, r / 5);
    if (motor) {
        canvas.disc(rear, r, 0, ink.with(kTyre));
        canvas.disc(front, r, 0, ink.with(kTyre));
        canvas.poly({{rear.x, rear.y}, {seat.x - r / 2, seat.y}, {bar.x, seat.y}, {front.x, front.y}}, ink);
    } else {
        canvas.disc(rear, r, r - std::max(1, r / 4), ink.with(kTyre));
        canvas.disc(front, r, r - std::max(1, r / 4), ink.with(kTyre));
        canvas.bar(rear, seat, t, ink);
        canvas.bar(seat, crank, t, ink);
        canvas.bar(crank, rear, t, ink);
        canvas.bar(seat, bar, t, ink);
        canvas.bar(bar, front, t, ink);
    }
    return {seat, bar, crank};
}

void drawRider(Canvas& canvas, Rng& rng, const Street& st, const Thing& t, bool motor) {
    const int u = st.unit(t.y);
    const Ink bike = canvas.newInstance(motor ? kMotorcycle : kBicycle, jitter(rng, rng.pick(kVehicleColors), 20));
    const auto [seat, bar, pedal] = drawTwoWheeler(canvas, bike, t.x, t.y, u, motor);
    const Ink rider = canvas.newInstance(kRider, jitter(rng, rng.pick(kClothColors), 15));
    const int body = std::max(3, u * 20 / 100), tw = std::max(1, body / 4), headR = std::max(1, body / 5);
    const cv::Point shoulder(seat.x + body / 4, seat.y - body);
    canvas.bar(seat, pedal, std::max(1, tw * 3 / 4), rider.with(jitter(rng, rng.pick(kClothColors), 10)));
    canvas.bar(seat, shoulder, tw, rider);
    canvas.bar(shoulder, bar, std::max(1, tw / 2), rider);
    canvas.disc({shoulder.x, shoulder.y - headR}, headR, 0, rider.with(jitter(rng, rng.pick(kSkinColors), 8)));
}

void drawPole(Canvas& canvas, Rng& rng, const Street& st, const Thing& t) {
    const int u = st.unit(t.y);
    const int pw = std::max(1, u / 45), ph = u * rng.range(60, 85) / 100, top = t.y - ph;
    const Ink pole = Canvas::stuff(kPole, jitter(rng, {125, 125, 128}, 20));
    canvas.rect(t.x - pw / 2, top, t.x - pw / 2 + pw - 1, t.y, pole);
    const int kind = rng.range(0, 99);
    if (kind < 55) { // traffic sign
        const int s = std::max(2, u * 7 / 100);
        const Ink sign = Canvas::stuff(kTrafficSign, jitter(rng, {230, 230, 225}, 10));
        switch (rng.range(0, 2)) {
        case 0: // prohibition: red disc with a white centre
            canvas.disc({t.x, top + s}, s, 0, sign.with({200, 30, 35}));
            canvas.disc({t.x, top + s}, s * 2 / 3, 0, sign);
            break;
        case 1: // warning triangle
            canvas.poly({{t.x - s, top + 2 * s}, {t.x + s, top + 2 * s}, {t.x, top}}, sign.with({205, 35, 35}));
            canvas.poly({{t.x - s / 2, top + 2 * s - s / 3}, {t.x + s / 2, top + 2 * s - s / 3},
                         {t.x, top + s * 2 / 3}},
                        sign);
            break;
        default: // information panel
            canvas.rect(t.x - s, top, t.x + s, top + s * 3 / 2, sign.with(jitter(rng, {30, 80, 170}, 15)));
            break;
        }
    } else if (kind < 90) { // traffic light
        const int bw = std::max(2, u * 5 / 100), lamp = std::max(1, bw / 3);
        const Ink light = Canvas::stuff(kTrafficLight, jitter(rng, {35, 35, 35}, 8));
        canvas.rect(t.x - bw / 2, top, t.x - bw / 2 + bw - 1, top + 3 * bw - 1, light);
        const int lit = rng.range(0, 2);
        const std::array<Rgb, 3> on = {{{240, 40, 30}, {245, 190, 30}, {40, 220, 90}}};
        for (int k = 0; k < 3; ++k)
            canvas.disc({t.x, top + bw / 2 + k * bw}, lamp, 0, light.with(k == lit ? on[k] : scaled(on[k], 30)));
    }
}

void drawTree(Canvas& canvas, Rng& rng, const Street& st, const Thing& t) {
    const int u = st.unit(t.y);
    const int trunkH = u * rng.range(25, 45) / 100, tw = std::max(1, u / 35);
    const Ink tree = Canvas::stuff(kVegetation, jitter(rng, {85, 68, 50}, 12)); // trunks are vegetation too
    canvas.rect(t.x - tw / 2, t.y - trunkH, t.x - tw / 2 + tw - 1, t.y, tree);
    const int r = std::max(2, u * rng.range(12, 22) / 100);
    const Rgb leaf = jitter(rng, {75, 115, 45}, 20);
    for (int k = rng.range(4, 7); k > 0; --k) {
        const cv::Point c{t.x + rng.range(-r, r), t.y - trunkH - rng.range(0, r)};
        const int size = r * rng.range(60, 100) / 100;
        canvas.disc(c, size, 0, tree.with(jitter(rng, leaf, 15)));
    }
}

void drawThing(Canvas& canvas, Rng& rng, const Street& st, const Thing& t) {
    switch (t.kind) {
    case Kind::Car: drawCar(canvas, rng, st, t); break;
    case Kind::Truck: drawTruck(canvas, rng, st, t); break;
    case Kind::Bus: drawBus(canvas, rng, st, t, false); break;
    case Kind::Tram: drawBus(canvas, rng, st, t, true); break;
    case Kind::Person: {
        const Ink ink = canvas.newInstance(kPerson, jitter(rng, rng.pick(kClothColors), 15));
        drawPerson(canvas, rng, ink, t.x, t.y, st.unit(t.y) * rng.range(36, 48) / 100);
        break;
    }
    case Kind::Bicycle: {
        const Ink ink = canvas.newInstance(kBicycle, jitter(rng, rng.pick(kVehicleColors), 20));
        drawTwoWheeler(canvas, ink, t.x, t.y, st.unit(t.y), false);
        break;
    }
    case Kind::Rider: drawRider(canvas, rng, st, t, false); break;
    case Kind::Motorcyclist: drawRider(canvas, rng, st, t, true); break;
    case Kind::Pole: drawPole(canvas, rng, st, t); break;
    case Kind::Tree: drawTree(canvas, rng, st, t); break;
    }
}

std::vector<Thing> planThings(Rng& rng, const Street& st) {
    std::vector<Thing> things;
    const auto onRoad = [&](Kind k, int lo, int hi, int marginPercent) {
        const int y = st.yAt(rng, lo, hi), l = st.roadL(y), r = st.roadR(y), m = (r - l) * marginPercent / 100;
        things.push_back({k, rng.range(l + m, r - m), y});
    };
    // Off the road on a random side: on the sidewalk, or on the terrain where there is none.
    const auto besideRoad = [&](Kind k, int lo, int hi, bool nearCurb) {
        const int y = st.yAt(rng, lo, hi);
        const bool left = rng.chance(50);
        const int curb = left ? st.roadL(y) - 2 : st.roadR(y) + 2;
        const int span = std::max(std::abs((left ? st.walkL(y) : st.walkR(y)) - curb), st.unit(y) / 2);
        const int offset = span * (nearCurb ? rng.range(2, 15) : rng.range(10, 90)) / 100;
        things.push_back({k, left ? curb - offset : curb + offset, y});
    };
    for (int n = rng.range(1, 4); n > 0; --n) onRoad(Kind::Car, 8, 100, 10);
    for (int n = rng.range(0, 3); n > 0; --n) {
        if (rng.chance(20)) onRoad(Kind::Person, 20, 95, 0); // crossing
        else besideRoad(Kind::Person, 8, 100, false);
    }
    if (rng.chance(40)) besideRoad(Kind::Bicycle, 10, 100, true);
    if (rng.chance(35)) onRoad(Kind::Rider, 15, 100, 8);
    if (rng.chance(15)) onRoad(Kind::Motorcyclist, 15, 100, 10);
    if (rng.chance(15)) onRoad(Kind::Truck, 8, 60, 15);
    if (rng.chance(12)) onRoad(Kind::Bus, 8, 60, 20);
    if (rng.chance(5)) onRoad(Kind::Tram, 5, 40, 30);
    // Some instances may end up occluded or off-image, so plan a few more than the minimum wanted.
    while (things.size() < 3) besideRoad(rng.chance(70) ? Kind::Person : Kind::Bicycle, 20, 100, false);
    for (int n = rng.range(1, 4); n > 0; --n) besideRoad(Kind::Pole, 10, 95, true);
    for (int n = rng.range(1, 4); n > 0; --n) besideRoad(Kind::Tree, 5, 85, false);
    // Far to near, so nearer things occlude farther ones.
    std::stable_sort(things.begin(), things.end(), [](const Thing& a, const Thing& b) { return a.y < b.y; });
    return things;
}

// --- Photometry ------------------------------------------------------------------------------

// Roughly Gaussian values from sums of random bytes (Irwin-Hall), mean 0.
int noise2(std::uint64_t bits) { // standard deviation ~104
    return static_cast<int>((bits & 0xFF) + ((bits >> 8) & 0xFF)) - 255;
}
int noise4(std::uint64_t bits) { // standard deviation ~148
    return noise2(bits) + noise2(bits >> 16);
}

// Per-class texture (stronger on foliage and grass), a global lighting factor and tint, and
// sensor noise; the label maps are untouched.
void applyPhotometry(Canvas& canvas, Rng& rng) {
    std::array<int, kNumLabelIds> texture{};
    texture.fill(5);
    texture[kSky] = 2;
    texture[kRoad] = 9;
    texture[kSidewalk] = 8;
    texture[kBuilding] = 9;
    texture[kWall] = 10;
    texture[kVegetation] = 26;
    texture[kTerrain] = 18;
    const int light = rng.range(65, 130);
    const std::array<int, 3> tint = {rng.range(-8, 8), rng.range(-8, 8), rng.range(-8, 8)};
    for (int y = 0; y < canvas.rgb.rows; ++y) {
        auto* px = canvas.rgb.ptr<cv::Vec3b>(y);
        const auto* lb = canvas.labelIds.ptr<std::uint8_t>(y);
        for (int x = 0; x < canvas.rgb.cols; ++x) {
            const std::uint64_t a = rng.next(), b = rng.next();
            const int tex = noise4(a) * texture[lb[x] < kNumLabelIds ? lb[x] : 0] / 148;
            for (int c = 0; c < 3; ++c) {
                const int sensor = noise2(b >> (16 * c)) * 3 / 104;
                px[x][c] = static_cast<std::uint8_t>(clamp255(px[x][c] * light / 100 + tint[c] + tex + sensor));
            }
        }
    }
}

void checkSide(const char* name, int v) {
    if (v < kMinSize || v > kMaxSize)
        throw InputError(std::string("synthetic data: ") + name + " must be between " + std::to_string(kMinSize) +
                         " and " + std::to_string(kMaxSize) + " pixels (got " + std::to_string(v) + ")");
}

void checkSize(int width, int height) {
    checkSide("width", width);
    checkSide("height", height);
}

} // namespace

SynthScene renderSyntheticScene(int width, int height, std::uint64_t seed) {
    checkSize(width, height);
    Rng rng(seed);
    Street st;
    st.w = width;
    st.h = height;
    st.horizon = height * rng.range(36, 48) / 100;
    const int vx = width / 2 + rng.range(-width / 8, width / 8);
    const int roadTop = std::max(1, width * rng.range(2, 4) / 100);
    st.roadTopL = vx - roadTop;
    st.roadTopR = vx + roadTop;
    st.roadBotL = width * rng.range(-15, 12) / 100;
    st.roadBotR = width - width * rng.range(-15, 12) / 100;
    // Sidewalk width 0 leaves terrain next to the road.
    const int walkL = rng.chance(85) ? rng.range(30, 150) : 0, walkR = rng.chance(85) ? rng.range(30, 150) : 0;
    st.walkTopL = st.roadTopL - width * walkL / 1000;
    st.walkTopR = st.roadTopR + width * walkR / 1000;
    st.walkBotL = st.roadBotL - width * walkL / 100;
    st.walkBotR = st.roadBotR + width * walkR / 100;

    Canvas canvas(width, height);
    drawSky(canvas, rng, st);
    if (rng.chance(60)) drawTreeLine(canvas, rng, st);
    drawBuildings(canvas, rng, st);
    drawGround(canvas, rng, st);
    if (rng.chance(40)) drawHedge(canvas, rng, st, true);
    if (rng.chance(40)) drawHedge(canvas, rng, st, false);
    if (rng.chance(30)) drawBarrier(canvas, rng, st, false);
    if (rng.chance(30)) drawBarrier(canvas, rng, st, true);
    for (const Thing& t : planThings(rng, st)) drawThing(canvas, rng, st, t);
    applyPhotometry(canvas, rng);
    return {canvas.rgb, canvas.labelIds, canvas.instanceIds};
}

namespace {

struct SplitPlan {
    const char* name;
    int count;
    std::vector<std::string> cities;
};

// The seed of one image depends only on (seed, split, index), so adding val images never
// changes the train images.
std::uint64_t imageSeed(std::uint64_t seed, int split, int index) {
    std::uint64_t h = Rng(seed).next();
    h = Rng(h ^ (0x5350'4C49'5400ull + static_cast<std::uint64_t>(split))).next();
    return Rng(h + static_cast<std::uint64_t>(index)).next();
}

void makeFolder(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(dir.string() + ": cannot create folder (" + ec.message() + ")");
}

void writePng(const fs::path& file, const cv::Mat& m) {
    bool ok = false;
    try {
        ok = cv::imwrite(file.string(), m);
    } catch (const cv::Exception& e) {
        throw Error(file.string() + ": cannot write PNG (" + e.what() + ")");
    }
    if (!ok) throw Error(file.string() + ": cannot write PNG");
}

cv::Mat colorize(const cv::Mat& labelIds) {
    cv::Mat lut(1, 256, CV_8UC3, cv::Scalar::all(0));
    for (const auto& l : cityscapes::labels())
        if (l.id >= 0) lut.at<cv::Vec3b>(0, l.id) = cv::Vec3b(l.color[2], l.color[1], l.color[0]); // BGR file
    cv::Mat three, out;
    cv::merge(std::vector<cv::Mat>{labelIds, labelIds, labelIds}, three);
    cv::LUT(three, lut, out);
    return out;
}

} // namespace

void writeSyntheticCityscapes(const SynthOptions& opts, const std::function<void(int, int)>& progress) {
    if (opts.outDir.empty()) throw InputError("synthetic data: no output folder given");
    checkSize(opts.width, opts.height);
    if (opts.train < 1)
        throw InputError("synthetic data: train must be at least 1 (got " + std::to_string(opts.train) + ")");
    if (opts.val < 0)
        throw InputError("synthetic data: val must not be negative (got " + std::to_string(opts.val) + ")");

    const std::array<SplitPlan, 2> splits = {{{"train", opts.train, {"synthtown", "mockberg"}},
                                              {"val", opts.val, {"valcity"}}}};
    const int total = opts.train + opts.val;
    int done = 0;
    for (int s = 0; s < 2; ++s) {
        const SplitPlan& split = splits[static_cast<std::size_t>(s)];
        for (int i = 0; i < split.count; ++i) {
            const int nCities = static_cast<int>(split.cities.size());
            const std::string& city = split.cities[static_cast<std::size_t>(i % nCities)];
            char seqFrame[32];
            std::snprintf(seqFrame, sizeof seqFrame, "_%06d_%06d", i / nCities, 19); // frame 19 as in Cityscapes
            const std::string stem = city + seqFrame;
            const fs::path imageDir = fs::path(opts.outDir) / "leftImg8bit" / split.name / city;
            const fs::path gtDir = fs::path(opts.outDir) / "gtFine" / split.name / city;
            makeFolder(imageDir);
            makeFolder(gtDir);

            const SynthScene scene = renderSyntheticScene(opts.width, opts.height, imageSeed(opts.seed, s, i));
            cv::Mat bgr;
            cv::cvtColor(scene.rgb, bgr, cv::COLOR_RGB2BGR);
            writePng(imageDir / (stem + "_leftImg8bit.png"), bgr);
            writePng(gtDir / (stem + "_gtFine_labelIds.png"), scene.labelIds);
            writePng(gtDir / (stem + "_gtFine_instanceIds.png"), scene.instanceIds);
            writePng(gtDir / (stem + "_gtFine_color.png"), colorize(scene.labelIds));
            if (progress) progress(++done, total);
        }
    }
}

} // namespace mtl
