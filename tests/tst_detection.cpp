// RetinaNet's detection pieces on hand-made cases with hand-computed values: anchors, box coder,
// IoU matcher, focal and generalized IoU losses, NMS and post-processing.
#include "core/common/Error.h"
#include "core/model/AnchorMatcher.h"
#include "core/model/Anchors.h"
#include "core/model/BoxOps.h"
#include "core/model/DetectionLoss.h"
#include "core/model/DetectionPostprocess.h"
#include "TestSuite.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace mtl;

namespace {
torch::Tensor boxes(std::vector<std::array<float, 4>> rows) {
    auto t = torch::empty({int64_t(rows.size()), 4});
    for (std::size_t i = 0; i < rows.size(); ++i)
        for (int j = 0; j < 4; ++j) t[int64_t(i)][j] = rows[i][j];
    return t;
}

std::vector<int64_t> values(const torch::Tensor& t) {
    auto c = t.to(torch::kLong).contiguous();
    return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
}

bool near(const torch::Tensor& a, const torch::Tensor& b, double tol = 1e-5) {
    return a.sizes() == b.sizes() && torch::allclose(a, b, 0, tol);
}
} // namespace

class TestDetection : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cellAnchorsFollowTorchvision() {
        // size s, ratio r = h/w: w = s/√r, h = s·√r, corners rounded; sizes 32, int(32·2^⅓) = 40,
        // int(32·2^⅔) = 50; ratio-major.
        const auto expected = boxes({{-23, -11, 23, 11}, {-28, -14, 28, 14}, {-35, -18, 35, 18},
                                     {-16, -16, 16, 16}, {-20, -20, 20, 20}, {-25, -25, 25, 25},
                                     {-11, -23, 11, 23}, {-14, -28, 14, 28}, {-18, -35, 18, 35}});
        QVERIFY(near(cellAnchors(AnchorLayout{}, 0), expected));
    }

    void anchorCountPerLevelAndPosition() {
        const AnchorLayout layout;
        // A 256×128 input: P3 16×32 ... P7 1×2 cells, 9 anchors each.
        const std::vector<std::array<int64_t, 2>> sizes{{16, 32}, {8, 16}, {4, 8}, {2, 4}, {1, 2}};
        const auto anchors = gridAnchors(layout, sizes, torch::kCPU);
        QCOMPARE(anchors.size(0), int64_t(4608 + 1152 + 288 + 72 + 18));
        // P4 (base 64, stride 16), cell y = 1, x = 2, ratio 1 and second scale: size int(64·2^⅓) = 80,
        // centred at (32, 16). Index: 4608 P3 anchors + (1·16 + 2) cells · 9 + (1·3 + 1).
        QVERIFY(near(anchors[4608 + 18 * 9 + 4], torch::tensor({-8.f, -24.f, 72.f, 56.f})));
        // P3's first anchor is centred on (0, 0): no half-stride offset.
        QVERIFY(near(anchors[0], torch::tensor({-23.f, -11.f, 23.f, 11.f})));
    }

    void anchorsOfAChosenPyramid() {
        // P2–P5, 8 px on P2 doubling per level, one scale, ratios 1 and 3 (tall): strides 4..32.
        ModelSpec spec;
        spec.minLevel = 2;
        spec.maxLevel = 5;
        spec.anchorSize = 8;
        spec.anchorScales = 1;
        spec.anchorRatios = {1.0, 3.0};
        const AnchorLayout layout = anchorLayoutFor(spec);
        QCOMPARE(layout.strides, (std::vector<int>{4, 8, 16, 32}));
        QCOMPARE(layout.sizes, (std::vector<int>{8, 16, 32, 64}));
        QCOMPARE(layout.perCell(), 2);
        // Ratio 3 at 8 px: w = 8/√3 = 4.62, h = 8·√3 = 13.86 → corners ±2, ±7 after rounding.
        QVERIFY(near(cellAnchors(layout, 0), boxes({{-4, -4, 4, 4}, {-2, -7, 2, 7}})));
        // A 2×2 P2 map and 1×1 maps above: 8 + 2 + 2 + 2 anchors.
        const auto anchors = gridAnchors(layout, {{2, 2}, {1, 1}, {1, 1}, {1, 1}}, torch::kCPU);
        QCOMPARE(anchors.size(0), int64_t(14));
        // P2 cell y = 1, x = 0 (centre (0, 4)), tall anchor: index (1·2 + 0)·2 + 1.
        QVERIFY(near(anchors[5], torch::tensor({-2.f, -3.f, 2.f, 11.f})));
        // P5's anchor: 64 px square at (0, 0), the last one.
        QVERIFY(near(anchors[12], torch::tensor({-32.f, -32.f, 32.f, 32.f})));
        // The paper's layout is the default one.
        const AnchorLayout paper = anchorLayoutFor(ModelSpec{});
        const AnchorLayout defaults;
        QCOMPARE(paper.strides, defaults.strides);
        QCOMPARE(paper.sizes, defaults.sizes);
        QCOMPARE(paper.ratios, defaults.ratios);
    }

    void densifiedAnchorsTileTheSmallestSize() {
        // P2–P3, 8 px, two scales, ratio 1, density 2: per cell the 8 px square at the four centres
        // (±1, ±1) on P2 (stride 4 / 2 apart), row by row, then the int(8·√2) = 11 px square once
        // (±5.5 rounds half to even: ±6). P3: 16 px at (±2, ±2), then 22 px (±11).
        ModelSpec spec;
        spec.minLevel = 2;
        spec.maxLevel = 3;
        spec.anchorSize = 8;
        spec.anchorScales = 2;
        spec.anchorRatios = {1.0};
        spec.anchorDensity = 2;
        const AnchorLayout layout = anchorLayoutFor(spec);
        QCOMPARE(layout.perCell(), 5);
        QVERIFY(near(cellAnchors(layout, 0),
                     boxes({{-5, -5, 3, 3}, {-3, -5, 5, 3}, {-5, -3, 3, 5}, {-3, -3, 5, 5}, {-6, -6, 6, 6}})));
        QVERIFY(near(cellAnchors(layout, 1),
                     boxes({{-10, -10, 6, 6}, {-6, -10, 10, 6}, {-10, -6, 6, 10}, {-6, -6, 10, 10}, {-11, -11, 11, 11}})));
        // A 1×2 P2 map and a 1×1 P3 map: 10 + 5 anchors. P2's second cell is centred on (4, 0): its
        // second tile, centred on (5, -1), is anchor 5 + 1.
        const auto anchors = gridAnchors(layout, {{1, 2}, {1, 1}}, torch::kCPU);
        QCOMPARE(anchors.size(0), int64_t(15));
        QVERIFY(near(anchors[6], torch::tensor({1.f, -5.f, 9.f, 3.f})));
        QVERIFY(near(anchors[14], torch::tensor({-11.f, -11.f, 11.f, 11.f})));
        // Density 1 keeps RetinaNet's anchors: one per shape and cell.
        spec.anchorDensity = 1;
        QVERIFY(near(cellAnchors(anchorLayoutFor(spec), 0), boxes({{-4, -4, 4, 4}, {-6, -6, 6, 6}})));
    }

    void iouOfHandMadeBoxes() {
        const auto iou = pairwiseIou(boxes({{0, 0, 2, 2}}), boxes({{1, 1, 3, 3}, {0, 0, 2, 2}, {5, 5, 6, 6}, {1, 1, 1, 1}}));
        QVERIFY(near(iou, torch::tensor({{1.f / 7, 1.f, 0.f, 0.f}})));
    }

    void boxCoderRoundTrips() {
        // Anchor centre (5, 10), size 10×20; box centre (12, 14), size 20×20.
        const auto anchor = boxes({{0, 0, 10, 20}}), box = boxes({{2, 4, 22, 24}});
        const auto deltas = encodeBoxes(box, anchor);
        QVERIFY(near(deltas, torch::tensor({{0.7f, 0.2f, float(std::log(2.0)), 0.f}})));
        QVERIFY(near(decodeBoxes(deltas, anchor), box, 1e-4));
        // dw is clamped to log(1000/16): the width becomes 10 · 62.5 = 625 at most.
        const auto huge = decodeBoxes(torch::tensor({{0.f, 0.f, 50.f, 0.f}}), anchor);
        QVERIFY(near(huge, boxes({{5 - 312.5f, 0, 5 + 312.5f, 20}}), 1e-3));
    }

    void matcherThresholdsAndLowQualityRescue() {
        // Anchor 0: best 0.6 (box 0) → matched. Anchor 1: 0.45 → between thresholds, ignored.
        // Anchors 2 and 4: best 0.35 (box 1), background by threshold, but 0.35 is box 1's highest
        // IoU (a tie) → both rescued. Anchor 3: overlaps nothing.
        const auto iou = torch::tensor({{0.6f, 0.45f, 0.1f, 0.0f, 0.3f}, {0.2f, 0.3f, 0.35f, 0.0f, 0.35f}}).unsqueeze(0);
        QCOMPARE(values(matchAnchors(iou)), (std::vector<int64_t>{0, -2, 1, -1, 1}));
        MatcherThresholds strict;
        strict.allowLowQuality = false;
        QCOMPARE(values(matchAnchors(iou, strict)), (std::vector<int64_t>{0, -2, -1, -1, -1}));
    }

    void rescuedAnchorKeepsItsOwnBestBox() {
        // Box 1's highest IoU (0.40) is on anchor 0, whose best box is box 0 (0.42): the rescue gives
        // anchor 0 box 0 (torchvision's rule), and box 1 gets no anchor.
        const auto iou = torch::tensor({{0.42f, 0.1f}, {0.40f, 0.2f}}).unsqueeze(0);
        QCOMPARE(values(matchAnchors(iou)), (std::vector<int64_t>{0, -1}));
    }

    void boxesWithoutOverlapOrImagesWithoutBoxesRescueNothing() {
        QCOMPARE(values(matchAnchors(torch::zeros({1, 1, 3}))), (std::vector<int64_t>{-1, -1, -1}));
        QCOMPARE(values(matchAnchors(torch::zeros({2, 0, 2}))), (std::vector<int64_t>{-1, -1, -1, -1}));
    }

    void hostMatcherGivesTheBatchedMatches() {
        // Whole-pixel boxes on a real anchor grid make exact IoU ties common (between anchors, and
        // between a box and its duplicate): the first-box rule and the low-quality rescue must come
        // out exactly as the batched tensor computation's, including padding slots and an image
        // without boxes.
        ModelSpec spec;
        spec.minLevel = 2;
        spec.maxLevel = 5;
        spec.anchorSize = 8;
        spec.anchorScales = 2;
        spec.anchorRatios = {0.5, 1.0, 2.0, 3.0};
        const auto anchors = gridAnchors(anchorLayoutFor(spec), {{16, 32}, {8, 16}, {4, 8}, {2, 4}}, torch::kCPU);
        std::mt19937 random(7);
        std::uniform_int_distribution<int> x(-8, 136), y(-8, 72), side(1, 40);
        const std::vector<int> boxCounts{0, 3, 60, 25}; // image 0 has none
        std::vector<std::vector<Box>> truth(boxCounts.size());
        for (std::size_t i = 0; i < truth.size(); ++i)
            for (int k = 0; k < boxCounts[i]; ++k) {
                const float x1 = float(x(random)), y1 = float(y(random));
                truth[i].push_back({x1, y1, x1 + float(side(random)), y1 + float(side(random)), k % 8});
            }
        truth[2].push_back(truth[2][5]); // a duplicate: equal IoUs with every anchor
        const GroundTruthBoxes padded = padGroundTruth(truth);
        MatcherThresholds strict;
        strict.allowLowQuality = false;
        // Also on densified anchors, whose tiles overlap one another and tie more often.
        spec.anchorDensity = 2;
        const auto tiled = gridAnchors(anchorLayoutFor(spec), {{16, 32}, {8, 16}, {4, 8}, {2, 4}}, torch::kCPU);
        for (const auto& grid : {anchors, tiled})
            for (const MatcherThresholds& t : {MatcherThresholds{}, strict}) {
                const auto host = matchBoxesToAnchors(padded, grid, t);
                const auto batched = matchBoxesToAnchorsBatched(padded, grid, t);
                QCOMPARE(host.sizes(), batched.sizes());
                QVERIFY(torch::equal(host, batched));
            }
        // The comparison covers every outcome: matched, ignored, background and rescued anchors.
        const auto lowQuality = matchBoxesToAnchors(padded, anchors), plain = matchBoxesToAnchors(padded, anchors, strict);
        QVERIFY(lowQuality.ge(0).sum().item<int64_t>() > plain.ge(0).sum().item<int64_t>());
        QVERIFY(plain.ge(0).sum().item<int64_t>() > 0);
        QVERIFY(plain.eq(kIgnoredAnchor).sum().item<int64_t>() > 0);
        QCOMPARE(values(lowQuality[0]), std::vector<int64_t>(size_t(anchors.size(0)), kBackgroundAnchor));
    }

    void assignsClassesAndBoxesFromSampleBoxes() {
        const auto anchors = boxes({{0, 0, 10, 10}, {5, 5, 15, 15}, {20, 20, 30, 30}});
        // Image 0: a box on anchor 0 (IoU 1), one at IoU 0.8 with anchor 2, one 0.5 px wide
        // (dropped as degenerate). Image 1: no boxes.
        const std::vector<std::vector<Box>> truth{{{0, 0, 10, 10, 3}, {20, 20, 30, 28, 1}, {40, 40, 40.5f, 50, 2}}, {}};
        const GroundTruthBoxes padded = padGroundTruth(truth);
        QCOMPARE(padded.boxes.sizes(), (torch::IntArrayRef{2, 2, 4}));
        QCOMPARE(values(padded.classes), (std::vector<int64_t>{3, 1, -1, -1}));
        const AnchorTargets t = assignAnchors(padded, anchors);
        QCOMPARE(values(t.matches), (std::vector<int64_t>{0, -1, 1, -1, -1, -1}));
        QCOMPARE(values(t.classes), (std::vector<int64_t>{3, -1, 1, -1, -1, -1}));
        QVERIFY(near(t.boxes[0], boxes({{0, 0, 10, 10}, {5, 5, 15, 15}, {20, 20, 30, 28}})));
        QVERIFY(near(t.boxes[1], anchors));
    }

    void focalLossHandComputed() {
        // p = 0.5: BCE ln 2, (1 − p_t)² = 0.25; alpha_t 0.25 (positive) or 0.75 (negative).
        // p = 0.75: positive BCE −ln 0.75, (0.25)²; negative BCE −ln 0.25, (0.75)².
        const auto logits = torch::tensor({0.f, 0.f, float(std::log(3.0)), float(std::log(3.0))});
        const auto targets = torch::tensor({1.f, 0.f, 1.f, 0.f});
        const double ln2 = std::log(2.0);
        const auto expected = torch::tensor({float(0.25 * ln2 * 0.25), float(0.75 * ln2 * 0.25),
                                             float(0.25 * -std::log(0.75) * 0.0625),
                                             float(0.75 * -std::log(0.25) * 0.5625)});
        QVERIFY(near(sigmoidFocalLoss(logits, targets), expected, 1e-6));
    }

    void anchorFocalLossEqualsTheDefinition() {
        // The CPU's one-pass loss and gradient against the element-wise definition in double
        // precision: logits far into both tails (where a naive 1 − p or log p loses everything),
        // background, foreground and ignored anchors, weights other than 0 and 1, γ 2 and 1.5.
        torch::manual_seed(3);
        const int64_t n = 3, a = 50, k = 5;
        auto logits = (torch::randn({n, a, k}) * 8).to(torch::kFloat);
        logits.index_put_({0, 0}, torch::tensor({-40.f, 40.f, 0.f, 17.f, -17.f}));
        auto targetClass = torch::randint(-1, k, {n, a}, torch::kLong);
        targetClass.index_put_({0, 0}, 1);
        auto weight = (torch::rand({n, a}) * 2).to(torch::kFloat);
        weight.index_put_({torch::indexing::Slice(), torch::indexing::Slice(1, 50, 7)}, 0.f);
        const auto upstream = torch::rand({n, a}, torch::kDouble);
        for (const FocalLossOptions options : {FocalLossOptions{}, FocalLossOptions{0.4, 1.5}}) {
            const auto fast = logits.clone().requires_grad_(true);
            const auto loss = anchorFocalLoss(fast, targetClass, weight, options);
            (loss * upstream.to(torch::kFloat)).sum().backward();

            const auto exact = logits.to(torch::kDouble).requires_grad_(true);
            const auto oneHot = torch::nn::functional::one_hot(targetClass.clamp_min(0), k).to(torch::kDouble) *
                                targetClass.ge(0).unsqueeze(2).to(torch::kDouble);
            const auto reference =
                sigmoidFocalLoss(exact, oneHot, options).sum(2) * weight.to(torch::kDouble);
            (reference * upstream).sum().backward();

            QCOMPARE(loss.sizes(), (torch::IntArrayRef{n, a}));
            QVERIFY(torch::allclose(loss.to(torch::kDouble), reference, 1e-5, 1e-6));
            QVERIFY(torch::allclose(fast.grad().to(torch::kDouble), exact.grad(), 1e-5, 1e-6));
            QVERIFY(loss.index({0, 0}).item<double>() > 1.0); // the ±40 and ±17 logits count, finitely
            QCOMPARE(fast.grad().index({torch::indexing::Slice(), 8}).abs().sum().item<double>(), 0.0);
        }
        // A class the logits do not have is an error, not a read past them.
        QVERIFY_THROWS_EXCEPTION(Error, anchorFocalLoss(logits, torch::full({n, a}, k, torch::kLong), weight));
        // Without autograd (validation losses) the same values.
        torch::NoGradGuard noGrad;
        QVERIFY(torch::equal(anchorFocalLoss(logits, targetClass, weight),
                             anchorFocalLoss(logits.clone().requires_grad_(true), targetClass, weight)));
    }

    void generalizedIouLossHandComputed() {
        // Overlapping: IoU 1/7, enclosing 3×3 = 9, union 7 → GIoU = 1/7 − 2/9.
        // Disjoint side by side: IoU 0, enclosing 3, union 2 → GIoU = −1/3. Identical: GIoU = 1.
        const auto loss = generalizedIouLoss(boxes({{0, 0, 2, 2}, {0, 0, 1, 1}, {3, 3, 7, 9}}),
                                             boxes({{1, 1, 3, 3}, {2, 0, 3, 1}, {3, 3, 7, 9}}));
        QVERIFY(near(loss, torch::tensor({float(1 - (1.0 / 7 - 2.0 / 9)), float(4.0 / 3), 0.f}), 1e-5));
    }

    void detectionLossNormalisedPerImageAndZeroedForUnlabeled() {
        // Two images, three anchors, two classes, all logits 0 and deltas 0 (predicted box = anchor).
        // Image 0: anchor 0 foreground (class 1, box [1,1,3,3]), anchor 1 background, anchor 2
        // ignored. Image 1: every anchor background.
        const auto anchors = boxes({{0, 0, 2, 2}, {4, 4, 6, 6}, {8, 8, 10, 10}});
        AnchorTargets t;
        t.matches = torch::tensor({{0, -1, -2}, {-1, -1, -1}}, torch::kLong);
        t.classes = torch::tensor({{1, -1, -1}, {-1, -1, -1}}, torch::kLong);
        t.boxes = anchors.unsqueeze(0).repeat({2, 1, 1});
        t.boxes[0][0] = torch::tensor({1.f, 1.f, 3.f, 3.f});
        const auto logits = torch::zeros({2, 3, 2}), deltas = torch::zeros({2, 3, 4});
        const double ln2 = std::log(2.0), pos = 0.25 * ln2 * 0.25, neg = 0.75 * ln2 * 0.25;
        const double image0Cls = pos + 3 * neg, image1Cls = 6 * neg; // over 1 and max(1, 0) foreground
        const double image0Box = 1 - (1.0 / 7 - 2.0 / 9);

        const DetectionLosses onlyFirst = detectionLosses(logits, deltas, anchors, t, torch::tensor({true, false}));
        QVERIFY(std::abs(onlyFirst.classification.item<double>() - image0Cls) < 1e-5);
        QVERIFY(std::abs(onlyFirst.regression.item<double>() - image0Box) < 1e-5);
        const DetectionLosses both = detectionLosses(logits, deltas, anchors, t, torch::tensor({true, true}));
        QVERIFY(std::abs(both.classification.item<double>() - (image0Cls + image1Cls) / 2) < 1e-5);
        QVERIFY(std::abs(both.regression.item<double>() - image0Box / 2) < 1e-5);
        const DetectionLosses none = detectionLosses(logits, deltas, anchors, t, torch::tensor({false, false}));
        QCOMPARE(none.classification.item<double>(), 0.0);
        QCOMPARE(none.regression.item<double>(), 0.0);
    }

    void nmsKeepsBestAndSuppressesAboveThreshold() {
        // By score: box 3 (0.95); box 0 (IoU 1/3 with box 3: kept); box 1 (IoU 81/119 ≈ 0.68 with
        // box 0: dropped); box 2 (disjoint: kept).
        const auto b = boxes({{0, 0, 10, 10}, {1, 1, 11, 11}, {20, 20, 30, 30}, {5, 0, 15, 10}});
        const auto s = torch::tensor({0.9f, 0.8f, 0.7f, 0.95f});
        QCOMPARE(values(nms(b, s, 0.5)), (std::vector<int64_t>{3, 0, 2}));
        // Box 1 in another class is never suppressed by class-0 boxes.
        QCOMPARE(values(classwiseNms(b, s, torch::tensor({0, 1, 0, 0}), 0.5)), (std::vector<int64_t>{3, 0, 1, 2}));
        // IoU exactly at the threshold is kept; equal scores keep input order.
        QCOMPARE(values(nms(boxes({{0, 0, 3, 1}, {1, 0, 4, 1}}), torch::tensor({0.5f, 0.5f}), 0.5)),
                 (std::vector<int64_t>{0, 1}));
        QCOMPARE(nms(torch::zeros({0, 4}), torch::zeros({0}), 0.5).numel(), int64_t(0));
    }

    void postprocessThresholdsDecodesSuppressesAndClips() {
        // Level 0 has anchors 0 and 1, level 1 anchor 2. Anchor 0 class 1 at p 0.9; anchor 1 class 1
        // at p 0.8 (IoU 0.68 with anchor 0: suppressed); anchor 2 class 0 at p 0.5, clipped to the
        // 20×20 image; every other score is far below the 0.05 threshold.
        const auto anchors = boxes({{0, 0, 10, 10}, {1, 1, 11, 11}, {-5, -5, 25, 25}});
        auto logits = torch::full({1, 3, 2}, -10.f);
        logits[0][0][1] = float(std::log(9.0));
        logits[0][1][1] = float(std::log(4.0));
        logits[0][2][0] = 0.f;
        const auto dets = postprocessDetections(logits, torch::zeros({1, 3, 4}), anchors, {2, 1}, 20, 20);
        QCOMPARE(int(dets.size()), 1);
        QCOMPARE(int(dets[0].size()), 2);
        const Detection& first = dets[0][0];
        QCOMPARE(first.box.cls, 1);
        QVERIFY(std::abs(first.score - 0.9f) < 1e-6f);
        QCOMPARE(std::vector<float>({first.box.x1, first.box.y1, first.box.x2, first.box.y2}),
                 std::vector<float>({0, 0, 10, 10}));
        const Detection& second = dets[0][1];
        QCOMPARE(second.box.cls, 0);
        QVERIFY(std::abs(second.score - 0.5f) < 1e-6f);
        QCOMPARE(std::vector<float>({second.box.x1, second.box.y1, second.box.x2, second.box.y2}),
                 std::vector<float>({0, 0, 20, 20}));
    }
};

MTLW_TEST_MAIN(TestDetection, Core)
#include "tst_detection.moc"
