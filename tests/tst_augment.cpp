// The strong augmentation's operations against hand-computed values, RandAugment's draws, same
// seed → same views, labels untouched by photometric operations, and bad input → InputError.
#include "AugmentTestSupport.h"

#include "core/augment/AugmentPreview.h"
#include "core/augment/PhotometricOps.h"
#include "core/common/Error.h"
#include "TestSuite.h"

#include <QtTest>

#include <map>
#include <set>

using namespace mtl;

namespace {
// One 2×2 RGB image: R = [.2 .4; .6 .8], G = [.1 .1; .5 .9], B = [0 .25; .5 1].
// Its luma L = .299 R + .587 G + .114 B = [.1185 .2068; .5299 .8815], mean .434175.
torch::Tensor smallImage() {
    return imageFrom({0.2, 0.4, 0.6, 0.8, 0.1, 0.1, 0.5, 0.9, 0, 0.25, 0.5, 1.0}, 1, 3, 2, 2);
}
torch::Tensor allValid(const torch::Tensor& images) {
    return torch::ones({images.size(0), images.size(2), images.size(3)}, torch::kBool);
}
torch::Tensor factor(double f) { return torch::tensor({f}, torch::kDouble); }
} // namespace

class TestAugment : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void autoContrastStretchesEachChannelOverValidPixels() {
        const auto img = smallImage();
        // R: (v − .2)/.6; G: (v − .1)/.8; B already spans [0, 1].
        QVERIFY(maxDifference(autoContrast(img, allValid(img)),
                              {0, 1.0 / 3, 2.0 / 3, 1, 0, 0, 0.5, 1, 0, 0.25, 0.5, 1}) < 1e-6);
        // Without the last pixel: R spans [.2, .6] (.8 → 1.5 clamps to 1), G [.1, .5], B [0, .5].
        auto valid = allValid(img);
        valid[0][1][1] = false;
        QVERIFY(maxDifference(autoContrast(img, valid), {0, 0.5, 1, 1, 0, 0, 1, 1, 0, 0.5, 1, 1}) < 1e-6);
        // A constant channel (hi = lo) stays as it is.
        const auto flat = torch::full({1, 3, 2, 2}, 0.3f);
        QVERIFY(maxDifference(autoContrast(flat, allValid(flat)), std::vector<double>(12, 0.3)) < 1e-6);
    }

    void equalizeFollowsPilLookUpTable() {
        // 32×32 pixels: 512 at level 50, 256 at 100, 256 at 150 (channel 0); channel 1 constant.
        auto img = torch::zeros({1, 3, 32, 32});
        img[0][0].slice(0, 0, 16).fill_(50.0 / 255);
        img[0][0].slice(0, 16, 24).fill_(100.0 / 255);
        img[0][0].slice(0, 24, 32).fill_(150.0 / 255);
        img[0][1].fill_(0.3337);
        img[0][2].copy_(img[0][0]);
        // step = ⌊(1024 − 256)/255⌋ = 3, start ⌊3/2⌋ = 1: lut[50] = ⌊1/3⌋ = 0,
        // lut[100] = ⌊(1 + 512)/3⌋ = 171, lut[150] = ⌊(1 + 768)/3⌋ = 256 → 255.
        auto out = equalize(img, allValid(img));
        QCOMPARE(out[0][0][0][0].item<float>(), 0.0f);
        QCOMPARE(out[0][0][20][0].item<float>(), 171.0f / 255);
        QCOMPARE(out[0][0][30][0].item<float>(), 1.0f);
        QCOMPARE(out[0][1][5][5].item<float>(), 0.3337f); // one level only: unchanged, not quantised
        // Half of the level-50 pixels invalid: 256 each; step = ⌊512/255⌋ = 2, start 1:
        // lut[100] = ⌊(1 + 256)/2⌋ = 128; invalid pixels are mapped by the same table.
        auto valid = allValid(img);
        valid[0].slice(0, 0, 8).fill_(false);
        out = equalize(img, valid);
        QCOMPARE(out[0][0][20][0].item<float>(), 128.0f / 255);
        QCOMPARE(out[0][0][2][0].item<float>(), 0.0f);
        QCOMPARE(out[0][0][30][0].item<float>(), 1.0f);
        // Fewer than 256 pixels give step 0: PIL leaves such images unchanged.
        const auto img2 = smallImage();
        QVERIFY(maxDifference(equalize(img2, allValid(img2)),
                              {0.2, 0.4, 0.6, 0.8, 0.1, 0.1, 0.5, 0.9, 0, 0.25, 0.5, 1.0}) < 1e-7);
    }

    void invertSolarizePosterize() {
        const auto img = smallImage();
        QVERIFY(maxDifference(invert(img), {0.8, 0.6, 0.4, 0.2, 0.9, 0.9, 0.5, 0.1, 1, 0.75, 0.5, 0}) < 1e-6);
        // Values ≥ .5 are inverted.
        QVERIFY(maxDifference(solarize(img, factor(0.5)),
                              {0.2, 0.4, 0.4, 0.2, 0.1, 0.1, 0.5, 0.1, 0, 0.25, 0.5, 0}) < 1e-6);
        // Levels 51 102 153 204 | 26 26 128 230 | 0 64 128 255 keep their 4 high bits:
        // 48 96 144 192 | 16 16 128 224 | 0 64 128 240.
        QVERIFY(maxDifference(posterize(img, factor(4)), {48 / 255., 96 / 255., 144 / 255., 192 / 255., 16 / 255.,
                                                          16 / 255., 128 / 255., 224 / 255., 0, 64 / 255.,
                                                          128 / 255., 240 / 255.}) < 1e-6);
        // 8 bits keep every level.
        QVERIFY(maxDifference(posterize(img, factor(8)), {51 / 255., 102 / 255., 153 / 255., 204 / 255., 26 / 255.,
                                                          26 / 255., 128 / 255., 230 / 255., 0, 64 / 255.,
                                                          128 / 255., 1}) < 1e-6);
    }

    void enhancementsBlendWithTheirDegenerateImage() {
        const auto img = smallImage();
        // Saturation 0.5: L + 0.5 (v − L) per pixel, L = .1185 .2068 .5299 .8815.
        QVERIFY(maxDifference(adjustSaturation(img, factor(0.5)),
                              {0.15925, 0.3034, 0.56495, 0.84075, 0.10925, 0.1534, 0.51495, 0.89075, 0.05925,
                               0.2284, 0.51495, 0.94075}) < 1e-6);
        // Contrast 0.5: .434175 + 0.5 (v − .434175).
        QVERIFY(maxDifference(adjustContrast(img, factor(0.5), allValid(img)),
                              {0.3170875, 0.4170875, 0.5170875, 0.6170875, 0.2670875, 0.2670875, 0.4670875,
                               0.6670875, 0.2170875, 0.3420875, 0.4670875, 0.7170875}) < 1e-6);
        // Contrast 1.5 with the mean over the first three pixels only, (.1185 + .2068 + .5299)/3:
        // R = .2850667 + 1.5 (v − .2850667), clamped: .1574667 .4574667 .7574667 1.
        auto valid = allValid(img);
        valid[0][1][1] = false;
        QVERIFY(maxDifference(adjustContrast(img, factor(1.5), valid)[0][0], {0.1574667, 0.4574667, 0.7574667, 1}) < 1e-6);
        // Brightness 1.5: 1.5 v clamped (multiplicative, as PIL).
        QVERIFY(maxDifference(adjustBrightness(img, factor(1.5)),
                              {0.3, 0.6, 0.9, 1, 0.15, 0.15, 0.75, 1, 0, 0.375, 0.75, 1}) < 1e-6);
    }

    void sharpnessUsesPilSmoothKernelInsideTheFrame() {
        // 3×3 of .2 with .5 in the centre: smoothed centre (8·.2 + 5·.5)/13 = 4.1/13 = .3153846;
        // factor 1.5 → .3153846 + 1.5 (.5 − .3153846) = .5923077; the frame keeps its values.
        auto img = torch::full({1, 3, 3, 3}, 0.2f);
        img.select(2, 1).select(2, 1).fill_(0.5f);
        const auto out = adjustSharpness(img, factor(1.5));
        std::vector<double> expected(27, 0.2);
        for (int c = 0; c < 3; ++c) expected[std::size_t(c * 9 + 4)] = 0.5923077;
        QVERIFY2(maxDifference(out, expected) < 1e-6, qPrintable(describe(out)));
        // Images smaller than the kernel have no inside: unchanged.
        const auto tiny = smallImage();
        QVERIFY(maxDifference(adjustSharpness(tiny, factor(1.9)), {0.2, 0.4, 0.6, 0.8, 0.1, 0.1, 0.5, 0.9, 0, 0.25, 0.5, 1.0}) < 1e-7);
    }

    void cutoutCoversItsShareOfTheViewAndIgnoresLabels() {
        AugmentOptions o;
        o.cropWidth = 8, o.cropHeight = 4;
        AugmentInput in;
        in.images = torch::full({1, 3, 4, 8}, 0.9f);
        in.seg = torch::full({1, 4, 8}, 3, torch::kLong);
        // 25 % of the area with the view's aspect: 4 × 2 pixels, placed at the right bottom corner.
        AppliedOp cutout{AugmentOp::Cutout, 25, 1.0, 1.0};
        const auto b = Augmenter(o).apply(in, {WeakParams{}}, {{cutout}});
        const auto hole = torch::zeros({1, 4, 8}, torch::kBool);
        hole.slice(1, 2, 4).slice(2, 4, 8).fill_(true);
        QVERIFY(b.strong.valid.eq(hole.logical_not()).all().item<bool>());
        QVERIFY(b.strong.seg.eq(torch::where(hole, torch::full({}, 255, torch::kLong), torch::full({}, 3, torch::kLong))).all().item<bool>());
        QVERIFY(maxDifference(b.strong.images[0][1].slice(0, 2, 4).slice(1, 4, 8), std::vector<double>(8, 0.5)) < 1e-6);
        QVERIFY(maxDifference(b.strong.images[0][1].slice(0, 0, 2), std::vector<double>(16, 0.9)) < 1e-6);
        QVERIFY(b.weak.valid.all().item<bool>()); // the weak view has no cutout
    }

    void photometricOperationsNeverTouchLabels() {
        AugmentOptions o;
        o.cropWidth = 48, o.cropHeight = 32;
        const AugmentInput in = patternBatch(2, 40, 64);
        const std::vector<WeakParams> weak = {{1.3, 5, 3, true}, {0.7, -2, -4, false}};
        for (const auto& info : augmentOps()) {
            if (info.kind != OpKind::Photometric) continue;
            const AppliedOp op{info.op, info.integral ? 5.0 : info.lo + (info.hi - info.lo) / 4};
            const auto b = Augmenter(o).apply(in, weak, {{op}, {op}});
            QVERIFY2(b.strong.seg.equal(b.weak.seg), info.name);
            QVERIFY2(b.strong.valid.equal(b.weak.valid), info.name);
            for (int i = 0; i < 2; ++i) {
                QCOMPARE(b.strong.boxes[std::size_t(i)].size(), b.weak.boxes[std::size_t(i)].size());
                for (std::size_t k = 0; k < b.weak.boxes[std::size_t(i)].size(); ++k)
                    QCOMPARE(b.strong.boxes[std::size_t(i)][k].x1, b.weak.boxes[std::size_t(i)][k].x1);
            }
            if (info.op != AugmentOp::AutoContrast) // the pattern's views already span [0, 1]
                QVERIFY2(!b.strong.images.equal(b.weak.images), info.name); // the operation ran
            QVERIFY2(b.strong.images.ge(0).logical_and(b.strong.images.le(1)).all().item<bool>(), info.name);
        }
    }

    void samplesWithDifferentOpsMatchSeparateRuns() {
        AugmentOptions o;
        o.cropWidth = 32, o.cropHeight = 24;
        const AugmentInput in = patternBatch(2, 24, 32);
        const std::vector<StrongOps> ops = {{{AugmentOp::Invert}, {AugmentOp::Solarize, 0.5}},
                                            {{AugmentOp::Brightness, 1.5}, {AugmentOp::Invert}}};
        const std::vector<WeakParams> weak(2);
        const auto both = Augmenter(o).apply(in, weak, ops);
        for (int64_t i = 0; i < 2; ++i) {
            AugmentInput one;
            one.images = in.images.slice(0, i, i + 1);
            const auto alone = Augmenter(o).apply(one, {weak[0]}, {ops[std::size_t(i)]});
            QVERIFY(both.strong.images.slice(0, i, i + 1).equal(alone.strong.images));
        }
    }

    void poolsFollowTheMode() {
        AugmentOptions o;
        const auto equivariant = opPool(o);
        QCOMPARE(int(equivariant.size()), 16); // the shifts are never drawn
        QCOMPARE(opName(equivariant.back()), std::string("cutout"));
        o.mode = AugmentMode::Invariant;
        const auto invariant = opPool(o);
        QCOMPARE(int(invariant.size()), 10);
        for (AugmentOp op : invariant) QVERIFY(opInfo(op).kind != OpKind::Geometric);
        QCOMPARE(opName(invariant.back()), std::string("cutout"));
        o.cutoutAlways = true;
        QCOMPARE(int(opPool(o).size()), 9);
        o.mode = AugmentMode::Equivariant;
        o.strongShift = 0.5;
        const auto authors = opPool(o); // their 13 less Identity, which this pool does not have
        QCOMPARE(int(authors.size()), 13);
        for (AugmentOp op : authors)
            QVERIFY(op != AugmentOp::Cutout && op != AugmentOp::TranslateX && op != AugmentOp::TranslateY);
    }

    void authorsStrongViewOptions() {
        // Their code: cutout in every strong view after the drawn ops, the crop shifted by up to
        // half its size per sample in whole pixels, translations and cutout out of the pool.
        AugmentOptions o;
        o.cropWidth = 40, o.cropHeight = 20;
        o.cutoutAlways = true;
        o.strongShift = 0.5;
        o.opsDraw = DrawScope::PerSample;
        AugmentRandom random(5);
        bool negative = false, positive = false, wide = false;
        for (const auto& ops : drawStrongOps(o, 500, random)) {
            QCOMPARE(int(ops.size()), 2 + o.numOps + 1);
            QCOMPARE(opName(ops[0].op), std::string("shift_x"));
            QCOMPARE(opName(ops[1].op), std::string("shift_y"));
            QCOMPARE(opName(ops.back().op), std::string("cutout"));
            for (std::size_t k = 2; k + 1 < ops.size(); ++k)
                QVERIFY(ops[k].op != AugmentOp::Cutout && opInfo(ops[k].op).kind != OpKind::Cutout &&
                        ops[k].op != AugmentOp::TranslateX && ops[k].op != AugmentOp::TranslateY);
            for (const auto& a : ops) checkMagnitude(a.op, a.magnitude);
            const double px = ops[0].magnitude / 100 * 40, py = ops[1].magnitude / 100 * 20;
            QCOMPARE(px, std::round(px)); // whole pixels
            QCOMPARE(py, std::round(py));
            QVERIFY(std::abs(px) <= 20 && std::abs(py) <= 10);
            negative = negative || px < 0;
            positive = positive || px > 0;
            wide = wide || std::abs(px) >= 15;
        }
        QVERIFY(negative && positive && wide);

        // The shift moves the strong view against the weak one by exactly those pixels.
        const Affine2D m = strongGeometry({{AugmentOp::ShiftX, 25}, {AugmentOp::ShiftY, -50}}, {40, 20});
        const Point2D p = m.apply({3, 4});
        QCOMPARE(p.x, 13.0);
        QCOMPARE(p.y, -6.0);

        // Off (the default): only the drawn operations, never a shift.
        AugmentOptions plain;
        AugmentRandom r(9);
        for (const auto& ops : drawStrongOps(plain, 200, r)) {
            QCOMPARE(int(ops.size()), plain.numOps);
            for (const auto& a : ops) QVERIFY(a.op != AugmentOp::ShiftX && a.op != AugmentOp::ShiftY);
        }

        o.mode = AugmentMode::Invariant;
        QCOMPARE(inputErrorOf([&] { validateAugmentOptions(o); }),
                 std::string("augmentation options: strong shift 0.5 moves pixels and needs mode equivariant "
                             "(mode invariant keeps the strong view aligned with the weak one)"));
        o.mode = AugmentMode::Equivariant;
        o.strongShift = 0.6;
        QCOMPARE(inputErrorOf([&] { validateAugmentOptions(o); }),
                 std::string("augmentation options: strong shift 0.6 must be in [0, 0.5] of the crop"));
        o.strongShift = 0.5;
        o.numOps = 14;
        QCOMPARE(inputErrorOf([&] { validateAugmentOptions(o); }),
                 std::string("augmentation options: num_ops 14 must be in [0, 13] for mode equivariant with these options"));
    }

    void randAugmentDrawsDistinctOpsInRange() {
        AugmentOptions o;
        o.numOps = 3;
        AugmentRandom random(11);
        const auto perBatch = drawStrongOps(o, 8, random);
        for (const auto& ops : perBatch) {
            QCOMPARE(int(ops.size()), 3);
            std::set<AugmentOp> distinct;
            for (std::size_t k = 0; k < ops.size(); ++k) {
                distinct.insert(ops[k].op);
                QVERIFY(ops[k].op == perBatch[0][k].op); // the same operations for the whole batch
                checkMagnitude(ops[k].op, ops[k].magnitude);
            }
            QCOMPARE(int(distinct.size()), 3);
        }
        o.opsDraw = DrawScope::PerSample;
        o.magnitudeDraw = DrawScope::PerBatch;
        o.mode = AugmentMode::Invariant;
        std::map<AugmentOp, int> counts;
        std::map<AugmentOp, std::set<double>> magnitudes;
        for (const auto& ops : drawStrongOps(o, 2000, random))
            for (const auto& a : ops) {
                ++counts[a.op];
                magnitudes[a.op].insert(a.magnitude);
                QVERIFY(opInfo(a.op).kind != OpKind::Geometric);
            }
        QCOMPARE(int(counts.size()), 10);
        for (const auto& [op, n] : counts) { // 6000 draws over 10 ops: 600 each expected
            QVERIFY2(n > 480 && n < 720, qPrintable(QString::fromStdString(opName(op)) + " " + QString::number(n)));
            QCOMPARE(int(magnitudes[op].size()), 1); // one magnitude per op for the whole batch
        }
        o.magnitudeDraw = DrawScope::PerSample;
        std::set<double> rotations;
        o.mode = AugmentMode::Equivariant;
        for (const auto& ops : drawStrongOps(o, 200, random))
            for (const auto& a : ops)
                if (a.op == AugmentOp::Rotate) rotations.insert(a.magnitude);
        QVERIFY(rotations.size() > 20);
        QVERIFY(*rotations.begin() >= -30 && *rotations.rbegin() < 30 && *rotations.begin() < -15 && *rotations.rbegin() > 15);
    }

    void weakDrawsKeepTheCropOnTheImage() {
        AugmentOptions o;
        o.cropWidth = 100, o.cropHeight = 60;
        AugmentRandom random(5);
        int padded = 0, flipped = 0;
        for (const WeakParams& p : drawWeakParams(o, {120, 80}, 500, random)) {
            QVERIFY(p.scale >= 0.5 && p.scale < 2.0);
            const double slackX = p.scale * 120 - 100, slackY = p.scale * 80 - 60;
            // Inside the resized image when it is larger, else the image inside the crop.
            QVERIFY(slackX >= 0 ? (p.cropX >= 0 && p.cropX <= slackX) : (p.cropX <= 0 && p.cropX >= slackX));
            QVERIFY(slackY >= 0 ? (p.cropY >= 0 && p.cropY <= slackY) : (p.cropY <= 0 && p.cropY >= slackY));
            padded += slackX < 0;
            flipped += p.flip;
        }
        QVERIFY(padded > 50 && flipped > 200 && flipped < 300);
        o.flip = false;
        for (const WeakParams& p : drawWeakParams(o, {120, 80}, 100, random)) QVERIFY(!p.flip);
    }

    void sameSeedGivesSameViews() {
        AugmentOptions o;
        o.cropWidth = 40, o.cropHeight = 24;
        o.opsDraw = DrawScope::PerSample;
        o.numOps = 4;
        const Augmenter augmenter(o);
        const AugmentInput in = patternBatch(6, 30, 50);
        const auto a = augmenter.augment(in, 77), b = augmenter.augment(in, 77), c = augmenter.augment(in, 78);
        QVERIFY(a.weak.images.equal(b.weak.images) && a.strong.images.equal(b.strong.images));
        QVERIFY(a.weak.seg.equal(b.weak.seg) && a.strong.seg.equal(b.strong.seg));
        QVERIFY(a.strong.valid.equal(b.strong.valid));
        for (std::size_t i = 0; i < 6; ++i) {
            QCOMPARE(a.strongOps[i].size(), b.strongOps[i].size());
            for (std::size_t k = 0; k < a.strongOps[i].size(); ++k)
                QCOMPARE(a.strongOps[i][k].magnitude, b.strongOps[i][k].magnitude);
            QCOMPARE(a.weak.boxes[i].size(), b.weak.boxes[i].size());
        }
        QVERIFY(!a.strong.images.equal(c.strong.images));
        QVERIFY(augmentSeed(3, 10) == augmentSeed(3, 10) && augmentSeed(3, 10) != augmentSeed(3, 11));
    }

    // Data-parallel training: a process augments only its shard, yet each sample's views are those
    // the whole batch would give it, whatever the number of processes.
    void aShardsViewsAreTheWholeBatchsRows() {
        AugmentOptions o;
        o.cropWidth = 40, o.cropHeight = 24;
        o.opsDraw = DrawScope::PerSample;
        o.numOps = 3;
        const Augmenter augmenter(o);
        const AugmentInput in = patternBatch(6, 30, 50);
        const auto whole = augmenter.augment(in, 77);
        for (const int processes : {2, 3}) {
            for (int rank = 0; rank < processes; ++rank) {
                std::vector<std::size_t> rows;
                std::vector<int64_t> index;
                for (int i = rank; i < 6; i += processes) rows.push_back(std::size_t(i)), index.push_back(i);
                const auto pick = torch::tensor(index, torch::kLong);
                AugmentInput shardInput{in.images.index_select(0, pick), in.seg.index_select(0, pick), {}};
                for (const std::size_t r : rows) shardInput.boxes.push_back(in.boxes.at(r));
                const auto shard = augmenter.augmentRows(shardInput, 77, 6, rows);
                const QString where = QString("rank %1 of %2").arg(rank).arg(processes);
                QVERIFY2(shard.weak.images.equal(whole.weak.images.index_select(0, pick)), qPrintable(where));
                QVERIFY2(shard.strong.images.equal(whole.strong.images.index_select(0, pick)), qPrintable(where));
                QVERIFY2(shard.strong.seg.equal(whole.strong.seg.index_select(0, pick)), qPrintable(where));
                for (std::size_t k = 0; k < rows.size(); ++k) {
                    QCOMPARE(shard.strongOps[k].size(), whole.strongOps[rows[k]].size());
                    QCOMPARE(shard.weak.boxes[k].size(), whole.weak.boxes[rows[k]].size());
                }
            }
        }
    }

    void degenerateImagesGiveFiniteViews() {
        // Constant images, mostly padding (tiny scale), every operation: no NaN, values in [0, 1].
        AugmentOptions o;
        o.cropWidth = 16, o.cropHeight = 16;
        AugmentInput in;
        in.images = torch::zeros({1, 1, 1, 3}, torch::kUInt8);
        for (const auto& info : augmentOps()) {
            const AppliedOp op{info.op, info.integral ? 4.0 : info.hi};
            const auto b = Augmenter(o).apply(in, {WeakParams{0.5, -8, -8, false}}, {{op}});
            QVERIFY2(b.strong.images.isfinite().all().item<bool>(), info.name);
            QVERIFY2(b.strong.images.ge(0).logical_and(b.strong.images.le(1)).all().item<bool>(), info.name);
        }
    }

    void badInputIsInputError() {
        QCOMPARE(inputErrorOf([] { parseAugmentOp("zoom"); }).substr(0, 45),
                 std::string("unknown augmentation operation 'zoom' (known:"));
        QCOMPARE(inputErrorOf([] { checkMagnitude(AugmentOp::Rotate, 45); }),
                 std::string("magnitude 45 of 'rotate' is outside [-30, 30] degrees"));
        QCOMPARE(inputErrorOf([] { checkMagnitude(AugmentOp::Posterize, 4.5); }),
                 std::string("magnitude 4.5 of 'posterize' must be a whole number in [4, 8] bits"));
        QCOMPARE(inputErrorOf([] { checkMagnitude(AugmentOp::Invert, 1); }),
                 std::string("operation 'invert' takes no magnitude (use 0), got 1"));
        QCOMPARE(inputErrorOf([] { checkMagnitude(AugmentOp::Solarize, NAN); }).substr(0, 14), std::string("magnitude nan "));

        AugmentOptions bad;
        bad.scaleMin = 3;
        QCOMPARE(inputErrorOf([&] { Augmenter{bad}; }),
                 std::string("augmentation options: scale range [3, 2] must satisfy 0 < min <= max"));
        bad = {};
        bad.mode = AugmentMode::Invariant;
        bad.numOps = 11;
        QCOMPARE(inputErrorOf([&] { Augmenter{bad}; }),
                 std::string("augmentation options: num_ops 11 must be in [0, 10] for mode invariant"));

        const Augmenter augmenter{AugmentOptions{}};
        const auto fails = [&](AugmentInput in) { return !inputErrorOf([&] { augmenter.augment(in, 1); }).empty(); };
        QVERIFY(fails({}));                                                    // no images
        QVERIFY(fails({torch::zeros({0, 8, 8, 3}, torch::kUInt8), {}, {}}));   // empty batch
        QVERIFY(fails({torch::zeros({1, 0, 8, 3}, torch::kUInt8), {}, {}}));   // zero height
        QVERIFY(fails({torch::zeros({1, 8, 8, 4}, torch::kUInt8), {}, {}}));   // four channels
        QVERIFY(fails({torch::zeros({8, 8, 3}, torch::kUInt8), {}, {}}));      // no batch dimension
        QVERIFY(fails({torch::zeros({1, 3, 8, 8}, torch::kInt), {}, {}}));     // int images
        QVERIFY(fails({torch::full({1, 3, 8, 8}, 2.0f), {}, {}}));             // floats outside [0, 1]
        QVERIFY(fails({torch::full({1, 3, 8, 8}, NAN), {}, {}}));              // NaN
        const auto ok = torch::zeros({2, 8, 8, 3}, torch::kUInt8);
        QVERIFY(fails({ok, torch::zeros({2, 8, 7}, torch::kLong), {}}));        // mask size
        QVERIFY(fails({ok, torch::zeros({2, 8, 8}, torch::kFloat), {}}));       // float mask
        QVERIFY(fails({ok, {}, {{}}}));                                         // one box list for two images
        QVERIFY(fails({ok, {}, {{Box{0, 0, NAN, 4, 0}}, {}}}));                 // NaN box
        QVERIFY(!fails({ok, torch::zeros({2, 8, 8}, torch::kUInt8), {{Box{0, 0, 4, 4, 0}}, {}}}));

        QVERIFY(!inputErrorOf([] { applyAugmentOp(cv::Mat(), AugmentOp::Invert, 0); }).empty());
        QVERIFY(!inputErrorOf([] { applyAugmentOp(cv::Mat(4, 4, CV_8UC3), AugmentOp::Rotate, 31); }).empty());
    }

    void singleOperationOnAnImage() {
        // `mtlw augment`'s code path: invert of an 8-bit image is exact, a flip mirrors columns.
        cv::Mat rgb(2, 3, CV_8UC3);
        for (int x = 0; x < 3; ++x) {
            rgb.at<cv::Vec3b>(0, x) = {uint8_t(10 * x), 100, 200};
            rgb.at<cv::Vec3b>(1, x) = {uint8_t(50 + x), 0, 255};
        }
        const cv::Mat inverted = applyAugmentOp(rgb, AugmentOp::Invert, 0);
        QCOMPARE(inverted.at<cv::Vec3b>(0, 2), cv::Vec3b(235, 155, 55));
        QCOMPARE(inverted.at<cv::Vec3b>(1, 1), cv::Vec3b(204, 255, 0));
        const cv::Mat flipped = applyAugmentOp(rgb, AugmentOp::HFlip, 0);
        QCOMPARE(flipped.at<cv::Vec3b>(0, 0), rgb.at<cv::Vec3b>(0, 2));
        QCOMPARE(flipped.at<cv::Vec3b>(1, 2), rgb.at<cv::Vec3b>(1, 0));
    }
};

MTLW_TEST_MAIN(TestAugment, Core)
#include "tst_augment.moc"
