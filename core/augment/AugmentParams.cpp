#include "core/augment/AugmentParams.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace mtl {

Affine2D weakMatrix(const WeakParams& p, FrameSize view) {
    const Affine2D cropOfScaled = Affine2D::translation(-p.cropX, -p.cropY) * Affine2D::scaling(p.scale, p.scale);
    return p.flip ? Affine2D::horizontalFlip(view.width) * cropOfScaled : cropOfScaled;
}

Affine2D strongGeometry(const StrongOps& ops, FrameSize view) {
    const Point2D centre{view.width / 2.0, view.height / 2.0};
    Affine2D m;
    for (const AppliedOp& a : ops) {
        switch (a.op) {
        case AugmentOp::ShearX: m = Affine2D::shearX(a.magnitude, centre) * m; break;
        case AugmentOp::ShearY: m = Affine2D::shearY(a.magnitude, centre) * m; break;
        case AugmentOp::TranslateX:
        case AugmentOp::ShiftX: m = Affine2D::translation(a.magnitude / 100 * view.width, 0) * m; break;
        case AugmentOp::TranslateY:
        case AugmentOp::ShiftY: m = Affine2D::translation(0, a.magnitude / 100 * view.height) * m; break;
        case AugmentOp::Rotate: m = Affine2D::rotation(a.magnitude, centre) * m; break;
        case AugmentOp::HFlip: m = Affine2D::horizontalFlip(view.width) * m; break;
        default: break; // photometric ops and cutout do not move pixels
        }
    }
    return m;
}

std::optional<CutoutRect> cutoutRect(const StrongOps& ops, FrameSize view) {
    for (const AppliedOp& a : ops) {
        if (a.op != AugmentOp::Cutout) continue;
        // Same aspect ratio as the view: covers exactly the drawn share of the area and always fits.
        const double side = std::sqrt(a.magnitude / 100);
        CutoutRect r;
        r.width = side * view.width;
        r.height = side * view.height;
        r.x = a.positionX * (view.width - r.width);
        r.y = a.positionY * (view.height - r.height);
        return r;
    }
    return std::nullopt;
}

double AugmentRandom::uniform(double lo, double hi) {
    const double unit = double(engine_() >> 11) * 0x1.0p-53; // [0, 1), 53 random bits
    return lo + (hi - lo) * unit;
}

int AugmentRandom::integer(int lo, int hi) {
    const double span = double(hi) - double(lo) + 1;
    const int v = lo + static_cast<int>(std::floor(uniform(0, 1) * span));
    return v > hi ? hi : v;
}

std::uint64_t augmentSeed(std::uint64_t runSeed, std::uint64_t step) {
    auto mix = [](std::uint64_t z) {
        z += 0x9e3779b97f4a7c15ull;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    };
    return mix(mix(runSeed) ^ step);
}

std::vector<WeakParams> drawWeakParams(const AugmentOptions& o, FrameSize source, int batch,
                                       AugmentRandom& random) {
    std::vector<WeakParams> params(static_cast<std::size_t>(batch));
    for (WeakParams& p : params) {
        p.scale = random.uniform(o.scaleMin, o.scaleMax);
        // Slack of the resized image over the crop along each axis: a crop position inside it, or,
        // when negative, a position of the image inside the (larger) crop.
        const auto offset = [&](double slack) {
            return slack >= 0 ? random.integer(0, static_cast<int>(std::floor(slack)))
                              : random.integer(static_cast<int>(std::ceil(slack)), 0);
        };
        p.cropX = offset(p.scale * source.width - o.cropWidth);
        p.cropY = offset(p.scale * source.height - o.cropHeight);
        p.flip = o.flip && random.coin();
    }
    return params;
}

namespace {
double drawMagnitude(AugmentOp op, AugmentRandom& random) {
    const OpInfo& info = opInfo(op);
    if (!hasMagnitude(op)) return 0;
    if (info.integral) return random.integer(static_cast<int>(info.lo), static_cast<int>(info.hi));
    return random.uniform(info.lo, info.hi);
}

std::vector<AugmentOp> drawDistinctOps(std::vector<AugmentOp> pool, int count, AugmentRandom& random) {
    // Partial Fisher–Yates: the first `count` entries become a uniform random ordered selection.
    for (int k = 0; k < count; ++k)
        std::swap(pool[std::size_t(k)], pool[std::size_t(random.integer(k, int(pool.size()) - 1))]);
    pool.resize(std::size_t(count));
    return pool;
}
} // namespace

std::vector<StrongOps> drawStrongOps(const AugmentOptions& o, int batch, AugmentRandom& random) {
    const std::vector<AugmentOp> pool = opPool(o);
    const bool opsPerBatch = o.opsDraw == DrawScope::PerBatch;
    const bool magnitudesPerBatch = o.magnitudeDraw == DrawScope::PerBatch;
    std::vector<AugmentOp> batchOps;
    if (opsPerBatch) batchOps = drawDistinctOps(pool, o.numOps, random);
    // With shared magnitudes, one value per pool entry serves every sample that has that op.
    std::vector<double> batchMagnitude(augmentOps().size(), 0.0);
    if (magnitudesPerBatch)
        for (AugmentOp op : pool) batchMagnitude[std::size_t(op)] = drawMagnitude(op, random);

    std::vector<StrongOps> all(static_cast<std::size_t>(batch));
    for (StrongOps& sample : all) {
        for (AugmentOp op : opsPerBatch ? batchOps : drawDistinctOps(pool, o.numOps, random)) {
            AppliedOp a;
            a.op = op;
            a.magnitude = magnitudesPerBatch ? batchMagnitude[std::size_t(op)] : drawMagnitude(op, random);
            if (op == AugmentOp::Cutout) {
                a.positionX = random.uniform(0, 1);
                a.positionY = random.uniform(0, 1);
            }
            sample.push_back(a);
        }
        if (o.cutoutAlways) {
            AppliedOp cutout{AugmentOp::Cutout, drawMagnitude(AugmentOp::Cutout, random)};
            cutout.positionX = random.uniform(0, 1);
            cutout.positionY = random.uniform(0, 1);
            sample.push_back(cutout);
        }
        if (o.strongShift > 0) {
            // Whole pixels of the crop, as the authors' shifted crop; first, so that the drawn
            // operations act on the shifted crop.
            const auto percent = [&](int side) {
                const double most = std::floor(o.strongShift * side); // rounding must not pass the range
                const double pixels = std::round(random.uniform(-o.strongShift, o.strongShift) * side);
                return 100.0 * std::clamp(pixels, -most, most) / side;
            };
            const double x = percent(o.cropWidth), y = percent(o.cropHeight);
            sample.insert(sample.begin(), {AppliedOp{AugmentOp::ShiftX, x}, AppliedOp{AugmentOp::ShiftY, y}});
        }
    }
    return all;
}

} // namespace mtl
