// Geometry of the views: 3×3 maps, warps and their inverses, validity of pixels from outside,
// boxes against warped instance masks, and teacher targets warped by A∘α⁻¹.
#include "AugmentTestSupport.h"

#include "core/augment/BoxWarp.h"
#include "core/augment/TensorWarp.h"
#include "core/common/Error.h"
#include "TestSuite.h"

#include <QtTest>

#include <optional>

using namespace mtl;

namespace {
constexpr double kTol = 1e-9;

bool near(Point2D p, double x, double y) { return std::abs(p.x - x) < kTol && std::abs(p.y - y) < kTol; }

// Tight box (continuous edges) of the true pixels of an H × W bool mask.
std::optional<Box> tightBox(const torch::Tensor& mask) {
    const auto cols = mask.any(0).nonzero(), rows = mask.any(1).nonzero();
    if (cols.numel() == 0) return std::nullopt;
    return Box{float(cols.min().item<int64_t>()), float(rows.min().item<int64_t>()),
               float(cols.max().item<int64_t>() + 1), float(rows.max().item<int64_t>() + 1), 0};
}

double boxDistance(const Box& a, const Box& b) {
    return std::max({std::abs(a.x1 - b.x1), std::abs(a.y1 - b.y1), std::abs(a.x2 - b.x2), std::abs(a.y2 - b.y2)});
}

// An irregular instance in an 80 × 60 source: an ellipse and a bar sticking out of it.
torch::Tensor instanceMask() {
    const auto ys = torch::arange(60).view({60, 1}).to(torch::kDouble) + 0.5;
    const auto xs = torch::arange(80).view({1, 80}).to(torch::kDouble) + 0.5;
    const auto ellipse = ((xs - 30) / 12).pow(2) + ((ys - 25) / 8).pow(2) <= 1;
    const auto bar = xs.ge(30).logical_and(xs.lt(47)).logical_and(ys.ge(21)).logical_and(ys.lt(27));
    return ellipse.logical_or(bar);
}

// Warps one H × W label map through `m` into a frame of `dst` size (nearest), 255 outside.
torch::Tensor warpOne(const torch::Tensor& labels, const Affine2D& m, FrameSize src, FrameSize dst) {
    const auto grid = samplingGrid({m}, src, dst, dst.height, dst.width, torch::kCPU);
    return warpNearest(labels.unsqueeze(0), grid, insideSource(grid), 255)[0];
}
} // namespace

class TestWarp : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void affineMapsAreExact() {
        const Point2D c{50, 40};
        // Counter-clockwise on screen: a point right of the centre moves up.
        QVERIFY(near(Affine2D::rotation(90, c).apply({60, 40}), 50, 30));
        QVERIFY(near(Affine2D::horizontalFlip(100).apply({10, 7}), 90, 7));
        QVERIFY(near(Affine2D::shearX(45, c).apply({50, 50}), 60, 50)); // tan 45° = 1: 10 rows down → 10 right
        QVERIFY(near(Affine2D::shearY(45, c).apply({40, 40}), 40, 30));
        // (A * B) applies B first.
        QVERIFY(near((Affine2D::translation(5, 0) * Affine2D::scaling(2, 3)).apply({1, 1}), 7, 3));
        const Affine2D m = Affine2D::rotation(23, c) * Affine2D::shearX(-11, c) * Affine2D::scaling(1.7, 0.6);
        QVERIFY(near((m.inverse() * m).apply({13, -4}), 13, -4));
        // Weak view: scale 2, crop at (10, 4), flip in a 64-wide view: x → 64 − (2x − 10).
        QVERIFY(near(weakMatrix({2, 10, 4, true}, {64, 32}).apply({8, 3}), 58, 2));
        QVERIFY(!inputErrorOf([] { Affine2D::scaling(0, 1).inverse(); }).empty());
    }

    void identityWarpKeepsEveryPixel() {
        const AugmentInput in = patternBatch(2, 12, 20);
        const auto grid = samplingGrid({Affine2D(), Affine2D()}, {20, 12}, {20, 12}, 12, 20, torch::kCPU);
        QVERIFY(insideSource(grid).all().item<bool>());
        QVERIFY(warpNearest(in.seg, grid, insideSource(grid), 255).equal(in.seg));
        const auto unit = in.images.permute({0, 3, 1, 2}).to(torch::kFloat) / 255;
        QVERIFY((warpBilinear(unit, grid, insideSource(grid), 0) - unit).abs().max().item<float>() < 1e-5f);
    }

    void labelWarpThenInverseIsIdentityOnTheValidRegion() {
        const torch::Tensor seg = patternBatch(1, 48, 64).seg[0];
        const FrameSize src{64, 48};
        struct Case {
            const char* name;
            Affine2D m;
            FrameSize dst;
            int64_t validPixels; // source pixels that land inside the destination
        };
        const Case cases[] = {
            {"flip + shift 10 right", Affine2D::translation(10, 0) * Affine2D::horizontalFlip(64), {64, 48}, 54 * 48},
            {"shift (−7, 5)", Affine2D::translation(-7, 5), {64, 48}, 57 * 43},
            {"scale 2, crop at (16, 8)", Affine2D::translation(-16, -8) * Affine2D::scaling(2, 2), {64, 48}, 32 * 24},
            {"weak view 1.5, flipped", weakMatrix({1.5, 4, 6, true}, {90, 60}), {90, 60}, 60 * 40},
        };
        for (const Case& c : cases) {
            const auto view = warpOne(seg, c.m, src, c.dst);
            const auto back = warpOne(view, c.m.inverse(), c.dst, src);
            // Valid after the round trip: the source pixel's centre lands inside the destination.
            const auto grid = samplingGrid({c.m.inverse()}, c.dst, src, src.height, src.width, torch::kCPU);
            const auto valid = insideSource(grid)[0];
            QVERIFY2(valid.sum().item<int64_t>() == c.validPixels, c.name);
            QVERIFY2(back.masked_select(valid).equal(seg.masked_select(valid)), c.name);
            QVERIFY2(back.masked_select(valid.logical_not()).eq(255).all().item<bool>(), c.name);
        }
    }

    void bilinearWarpThenInverseIsIdentityAwayFromEdges() {
        // Bilinear interpolation reproduces a linear ramp exactly wherever all four neighbours
        // are inside, so the round trip must return the ramp there, for any affine map.
        const int w = 96, h = 64;
        const auto xs = torch::arange(w).view({1, 1, 1, w}).to(torch::kFloat) + 0.5f;
        const auto ys = torch::arange(h).view({1, 1, h, 1}).to(torch::kFloat) + 0.5f;
        const auto ramp = (0.1f + 0.004f * xs + 0.006f * ys).expand({1, 3, h, w}).contiguous();
        const Point2D c{w / 2.0, h / 2.0};
        const Affine2D m = Affine2D::rotation(20, c) * Affine2D::shearX(10, c) * Affine2D::translation(-3, 2) *
                           Affine2D::scaling(1.3, 1.3);
        const FrameSize frame{w, h};
        const auto fwd = samplingGrid({m}, frame, frame, h, w, torch::kCPU);
        const auto view = warpBilinear(ramp, fwd, insideSource(fwd), 0);
        const auto bwd = samplingGrid({m.inverse()}, frame, frame, h, w, torch::kCPU);
        const auto back = warpBilinear(view, bwd, insideSource(bwd), 0);
        int64_t checked = 0;
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                const Point2D p{x + 0.5, y + 0.5}, q = m.apply(p);
                const bool interior = p.x > 2.5 && p.x < w - 2.5 && p.y > 2.5 && p.y < h - 2.5 && q.x > 1.5 &&
                                      q.x < w - 1.5 && q.y > 1.5 && q.y < h - 1.5;
                if (!interior) continue;
                ++checked;
                QVERIFY(std::abs(back[0][1][y][x].item<float>() - ramp[0][1][y][x].item<float>()) < 1e-4f);
            }
        QVERIFY(checked > w * h / 3);
    }

    void cropLargerThanTheImageIsPaddedAndInvalid() {
        AugmentOptions o;
        o.cropWidth = 40, o.cropHeight = 30;
        AugmentInput in = patternBatch(1, 10, 20);
        // The 20 × 10 image sits at (12, 8) inside the 40 × 30 view.
        const auto b = Augmenter(o).apply(in, {WeakParams{1, -12, -8, false}}, {{}});
        QCOMPARE(b.weak.valid.sum().item<int64_t>(), int64_t(200));
        QVERIFY(b.weak.valid[0].slice(0, 8, 18).slice(1, 12, 32).all().item<bool>());
        QVERIFY(b.weak.seg[0].slice(0, 8, 18).slice(1, 12, 32).equal(in.seg[0]));
        QVERIFY(b.weak.seg.masked_select(b.weak.valid.logical_not()).eq(255).all().item<bool>());
        QVERIFY(b.weak.images.masked_select(b.weak.valid.logical_not().unsqueeze(1)).eq(0).all().item<bool>());
        const auto unit = in.images.permute({0, 3, 1, 2}).to(torch::kFloat) / 255;
        QVERIFY((b.weak.images[0].slice(1, 8, 18).slice(2, 12, 32) - unit[0]).abs().max().item<float>() < 1e-5f);
        QCOMPARE(b.weak.boxes[0].size(), std::size_t(1)); // box (2, 2, 10, 7) moved by (12, 8)
        QCOMPARE(b.weak.boxes[0][0].x1, 14.0f);
        QCOMPARE(b.weak.boxes[0][0].y2, 15.0f);
    }

    void boxesMatchTheBoxOfTheWarpedInstanceMask() {
        const auto mask = instanceMask().to(torch::kUInt8);
        const Box box = *tightBox(mask.to(torch::kBool));
        QCOMPARE(box.x1, 18.0f); // ellipse from x = 18 to 42, bar to 47; y from 17 to 33
        QCOMPARE(box.x2, 47.0f);
        QCOMPARE(box.y1, 17.0f);
        QCOMPARE(box.y2, 33.0f);
        const FrameSize src{80, 60}, view{64, 48};
        const std::pair<const char*, Affine2D> cases[] = {
            {"flip", weakMatrix({1, 0, 0, true}, view)},
            {"crop", weakMatrix({1, 9, 5, false}, view)},
            {"scale 0.5", weakMatrix({0.5, -10, -6, false}, view)},
            {"scale 0.77 flipped", weakMatrix({0.77, 3, 2, true}, view)},
            {"scale 1.6", weakMatrix({1.6, 20, 18, false}, view)},
            {"scale 2 flipped", weakMatrix({2, 30, 26, true}, view)},
            {"translate x", strongGeometry({{AugmentOp::TranslateX, -12.5}}, view) * weakMatrix({1, 5, 5, false}, view)},
            {"translate y + hflip", strongGeometry({{AugmentOp::TranslateY, 9.0}, {AugmentOp::HFlip}}, view) *
                                        weakMatrix({1.2, 8, 4, false}, view)},
            {"cut by the crop", weakMatrix({1, 30, 0, false}, view)},
        };
        for (const auto& [name, m] : cases) {
            const auto warpedMask = warpOne(mask, m, src, view).eq(1);
            const auto expected = tightBox(warpedMask);
            const auto warped = warpBoxes({box}, m, view.width, view.height, BoxFilter{});
            QVERIFY2(expected && warped.size() == 1, name);
            QVERIFY2(boxDistance(warped[0], *expected) <= 1.0, qPrintable(QString("%1: %2 %3 %4 %5").arg(name)
                .arg(warped[0].x1).arg(warped[0].y1).arg(warped[0].x2).arg(warped[0].y2)));
        }
        // Under rotation the enclosing box of the corners contains the rotated instance.
        const Affine2D rot = Affine2D::rotation(25, {32, 24}) * weakMatrix({1, 0, 0, false}, view);
        const auto rotated = *tightBox(warpOne(mask, rot, src, view).eq(1));
        const Box enclosing = warpBoxes({box}, rot, view.width, view.height, BoxFilter{})[0];
        QVERIFY(enclosing.x1 <= rotated.x1 + 1 && enclosing.y1 <= rotated.y1 + 1 && enclosing.x2 >= rotated.x2 - 1 &&
                enclosing.y2 >= rotated.y2 - 1);
    }

    void boxFilterClipsAndDrops() {
        const BoxFilter filter; // min size 2, min visible 0.25
        const auto one = [&](Box b, const Affine2D& m, const BoxFilter& f) { return warpBoxes({b}, m, 100, 100, f); };
        auto r = one({10, 10, 20, 30, 3}, Affine2D::translation(5, -2), filter);
        QVERIFY(r.size() == 1 && r[0].x1 == 15 && r[0].y1 == 8 && r[0].x2 == 25 && r[0].y2 == 28 && r[0].cls == 3);
        r = one({-6, 0, 4, 10, 0}, Affine2D(), filter); // 40 % visible: kept, clipped
        QVERIFY(r.size() == 1 && r[0].x1 == 0 && r[0].x2 == 4);
        QVERIFY(one({-6, 0, 4, 10, 0}, Affine2D(), BoxFilter{2, 0.5}).empty()); // mostly outside
        QVERIFY(one({0, 0, 1.5f, 10, 0}, Affine2D(), filter).empty());           // too thin
        QVERIFY(one({0, 0, 10, 10, 0}, Affine2D::translation(150, 0), filter).empty());
        QVERIFY(one({5, 5, 4, 8, 0}, Affine2D(), filter).empty()); // x2 < x1: empty
        // 90° about (50, 50): corners (10,20) (30,20) (10,60) (30,60) → x from 20 to 60, y from 70 to 90.
        r = one({10, 20, 30, 60, 0}, Affine2D::rotation(90, {50, 50}), filter);
        QVERIFY(r.size() == 1 && boxDistance(r[0], Box{20, 70, 60, 90, 0}) < 1e-4);
        // 45° of a 20-pixel square about its centre: the enclosing box grows to 20√2.
        r = one({40, 40, 60, 60, 0}, Affine2D::rotation(45, {50, 50}), filter);
        QVERIFY(r.size() == 1 && boxDistance(r[0], Box{35.857864f, 35.857864f, 64.142136f, 64.142136f, 0}) < 1e-4);
        QVERIFY(!inputErrorOf([&] { one({0, 0, NAN, 4, 0}, Affine2D(), filter); }).empty());
    }

    void teacherTargetsFollowStrongViewLabels() {
        // Weak view = a 128 × 64 crop at (64, 32) of a 256 × 128 image; the strong view shifts by
        // 12.5 % of the width (16 px) and flips: its leftmost 16 columns come from image content
        // the teacher never saw (valid image pixels, invalid target).
        AugmentOptions o;
        o.cropWidth = 128, o.cropHeight = 64;
        const AugmentInput in = patternBatch(2, 128, 256);
        const std::vector<WeakParams> weak = {{1, 64, 32, false}, {1, 64, 32, true}};
        const std::vector<StrongOps> strong = {{{AugmentOp::TranslateX, 12.5}}, {{AugmentOp::TranslateX, 12.5}, {AugmentOp::HFlip}}};
        const auto b = Augmenter(o).apply(in, weak, strong);
        QVERIFY(b.strong.valid.all().item<bool>());
        const auto target = warpTeacherLabels(b, b.weak.seg);
        const auto valid = warpTeacherProbabilities(b, torch::ones({2, 1, 64, 128})).valid;
        QCOMPARE(valid[0].sum().item<int64_t>(), int64_t(112 * 64));
        QVERIFY(valid[0].slice(1, 0, 16).logical_not().all().item<bool>());
        QVERIFY(valid[1].slice(1, 112, 128).logical_not().all().item<bool>()); // flipped after the shift
        QVERIFY(target.masked_select(valid).equal(b.strong.seg.masked_select(valid)));
        QVERIFY(target.masked_select(valid.logical_not()).eq(255).all().item<bool>());

        // Probabilities (one-hot of the labels, zero for ignore): argmax agrees, and they sum to 1
        // wherever the label is a class; zero where not valid.
        const auto onehot = torch::one_hot(b.weak.seg.clamp_max(19), 20).slice(3, 0, 19).permute({0, 3, 1, 2}).to(torch::kFloat);
        const auto probs = warpTeacherProbabilities(b, onehot);
        const auto labelled = probs.valid.logical_and(target.ne(255));
        QVERIFY(probs.values.argmax(1).masked_select(labelled).equal(target.masked_select(labelled)));
        QVERIFY((probs.values.sum(1).masked_select(labelled) - 1).abs().max().item<float>() < 1e-5f);
        QVERIFY(probs.values.masked_select(probs.valid.logical_not().unsqueeze(1)).eq(0).all().item<bool>());

        // Teacher boxes (in the weak view) land where the strong view's own boxes are.
        const auto boxes = warpTeacherBoxes(b, {{Box{70, 40, 100, 60, 2}}, {Box{70, 40, 100, 60, 2}}}, BoxFilter{});
        QVERIFY(boxes[0].size() == 1 && boxDistance(boxes[0][0], Box{86, 40, 116, 60, 2}) < 1e-4);
        QVERIFY(boxes[1].size() == 1 && boxDistance(boxes[1][0], Box{12, 40, 42, 60, 2}) < 1e-4);
    }

    void rotatedTargetsAgreeWithStrongLabels() {
        AugmentOptions o;
        o.cropWidth = 96, o.cropHeight = 64;
        const AugmentInput in = patternBatch(1, 80, 120);
        const auto b = Augmenter(o).apply(in, {WeakParams{1.2, 20, 10, true}},
                                          {{{AugmentOp::Rotate, 17}, {AugmentOp::ShearY, -9}, {AugmentOp::Cutout, 15, 0.3, 0.6}}});
        // Geometry exactly: a linear ramp over the weak frame, warped, equals the ramp at
        // (A∘α⁻¹)⁻¹ of each strong pixel centre (bilinear is exact on linear functions).
        const auto xs = torch::arange(96).view({1, 1, 1, 96}).to(torch::kFloat) + 0.5f;
        const auto ys = torch::arange(64).view({1, 1, 64, 1}).to(torch::kFloat) + 0.5f;
        const auto ramp = warpTeacherProbabilities(b, 0.01f * xs + 0.02f * ys);
        const Affine2D weakFromStrong = b.strongFromWeak()[0].inverse();
        int64_t checked = 0;
        for (int y = 0; y < 64; ++y)
            for (int x = 0; x < 96; ++x) {
                const Point2D q = weakFromStrong.apply({x + 0.5, y + 0.5});
                if (!ramp.valid[0][y][x].item<bool>() || q.x < 0.5 || q.x > 95.5 || q.y < 0.5 || q.y > 63.5) continue;
                ++checked;
                QVERIFY(std::abs(ramp.values[0][0][y][x].item<float>() - (0.01 * q.x + 0.02 * q.y)) < 1e-4);
            }
        QVERIFY(checked > 96 * 64 / 2);
        // Labels: the target resamples twice (source → weak → strong) where the strong view's labels
        // resample once, so they may differ only next to a label edge (within 2 pixels).
        const auto target = warpTeacherLabels(b, b.weak.seg);
        const auto both = target.ne(255).logical_and(b.strong.seg.ne(255));
        const auto labels = b.strong.seg.to(torch::kFloat).unsqueeze(1);
        const auto window = torch::nn::functional::MaxPool2dFuncOptions(5).stride(1).padding(2);
        const auto nearEdge = torch::nn::functional::max_pool2d(labels, window)
                                  .ne(-torch::nn::functional::max_pool2d(-labels, window)).squeeze(1);
        const auto differ = target.ne(b.strong.seg).logical_and(both);
        QVERIFY(differ.sum().item<int64_t>() > 0); // the pattern has edges everywhere: some do differ
        QVERIFY(differ.logical_and(nearEdge.logical_not()).sum().item<int64_t>() == 0);
        QVERIFY(both.sum().item<int64_t>() > 96 * 64 / 2);
        // Cutout pixels carry no target.
        const auto hole = rectangleMask(b.cutouts(), {96, 64}, 64, 96, torch::kCPU);
        QVERIFY(target.masked_select(hole).eq(255).all().item<bool>());
    }

    void teacherOutputsAtStrideFour() {
        AugmentOptions o;
        o.cropWidth = 64, o.cropHeight = 32;
        const auto b = Augmenter(o).apply(patternBatch(1, 32, 64), {WeakParams{}}, {{{AugmentOp::HFlip}}});
        // A stride-4 map (16 × 8) of the weak frame: a column ramp that the flip must mirror.
        const auto ramp = torch::arange(16).view({1, 1, 1, 16}).expand({1, 1, 8, 16}).to(torch::kFloat);
        const auto small = warpTeacherProbabilities(b, ramp, 8, 16);
        QVERIFY(small.values.sizes().vec() == std::vector<int64_t>({1, 1, 8, 16}));
        QVERIFY(maxDifference(small.values[0][0][3], {15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0}) < 1e-4);
        const auto full = warpTeacherProbabilities(b, ramp);
        QVERIFY(full.values.sizes().vec() == std::vector<int64_t>({1, 1, 32, 64}));
        QVERIFY(full.valid.all().item<bool>());
        QVERIFY(!inputErrorOf([&] { warpTeacherProbabilities(b, torch::ones({2, 1, 8, 16})); }).empty());
        QVERIFY(!inputErrorOf([&] { warpTeacherLabels(b, torch::ones({1, 8, 16})); }).empty()); // float labels
    }
};

MTLW_TEST_MAIN(TestWarp, Core)
#include "tst_warp.moc"
