// Segmentation IoU and COCO box AP against values worked out by hand.
#include "LabelMaps.h"
#include "core/common/Error.h"
#include "core/eval/CocoEvaluator.h"
#include "core/eval/SegmentationMetrics.h"

#include <QtTest>

#include <cmath>

using namespace mtl;

namespace {

Box box(float x1, float y1, float x2, float y2, int cls = 0) {
    Box b;
    b.x1 = x1;
    b.y1 = y1;
    b.x2 = x2;
    b.y2 = y2;
    b.cls = cls;
    return b;
}

Box crowd(Box b) {
    b.crowd = true;
    return b;
}

Detection det(const Box& b, float score) {
    Detection d;
    d.box = b;
    d.score = score;
    return d;
}

// Exact-ish comparison for values that are ratios of small integers; cocoeval's precision carries
// an epsilon in its denominator, so AP 1 is 1 - 2.2e-16.
bool near(double a, double b) { return std::abs(a - b) < 1e-12; }

#define QNEAR(actual, expected)                                                                  \
    QVERIFY2(near((actual), (expected)),                                                         \
             qPrintable(QString("%1 != %2").arg((actual), 0, 'g', 17).arg((expected), 0, 'g', 17)))

} // namespace

class TestMetrics : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // ---- segmentation ----

    void confusionAndIou() {
        // Class 3 appears only under an ignored pixel: no IoU. Class 2 is only ever predicted
        // wrongly: IoU 0. 255 in the prediction is a miss for the ground-truth class only.
        const cv::Mat gt = labels(3, 4, {0, 0, 1, 1,     //
                                         255, 0, 1, 1,   //
                                         0, 0, 0, 255});
        const cv::Mat pred = labels(3, 4, {0, 1, 1, 255, //
                                           2, 0, 1, 0,   //
                                           2, 0, 0, 3});
        SegmentationMetrics m(4);
        QCOMPARE(m.numClasses(), 4);
        m.add(pred, gt);
        QCOMPARE(m.count(0, 0), std::int64_t(4));
        QCOMPARE(m.count(0, 1), std::int64_t(1));
        QCOMPARE(m.count(0, 2), std::int64_t(1));
        QCOMPARE(m.count(1, 1), std::int64_t(2));
        QCOMPARE(m.count(1, 0), std::int64_t(1));
        QCOMPARE(m.count(2, 2), std::int64_t(0));
        QCOMPARE(m.count(3, 3), std::int64_t(0));
        std::int64_t total = 0;
        for (int g = 0; g < 4; ++g)
            for (int p = 0; p < 4; ++p)
                total += m.count(g, p);
        QCOMPARE(total, std::int64_t(9)); // 12 pixels - 2 ignored - 1 invalid prediction

        const auto iou = m.iou();
        QCOMPARE(iou.size(), std::size_t(4));
        QVERIFY(iou[0] && iou[1] && iou[2]);
        QNEAR(*iou[0], 4.0 / 7.0); // TP 4, FP 1 (gt 1 -> 0), FN 2
        QNEAR(*iou[1], 2.0 / 5.0); // TP 2, FP 1, FN 1 + the 255 prediction
        QNEAR(*iou[2], 0.0);       // one false positive, nothing else
        QVERIFY(!iou[3]);
        QNEAR(m.meanIoU(), 34.0 / 105.0);
        // Deviations 26/105, 8/105, -34/105: variance (676 + 64 + 1156) / 105^2 / 3.
        QNEAR(m.stdIoU(), std::sqrt(632.0 / 11025.0));

        // Adding the same pair again doubles the counts but keeps the ratios.
        m.add(pred, gt);
        QCOMPARE(m.count(0, 0), std::int64_t(8));
        QNEAR(*m.iou()[1], 2.0 / 5.0);
    }

    void emptyMetrics() {
        SegmentationMetrics m(3);
        for (const auto& v : m.iou())
            QVERIFY(!v);
        QCOMPARE(m.meanIoU(), 0.0);
        QCOMPARE(m.stdIoU(), 0.0);
        // Only ignored ground truth: still nothing.
        m.add(labels(1, 2, {1, 2}), labels(1, 2, {255, 255}));
        QCOMPARE(m.meanIoU(), 0.0);
        QVERIFY(!m.iou()[1]);
    }

    void perfectPrediction() {
        const cv::Mat gt = labels(2, 2, {0, 1, 1, 255});
        SegmentationMetrics m(2);
        m.add(gt, gt);
        QNEAR(m.meanIoU(), 1.0);
        QNEAR(m.stdIoU(), 0.0);
    }

    void customIgnoreValue() {
        SegmentationMetrics m(3, 0); // label 0 is "void" here
        m.add(labels(1, 4, {1, 2, 2, 1}), labels(1, 4, {0, 0, 2, 1}));
        QVERIFY(!m.iou()[0]);
        QNEAR(*m.iou()[1], 1.0);
        QNEAR(*m.iou()[2], 1.0);
    }

    void nonContinuousInput() {
        // A region of interest has a row stride larger than its width.
        cv::Mat bigGt(4, 6, CV_8UC1, cv::Scalar(1));
        cv::Mat bigPred(4, 6, CV_8UC1, cv::Scalar(0));
        const cv::Rect roi(1, 1, 3, 2);
        bigPred(roi).setTo(1);
        SegmentationMetrics m(2);
        m.add(bigPred(roi), bigGt(roi));
        QCOMPARE(m.count(1, 1), std::int64_t(6));
        QCOMPARE(m.count(1, 0), std::int64_t(0));
    }

    void badInputThrows() {
        SegmentationMetrics m(4);
        try {
            m.add(cv::Mat(3, 4, CV_8UC1, cv::Scalar(0)), cv::Mat(3, 5, CV_8UC1, cv::Scalar(0)));
            QFAIL("no error for different sizes");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("4x3") && QString(e.what()).contains("5x3"),
                     e.what());
        }
        QVERIFY_THROWS_EXCEPTION(Error, m.add(cv::Mat(2, 2, CV_16UC1, cv::Scalar(0)),
                                              cv::Mat(2, 2, CV_8UC1, cv::Scalar(0))));
        QVERIFY_THROWS_EXCEPTION(Error, m.add(cv::Mat(2, 2, CV_8UC1, cv::Scalar(0)),
                                              cv::Mat(2, 2, CV_8UC3, cv::Scalar(0))));
        // A ground-truth label that is neither a class nor ignore: an error, and nothing counted.
        QVERIFY_THROWS_EXCEPTION(Error, m.add(labels(1, 2, {0, 0}), labels(1, 2, {0, 7})));
        QCOMPARE(m.count(0, 0), std::int64_t(0));
        QVERIFY_THROWS_EXCEPTION(Error, m.count(4, 0));
        QVERIFY_THROWS_EXCEPTION(Error, SegmentationMetrics(0));
    }

    // ---- COCO box AP ----

    void perfectDetection() {
        CocoEvaluator ev(1);
        ev.addImage({box(0, 0, 10, 10)}, {det(box(0, 0, 10, 10), 0.9f)});
        QCOMPARE(ev.numImages(), 1);
        const auto r = ev.evaluate();
        QNEAR(r.mAP, 1.0);
        QNEAR(r.AP50, 1.0);
        QNEAR(r.AP75, 1.0);
        QVERIFY(r.perClass[0]);
        QNEAR(*r.perClass[0], 1.0);
    }

    void iouBetweenThresholds() {
        // Overlap 70 / union 100 = 0.7: a match at 0.50, 0.55, 0.60, 0.65 and 0.70.
        CocoEvaluator ev(1);
        ev.addImage({box(0, 0, 10, 10)}, {det(box(0, 0, 10, 7), 0.9f)});
        const auto r = ev.evaluate();
        QNEAR(r.mAP, 0.5);
        QNEAR(r.AP50, 1.0);
        QNEAR(r.AP75, 0.0);
    }

    void falsePositiveRankedAboveTruePositive() {
        // Two GTs; by score: hit, miss, hit. Cumulative precision 1, 1/2, 2/3 at recall 1/2, 1/2,
        // 1; made monotone: 1, 2/3, 2/3. Recall thresholds 0..0.50 (51 of them) find precision
        // 1, the 50 above find 2/3: AP = (51 + 50 * 2/3) / 101 = 253/303.
        CocoEvaluator ev(1);
        ev.addImage({box(0, 0, 10, 10), box(20, 20, 30, 30)},
                    {det(box(0, 0, 10, 10), 0.9f), det(box(50, 50, 60, 60), 0.8f),
                     det(box(20, 20, 30, 30), 0.7f)});
        const auto r = ev.evaluate();
        QNEAR(r.mAP, 253.0 / 303.0);
        QNEAR(r.AP50, 253.0 / 303.0);
        QNEAR(r.AP75, 253.0 / 303.0);
    }

    void recallOnAThresholdFollowsNumpyLinspace() {
        // 7 of 10 GTs found: recall 7/10 == 0.7, but linspace's 71st recall threshold is
        // 70 * 0.01 = 0.7000000000000001, which it does not reach: 70 thresholds of precision 1.
        std::vector<Box> gt;
        std::vector<Detection> dets;
        for (int i = 0; i < 10; ++i) {
            gt.push_back(box(20.f * i, 0, 20.f * i + 10, 10));
            if (i < 7)
                dets.push_back(det(gt.back(), 0.9f - 0.01f * i));
        }
        CocoEvaluator ev(1);
        ev.addImage(gt, dets);
        QNEAR(ev.evaluate().mAP, 70.0 / 101.0);
    }

    void falsePositiveFirst() {
        // Miss then hit: precision 0, 1/2 made monotone to 1/2 everywhere up to recall 1.
        CocoEvaluator ev(1);
        ev.addImage({box(0, 0, 10, 10)},
                    {det(box(50, 50, 60, 60), 0.9f), det(box(0, 0, 10, 10), 0.8f)});
        QNEAR(ev.evaluate().mAP, 0.5);
    }

    void threeStepPrecisionRecallCurve() {
        // Three GTs over two images; in score order hit, miss, hit, miss, hit: (recall, precision)
        // = (1/3, 1), (2/3, 2/3), (1, 3/5) after the misses are folded in. Recall thresholds
        // 0..0.33 (34) take 1, 0.34..0.66 (33) take 2/3, 0.67..1 (34) take 3/5:
        // AP = (34 + 22 + 20.4) / 101 at every IoU threshold (the hits are exact).
        CocoEvaluator ev(1);
        ev.addImage({box(0, 0, 10, 10), box(20, 0, 30, 10)},
                    {det(box(0, 0, 10, 10), 0.9f), det(box(50, 50, 60, 60), 0.8f),
                     det(box(20, 0, 30, 10), 0.7f)});
        ev.addImage({box(0, 0, 8, 8)}, {det(box(40, 40, 50, 50), 0.6f), det(box(0, 0, 8, 8), 0.5f)});
        const auto r = ev.evaluate();
        QNEAR(r.mAP, 76.4 / 101.0);
        QNEAR(r.AP50, 76.4 / 101.0);
        QNEAR(r.AP75, 76.4 / 101.0);
        QNEAR(r.stdAP, 0.0);
    }

    void halfRecall() {
        // One of two GTs found: precision 1 up to recall 0.5 (51 thresholds), 0 beyond.
        CocoEvaluator ev(1);
        ev.addImage({box(0, 0, 10, 10), box(20, 20, 30, 30)}, {det(box(0, 0, 10, 10), 0.9f)});
        const auto r = ev.evaluate();
        QNEAR(r.mAP, 51.0 / 101.0);
        QNEAR(r.AP50, 51.0 / 101.0);
        QNEAR(r.AP75, 51.0 / 101.0);
    }

    void crowdIsIgnored() {
        // A detection inside a crowd region overlaps it by intersection / detection area = 1:
        // it is ignored, not a false positive. Two of them may share the crowd.
        CocoEvaluator ev(1);
        ev.addImage({crowd(box(0, 0, 100, 100)), box(200, 200, 210, 210)},
                    {det(box(50, 50, 60, 60), 0.95f), det(box(20, 20, 30, 30), 0.9f),
                     det(box(200, 200, 210, 210), 0.8f)});
        QNEAR(ev.evaluate().mAP, 1.0);

        // Without the crowd flag the same boxes give two misses ranked first and two GTs:
        // precision 0, 0, 1/3 at recall 0, 0, 1/2 -> 1/3 up to recall 0.5 -> AP = 51/303.
        CocoEvaluator plain(1);
        plain.addImage({box(0, 0, 100, 100), box(200, 200, 210, 210)},
                       {det(box(50, 50, 60, 60), 0.95f), det(box(20, 20, 30, 30), 0.9f),
                        det(box(200, 200, 210, 210), 0.8f)});
        QNEAR(plain.evaluate().mAP, 51.0 / 303.0);

        // Only crowd ground truth: the class has no GT to find.
        CocoEvaluator onlyCrowd(1);
        onlyCrowd.addImage({crowd(box(0, 0, 100, 100))}, {det(box(0, 0, 100, 100), 0.9f)});
        QVERIFY(!onlyCrowd.evaluate().perClass[0]);
    }

    void crowdAfterRegularMatch() {
        // The detection overlaps a regular GT (IoU 0.81) and lies inside a crowd (IoU 1). The
        // regular GT wins because ignored GTs are looked at only while nothing else matched.
        CocoEvaluator ev(1);
        ev.addImage({crowd(box(0, 0, 100, 100)), box(0, 0, 10, 10)}, {det(box(0, 0, 9, 9), 0.9f)});
        const auto r = ev.evaluate();
        QNEAR(r.AP50, 1.0);
        // At 0.85 and above it does not match the regular GT, falls to the crowd and is ignored:
        // the GT is missed with no false positive -> 0. Thresholds 0.50..0.80 hit: AP 7/10.
        QNEAR(r.mAP, 0.7);
    }

    void classesWithAndWithoutGroundTruth() {
        // Class 0 perfect, class 1 only detections (no GT: excluded), class 2 GT but no
        // detections (AP 0).
        CocoEvaluator ev(3);
        ev.addImage({box(0, 0, 10, 10, 0), box(40, 40, 50, 50, 2)},
                    {det(box(0, 0, 10, 10, 0), 0.9f), det(box(20, 20, 30, 30, 1), 0.8f)});
        const auto r = ev.evaluate();
        QCOMPARE(r.perClass.size(), std::size_t(3));
        QNEAR(*r.perClass[0], 1.0);
        QVERIFY(!r.perClass[1]);
        QVERIFY(r.perClass[2]);
        QCOMPARE(*r.perClass[2], 0.0);
        QNEAR(r.mAP, 0.5);
        QNEAR(r.AP50, 0.5);
        QNEAR(r.AP75, 0.5);
        // Over classes 0 and 2 only (1 has no ground truth): APs 1 and 0.
        QNEAR(r.stdAP, 0.5);
    }

    void noGroundTruthAtAll() {
        CocoEvaluator ev(2);
        ev.addImage({}, {det(box(0, 0, 10, 10), 0.9f)});
        const auto r = ev.evaluate();
        QCOMPARE(r.mAP, 0.0);
        QVERIFY(!r.perClass[0] && !r.perClass[1]);
        QCOMPARE(CocoEvaluator(1).evaluate().mAP, 0.0);
    }

    void maxDetsTruncation() {
        // Three GTs; by score: miss, miss, hit.
        const std::vector<Box> gt = {box(0, 0, 10, 10), box(20, 0, 30, 10), box(40, 0, 50, 10)};
        const std::vector<Detection> dets = {det(box(0, 50, 10, 60), 0.9f),
                                             det(box(20, 50, 30, 60), 0.8f),
                                             det(box(0, 0, 10, 10), 0.7f)};
        // All kept: precision 1/3 (monotone) up to recall 1/3: 34 thresholds -> 34/303.
        CocoEvaluator all(1);
        all.addImage(gt, dets);
        QNEAR(all.evaluate().mAP, 34.0 / 303.0);
        // Two kept: the hit is cut off.
        CocoEvaluator two(1, 2);
        two.addImage(gt, dets);
        QCOMPARE(two.evaluate().mAP, 0.0);
    }

    void maxDetsPerImage() {
        // maxDets 1 keeps the best detection of each image, not the best overall: image A keeps
        // its hit (0.5), image B its miss (0.95). Overall: miss, hit on two GTs -> precision 1/2
        // up to recall 1/2 -> 51 * 0.5 / 101.
        CocoEvaluator ev(1, 1);
        ev.addImage({box(0, 0, 10, 10)}, {det(box(0, 0, 10, 10), 0.5f)});
        ev.addImage({box(0, 0, 10, 10)},
                    {det(box(0, 0, 10, 10), 0.9f), det(box(50, 50, 60, 60), 0.95f)});
        QNEAR(ev.evaluate().mAP, 25.5 / 101.0);
    }

    void maxDetsPerClass() {
        // maxDets applies per image and class: one detection of each class survives maxDets 1.
        CocoEvaluator ev(2, 1);
        ev.addImage({box(0, 0, 10, 10, 0), box(20, 20, 30, 30, 1)},
                    {det(box(0, 0, 10, 10, 0), 0.9f), det(box(20, 20, 30, 30, 1), 0.8f)});
        QNEAR(ev.evaluate().mAP, 1.0);
    }

    void equalScoresKeepImageOrder() {
        // Ties are broken by position (stable sort over images concatenated in order): the miss
        // from the first image ranks above the hit from the second.
        CocoEvaluator ev(1);
        ev.addImage({}, {det(box(0, 0, 10, 10), 0.9f)});
        ev.addImage({box(0, 0, 10, 10)}, {det(box(0, 0, 10, 10), 0.9f)});
        QNEAR(ev.evaluate().mAP, 0.5);

        CocoEvaluator swapped(1);
        swapped.addImage({box(0, 0, 10, 10)}, {det(box(0, 0, 10, 10), 0.9f)});
        swapped.addImage({}, {det(box(0, 0, 10, 10), 0.9f)});
        QNEAR(swapped.evaluate().mAP, 1.0);
    }

    void ap50AndAp75() {
        // Class 0 at IoU 0.7 (AP50 1, AP75 0, AP 0.5), class 1 perfect.
        CocoEvaluator ev(2);
        ev.addImage({box(0, 0, 10, 10, 0), box(20, 20, 30, 30, 1)},
                    {det(box(0, 0, 10, 7, 0), 0.9f), det(box(20, 20, 30, 30, 1), 0.8f)});
        const auto r = ev.evaluate();
        QNEAR(r.mAP, 0.75);
        QNEAR(r.AP50, 1.0);
        QNEAR(r.AP75, 0.5);
        QNEAR(*r.perClass[0], 0.5);
        QNEAR(*r.perClass[1], 1.0);
        // Population std over the classes: |1 - 0.5| / 2.
        QNEAR(r.stdAP, 0.25);
    }

    void badCocoInputThrows() {
        CocoEvaluator ev(2);
        QVERIFY_THROWS_EXCEPTION(Error, ev.addImage({box(0, 0, 1, 1, 2)}, {}));
        QVERIFY_THROWS_EXCEPTION(Error, ev.addImage({}, {det(box(0, 0, 1, 1, -1), 0.5f)}));
        QCOMPARE(ev.numImages(), 0);
    }
};

QTEST_MAIN(TestMetrics)
#include "tst_metrics.moc"
