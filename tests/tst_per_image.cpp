// Per-image results of a validation: each image's segmentation IoU and detection AP50 and recall,
// recounted by hand on made-up predictions; the confusion matrix against a pixel recount; the file
// written and read back (and its errors); rankings worst first and "where B beats A"; the
// confusion matrix as a row-normalised table.
#include "core/common/Error.h"
#include "core/eval/ConfusionTable.h"
#include "core/eval/PerImageScores.h"
#include "core/eval/ValidationScorer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>

using namespace mtl;

namespace {
cv::Mat labelMap(std::initializer_list<int> values, int cols) {
    std::vector<uchar> v;
    for (int x : values) v.push_back(uchar(x));
    return cv::Mat(int(v.size()) / cols, cols, CV_8UC1, v.data()).clone();
}
Box box(float x1, float y1, float x2, float y2, int cls, bool crowd = false) { return {x1, y1, x2, y2, cls, crowd}; }
} // namespace

class TestPerImage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void segmentationIoUOverTheClassesPresent() {
        // 2 x 4 pixels, classes 0..2, 255 ignored. gt 0 0 1 1 / 1 255 2 2; pred 0 1 1 1 / 2 2 2 0.
        const cv::Mat gt = labelMap({0, 0, 1, 1, 1, 255, 2, 2}, 4), pred = labelMap({0, 1, 1, 1, 2, 2, 2, 0}, 4);
        // class 0: inter 1, union 2 + 2 − 1 = 3 (the ignored pixel is not counted): 1/3;
        // class 1: inter 2, union 3 + 3 − 2 = 4: 1/2; class 2: inter 1, union 2 + 2 − 1 = 3: 1/3.
        QCOMPARE(imageSegIoU(pred, gt, 3, 255), (1.0 / 3 + 0.5 + 1.0 / 3) / 3);
        // A class only predicted counts (IoU 0); an image with only ignore pixels has no score.
        QCOMPARE(imageSegIoU(labelMap({0, 2}, 2), labelMap({0, 0}, 2), 3, 255), (0.5 + 0.0) / 2);
        QVERIFY(std::isnan(imageSegIoU(labelMap({0, 1}, 2), labelMap({255, 255}, 2), 3, 255)));
    }

    void detectionAP50AndRecall() {
        const std::vector<Box> truth{box(0, 0, 10, 10, 0), box(20, 20, 30, 30, 0), box(40, 0, 50, 10, 1),
                                     box(60, 60, 70, 70, 1, true)};
        // In score order: TP (gt 0), FP (wrong class), TP (gt 2), FP (on the crowd region).
        const std::vector<Detection> dets{{box(0, 0, 10, 10, 0), 0.9f}, {box(20, 20, 30, 30, 1), 0.8f},
                                          {box(40, 0, 50, 11, 1), 0.7f}, {box(60, 60, 70, 70, 1), 0.6f}};
        const ImageDetScore s = imageDetScore(truth, dets);
        // precision 1, 1/2, 2/3, 1/2 at recall 1/3, 1/3, 2/3, 2/3; envelope 1, 2/3, 2/3, 1/2:
        // AP = 1/3 · 1 + 1/3 · 2/3.
        QCOMPARE(s.ap50, 1.0 / 3 + 2.0 / 9);
        QCOMPARE(s.recall, 2.0 / 3);
        QVERIFY(std::isnan(imageDetScore({box(0, 0, 5, 5, 0, true)}, dets).ap50)); // only a crowd box
        QCOMPARE(imageDetScore(truth, {}).recall, 0.0);
    }

    void scorerKeepsEachImageAndTheConfusionMatrix() {
        ModelSpec spec;
        spec.segClasses = 3;
        spec.detClasses = 2;
        ValidationScorer scorer(spec);
        Sample a;
        a.id = "a";
        a.hasSeg = a.hasDet = true;
        a.seg = labelMap({0, 0, 1, 1, 1, 255, 2, 2}, 4);
        a.boxes = {box(0, 0, 10, 10, 0)};
        ImagePrediction pa{labelMap({0, 1, 1, 1, 2, 2, 2, 0}, 4), {{box(0, 0, 10, 10, 0), 0.9f}}};
        Sample b;
        b.id = "b";
        b.hasSeg = true; // not labeled for detection
        b.seg = labelMap({2, 2}, 2);
        ImagePrediction pb{labelMap({2, 1}, 2), {}};
        scorer.add(a, pa);
        scorer.add(b, pb);
        const PerImageResults r = scorer.perImage();
        QCOMPARE(r.images.size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(r.images[0].id), QString("a"));
        QCOMPARE(r.images[0].segIoU, imageSegIoU(pa.labels, a.seg, 3, 255));
        QCOMPARE(r.images[0].detAP50, 1.0);
        QCOMPARE(r.images[1].segIoU, (0.0 + 0.5) / 2); // class 1 only predicted, class 2: 1 of 2
        QVERIFY(std::isnan(r.images[1].detAP50) && std::isnan(r.images[1].detRecall));
        // Pixel recount, row = ground truth: a gives (0→0), (0→1), (1→1) ×2, (1→2), (2→2), (2→0); b
        // gives (2→2), (2→1).
        QCOMPARE(r.confusion, (std::vector<std::int64_t>{1, 1, 0, /**/ 0, 2, 1, /**/ 1, 1, 2}));
    }

    void fileRoundTripsAndNamesItsErrors() {
        PerImageResults r;
        r.step = 500;
        r.images = {{"x/1", 0.25, std::nan(""), 0.5}, {"y", 0.75, 1.0, 1.0}};
        r.segClasses = {"road", "sky"};
        r.confusion = {3, 1, 0, 4};
        QTemporaryDir dir;
        const std::string path = dir.filePath("p.json").toStdString();
        std::ofstream(path) << perImageResultsJson(r);
        const PerImageResults back = readPerImageResults(path);
        QCOMPARE(back.step, std::int64_t(500));
        QCOMPARE(back.images.size(), std::size_t(2));
        QCOMPARE(QString::fromStdString(back.images[0].id), QString("x/1"));
        QVERIFY(std::isnan(back.images[0].detAP50));
        QCOMPARE(back.images[1].detRecall, 1.0);
        QCOMPARE(back.confusion, r.confusion);
        QCOMPARE(QString::fromStdString(perImageFileName(500)), QString("per-image/step-000500.json"));
        std::ofstream(path) << R"({"step": 1, "images": [], "confusion": {"classes": ["a", "b"], "counts": [[1, 2], [3]]}})";
        try {
            readPerImageResults(path);
            QFAIL("no error");
        } catch (const InputError& e) {
            QCOMPARE(QString(e.what()), QString::fromStdString(path) + ": confusion.counts[1]: has 1 counts for 2 classes");
        }
    }

    void rankingsWorstFirstAndWhereOneRunBeatsAnother() {
        PerImageResults a, b;
        a.images = {{"p", 0.5, 0.1, 0}, {"q", 0.2, std::nan(""), 0}, {"r", 0.9, 0.3, 0}};
        b.images = {{"r", 0.95, 0.9, 0}, {"p", 0.8, 0.0, 0}, {"s", 0.1, 0.5, 0}};
        auto ids = [](const std::vector<RankedImage>& ranked) {
            QStringList out;
            for (const auto& r : ranked) out << QString::fromStdString(r.id);
            return out;
        };
        QCOMPARE(ids(rankImages(a, ImageMetric::SegIoU)), (QStringList{"q", "p", "r"}));
        QCOMPARE(ids(rankImages(a, ImageMetric::DetAP50)), (QStringList{"p", "r", "q"})); // no value last
        // Where b beats a in seg IoU: p +0.3, r +0.05; q is not in b.
        const auto better = rankImages(a, ImageMetric::SegIoU, &b);
        QCOMPARE(ids(better), (QStringList{"p", "r", "q"}));
        QCOMPARE(better[0].value, 0.8 - 0.5);
        QVERIFY(std::isnan(better[2].value));
    }

    void confusionTableIsRowNormalised() {
        PerImageResults r;
        r.step = 7;
        r.segClasses = {"road", "sky"};
        r.confusion = {3, 1, 0, 0};
        const Table t = confusionTable(r, "run 4");
        QCOMPARE(t.header, (std::vector<std::string>{"Ground truth", "road", "sky", "pixels"}));
        QCOMPARE(QString::fromStdString(t.rows[0][1].text), QString("75.0"));
        QCOMPARE(t.rows[0][1].heat, 0.75);
        QCOMPARE(QString::fromStdString(t.rows[0][3].text), QString("4"));
        QCOMPARE(QString::fromStdString(t.rows[1][1].text), QString(kNoValue)); // no sky pixel
        QCOMPARE(QString::fromStdString(formatTable(t, TableFormat::Csv)).section('\n', 1, 1), QString("road,75.0,25.0,4"));
        PerImageResults none;
        QVERIFY_THROWS_EXCEPTION(InputError, confusionTable(none, "run 5"));
    }
};

QTEST_GUILESS_MAIN(TestPerImage)
#include "tst_per_image.moc"
