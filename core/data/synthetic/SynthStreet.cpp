#include "core/data/synthetic/SynthStreet.h"

namespace mtl::synth {
namespace {

const std::array<Rgb, 6> kBrickColors = {{{160, 85, 65}, {140, 70, 55}, {175, 110, 80},
                                            {120, 65, 55}, {185, 140, 110}, {150, 100, 90}}};
const std::array<Rgb, 5> kConcreteColors = {{{185, 180, 172}, {150, 148, 145}, {205, 198, 185},
                                               {120, 118, 115}, {170, 160, 140}}};
const std::array<Rgb, 3> kGlassColors = {{{70, 95, 125}, {90, 110, 120}, {60, 75, 90}}};

// Foliage and open ground share hues on purpose: they differ by texture and shape, as in a city.
Rgb foliageColor(Rng& rng) {
    const std::array<Rgb, 4> c = {{{70, 105, 45}, {50, 80, 40}, {95, 120, 50}, {140, 105, 45}}}; // autumn last
    return jitter(rng, rng.chance(85) ? c[static_cast<std::size_t>(rng.range(0, 2))] : c[3], 18);
}
Rgb groundColor(Rng& rng, Material m) {
    if (m == Material::Dirt) return jitter(rng, {125, 100, 70}, 20);
    return jitter(rng, rng.chance(70) ? Rgb{105, 135, 60} : Rgb{150, 145, 85}, 20); // green or dry grass
}

void drawTreeLine(Canvas& canvas, Rng& rng, const Street& st, int base) {
    const int r = std::max(3, st.h * rng.range(4, 9) / 100);
    const Rgb leaf = foliageColor(rng);
    for (int x = rng.range(-r, 0); x < st.w + r; x += r + rng.range(0, r)) {
        const int cy = base - rng.range(r / 2, 2 * r);
        const int size = r + rng.range(-r / 4, r / 4);
        canvas.disc({x, cy}, size, 0, Canvas::stuff(kVegetation, jitter(rng, leaf, 10), Material::Foliage));
    }
}

void drawBuilding(Canvas& canvas, Rng& rng, const Street& st, int x, int bw, int top, bool night) {
    const int kind = rng.range(0, 99); // brick, concrete or glass
    const Material m = kind < 40 ? Material::Brick : kind < 80 ? Material::Concrete : Material::Glass;
    const Rgb facade = m == Material::Brick ? jitter(rng, rng.pick(kBrickColors), 12)
                       : m == Material::Concrete ? jitter(rng, rng.pick(kConcreteColors), 12)
                                                 : jitter(rng, rng.pick(kGlassColors), 10);
    const Ink wall = Canvas::stuff(kBuilding, facade, m);
    canvas.rect(x, top, x + bw - 1, st.horizon, wall);
    canvas.rect(x, top, x + bw - 1, top + std::max(1, st.h / 48), wall.with(scaled(facade, 70)).as(Material::Concrete));
    if (m == Material::Glass) return; // the curtain wall's mullions come from its texture
    const int cell = std::max(3, st.h * rng.range(5, 8) / 100);
    const int ww = std::max(1, cell / 2), wh = std::max(1, cell * 6 / 10);
    const int litShare = night ? 45 : 6;
    for (int wy = top + cell / 2 + 1; wy + wh < st.horizon - cell / 2; wy += cell)
        for (int wx = x + cell / 2; wx + ww < x + bw - cell / 3; wx += cell) {
            const bool lit = rng.chance(litShare);
            const Rgb c = lit ? jitter(rng, {235, 210, 140}, 15) : jitter(rng, {55, 65, 80}, 10);
            canvas.rect(wx, wy, wx + ww - 1, wy + wh - 1, Canvas::stuff(kBuilding, c, lit ? Material::Lamp : Material::Glass));
        }
}

void drawBuildings(Canvas& canvas, Rng& rng, const Street& st) {
    const bool night = st.weather == Weather::Night || st.weather == Weather::Dusk;
    const int low = st.layout == SceneLayout::Roundabout ? 40 : 0; // squares are more open
    for (int x = -rng.range(0, st.w / 10); x < st.w;) {
        const int bw = std::max(4, st.w * rng.range(8, 26) / 100);
        if (rng.chance(12)) { // a gap: sky and the tree line show through
            x += bw / 2;
            continue;
        }
        drawBuilding(canvas, rng, st, x, bw, st.horizon * rng.range(low, 70) / 100, night);
        x += bw;
    }
}

// Rolling hills on the horizon, wooded or open, in front of each other.
void drawHills(Canvas& canvas, Rng& rng, const Street& st) {
    for (int layer = 0; layer < 2; ++layer) {
        const bool wooded = rng.chance(55);
        const Material m = wooded ? Material::Foliage : Material::Grass;
        const Rgb c = wooded ? scaled(foliageColor(rng), 80 + 10 * layer) : scaled(groundColor(rng, m), 85 + 10 * layer);
        const Ink ink = Canvas::stuff(wooded ? kVegetation : kTerrain, c, m);
        for (int n = rng.range(2, 4); n > 0; --n) {
            const int cx = rng.range(-st.w / 4, st.w + st.w / 4), rx = st.w * rng.range(15, 40) / 100;
            const int ry = std::max(2, st.horizon * rng.range(8, 25 - 8 * layer) / 100);
            canvas.ellipse({cx, st.horizon}, rx, ry, ink);
        }
    }
}

void drawCentreLine(Canvas& canvas, Rng& rng, const Street& st, const Ink& road) {
    const Ink paint = road.with(jitter(rng, {225, 225, 215}, 12)).as(Material::Plain);
    constexpr int kSteps = 9;
    for (int s = 1; s < kSteps; s += 2) {
        const int ya = st.horizon + (st.h - st.horizon) * s * s / (kSteps * kSteps);
        const int yb = st.horizon + (st.h - st.horizon) * (s + 1) * (s + 1) / (kSteps * kSteps);
        for (int y = ya; y < yb; ++y) {
            if (st.crossing(y)) continue;
            const int c = (st.roadL(y) + st.roadR(y)) / 2, half = st.unit(y) / 70;
            canvas.row(y, c - half, c + half, paint);
        }
    }
}

// White stripes across the road just before the crossing street (still road).
void drawZebra(Canvas& canvas, Rng& rng, const Street& st, const Ink& road) {
    const Ink paint = road.with(jitter(rng, {230, 230, 225}, 10)).as(Material::Plain);
    const int y0 = st.crossBottom + 1, y1 = std::min(st.h - 1, st.crossBottom + std::max(2, st.unit(st.crossBottom) / 10));
    for (int y = y0; y <= y1; ++y) {
        const int l = st.roadL(y), r = st.roadR(y), stripe = std::max(2, (r - l) / 14);
        for (int x = l + stripe / 2; x + stripe / 2 < r; x += 2 * stripe) canvas.row(y, x, x + stripe - 1, paint);
    }
}

void drawIsland(Canvas& canvas, Rng& rng, const Street& st) {
    const Ink curb = Canvas::stuff(kSidewalk, jitter(rng, {175, 170, 165}, 15), Material::Paving);
    canvas.ellipse(st.island, st.islandRx + std::max(1, st.islandRx / 12), st.islandRy + 1, curb);
    canvas.ellipse(st.island, st.islandRx, st.islandRy, Canvas::stuff(kTerrain, groundColor(rng, Material::Grass), Material::Grass));
    const Rgb leaf = foliageColor(rng);
    for (int n = rng.range(2, 5); n > 0; --n) {
        const int x = st.island.x + rng.range(-st.islandRx * 2 / 3, st.islandRx * 2 / 3);
        const int r = std::max(1, st.unit(st.island.y) * rng.range(4, 9) / 100);
        canvas.disc({x, st.island.y - r / 2}, r, 0, Canvas::stuff(kVegetation, jitter(rng, leaf, 12), Material::Foliage));
    }
}

// Bushes along the outer edge of a sidewalk, on the terrain side.
void drawHedge(Canvas& canvas, Rng& rng, const Street& st, bool left) {
    const Rgb leaf = foliageColor(rng);
    for (int y = st.horizon + 1; y < st.h;) {
        const int r = std::max(1, st.unit(y) * rng.range(5, 10) / 100);
        const int x = left ? st.walkL(y) - r / 2 : st.walkR(y) + r / 2;
        if (!st.crossing(y))
            canvas.disc({x, y - r / 2}, r, 0, Canvas::stuff(kVegetation, jitter(rng, leaf, 12), Material::Foliage));
        y += std::max(1, r / 2);
    }
}

// A wall or fence band along the far end of one sidewalk.
void drawBarrier(Canvas& canvas, Rng& rng, const Street& st, bool fence) {
    const bool left = rng.chance(50);
    const int len = st.w * rng.range(10, 35) / 100;
    const int gap = 2 + rng.range(0, st.w / 8);
    const int x0 = left ? st.roadL(st.horizon) - gap - len : st.roadR(st.horizon) + gap;
    const int x1 = x0 + len, yTop = st.horizon - st.h * rng.range(3, 9) / 100;
    const int yBot = st.horizon + st.h * rng.range(1, 3) / 100;
    if (!fence) {
        const Material m = rng.chance(50) ? Material::Brick : Material::Concrete;
        const Ink wall = Canvas::stuff(kWall, jitter(rng, m == Material::Brick ? Rgb{150, 95, 75} : Rgb{150, 145, 140}, 25), m);
        canvas.rect(x0, yTop, x1, yBot, wall);
        return;
    }
    const Ink fenceInk = Canvas::stuff(kFence, jitter(rng, {120, 105, 90}, 30), Material::Metal);
    const int step = std::max(2, st.w / 50);
    for (int x = x0; x <= x1; x += step) canvas.rect(x, yTop, x, yBot, fenceInk);
    canvas.rect(x0, yTop, x1, yTop, fenceInk);
    canvas.rect(x0, (yTop + yBot) / 2, x1, (yTop + yBot) / 2, fenceInk);
}

} // namespace

int Street::offset(int y) const {
    if (bend == 0) return 0;
    const std::int64_t d = h - y, depth = h - horizon;
    return static_cast<int>(std::int64_t(bend) * d * d / (depth * depth));
}

Street planStreet(Rng& rng, int width, int height, SceneLayout layout, Weather weather) {
    Street st;
    st.layout = layout;
    st.weather = weather;
    st.w = width;
    st.h = height;
    st.horizon = height * rng.range(30, 52) / 100; // camera pitch
    st.sizePercent = rng.range(75, 130);            // camera height: lower camera, bigger things
    const int vx = width / 2 + rng.range(-width / 6, width / 6);
    const bool wide = layout == SceneLayout::Roundabout;
    const int roadTop = std::max(1, width * (wide ? rng.range(10, 18) : rng.range(2, 4)) / 100);
    st.roadTopL = vx - roadTop;
    st.roadTopR = vx + roadTop;
    st.roadBotL = width * (wide ? rng.range(-60, -30) : rng.range(-15, 12)) / 100;
    st.roadBotR = width - width * (wide ? rng.range(-60, -30) : rng.range(-15, 12)) / 100;
    // Sidewalk width 0 leaves terrain next to the road; an open road has none.
    const bool open = layout == SceneLayout::OpenRoad;
    const int walkL = !open && rng.chance(85) ? rng.range(30, 150) : 0;
    const int walkR = !open && rng.chance(85) ? rng.range(30, 150) : 0;
    st.walkTopL = st.roadTopL - width * walkL / 1000;
    st.walkTopR = st.roadTopR + width * walkR / 1000;
    st.walkBotL = st.roadBotL - width * walkL / 100;
    st.walkBotR = st.roadBotR + width * walkR / 100;
    if (layout == SceneLayout::Curve || (open && rng.chance(50))) {
        const int side = rng.chance(50) ? 1 : -1;
        st.bend = side * width * rng.range(20, 60) / 100;
    }
    if (layout == SceneLayout::Junction) {
        st.crossTop = st.yAt(rng, 12, 35);
        st.crossBottom = st.crossTop + std::max(2, st.unit(st.crossTop) * rng.range(20, 35) / 100);
    }
    if (layout == SceneLayout::Roundabout) {
        st.island = {vx + rng.range(-width / 12, width / 12), st.yAt(rng, 25, 40)};
        st.islandRx = std::max(3, st.unit(st.island.y) * rng.range(50, 90) / 100);
        st.islandRy = std::max(2, st.islandRx * (st.island.y - st.horizon) / std::max(1, height - st.horizon) / 2 + 1);
    }
    st.terrainLeft = rng.chance(70) ? Material::Grass : Material::Dirt;
    st.terrainRight = rng.chance(70) ? Material::Grass : Material::Dirt;
    return st;
}

void drawSky(Canvas& canvas, Rng& rng, const Street& st) {
    Rgb top{70, 120, 195}, bottom{165, 195, 225};
    int clouds = rng.range(0, 3);
    switch (st.weather) {
    case Weather::Clear: break;
    case Weather::Overcast:
    case Weather::Rain:
        top = {150, 155, 162};
        bottom = {195, 198, 202};
        clouds = 0;
        break;
    case Weather::Dusk:
        top = {60, 60, 120};
        bottom = {235, 140, 80};
        break;
    case Weather::Night:
        top = {8, 10, 25};
        bottom = {30, 35, 60};
        clouds = 0;
        break;
    case Weather::Fog:
        top = bottom = {200, 200, 200};
        clouds = 0;
        break;
    }
    top = jitter(rng, top, 15);
    bottom = jitter(rng, bottom, 12);
    for (int y = 0; y < st.horizon + st.h / 8; ++y) { // below the horizon too: seen through gaps
        const int t = std::min(100, y * 100 / std::max(1, st.horizon));
        canvas.rect(0, y, st.w - 1, y, Canvas::stuff(kSky, mix(top, bottom, t), Material::Sky));
    }
    for (; clouds > 0; --clouds) {
        const int cx = rng.range(0, st.w), cy = rng.range(0, st.horizon / 2);
        const int r = std::max(2, st.h / rng.range(12, 24));
        const Rgb white = st.weather == Weather::Dusk ? Rgb{240, 180, 150} : Rgb{235, 237, 240};
        for (int k = rng.range(3, 6); k > 0; --k) {
            const cv::Point c{cx + rng.range(-2 * r, 2 * r), cy + rng.range(-r / 2, r / 2)};
            const int size = r + rng.range(-r / 3, r / 3);
            canvas.disc(c, size, 0, Canvas::stuff(kSky, jitter(rng, white, 10), Material::Cloud));
        }
    }
}

void drawSkyline(Canvas& canvas, Rng& rng, const Street& st) {
    if (st.layout == SceneLayout::OpenRoad) {
        drawHills(canvas, rng, st);
        if (rng.chance(50)) drawTreeLine(canvas, rng, st, st.horizon);
        return;
    }
    if (rng.chance(60)) drawTreeLine(canvas, rng, st, st.horizon);
    drawBuildings(canvas, rng, st);
}

void drawGround(Canvas& canvas, Rng& rng, const Street& st) {
    const Ink left = Canvas::stuff(kTerrain, groundColor(rng, st.terrainLeft), st.terrainLeft);
    const Ink right = Canvas::stuff(kTerrain, groundColor(rng, st.terrainRight), st.terrainRight);
    const Ink walk = Canvas::stuff(kSidewalk, jitter(rng, {170, 162, 165}, 20), Material::Paving);
    const Ink curb = walk.with(scaled(walk.color, 118)).as(Material::Concrete);
    const Ink road = Canvas::stuff(kRoad, jitter(rng, {95, 92, 98}, 18), Material::Asphalt);
    for (int y = st.horizon; y < st.h; ++y) {
        const int rl = st.roadL(y), rr = st.roadR(y), c = (rl + rr) / 2;
        canvas.row(y, 0, c, left);
        canvas.row(y, c + 1, st.w - 1, right);
        if (st.crossing(y)) {
            canvas.row(y, 0, st.w - 1, road);
            continue;
        }
        const int curbWidth = std::max(1, st.unit(y) / 40);
        canvas.row(y, st.walkL(y), rl - 1, walk);
        canvas.row(y, rr + 1, st.walkR(y), walk);
        if (st.walkL(y) < rl) canvas.row(y, rl - curbWidth, rl - 1, curb);
        if (st.walkR(y) > rr) canvas.row(y, rr + 1, rr + curbWidth, curb);
        canvas.row(y, rl, rr, road);
    }
    for (int n = rng.range(0, 4); n > 0; --n) { // patches and stains
        const int y = st.yAt(rng, 10, 100), r = std::max(1, st.unit(y) / rng.range(8, 20));
        const cv::Point p{rng.range(st.roadL(y), st.roadR(y)), y};
        canvas.disc(p, r, 0, road.with(jitter(rng, scaled(road.color, 85), 6)));
    }
    if (st.layout != SceneLayout::Roundabout) drawCentreLine(canvas, rng, st, road);
    if (st.layout == SceneLayout::Junction) drawZebra(canvas, rng, st, road);
    if (st.layout == SceneLayout::Roundabout) drawIsland(canvas, rng, st);
}

void drawBorders(Canvas& canvas, Rng& rng, const Street& st) {
    if (rng.chance(40)) drawHedge(canvas, rng, st, true);
    if (rng.chance(40)) drawHedge(canvas, rng, st, false);
    if (rng.chance(st.layout == SceneLayout::OpenRoad ? 10 : 30)) drawBarrier(canvas, rng, st, false);
    if (rng.chance(30)) drawBarrier(canvas, rng, st, true);
}

} // namespace mtl::synth
