#include "core/data/synthetic/SynthLight.h"

namespace mtl::synth {
namespace {

// A reproducible hash of a cell (or pixel) and a salt.
std::uint64_t hashOf(int x, int y, std::uint64_t salt) {
    SplitMix64 g(salt ^ (static_cast<std::uint64_t>(static_cast<std::uint32_t>(x)) << 32) ^
                 static_cast<std::uint32_t>(y));
    return g.next();
}
// Roughly Gaussian values from sums of random bytes (Irwin-Hall), mean 0, standard deviation ~104.
int noise2(std::uint64_t bits) { return static_cast<int>((bits & 0xFF) + ((bits >> 8) & 0xFF)) - 255; }
// Uniform in [-amplitude, amplitude] from 8 bits.
int spread(std::uint64_t bits, int amplitude) { return static_cast<int>(bits & 0xFF) * (2 * amplitude + 1) / 256 - amplitude; }

struct Scale {
    int brick = 2, panel = 8, mullion = 4; // pixels, from the image height
};

// The texture's brightness change at (x, y) for a material; `st` gives the depth-dependent scale
// of ground patterns.
int texture(Material m, int x, int y, std::uint64_t salt, const Scale& s, const Street& st) {
    const std::uint64_t px = hashOf(x, y, salt);
    switch (m) {
    case Material::Sky: return spread(px, 2);
    case Material::Cloud: return spread(px, 5);
    case Material::Asphalt: return spread(px, 9) - ((px >> 8) % 23 == 0 ? 18 : 0);
    case Material::Paving: {
        const int tile = std::max(2, st.unit(std::max(y, st.horizon + 1)) / 10);
        const bool joint = (x % tile == 0) || ((y - st.horizon) % std::max(2, tile / 2) == 0);
        return spread(px, 5) - (joint ? 22 : 0);
    }
    case Material::Grass: return spread(hashOf(x, y / 3, salt + 1), 14) + spread(px >> 8, 5);
    case Material::Dirt: return ((px >> 8) % 9 == 0 ? spread(px >> 16, 35) : 0) + spread(px, 6);
    case Material::Foliage: {
        const int clump = spread(hashOf(x / 3, y / 3, salt + 2), 20);
        return clump + spread(px, 12) - ((px >> 8) % 10 == 0 ? 40 : 0);
    }
    case Material::Bark: return spread(hashOf(x, y / 4, salt + 3), 12);
    case Material::Brick: {
        const int row = y / s.brick, offset = (row % 2) * s.brick;
        const int col = (x + offset) / (2 * s.brick + 1);
        const bool mortar = y % s.brick == 0 || (x + offset) % (2 * s.brick + 1) == 0;
        return mortar ? 38 : spread(hashOf(col, row, salt + 4), 14) + spread(px, 4);
    }
    case Material::Concrete: {
        const bool joint = x % s.panel == 0 || y % s.panel == 0;
        return spread(px, 5) - (joint ? 18 : 0);
    }
    case Material::Glass: {
        const bool mullion = x % s.mullion == 0 || y % s.mullion == 0;
        return mullion ? -45 : (y % s.mullion) * 30 / s.mullion - 10 + spread(px, 3);
    }
    case Material::Metal: return spread(px, 4);
    case Material::Cloth: return spread(px, 8);
    case Material::Lamp: return 0;
    default: return spread(px, 5);
    }
}

// Lamp pixels spread into a low-resolution glow map (block sums, then a box blur twice): how much
// light reaches each block from lamps, lit windows and headlights nearby, 0..~255.
std::vector<int> glowMap(const Canvas& canvas, int block, int& cols, int& rows) {
    cols = (canvas.width() + block - 1) / block;
    rows = (canvas.height() + block - 1) / block;
    std::vector<int> g(static_cast<std::size_t>(cols * rows), 0);
    for (int y = 0; y < canvas.height(); ++y) {
        const auto* m = canvas.material.ptr<std::uint8_t>(y);
        for (int x = 0; x < canvas.width(); ++x)
            if (m[x] == static_cast<std::uint8_t>(Material::Lamp)) g[std::size_t((y / block) * cols + x / block)] += 16;
    }
    for (int pass = 0; pass < 2; ++pass) {
        std::vector<int> out(g.size(), 0);
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c) {
                int sum = 0;
                for (int dr = -1; dr <= 1; ++dr)
                    for (int dc = -1; dc <= 1; ++dc) {
                        const int rr = r + dr, cc = c + dc;
                        if (rr >= 0 && rr < rows && cc >= 0 && cc < cols) sum += g[std::size_t(rr * cols + cc)];
                    }
                out[std::size_t(r * cols + c)] = sum / 5;
            }
        g.swap(out);
    }
    for (int& v : g) v = std::min(v, 255);
    return g;
}

// Bilinear sample of the glow map between block centres (no blocky edges), 0..255.
class GlowSampler {
public:
    GlowSampler(std::vector<int> map, int cols, int rows, int block) : g_(std::move(map)), cols_(cols), rows_(rows), block_(block) {}
    bool empty() const { return g_.empty(); }
    int at(int x, int y) const {
        const auto [c0, tx] = cell(x, cols_);
        const auto [r0, ty] = cell(y, rows_);
        const int c1 = std::min(c0 + 1, cols_ - 1), r1 = std::min(r0 + 1, rows_ - 1);
        const int top = value(c0, r0) * (256 - tx) + value(c1, r0) * tx;
        const int bottom = value(c0, r1) * (256 - tx) + value(c1, r1) * tx;
        return (top * (256 - ty) + bottom * ty) >> 16;
    }

private:
    // The block whose centre is at or left of pixel p, and p's distance past it in 1/256 blocks.
    std::pair<int, int> cell(int p, int count) const {
        const int pos = (2 * p + 1) * 128 / block_ - 128; // 1/256 blocks from the first centre
        if (pos <= 0) return {0, 0};
        const int c = pos / 256;
        return c >= count - 1 ? std::pair{count - 1, 0} : std::pair{c, pos % 256};
    }
    int value(int c, int r) const { return g_[std::size_t(r * cols_ + c)]; }
    std::vector<int> g_;
    int cols_, rows_, block_;
};

struct Look {
    int light = 100;           // percent
    std::array<int, 3> tint{}; // added per channel
    int desaturate = 0;        // percent towards grey
    int fog = 0;               // percent at the horizon
    int glow = 0;              // how much lamp glow brightens, percent
    int sensor = 3;            // noise amplitude
};

Look lookFor(Rng& rng, Weather weather) {
    Look l;
    switch (weather) {
    case Weather::Clear:
        l.light = rng.range(95, 130);
        l.tint = {rng.range(0, 8), rng.range(0, 5), rng.range(-4, 2)};
        break;
    case Weather::Overcast:
        l.light = rng.range(72, 95);
        l.desaturate = rng.range(20, 35);
        break;
    case Weather::Dusk:
        l.light = rng.range(42, 62);
        l.tint = {rng.range(12, 24), rng.range(0, 8), rng.range(-12, -2)};
        l.glow = 45;
        l.sensor = 4;
        break;
    case Weather::Night:
        l.light = rng.range(16, 28);
        l.tint = {rng.range(-6, 0), rng.range(-4, 0), rng.range(2, 10)};
        l.glow = 90;
        l.sensor = 6;
        break;
    case Weather::Fog:
        l.light = rng.range(85, 100);
        l.desaturate = rng.range(30, 50);
        l.fog = rng.range(55, 85);
        l.glow = 30;
        break;
    case Weather::Rain:
        l.light = rng.range(55, 78);
        l.desaturate = rng.range(25, 40);
        l.fog = rng.range(10, 30);
        l.sensor = 4;
        break;
    }
    return l;
}

void rainStreaks(Canvas& canvas, Rng& rng) {
    const int n = canvas.width() * canvas.height() / 120, slant = rng.range(-2, 2);
    for (int k = 0; k < n; ++k) {
        const int x = rng.range(0, canvas.width() - 1), y = rng.range(0, canvas.height() - 1);
        const int len = rng.range(3, 3 + canvas.height() / 24);
        for (int i = 0; i < len; ++i) {
            const int yy = y + i, xx = x + slant * i / 4;
            if (yy >= canvas.height() || xx < 0 || xx >= canvas.width()) break;
            auto& p = canvas.rgb.ptr<cv::Vec3b>(yy)[xx];
            for (int c = 0; c < 3; ++c) p[c] = static_cast<std::uint8_t>(clamp255(p[c] + 28));
        }
    }
}

} // namespace

void applyLight(Canvas& canvas, Rng& rng, const Street& st, bool wetRoad) {
    const Look look = lookFor(rng, st.weather);
    const std::uint64_t salt = rng.next();
    Scale s;
    s.brick = std::max(2, st.h / 48);
    s.panel = std::max(4, st.h / 12);
    s.mullion = std::max(3, st.h / 22);
    const Rgb fogColor = scaled({200, 202, 205}, look.light);
    constexpr int kBlock = 8;
    int cols = 0, rows = 0;
    const GlowSampler glow(look.glow > 0 ? glowMap(canvas, kBlock, cols, rows) : std::vector<int>{}, cols, rows, kBlock);
    for (int y = 0; y < canvas.height(); ++y) {
        auto* px = canvas.rgb.ptr<cv::Vec3b>(y);
        const auto* mat = canvas.material.ptr<std::uint8_t>(y);
        const auto* lab = canvas.labelIds.ptr<std::uint8_t>(y);
        // Distance from the camera grows towards the horizon; above it everything is far.
        const int far = y < st.horizon ? 100 : 100 * (st.h - y) / std::max(1, st.h - st.horizon);
        const int fog = look.fog * far * far / 10000;
        for (int x = 0; x < canvas.width(); ++x) {
            const auto m = static_cast<Material>(mat[x]);
            const std::uint64_t bits = hashOf(x, y, salt ^ 0xA5A5);
            if (m == Material::Lamp) { // emissive: as bright by night as by day
                for (int c = 0; c < 3; ++c) px[x][c] = static_cast<std::uint8_t>(clamp255(px[x][c] + spread(bits >> (8 * c), 4)));
                continue;
            }
            const int tex = texture(m, x, y, salt, s, st);
            int light = look.light;
            if (!glow.empty()) light += glow.at(x, y) * look.glow / 255;
            const bool road = lab[x] == kRoad || lab[x] == kSidewalk;
            if (wetRoad && road) light = light * 72 / 100 + spread(hashOf(x, y / 6, salt + 9), 8);
            int v[3] = {px[x][0], px[x][1], px[x][2]};
            const int grey = (v[0] + v[1] + v[2]) / 3;
            for (int c = 0; c < 3; ++c) {
                int value = v[c] + (grey - v[c]) * look.desaturate / 100 + tex;
                value = value * light / 100 + look.tint[std::size_t(c)];
                const int target = c == 0 ? fogColor.r : c == 1 ? fogColor.g : fogColor.b;
                value += (target - value) * fog / 100;
                value += noise2(bits >> (16 * c)) * look.sensor / 104;
                px[x][c] = static_cast<std::uint8_t>(clamp255(value));
            }
        }
    }
    if (st.weather == Weather::Rain) rainStreaks(canvas, rng);
}

void applyRoll(Canvas& canvas, int slope1024) {
    if (slope1024 == 0) return;
    const int w = canvas.width(), h = canvas.height(), cx = w / 2;
    const cv::Mat rgb = canvas.rgb.clone(), labels = canvas.labelIds.clone(), instances = canvas.instanceIds.clone();
    for (int x = 0; x < w; ++x) {
        const int shift = (x - cx) * slope1024 / 1024;
        for (int y = 0; y < h; ++y) {
            const int sy = std::clamp(y + shift, 0, h - 1);
            canvas.rgb.ptr<cv::Vec3b>(y)[x] = rgb.ptr<cv::Vec3b>(sy)[x];
            canvas.labelIds.ptr<std::uint8_t>(y)[x] = labels.ptr<std::uint8_t>(sy)[x];
            canvas.instanceIds.ptr<std::uint16_t>(y)[x] = instances.ptr<std::uint16_t>(sy)[x];
        }
    }
}

} // namespace mtl::synth
