// The qualitative viewer: overlay pixels (mask blending, error view, hidden classes, boxes), the
// confidence threshold, predictions made in a worker thread and cached, keyboard navigation,
// synchronised zoom, the composite export.
#include "TestSupport.h"

#include "core/data/DatasetLocator.h"
#include "widgets/ImageRankingPanel.h"
#include "widgets/OverlayRenderer.h"
#include "widgets/QualitativeViewer.h"
#include "widgets/ZoomPane.h"

#include <QAtomicInt>
#include <QComboBox>
#include <QLabel>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

namespace {
QString rgb(const QImage& image, int x, int y) {
    const QColor c = image.pixelColor(x, y);
    return QString("%1,%2,%3").arg(c.red()).arg(c.green()).arg(c.blue());
}
} // namespace

class TestViewer : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::shared_ptr<const mtl::Dataset> val_;

private Q_SLOTS:
    void initTestCase() {
        const QString data = writeTinySynthetic(dir_.filePath("synth"), 1, 3);
        val_ = mtl::openDataset({"synthetic", data.toStdString()}, "val");
    }

    void maskBlendsAtTheOpacity() {
        QImage image(3, 1, QImage::Format_RGB888);
        image.fill(QColor(100, 100, 100));
        cv::Mat labels = (cv::Mat_<uchar>(1, 3) << 0, 255, 13); // road (128,64,128), ignore, car (0,0,142)
        OverlayInput in;
        in.image = &image;
        in.labels = &labels;
        OverlayOptions o;
        o.opacity = 0.5; // 128/256
        const QImage out = renderOverlay(in, o);
        QCOMPARE(rgb(out, 0, 0), QString("114,82,114")); // (128·100 + 128·c) / 256
        QCOMPARE(rgb(out, 1, 0), QString("100,100,100"));
        QCOMPARE(rgb(out, 2, 0), QString("50,50,121"));
        o.hiddenSegClasses.set(0);
        QCOMPARE(rgb(renderOverlay(in, o), 0, 0), QString("100,100,100"));
        o.opacity = 1.0;
        o.hiddenSegClasses.reset();
        QCOMPARE(rgb(renderOverlay(in, o), 0, 0), QString("128,64,128"));
    }

    void errorViewMarksWrongPixels() {
        QImage image(3, 1, QImage::Format_RGB888);
        image.fill(QColor(100, 100, 100));
        cv::Mat predicted = (cv::Mat_<uchar>(1, 3) << 0, 5, 13);
        cv::Mat truth = (cv::Mat_<uchar>(1, 3) << 0, 255, 0);
        OverlayInput in;
        in.image = &image;
        in.labels = &predicted;
        in.truthLabels = &truth;
        OverlayOptions o;
        o.opacity = 0.5;
        o.errorView = true;
        const QImage out = renderOverlay(in, o);
        QCOMPARE(rgb(out, 0, 0), QString("50,50,50"));    // right: dimmed
        QCOMPARE(rgb(out, 1, 0), QString("100,100,100")); // ignore in the truth: untouched
        QCOMPARE(rgb(out, 2, 0), QString("177,50,50"));   // wrong: (128·100 + 128·255)/256 red
    }

    void thresholdAndClassTogglesFilterBoxes() {
        std::vector<mtl::Detection> all = {{{0, 0, 4, 4, 0}, 0.3f}, {{0, 0, 4, 4, 2}, 0.5f}, {{0, 0, 4, 4, 3}, 0.9f}};
        OverlayOptions o; // threshold 0.5 by default
        QCOMPARE(o.scoreThreshold, 0.5);
        QCOMPARE(int(visibleDetections(all, o).size()), 2);
        o.hiddenDetClasses.set(3);
        QCOMPARE(int(visibleDetections(all, o).size()), 1);
        QCOMPARE(visibleDetections(all, o)[0].box.cls, 2);
        o.scoreThreshold = 0.2;
        QCOMPARE(int(visibleDetections(all, o).size()), 2);
    }

    void boxesAreDrawnInTheirClassColour() {
        QImage image(64, 64, QImage::Format_RGB888);
        image.fill(Qt::black);
        std::vector<mtl::Detection> dets = {{{10, 20, 30, 40, 2}, 0.9f}, {{40, 40, 60, 60, 2}, 0.1f}};
        OverlayInput in;
        in.image = &image;
        in.detections = &dets;
        in.detClassNames = {"person", "rider", "car"};
        const QImage out = renderOverlay(in, OverlayOptions{});
        QCOMPARE(rgb(out, 10, 30), QString("0,0,142")); // left edge of the car box
        QCOMPARE(rgb(out, 20, 30), QString("0,0,0"));   // inside: not filled
        QCOMPARE(rgb(out, 40, 50), QString("0,0,0"));   // the 0.1 box is below the threshold
    }

    void predictsInAWorkerAndFiltersByThreshold() {
        QualitativeViewer viewer;
        viewer.resize(1000, 500);
        viewer.setDataset(val_);
        QCOMPARE(viewer.count(), 3);
        QAtomicInt calls = 0;
        QThread* predictThread = nullptr;
        ViewerRun run;
        run.id = 5;
        run.name = "run 5";
        run.open = [&]() -> ViewerRun::Opened {
            return {[&](const cv::Mat& rgb) {
                ++calls;
                predictThread = QThread::currentThread();
                mtl::ImagePrediction p;
                p.labels = cv::Mat(rgb.rows, rgb.cols, CV_8UC1, cv::Scalar(0));
                p.detections = {{{1, 1, 10, 10, 0}, 0.3f}, {{2, 2, 20, 20, 1}, 0.8f}};
                return p;
            }, "best.pt, step 40"};
        };
        viewer.setRuns({run});
        QCOMPARE(viewer.paneCount(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(viewer.paneCaption(1).contains("1 box"), 10000);
        QCOMPARE(viewer.paneCaption(1), QString("run 5 (best.pt, step 40) — 1 box"));
        QVERIFY(predictThread != QThread::currentThread());
        viewer.setScoreThreshold(0.25);
        QVERIFY2(viewer.paneCaption(1).contains("2 boxes"), qPrintable(viewer.paneCaption(1)));
        // Tags are the pane's, drawn at screen size; the image itself carries only the boxes.
        QCOMPARE(viewer.paneLabels(1).size(), 2);
        QVERIFY2(viewer.paneLabels(1).last().endsWith(" 0.80"), qPrintable(viewer.paneLabels(1).join('|')));
        // Above every score: no box, and a hint at how low the scores go.
        viewer.setScoreThreshold(0.9);
        QCOMPARE(viewer.paneCaption(1),
                 QString("run 5 (best.pt, step 40) — 0 boxes ≥ 0.90 (best score 0.80: lower the threshold)"));
        viewer.setScoreThreshold(0.25);
        // The prediction's road mask over the image at the default opacity 0.6 (154/256).
        const mtl::Sample truth = val_->load(0);
        const cv::Vec3b px = truth.image.at<cv::Vec3b>(31, 63);
        const int a = 154, keep = 102;
        QCOMPARE(rgb(viewer.paneImage(1), 63, 31), QString("%1,%2,%3")
                                                       .arg((keep * px[0] + a * 128) >> 8)
                                                       .arg((keep * px[1] + a * 64) >> 8)
                                                       .arg((keep * px[2] + a * 128) >> 8));
        // Next image by keyboard, back again: the first prediction comes from the cache.
        QTest::keyClick(&viewer, Qt::Key_Right);
        QCOMPARE(viewer.index(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(calls.loadRelaxed(), 2, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!viewer.predictionsPending(), 10000); // image 1's result delivered
        QTest::keyClick(&viewer, Qt::Key_Left);
        QCOMPARE(viewer.index(), 0);
        QVERIFY(!viewer.predictionsPending());
        QCOMPARE(calls.loadRelaxed(), 2);
        QTest::keyClick(&viewer, Qt::Key_End);
        QCOMPARE(viewer.index(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(calls.loadRelaxed(), 3, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!viewer.predictionsPending(), 10000);
        // The same run again: cached. A new version of it (new weights): predicted again.
        viewer.setRuns({run});
        QVERIFY(!viewer.predictionsPending());
        QCOMPARE(calls.loadRelaxed(), 3);
        run.version = "step 80";
        viewer.setRuns({run});
        QTRY_COMPARE_WITH_TIMEOUT(calls.loadRelaxed(), 4, 10000);
    }

    void aPredictionOfReplacedWeightsIsDropped() {
        // New weights (a new version) arrive while a prediction with the old ones is running: the
        // old result is not shown, the image is predicted again with the new weights.
        QualitativeViewer viewer;
        viewer.resize(800, 400);
        viewer.setDataset(val_);
        const auto weights = [](float score) {
            return [score]() -> ViewerRun::Opened {
                return {[score](const cv::Mat& rgb) {
                            QThread::msleep(300);
                            mtl::ImagePrediction p;
                            p.labels = cv::Mat(rgb.rows, rgb.cols, CV_8UC1, cv::Scalar(0));
                            p.detections = {{{1, 1, 10, 10, 0}, score}};
                            return p;
                        },
                        "w"};
            };
        };
        ViewerRun run;
        run.id = 9;
        run.name = "run 9";
        run.version = "a";
        run.open = weights(0.6f);
        viewer.setRuns({run});
        QVERIFY(viewer.predictionsPending());
        run.version = "b";
        run.open = weights(0.9f);
        viewer.setRuns({run});
        QTRY_VERIFY_WITH_TIMEOUT(!viewer.predictionsPending() && viewer.paneCaption(1).contains("1 box"), 10000);
        viewer.setScoreThreshold(0.8);
        QVERIFY2(viewer.paneCaption(1).contains(" — 1 box"), qPrintable(viewer.paneCaption(1))); // 0.9, not 0.6
    }

    // The ranking beside the panes: worst first by a chosen score, where one run beats another, the
    // caption's rank and value, ←/→ along the ranking, and a run without per-image results named.
    void imagesRankedByPerImageResults() {
        QCOMPARE(int(val_->size()), 3);
        QualitativeViewer viewer;
        viewer.setDataset(val_);
        const std::string a = val_->id(0), b = val_->id(1), c = val_->id(2);
        mtl::PerImageResults first, second;
        first.images = {{a, 0.5, 0.0, 0.0}, {b, 0.2, 0.0, 0.0}, {c, 0.9, 0.0, 0.0}};
        second.images = {{a, 0.9, 0.0, 0.0}, {b, 0.3, 0.0, 0.0}, {c, 0.8, 0.0, 0.0}};
        RankedRun older;
        older.id = 3;
        older.name = "3 old";
        older.missing = "3 old: no per-image results (trained before they were kept); plain order";
        viewer.ranking()->setRuns({RankedRun{1, "1 a", first, {}}, RankedRun{2, "2 b", second, {}}, older});
        QCOMPARE(viewer.index(), 0); // re-ranked by new results, not chosen: the image stays
        QComboBox* order = viewer.ranking()->orderChoice();
        QCOMPARE(order->count(), 5); // data set order, worst first of 1 and 2, 2 beats 1, 1 beats 2
        const QLabel* note = viewer.ranking()->findChild<QLabel*>();
        QVERIFY(note && note->text().contains("3 old: no per-image results")); // and the plain order stays
        order->setCurrentIndex(order->findText("Worst first: 1 a"));
        QCOMPARE(viewer.index(), 1); // b: 0.2
        viewer.step(+1);
        QCOMPARE(viewer.index(), 0); // a: 0.5
        viewer.step(+1);
        QCOMPARE(viewer.index(), 2); // c: 0.9
        viewer.step(+1);
        QCOMPARE(viewer.index(), 2); // the last stays
        order->setCurrentIndex(order->findText("Where 2 b beats 1 a"));
        QCOMPARE(viewer.index(), 0); // a: +0.4, then b +0.1, c −0.1
        QCOMPARE(viewer.ranking()->valueTexts(), (QStringList{"+0.400", "+0.100", "-0.100"}));
        order->setCurrentIndex(0); // the data set's order again
        viewer.showIndex(1);
        viewer.step(+1);
        QCOMPARE(viewer.index(), 2);
    }

    void zoomIsSharedAndCompositeExports() {
        QualitativeViewer viewer;
        viewer.resize(900, 400);
        viewer.setDataset(val_);
        mtl::ImagePrediction p;
        p.labels = cv::Mat(64, 128, CV_8UC1, cv::Scalar(13));
        viewer.setRuns({ViewerRun{1, "a", {}}, ViewerRun{2, "b", {}}});
        viewer.setPrediction(1, 0, p);
        viewer.setPrediction(2, 0, p);
        QCOMPARE(viewer.paneCount(), 3);
        QTest::keyClick(&viewer, Qt::Key_Plus);
        QCOMPARE(viewer.view()->zoom(), 1.25);
        QTest::keyClick(&viewer, Qt::Key_0);
        QCOMPARE(viewer.view()->zoom(), 1.0);
        QTest::keyClick(&viewer, Qt::Key_E);
        QVERIFY(viewer.options().errorView);
        QTemporaryDir dir;
        const QString path = dir.filePath("composite.png");
        QVERIFY(viewer.exportComposite(path));
        const QImage composite(path);
        // Three panes of 128×64 in a row with 4-pixel gaps, captions 20 pixels high.
        QCOMPARE(composite.size(), QSize(3 * 128 + 2 * 4, 64 + 20));
        QCOMPARE(rgb(composite, 128 + 4 + 10, 20 + 10), rgb(viewer.paneImage(1), 10, 10));
    }
};

QTEST_MAIN(TestViewer)
#include "tst_viewer.moc"
