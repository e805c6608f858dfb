// The whole supervised path learns: on one tiny hand-made batch (flat-coloured objects with their
// masks and boxes), the model, the multi-task loss and the optimiser drive every loss near zero,
// and validation on the same images scores mIoU and mAP near 1.
#include "core/model/InputNormalizer.h"
#include "core/model/MultiTaskLoss.h"
#include "core/train/BatchLoader.h"
#include "core/eval/Validation.h"
#include "TestSuite.h"

#include <QtTest>

#include <opencv2/imgproc.hpp>

using namespace mtl;

namespace {
struct Thing {
    int x1, y1, x2, y2; // pixel columns x1..x2-1, rows y1..y2-1
    int trainId;        // segmentation class
    int detClass;       // detection class
};

// RGB colour per train id, far apart so that colour decides the class.
cv::Vec3b colour(int trainId) {
    switch (trainId) {
    case 0: return {90, 90, 90};    // road
    case 10: return {70, 130, 220}; // sky
    case 11: return {220, 30, 60};  // person
    case 13: return {20, 20, 160};  // car
    default: return {240, 220, 20}; // bicycle
    }
}

Sample scene(const std::string& id, const std::vector<Thing>& things) {
    constexpr int kWidth = 96, kHeight = 64;
    Sample s;
    s.id = id;
    s.seg = cv::Mat(kHeight, kWidth, CV_8UC1, cv::Scalar(0));
    s.seg.rowRange(0, 12).setTo(10);
    for (const Thing& t : things) {
        s.seg(cv::Rect(t.x1, t.y1, t.x2 - t.x1, t.y2 - t.y1)).setTo(t.trainId);
        s.boxes.push_back({float(t.x1), float(t.y1), float(t.x2), float(t.y2), t.detClass});
    }
    s.image = cv::Mat(kHeight, kWidth, CV_8UC3);
    for (int y = 0; y < kHeight; ++y)
        for (int x = 0; x < kWidth; ++x) s.image.at<cv::Vec3b>(y, x) = colour(s.seg.at<uint8_t>(y, x));
    s.hasSeg = s.hasDet = true;
    return s;
}
} // namespace

class TestOverfit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tinyBatchOverfits_data() {
        QTest::addColumn<bool>("retuned");
        QTest::newRow("paper: P3-P7, no head normalisation") << false;
        QTest::newRow("P2-P5, tall ratio, GroupNorm heads") << true;
    }

    void tinyBatchOverfits() {
        QFETCH(bool, retuned);
        torch::manual_seed(0);
        const std::vector<Sample> samples{scene("a", {{8, 20, 40, 44, 13, 2}, {56, 16, 72, 56, 11, 0}}),
                                          scene("b", {{40, 24, 88, 56, 13, 2}, {8, 36, 28, 56, 18, 7}})};
        ModelSpec spec;
        spec.backbone = BackboneKind::ResNet18;
        spec.width = 0.25;
        spec.anchorSize = 16;
        if (retuned) {
            spec.minLevel = 2;
            spec.maxLevel = 5;
            spec.anchorSize = 8;
            spec.anchorRatios = {0.5, 1.0, 2.0, 3.0};
            spec.headNorm = HeadNorm::Group;
        }
        MultiTaskModel model(spec);
        std::vector<const Sample*> ptrs{&samples[0], &samples[1]};
        const TrainBatch batch = packBatch(ptrs);
        const InputNormalizer normalize(torch::kCPU);
        const auto images = normalize(batch.images);
        const GroundTruthBoxes boxes = padGroundTruth(batch.boxes);
        torch::optim::Adam adam(model->parameters(), torch::optim::AdamOptions(2e-3));

        // Anchors in RetinaNet's ignore band (IoU 0.4–0.5) get no loss at all: on two images they
        // keep whatever they output, confident boxes of another class included. Closing the band
        // supervises every anchor, so that fitting the batch means scoring it perfectly.
        MatcherThresholds matcher;
        matcher.background = matcher.foreground;
        MultiTaskLosses losses;
        const int steps = 300;
        for (int step = 0; step < steps; ++step) {
            losses = multiTaskLosses(*model, model->forward(images), batch.seg, boxes, batch.hasDet, matcher);
            adam.zero_grad();
            losses.total().backward();
            adam.step();
        }
        const double seg = losses.seg.item<double>(), cls = losses.detClassification.item<double>(),
                     box = losses.detRegression.item<double>();
        const ValidationReport r = validate(*model, samples, torch::kCPU, PostprocessOptions{});
        const QString figures = QString("losses seg %1 cls %2 box %3; mIoU %4 mAP %5")
                                    .arg(seg).arg(cls).arg(box).arg(r.mIoU).arg(r.mAP);
        qInfo("%s", qPrintable(figures));
        QVERIFY2(seg < 0.02 && cls < 0.02 && box < 0.05, qPrintable(figures));
        QVERIFY2(r.mIoU > 0.95 && r.mAP > 0.9, qPrintable(figures));
    }
};

MTLW_TEST_MAIN(TestOverfit, Core)
#include "tst_overfit.moc"
