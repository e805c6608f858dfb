// Pseudo-labels from the weak view to the strong view: a known object put through the whole chain
// (weak view → a teacher-like target read off the weak view → A∘α⁻¹ → the strong view), and the
// quality measures of pseudo-labels against hidden ground truth.
#include "AugmentTestSupport.h"

#include "core/train/PseudoLabelQuality.h"
#include "core/train/PseudoLabels.h"
#include "TestSuite.h"

#include <QtTest>

using namespace mtl;

namespace {
// A 64 × 48 dark image with one bright object covering x ∈ [20, 36), y ∈ [12, 24).
AugmentInput sceneWithObject() {
    AugmentInput in;
    in.images = torch::full({1, 48, 64, 3}, 20, torch::kUInt8);
    in.images.index_put_({0, torch::indexing::Slice(12, 24), torch::indexing::Slice(20, 36)}, 230);
    return in;
}

// What a perfect teacher says about a view: class 1 on bright pixels, 0 elsewhere; one box around them.
PseudoLabels perfectTeacher(const torch::Tensor& viewImages) {
    PseudoLabels p;
    const auto bright = viewImages[0][0].gt(0.6); // h × w, red channel of the [0, 1] view
    p.seg = bright.to(torch::kLong).unsqueeze(0);
    const auto cols = bright.any(0).nonzero(), rows = bright.any(1).nonzero();
    Detection d;
    d.box = Box{float(cols.min().item<int64_t>()), float(rows.min().item<int64_t>()),
                float(cols.max().item<int64_t>() + 1), float(rows.max().item<int64_t>() + 1), 3};
    d.score = 0.9f;
    p.boxes = {{d}};
    return p;
}
} // namespace

class TestPseudoLabels : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void knownObjectLandsOnItselfInTheStrongView() {
        AugmentOptions o;
        o.cropWidth = 48;
        o.cropHeight = 32;
        o.boxes.minVisible = 0;
        const Augmenter augmenter(o);
        // Weak: crop at (4, 2), flipped: x' = 48 − (x − 4), y' = y − 2 → object at [16, 32) × [10, 22).
        // Strong: translate x by 12.5 % of 48 = 6, y by 12.5 % of 32 = 4, then flip:
        // x'' = 48 − (x' + 6) → [10, 26); y'' = y' + 4 → [14, 26). Cutout of 10 % of the area in
        // the top left corner (15.2 × 10.1 px), away from the object.
        const std::vector<WeakParams> weak{{1.0, 4, 2, true}};
        const std::vector<StrongOps> strong{{{AugmentOp::TranslateX, 12.5}, {AugmentOp::TranslateY, 12.5},
                                             {AugmentOp::HFlip, 0}, {AugmentOp::Cutout, 10, 0, 0}}};
        const AugmentedBatch views = augmenter.apply(sceneWithObject(), weak, strong);

        const PseudoLabels teacher = perfectTeacher(views.weak.images);
        const Box& weakBox = teacher.boxes[0][0].box;
        QCOMPARE(weakBox.x1, 16.f);
        QCOMPARE(weakBox.x2, 32.f);
        QCOMPARE(weakBox.y1, 10.f);
        QCOMPARE(weakBox.y2, 22.f);

        const StrongViewTargets moved = moveToStrongView(views, teacher, o.boxes);
        // Boxes: exactly the object's extent in the strong view.
        QCOMPARE(int(moved.boxes[0].size()), 1);
        const Box& b = moved.boxes[0][0];
        QCOMPARE(b.x1, 10.f);
        QCOMPARE(b.x2, 26.f);
        QCOMPARE(b.y1, 14.f);
        QCOMPARE(b.y2, 26.f);
        QCOMPARE(b.cls, 3);
        // Labels: class 1 exactly where the strong view shows the object; 0 on the rest of the
        // visible scene; 255 where the strong view has no target (outside the weak view, under cutout).
        const auto strongBright = views.strong.images[0][0].gt(0.6);
        const auto label = moved.seg[0];
        QVERIFY(label.eq(1).equal(strongBright));
        auto objectRegion = torch::zeros({32, 48}, torch::kBool);
        objectRegion.index_put_({torch::indexing::Slice(14, 26), torch::indexing::Slice(10, 26)}, true);
        QVERIFY(label.eq(1).equal(objectRegion));
        QCOMPARE(label[6][2].item<int64_t>(), int64_t(255));   // under the cutout
        QCOMPARE(label[8][47].item<int64_t>(), int64_t(255));  // translated in from outside the weak view
        QCOMPARE(label[30][30].item<int64_t>(), int64_t(0));   // visible background
        // Columns 42–47 and rows 0–3 show source pixels the weak view did not contain.
        const auto seenByTeacher = torch::arange(48).view({1, 48}).lt(42).logical_and(torch::arange(32).view({32, 1}).ge(4));
        QVERIFY(label.ne(255).equal(views.strong.valid[0].logical_and(seenByTeacher)));
        QVERIFY(views.strong.valid[0][2][20].item<bool>() && label[2][20].item<int64_t>() == 255);
        // Asked for, the pixels with a teacher target come alone (train.pseudo_box_negatives).
        QVERIFY(!moved.valid.defined());
        QVERIFY(moveToStrongView(views, teacher, o.boxes, true).valid[0].equal(label.ne(255)));
    }

    // The paper's σ for segmentation is the argmax; the authors' code also ignores pixels the teacher
    // is unsure of (train.seg_pseudo_threshold).
    void segmentationThresholdIgnoresUnsurePixels() {
        // Pixel 0: sure of class 2; pixel 1: almost uniform (max ≈ 0.36); pixel 2: sure of class 1.
        const auto logits = torch::tensor({0.f, 0.1f, 0.f, 0.f, 0.f, 6.f, 6.f, 0.f, 0.f}).view({1, 3, 1, 3});
        QVERIFY(segmentationPseudoLabels(logits, 0).equal(torch::tensor({2, 0, 1}, torch::kLong).view({1, 1, 3})));
        QVERIFY(segmentationPseudoLabels(logits, 0.5).equal(torch::tensor({2, 255, 1}, torch::kLong).view({1, 1, 3})));
        QVERIFY(segmentationPseudoLabels(logits, 0.999).equal(torch::tensor({255, 255, 255}, torch::kLong).view({1, 1, 3})));
    }

    void labelsInTheWeakView() {
        AugmentOptions o;
        o.cropWidth = 48;
        o.cropHeight = 32;
        const Augmenter augmenter(o);
        AugmentInput in = sceneWithObject();
        const AugmentedBatch views = augmenter.apply(in, {{1.0, 4, 2, true}}, {{}});
        auto hidden = torch::zeros({1, 48, 64}, torch::kLong);
        hidden.index_put_({0, torch::indexing::Slice(12, 24), torch::indexing::Slice(20, 36)}, 1);
        const StrongViewTargets truth = labelsInView(views.weak, hidden, {{Box{20, 12, 36, 24, 2}}}, o.boxes);
        QVERIFY(truth.seg.equal(perfectTeacher(views.weak.images).seg));
        QCOMPARE(truth.boxes[0][0].x1, 16.f);
        QCOMPARE(truth.boxes[0][0].y2, 22.f);
    }

    void boxPrecisionAndRecall() {
        const std::vector<Box> truth{Box{0, 0, 10, 10, 0}, Box{20, 0, 30, 10, 1}, Box{50, 50, 60, 60, 0, true}};
        const std::vector<Detection> pseudo{
            {Box{0, 0, 10, 9, 0}, 0.9f},   // IoU 0.9 with the first: true positive
            {Box{0, 0, 10, 10, 0}, 0.8f},  // the same object again: false positive
            {Box{20, 0, 30, 10, 0}, 0.7f}, // right place, wrong class: false positive
        };
        const BoxMatchCounts c = matchPseudoBoxes(pseudo, truth);
        QCOMPARE(c.truePositives, int64_t(1));
        QCOMPARE(c.predicted, int64_t(3));
        QCOMPARE(c.groundTruth, int64_t(2)); // crowd left out
        // Score order decides: the 0.8 box comes first when it scores higher, and takes the object.
        std::vector<Detection> swapped = pseudo;
        swapped[1].score = 0.95f;
        QCOMPARE(matchPseudoBoxes(swapped, truth).truePositives, int64_t(1));
        // IoU just below 0.5 does not count: [0,10)×[0,10) vs [0,10)×[5,15) → 50 / 150.
        QCOMPARE(matchPseudoBoxes({{Box{0, 5, 10, 15, 0}, 1.f}}, truth).truePositives, int64_t(0));

        PseudoLabelQuality q(19);
        q.addDetection(pseudo, truth);
        q.addDetection({}, {Box{0, 0, 4, 4, 2}}); // a missed object
        QCOMPARE(q.precision(), 1.0 / 3.0);
        QCOMPARE(q.recall(), 1.0 / 3.0);
        QVERIFY(q.hasDetection() && !q.hasSegmentation());
    }

    void segmentationMeanIoU() {
        PseudoLabelQuality q(3);
        // gt:    0 0 | 1 255      pseudo: 0 1 | 1 2
        cv::Mat gt = (cv::Mat_<uint8_t>(2, 2) << 0, 0, 1, 255);
        cv::Mat pseudo = (cv::Mat_<uint8_t>(2, 2) << 0, 1, 1, 2);
        q.addSegmentation(pseudo, gt);
        // class 0: TP 1, FN 1 → 1/2; class 1: TP 1, FP 1 → 1/2; class 2 absent from both (the
        // 255 pixel does not count) → no IoU. Mean 0.5.
        QCOMPARE(q.segmentationMeanIoU(), 0.5);
        q.reset();
        QVERIFY(!q.hasSegmentation());
    }
};

MTLW_TEST_MAIN(TestPseudoLabels, None)
#include "tst_pseudolabels.moc"
