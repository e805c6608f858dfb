#include "core/data/synthetic/SynthThings.h"

namespace mtl::synth {
namespace {

const std::array<Rgb, 8> kVehicleColors = {{{200, 200, 205}, {30, 30, 35}, {120, 125, 130}, {160, 30, 30},
                                              {30, 60, 140}, {235, 235, 230}, {60, 90, 60}, {190, 160, 40}}};
const std::array<Rgb, 5> kSkinColors = {{{235, 200, 170}, {210, 160, 120}, {170, 120, 85},
                                          {120, 80, 55}, {90, 60, 45}}};
const std::array<Rgb, 8> kClothColors = {{{40, 40, 45}, {200, 30, 40}, {30, 60, 150}, {230, 230, 225},
                                           {90, 110, 60}, {150, 120, 90}, {240, 180, 40}, {110, 60, 130}}};
const Rgb kTyre = {28, 28, 30};
const Rgb kGlass = {45, 55, 70};

enum class Kind { Car, Truck, Bus, Tram, Person, Crowd, Bicycle, Rider, Motorcyclist, Pole, Tree };
enum class View { Rear, Side };

struct Thing {
    Kind kind;
    int x, y; // bottom centre: where it stands
    View view = View::Rear;
};

bool lightsOn(const Street& st) { return st.weather == Weather::Night || st.weather == Weather::Dusk || st.weather == Weather::Fog; }

Ink lamp(const Ink& body, Rgb c) { return body.with(c).as(Material::Lamp); }

void drawWheels(Canvas& canvas, const Ink& ink, int x0, int x1, int y, int r) {
    canvas.disc({x0, y - r}, r, 0, ink.with(kTyre).as(Material::Plain));
    canvas.disc({x1, y - r}, r, 0, ink.with(kTyre).as(Material::Plain));
}

void drawCar(Canvas& canvas, Rng& rng, const Street& st, const Thing& t) {
    const int u = st.unit(t.y);
    const int h = std::max(3, u * rng.range(24, 32) / 100);
    const bool side = t.view == View::Side;
    const int w = h * (side ? rng.range(170, 230) : rng.range(115, 140)) / 100;
    const int x0 = t.x - w / 2, x1 = x0 + w - 1, r = std::max(1, h / 5);
    const int belt = t.y - h * 55 / 100, roof = t.y - h + 1;
    const Ink body = canvas.newInstance(kCar, jitter(rng, rng.pick(kVehicleColors), 15), Material::Metal);
    const int slope = side ? w / 5 : w / 8;
    canvas.poly({{x0 + w / 12, belt}, {x0 + slope, roof}, {x1 - slope, roof}, {x1 - w / 12, belt}}, body);
    canvas.rect(x0, belt, x1, t.y - r, body);
    const int inset = std::max(1, h / 10);
    const Ink glass = body.with(jitter(rng, kGlass, 10)).as(Material::Plain); // no facade mullions on a car
    canvas.poly({{x0 + w / 12 + inset, belt}, {x0 + slope + inset, roof + inset}, {x1 - slope - inset, roof + inset},
                 {x1 - w / 12 - inset, belt}},
                glass);
    const int lampSize = std::max(1, h / 9);
    const Rgb tail = lightsOn(st) ? Rgb{255, 60, 50} : Rgb{190, 30, 30};
    if (side) {
        canvas.rect(x0 + w / 2, belt, x0 + w / 2, t.y - r, body.with(scaled(body.color, 70))); // door
        drawWheels(canvas, body, x0 + w / 5, x1 - w / 5, t.y, r);
        if (lightsOn(st)) canvas.rect(x1 - lampSize, belt + lampSize, x1, belt + 2 * lampSize, lamp(body, {255, 245, 200}));
    } else {
        canvas.rect(x0, belt + lampSize, x0 + 2 * lampSize, belt + 2 * lampSize, lamp(body, tail));
        canvas.rect(x1 - 2 * lampSize, belt + lampSize, x1, belt + 2 * lampSize, lamp(body, tail));
        canvas.rect(x0, t.y - r, x0 + std::max(1, w / 8), t.y, body.with(kTyre).as(Material::Plain));
        canvas.rect(x1 - std::max(1, w / 8), t.y - r, x1, t.y, body.with(kTyre).as(Material::Plain));
    }
}

void drawTruck(Canvas& canvas, Rng& rng, const Street& st, const Thing& t) {
    const int u = st.unit(t.y);
    const int h = std::max(4, u * rng.range(48, 60) / 100), w = h * rng.range(150, 230) / 100;
    const int x0 = t.x - w / 2, x1 = x0 + w - 1, r = std::max(1, h / 7), cab = w / 4;
    const bool cabLeft = rng.chance(50);
    const Ink ink = canvas.newInstance(kTruck, jitter(rng, rng.pick(kVehicleColors), 15), Material::Metal);
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
    const Ink ink = canvas.newInstance(tram ? kTrain : kBus, jitter(rng, rng.pick(colors), 12), Material::Metal);
    canvas.rect(x0, t.y - h + 1, x1, t.y - (tram ? 0 : r), ink);
    const int winTop = t.y - h * 85 / 100, winBot = t.y - h * 50 / 100, pane = std::max(2, h / 3);
    const bool lit = lightsOn(st);
    for (int x = x0 + pane / 3; x + pane < x1; x += pane + std::max(1, pane / 4))
        canvas.rect(x, winTop, x + pane - 1, winBot,
                    lit ? lamp(ink, jitter(rng, {230, 220, 170}, 10)) : ink.with(jitter(rng, kGlass, 8)));
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
    const int swing = stride / 3 + h * rng.range(-6, 6) / 100; // arms swing, hang or carry
    canvas.bar({x - tw - arm / 2, shoulder + 1}, {x - tw - arm - swing, hip + h / 20}, arm, sleeve);
    canvas.bar({x + tw + arm / 2, shoulder + 1}, {x + tw + arm + swing, hip + h / 20}, arm, sleeve);
    canvas.disc({x, y - h + headR}, headR, 0, ink.with(skin).as(Material::Plain));
    if (rng.chance(25)) { // a bag or a backpack: still the person
        const int b = std::max(1, h / 10);
        canvas.rect(x + tw, hip - b, x + tw + b, hip + b, ink.with(jitter(rng, rng.pick(kClothColors), 10)));
    }
}

int personHeight(Rng& rng, const Street& st, int y) {
    const int adult = st.unit(y) * rng.range(36, 48) / 100;
    return rng.chance(12) ? adult * rng.range(55, 75) / 100 : adult; // children
}

// Several people close together. Near ones are instances; when a person is only a few pixels
// tall the crowd becomes one group region, as Cityscapes annotates such crowds.
void drawCrowd(Canvas& canvas, Rng& rng, const Street& st, const Thing& t) {
    const int n = rng.range(4, 9), spread = std::max(2, st.unit(t.y) * rng.range(15, 35) / 100);
    const bool group = st.unit(t.y) * 42 / 100 < 10;
    const Ink groupInk = Canvas::group(kPerson, jitter(rng, rng.pick(kClothColors), 15), Material::Cloth);
    std::vector<cv::Point> feet;
    for (int k = 0; k < n; ++k) {
        const int dx = rng.range(-spread, spread), dy = rng.range(-spread / 4, spread / 4);
        feet.push_back({t.x + dx, std::min(st.h - 1, t.y + dy)});
    }
    std::stable_sort(feet.begin(), feet.end(), [](const cv::Point& a, const cv::Point& b) { return a.y < b.y; });
    for (const cv::Point& f : feet) {
        const Ink ink = group ? groupInk.with(jitter(rng, rng.pick(kClothColors), 15))
                              : canvas.newInstance(kPerson, jitter(rng, rng.pick(kClothColors), 15), Material::Cloth);
        drawPerson(canvas, rng, ink, f.x, f.y, personHeight(rng, st, f.y));
    }
}

// A two-wheeler standing at (x, y); returns {seat, handlebar, pedal} for a rider.
std::array<cv::Point, 3> drawTwoWheeler(Canvas& canvas, const Ink& ink, int x, int y, int u, bool motor) {
    const int r = std::max(2, u * (motor ? 10 : 9) / 100), d = r * 13 / 10;
    const cv::Point rear(x - d, y - r), front(x + d, y - r), crank(x, y - r);
    const cv::Point seat(x - d / 3, y - r * 22 / 10), bar(x + d * 8 / 10, y - r * 24 / 10);
    const int t = std::max(1, r / 5);
    const Ink tyre = ink.with(kTyre).as(Material::Plain);
    if (motor) {
        canvas.disc(rear, r, 0, tyre);
        canvas.disc(front, r, 0, tyre);
        canvas.poly({{rear.x, rear.y}, {seat.x - r / 2, seat.y}, {bar.x, seat.y}, {front.x, front.y}}, ink);
    } else {
        canvas.disc(rear, r, r - std::max(1, r / 4), tyre);
        canvas.disc(front, r, r - std::max(1, r / 4), tyre);
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
    const Ink bike = canvas.newInstance(motor ? kMotorcycle : kBicycle, jitter(rng, rng.pick(kVehicleColors), 20), Material::Metal);
    const auto [seat, bar, pedal] = drawTwoWheeler(canvas, bike, t.x, t.y, u, motor);
    const Ink rider = canvas.newInstance(kRider, jitter(rng, rng.pick(kClothColors), 15), Material::Cloth);
    const int body = std::max(3, u * 20 / 100), tw = std::max(1, body / 4), headR = std::max(1, body / 5);
    const cv::Point shoulder(seat.x + body / 4, seat.y - body);
    canvas.bar(seat, pedal, std::max(1, tw * 3 / 4), rider.with(jitter(rng, rng.pick(kClothColors), 10)));
    canvas.bar(seat, shoulder, tw, rider);
    canvas.bar(shoulder, bar, std::max(1, tw / 2), rider);
    canvas.disc({shoulder.x, shoulder.y - headR}, headR, 0, rider.with(jitter(rng, rng.pick(kSkinColors), 8)).as(Material::Plain));
}

void drawSign(Canvas& canvas, Rng& rng, int x, int top, int u) {
    const int s = std::max(2, u * 7 / 100);
    const Ink sign = Canvas::stuff(kTrafficSign, jitter(rng, {230, 230, 225}, 10), Material::Plain);
    switch (rng.range(0, 2)) {
    case 0: // prohibition: red disc with a white centre
        canvas.disc({x, top + s}, s, 0, sign.with({200, 30, 35}));
        canvas.disc({x, top + s}, s * 2 / 3, 0, sign);
        break;
    case 1: // warning triangle
        canvas.poly({{x - s, top + 2 * s}, {x + s, top + 2 * s}, {x, top}}, sign.with({205, 35, 35}));
        canvas.poly({{x - s / 2, top + 2 * s - s / 3}, {x + s / 2, top + 2 * s - s / 3}, {x, top + s * 2 / 3}}, sign);
        break;
    default: // information panel
        canvas.rect(x - s, top, x + s, top + s * 3 / 2, sign.with(jitter(rng, {30, 80, 170}, 15)));
        break;
    }
}

void drawPole(Canvas& canvas, Rng& rng, const Street& st, const Thing& t) {
    const int u = st.unit(t.y);
    const int pw = std::max(1, u / 45), ph = u * rng.range(60, 85) / 100, top = t.y - ph;
    const Ink pole = Canvas::stuff(kPole, jitter(rng, {125, 125, 128}, 20), Material::Metal);
    canvas.rect(t.x - pw / 2, top, t.x - pw / 2 + pw - 1, t.y, pole);
    const int kind = rng.range(0, 99);
    const int lampShare = lightsOn(st) ? 45 : 20;
    if (kind < lampShare) { // street lamp: an arm over the road and a head, lit after dark
        const int arm = std::max(2, u * 12 / 100) * (t.x < st.w / 2 ? 1 : -1);
        canvas.bar({t.x, top}, {t.x + arm, top}, std::max(1, pw / 2 + 1), pole);
        const int head = std::max(1, u / 30);
        canvas.rect(t.x + arm - head, top, t.x + arm + head, top + head,
                    lightsOn(st) ? pole.with({255, 240, 190}).as(Material::Lamp) : pole.with({200, 200, 190}));
    } else if (kind < lampShare + 30) {
        drawSign(canvas, rng, t.x, top, u);
    } else if (kind < lampShare + 55) { // traffic light
        const int bw = std::max(2, u * 5 / 100), lampR = std::max(1, bw / 3);
        const Ink light = Canvas::stuff(kTrafficLight, jitter(rng, {35, 35, 35}, 8), Material::Metal);
        canvas.rect(t.x - bw / 2, top, t.x - bw / 2 + bw - 1, top + 3 * bw - 1, light);
        const int lit = rng.range(0, 2);
        const std::array<Rgb, 3> on = {{{240, 40, 30}, {245, 190, 30}, {40, 220, 90}}};
        for (int k = 0; k < 3; ++k)
            canvas.disc({t.x, top + bw / 2 + k * bw}, lampR, 0,
                        k == lit ? light.with(on[std::size_t(k)]).as(Material::Lamp) : light.with(scaled(on[std::size_t(k)], 30)));
    }
}

void drawTree(Canvas& canvas, Rng& rng, const Street& st, const Thing& t) {
    const int u = st.unit(t.y);
    const int trunkH = u * rng.range(25, 45) / 100, tw = std::max(1, u / 35);
    const Ink trunk = Canvas::stuff(kVegetation, jitter(rng, {85, 68, 50}, 12), Material::Bark); // trunks are vegetation too
    canvas.rect(t.x - tw / 2, t.y - trunkH, t.x - tw / 2 + tw - 1, t.y, trunk);
    const int r = std::max(2, u * rng.range(12, 22) / 100);
    const bool autumn = rng.chance(15);
    const Rgb leaf = jitter(rng, autumn ? Rgb{150, 110, 45} : Rgb{75, 115, 45}, 20);
    for (int k = rng.range(4, 7); k > 0; --k) {
        const cv::Point c{t.x + rng.range(-r, r), t.y - trunkH - rng.range(0, r)};
        const int size = r * rng.range(60, 100) / 100;
        canvas.disc(c, size, 0, trunk.with(jitter(rng, leaf, 15)).as(Material::Foliage));
    }
}

void drawThing(Canvas& canvas, Rng& rng, const Street& st, const Thing& t) {
    switch (t.kind) {
    case Kind::Car: drawCar(canvas, rng, st, t); break;
    case Kind::Truck: drawTruck(canvas, rng, st, t); break;
    case Kind::Bus: drawBus(canvas, rng, st, t, false); break;
    case Kind::Tram: drawBus(canvas, rng, st, t, true); break;
    case Kind::Person: {
        const Ink ink = canvas.newInstance(kPerson, jitter(rng, rng.pick(kClothColors), 15), Material::Cloth);
        drawPerson(canvas, rng, ink, t.x, t.y, personHeight(rng, st, t.y));
        break;
    }
    case Kind::Crowd: drawCrowd(canvas, rng, st, t); break;
    case Kind::Bicycle: {
        const Ink ink = canvas.newInstance(kBicycle, jitter(rng, rng.pick(kVehicleColors), 20), Material::Metal);
        drawTwoWheeler(canvas, ink, t.x, t.y, st.unit(t.y), false);
        break;
    }
    case Kind::Rider: drawRider(canvas, rng, st, t, false); break;
    case Kind::Motorcyclist: drawRider(canvas, rng, st, t, true); break;
    case Kind::Pole: drawPole(canvas, rng, st, t); break;
    case Kind::Tree: drawTree(canvas, rng, st, t); break;
    }
}

class Planner {
public:
    Planner(Rng& rng, const Street& st) : rng_(rng), st_(st) {}

    void onRoad(Kind k, int lo, int hi, int marginPercent, View view = View::Rear) {
        const int y = st_.yAt(rng_, lo, hi), l = st_.roadL(y), r = st_.roadR(y), m = (r - l) * marginPercent / 100;
        things.push_back({k, rng_.range(l + m, r - m), y, view});
    }
    // Off the road on a random side: on the sidewalk, or on the terrain where there is none.
    void besideRoad(Kind k, int lo, int hi, bool nearCurb) {
        const int y = st_.yAt(rng_, lo, hi);
        if (st_.crossing(y)) return;
        const bool left = rng_.chance(50);
        const int curb = left ? st_.roadL(y) - 2 : st_.roadR(y) + 2;
        const int span = std::max(std::abs((left ? st_.walkL(y) : st_.walkR(y)) - curb), st_.unit(y) / 2);
        const int offset = span * (nearCurb ? rng_.range(2, 15) : rng_.range(10, 90)) / 100;
        things.push_back({k, left ? curb - offset : curb + offset, y});
    }
    // Cars parked bumper to bumper along both curbs, seen from the side, nearer ones hiding farther.
    void parkedRows() {
        for (int side = 0; side < 2; ++side)
            for (int depth = rng_.range(8, 20); depth < 100; depth += rng_.range(8, 16)) {
                const int y = st_.horizon + (st_.h - st_.horizon) * depth / 100;
                const int edge = side == 0 ? st_.roadL(y) : st_.roadR(y);
                const int x = edge + (side == 0 ? 1 : -1) * st_.unit(y) * rng_.range(20, 32) / 100;
                things.push_back({Kind::Car, x, y, View::Side});
            }
    }
    // Traffic along the crossing street, seen from the side.
    void crossTraffic() {
        for (int n = rng_.range(1, 3); n > 0; --n) {
            const int y = rng_.range(st_.crossTop + (st_.crossBottom - st_.crossTop) / 2, st_.crossBottom);
            things.push_back({rng_.chance(85) ? Kind::Car : Kind::Bus, rng_.range(0, st_.w), y, View::Side});
        }
        for (int n = rng_.range(0, 4); n > 0; --n) { // on the zebra crossing
            const int y = std::min(st_.h - 1, st_.crossBottom + std::max(1, st_.unit(st_.crossBottom) / 20));
            things.push_back({Kind::Person, rng_.range(st_.roadL(y), st_.roadR(y)), y});
        }
    }
    // Cars going round the island.
    void roundabout() {
        for (int n = rng_.range(1, 4); n > 0; --n) {
            const bool front = rng_.chance(50);
            const int y = st_.island.y + (front ? st_.islandRy + std::max(1, st_.unit(st_.island.y) / 6) : -st_.islandRy);
            const int x = st_.island.x + rng_.range(-st_.islandRx, st_.islandRx);
            things.push_back({Kind::Car, x, y, View::Side});
        }
    }

    std::vector<Thing> things;

private:
    Rng& rng_;
    const Street& st_;
};

std::vector<Thing> planThings(Rng& rng, const Street& st) {
    Planner p(rng, st);
    const bool open = st.layout == SceneLayout::OpenRoad;
    for (int n = rng.range(open ? 0 : 1, open ? 2 : 4); n > 0; --n) p.onRoad(Kind::Car, 8, 100, 10);
    if (st.layout == SceneLayout::ParkedRows) p.parkedRows();
    if (st.layout == SceneLayout::Junction) p.crossTraffic();
    if (st.layout == SceneLayout::Roundabout) p.roundabout();
    for (int n = rng.range(0, open ? 1 : 4); n > 0; --n) {
        if (rng.chance(20)) p.onRoad(Kind::Person, 20, 95, 0); // crossing
        else p.besideRoad(Kind::Person, 8, 100, false);
    }
    if (!open && rng.chance(30)) p.besideRoad(Kind::Crowd, 5, 90, false);
    if (rng.chance(35)) p.besideRoad(Kind::Bicycle, 10, 100, true);
    if (rng.chance(30)) p.onRoad(Kind::Rider, 15, 100, 8);
    if (rng.chance(12)) p.onRoad(Kind::Motorcyclist, 15, 100, 10);
    if (rng.chance(12)) p.onRoad(Kind::Truck, 8, 60, 15);
    if (rng.chance(10)) p.onRoad(Kind::Bus, 8, 60, 20);
    if (!open && rng.chance(4)) p.onRoad(Kind::Tram, 5, 40, 30);
    // Some instances may end up occluded or off-image, so plan a few more than the minimum wanted.
    while (p.things.size() < 3) p.onRoad(rng.chance(70) ? Kind::Car : Kind::Rider, 20, 100, 10);
    for (int n = rng.range(1, 4); n > 0; --n) p.besideRoad(Kind::Pole, 10, 95, true);
    for (int n = rng.range(1, open ? 6 : 4); n > 0; --n) p.besideRoad(Kind::Tree, 5, 85, false);
    std::stable_sort(p.things.begin(), p.things.end(), [](const Thing& a, const Thing& b) { return a.y < b.y; });
    return p.things;
}

} // namespace

void drawThings(Canvas& canvas, Rng& rng, const Street& st) {
    for (const Thing& t : planThings(rng, st)) drawThing(canvas, rng, st, t);
}

} // namespace mtl::synth
