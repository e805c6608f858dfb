// The unsupervised losses and where they must be zero: samples outside the Lu scope (labeled
// samples with scope "unlabeled"), pixels without a target, background anchors; and the step's
// total L = Σt γt (Ls,t + λ Lu,t).
#include "core/model/BoxOps.h"
#include "core/train/SemiSupervisedStep.h"
#include "core/train/UnsupervisedLoss.h"

#include "TestSupport.h"
#include "TestSuite.h"

#include <QtTest>

#include <cmath>

using namespace mtl;

namespace {
const double kLn2 = std::log(2.0);

TrainBatch labeledBatch(int n, int h, int w) {
    torch::manual_seed(3);
    TrainBatch b;
    b.images = torch::randint(0, 256, {n, h, w, 3}, torch::kLong).to(torch::kUInt8);
    b.seg = torch::randint(0, 4, {n, h, w}, torch::kLong);
    b.hasSeg = torch::ones({n}, torch::kBool);
    b.hasDet = torch::ones({n}, torch::kBool);
    b.boxes.assign(std::size_t(n), {Box{8, 4, 40, 28, 1}});
    return b;
}

} // namespace

class TestUnsupervisedLoss : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void segmentationLossOverSelectedSamplesAndValidPixels() {
        // Sample 0 is badly wrong (logit 10 on class 1, label 0); sample 1 has uniform logits.
        auto logits = torch::zeros({2, 2, 1, 2});
        logits[0][1].fill_(10);
        auto labels = torch::tensor({0, 0, 0, 255}, torch::kLong).view({2, 1, 2});
        const double wrong = std::log(1 + std::exp(10.0)); // −log softmax of the label 0
        auto selected = [](bool a, bool b) { return torch::tensor({a, b}); };
        QCOMPARE(unsupervisedSegmentationLoss(logits, labels, selected(false, true)).item<float>(), float(kLn2));
        QCOMPARE(unsupervisedSegmentationLoss(logits, labels, selected(false, false)).item<double>(), 0.0);
        // Both: three valid pixels (the 255 one carries nothing).
        QVERIFY(std::abs(unsupervisedSegmentationLoss(logits, labels, selected(true, true)).item<double>() -
                         (2 * wrong + kLn2) / 3) < 1e-5);
    }

    void backgroundAnchorsCarryNoUnsupervisedLoss() {
        const auto anchors = torch::tensor({0.f, 0.f, 10.f, 10.f, 20.f, 20.f, 30.f, 30.f, 40.f, 40.f, 50.f, 50.f}).view({3, 4});
        const auto logits = torch::zeros({1, 3, 2}); // p = 0.5 everywhere
        const auto deltas = torch::zeros({1, 3, 4}); // decoded boxes = the anchors
        const auto one = torch::ones({1}, torch::kBool);
        const GroundTruthBoxes pseudo = padGroundTruth({{Box{0, 0, 10, 10, 1}}});
        // Anchor 0 matches the box exactly (GIoU loss 0); anchors 1 and 2 are background.
        // Per class with p = 0.5: focal = α_t · ln 2 · 0.5²; positive α = 0.25, negative 0.75.
        const DetectionLosses u = unsupervisedDetectionLosses(logits, deltas, anchors, pseudo, one);
        QCOMPARE(u.classification.item<float>(), float((0.25 + 0.75) * kLn2 * 0.25));
        QCOMPARE(u.regression.item<double>(), 0.0);
        // The supervised loss also trains the two background anchors towards "no object".
        const DetectionLosses s = detectionLosses(logits, deltas, anchors, assignAnchors(pseudo, anchors), one);
        QCOMPARE(s.classification.item<float>(), float((0.25 + 0.75 + 4 * 0.75) * kLn2 * 0.25));
        // No pseudo-box: nothing to learn from, however confident the logits.
        const DetectionLosses none =
            unsupervisedDetectionLosses(torch::full({1, 3, 2}, 5.f), deltas, anchors, padGroundTruth({{}}), one);
        QCOMPARE(none.classification.item<double>(), 0.0);
        QCOMPARE(none.regression.item<double>(), 0.0);
        // Not selected: zero.
        QCOMPARE(unsupervisedDetectionLosses(logits, deltas, anchors, pseudo, torch::zeros({1}, torch::kBool))
                     .classification.item<double>(), 0.0);
        QVERIFY(positiveTargetsOnly(torch::tensor({3, -1, -2, 0}, torch::kLong))
                    .equal(torch::tensor({3, -2, -2, 0}, torch::kLong)));
    }

    // train.pseudo_box_negatives: the anchors of no pseudo-box are background where the teacher saw
    // the pixel under their centre, ignored where it did not.
    void negativesWhereTheTeacherSaw() {
        const auto anchors =
            torch::tensor({0.f, 0.f, 10.f, 10.f, 20.f, 20.f, 30.f, 30.f, 40.f, 40.f, 50.f, 50.f}).view({3, 4});
        const auto logits = torch::zeros({1, 3, 2});
        const auto deltas = torch::zeros({1, 3, 4});
        const auto one = torch::ones({1}, torch::kBool);
        const GroundTruthBoxes pseudo = padGroundTruth({{Box{0, 0, 10, 10, 1}}});
        // Seen: x < 40 (centres: anchor 1 at (25, 25), anchor 2 at (45, 45)).
        const auto saw = torch::arange(60).lt(40).view({1, 1, 60}).expand({1, 60, 60}).contiguous();
        QVERIFY(backgroundWhereTeacherSaw(torch::tensor({0, -1, -1}, torch::kLong).view({1, 3}), anchors, saw)
                    .equal(torch::tensor({0, -1, -2}, torch::kLong).view({1, 3})));
        const DetectionLosses u = unsupervisedDetectionLosses(logits, deltas, anchors, pseudo, one, {}, saw);
        QCOMPARE(u.classification.item<float>(), float((0.25 + 0.75 + 2 * 0.75) * kLn2 * 0.25));
        // No pseudo-box and everything seen: every anchor is trained towards "no object".
        const auto all = torch::ones({1, 60, 60}, torch::kBool);
        QCOMPARE(unsupervisedDetectionLosses(logits, deltas, anchors, padGroundTruth({{}}), one, {}, all)
                     .classification.item<float>(), float(6 * 0.75 * kLn2 * 0.25));
        // With the labeled images' positives per image as the least divisor: 6 anchors' worth over 3.
        const auto three = torch::tensor(3.f);
        QCOMPARE(unsupervisedDetectionLosses(logits, deltas, anchors, padGroundTruth({{}}), one, {}, all, three)
                     .classification.item<float>(), float(6 * 0.75 * kLn2 * 0.25 / 3));
        // A divisor below the image's own matched anchors (1) changes nothing; without negatives
        // the divisor is not used.
        QCOMPARE(unsupervisedDetectionLosses(logits, deltas, anchors, pseudo, one, {}, saw, torch::tensor(0.5f))
                     .classification.item<float>(), u.classification.item<float>());
        QCOMPARE(unsupervisedDetectionLosses(logits, deltas, anchors, pseudo, one, {}, {}, three)
                     .classification.item<float>(), float((0.25 + 0.75) * kLn2 * 0.25));
        // Nothing seen: only the positive anchor is left, as without negatives.
        QCOMPARE(unsupervisedDetectionLosses(logits, deltas, anchors, pseudo, one, {}, all.logical_not())
                     .classification.item<float>(), float((0.25 + 0.75) * kLn2 * 0.25));
    }

    void labeledSamplesGetNoUnsupervisedLossWithScopeUnlabeled() {
        MultiTaskModel student(tinyModelSpec(4, 2));
        EmaTeacher teacher(*student, 0.99);
        AugmentOptions augment;
        augment.cropWidth = 64;
        augment.cropHeight = 32;
        augment.mode = AugmentMode::Invariant;
        augment.scaleMin = augment.scaleMax = 1; // the views are the whole image, unflipped, no operation:
        augment.flip = false;                    // every pixel has a pseudo-label
        augment.numOps = 0;
        SemiSupervisedOptions o;
        o.method = LearningMethod::named("fixmatch");
        o.pseudoBoxes.scoreThreshold = 0; // the random teacher's boxes all count: Lu,det has targets
        o.rampSteps = 10;
        o.segWeight = 2;
        o.detWeight = 0.5;
        const TrainBatch batch = labeledBatch(2, 32, 64);

        LossMeter unlabeledMeter(torch::kCPU), allMeter(torch::kCPU);
        SemiSupervisedStep unlabeledScope(o, augment, *student, teacher, torch::kCPU, unlabeledMeter);
        const StepLosses u = unlabeledScope.losses(batch, 0);
        QCOMPARE(u.segUnsup.item<double>(), 0.0);
        QCOMPARE(u.detUnsupClassification.item<double>(), 0.0);
        QCOMPARE(u.detUnsupRegression.item<double>(), 0.0);
        QVERIFY(u.seg.item<double>() > 0);

        o.luOnAllSamples = true;
        SemiSupervisedStep allScope(o, augment, *student, teacher, torch::kCPU, allMeter);
        auto takeDiagnostics = [&] {
            allScope.closePeriod();
            return allMeter.takeMeans();
        };
        const StepLosses a = allScope.losses(batch, 0);
        QVERIFY(a.segUnsup.item<double>() > 0);
        QVERIFY(a.detUnsupClassification.item<double>() > 0);
        QCOMPARE(a.lambda, std::exp(-5.0));
        const double expected = 2 * (a.seg.item<double>() + a.lambda * a.segUnsup.item<double>()) +
                                0.5 * (a.detClassification.item<double>() + a.detRegression.item<double>() +
                                       a.lambda * (a.detUnsupClassification.item<double>() +
                                                   a.detUnsupRegression.item<double>()));
        QVERIFY(std::abs(a.total.item<double>() - expected) < 1e-5 * expected);
        const auto d = takeDiagnostics();
        auto value = [&](const std::string& key) {
            for (const auto& [k, v] : d)
                if (k == key) return v;
            return -1.0;
        };
        QCOMPARE(value("train/lambda"), std::exp(-5.0));
        QCOMPARE(value("pseudo/seg_pixel_share"), 1.0);
        QVERIFY(value("pseudo/det_boxes_per_image") > 0);
        QCOMPARE(value("pseudo/seg_mIoU"), -1.0); // no hidden labels in this batch
        QVERIFY(takeDiagnostics().empty()); // reset after taking

        // train.unsup_weight scales λ; at 0 Lu is still computed and logged, and nothing of it trains.
        o.unsupWeight = 0.5;
        LossMeter halfMeter(torch::kCPU);
        QCOMPARE(SemiSupervisedStep(o, augment, *student, teacher, torch::kCPU, halfMeter).losses(batch, 0).lambda,
                 0.5 * std::exp(-5.0));
        o.unsupWeight = 0;
        LossMeter offMeter(torch::kCPU);
        const StepLosses off = SemiSupervisedStep(o, augment, *student, teacher, torch::kCPU, offMeter).losses(batch, 0);
        QCOMPARE(off.lambda, 0.0);
        QVERIFY(off.segUnsup.item<double>() > 0);
        const double supervisedOnly = 2 * off.seg.item<double>() +
                                      0.5 * (off.detClassification.item<double>() + off.detRegression.item<double>());
        QVERIFY(std::abs(off.total.item<double>() - supervisedOnly) <= 1e-6 * supervisedOnly);
    }
};

MTLW_TEST_MAIN(TestUnsupervisedLoss, None)
#include "tst_unsupervised_loss.moc"
