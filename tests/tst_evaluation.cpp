// Evaluation of trained runs: predictions mapped to the labels' resolution, the best checkpoint by
// geometric mean, stored results read back, and RunPredictor's exports agreeing with the
// stand-alone scorers and with the run's own validation.
#include "TestSupport.h"

#include "core/common/Error.h"
#include "core/data/CityscapesLabels.h"
#include "core/data/DatasetLocator.h"
#include "core/eval/CocoJson.h"
#include "core/model/ModelPrediction.h"
#include "core/eval/RunPredictor.h"
#include "core/eval/RunResults.h"
#include "core/eval/SegmentationScoring.h"
#include "core/model/Checkpoint.h"
#include "core/train/BestCheckpoint.h"
#include "core/train/TrainingData.h"
#include "TestSuite.h"

#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

using namespace mtl;
namespace fs = std::filesystem;

namespace {

ValidationReport reportWith(std::int64_t step, double mIoU, double mAP) {
    ValidationReport r;
    r.step = step;
    r.images = 3;
    r.mIoU = mIoU;
    r.mAP = mAP;
    r.AP50 = r.AP75 = mAP;
    r.stdIoU = r.stdAP = 0.125;
    r.geometricMean = std::sqrt(mIoU * mAP);
    r.segIoU = {mIoU, std::nullopt};
    r.detAP = {mAP};
    return r;
}

std::string readText(const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

class TestEvaluation : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString data_;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        // 100 × 70, not multiples of 32: the input is padded.
        data_ = writeTinySynthetic(dir_.filePath("synth"), 8, 3, 100, 70, 4);
    }

    void predictionsComeAtTheLabelSize() {
        torch::manual_seed(0);
        MultiTaskModel model(tinyModelSpec(19, 8));
        model->eval();
        Sample full;
        full.image = cv::Mat(60, 100, CV_8UC3, cv::Scalar(90, 120, 30));
        full.imageSize = full.image.size();
        Sample resized = full;
        cv::Mat small(32, 64, CV_8UC3, cv::Scalar(90, 120, 30));
        resized.image = small; // the model sees 64x32, the labels are 100x60
        PostprocessOptions post;
        post.scoreThreshold = 0.0; // keep every candidate so that boxes are checked
        for (const Sample* s : {&full, &resized}) {
            const auto p = predictBatch(*model, {s}, torch::kCPU, post);
            QCOMPARE(p.size(), std::size_t(1));
            QCOMPARE(p[0].labels.cols, 100);
            QCOMPARE(p[0].labels.rows, 60);
            QCOMPARE(p[0].labels.type(), CV_8UC1);
            double maxLabel = 0;
            cv::minMaxLoc(p[0].labels, nullptr, &maxLabel);
            QVERIFY(maxLabel < 19);
            QVERIFY(!p[0].detections.empty());
            for (const Detection& d : p[0].detections) {
                QVERIFY(d.box.x1 >= 0 && d.box.x2 <= 100.0001f && d.box.x2 > d.box.x1);
                QVERIFY(d.box.y1 >= 0 && d.box.y2 <= 60.0001f && d.box.y2 > d.box.y1);
            }
        }
    }

    void resultsRoundTrip() {
        const ClassNames names{{"road", "wall"}, {"car"}};
        ValidationReport r = reportWith(40, 0.5, 0.25);
        const fs::path file = fs::path(dir_.filePath("results.json").toStdString());
        std::ofstream(file) << validationResultsJson(r, names);
        const StoredResults back = readValidationResults(file.string());
        QCOMPARE(back.report.step, std::int64_t(40));
        QCOMPARE(back.report.images, 3);
        QCOMPARE(back.report.mIoU, 0.5);
        QCOMPARE(back.report.stdIoU, 0.125);
        QVERIFY(std::abs(back.report.geometricMean - std::sqrt(0.125)) < 1e-14); // 15 digits stored
        QCOMPARE(back.classes.seg, (std::vector<std::string>{"road", "wall"})); // file order, not sorted
        QCOMPARE(back.report.segIoU.size(), std::size_t(2));
        QVERIFY(!back.report.segIoU[1]);
        QCOMPARE(*back.report.detAP[0], 0.25);

        // A single-task (segmentation) report: detection values are null and read back as NaN.
        r.mAP = r.AP50 = r.AP75 = r.stdAP = std::numeric_limits<double>::quiet_NaN();
        r.detAP.clear();
        std::ofstream(file) << validationResultsJson(r, names);
        const StoredResults seg = readValidationResults(file.string());
        QVERIFY(std::isnan(seg.report.mAP));
        QVERIFY(!seg.report.hasDet());
        QVERIFY(seg.report.hasSeg());

        std::ofstream(file) << R"({"step": 1, "images": 1, "mIoU": "high"})";
        const QString message = [&] {
            try {
                readValidationResults(file.string());
            } catch (const InputError& e) {
                return QString(e.what());
            }
            return QString();
        }();
        QVERIFY2(message.contains(QString::fromStdString(file.string())) && message.contains("mIoU"), qPrintable(message));
    }

    void bestCheckpointKeepsTheHighestGeometricMean() {
        const fs::path runDir = fs::path(dir_.filePath("best-run").toStdString());
        fs::create_directories(runDir);
        torch::manual_seed(0);
        MultiTaskModel model(tinyModelSpec(19, 8));
        const ClassNames names{{"road", "wall"}, {"car"}};
        BestCheckpoint best(runDir.string(), names);
        QVERIFY(!best.bestGeometricMean());
        QVERIFY(best.offer(reportWith(10, 0.25, 0.25), *model));            // 0.25
        QVERIFY(best.offer(reportWith(20, 0.5, 0.5), *model));              // 0.5
        QVERIFY(!best.offer(reportWith(30, 0.25, 1.0), *model));            // 0.5 again: a tie keeps step 20
        QVERIFY(!best.offer(reportWith(40, 0.16, 0.25), *model));           // 0.2
        QVERIFY(!best.offer(reportWith(50, std::nan(""), 0.5), *model));    // NaN never wins
        QCOMPARE(*best.bestGeometricMean(), 0.5);
        QCOMPARE(readCheckpointInfo((runDir / "best.pt").string()).step, std::int64_t(20));
        const StoredResults stored = readValidationResults((runDir / "best.json").string());
        QCOMPARE(stored.report.step, std::int64_t(20));
        QCOMPARE(stored.report.geometricMean, 0.5);
        QVERIFY(!fs::exists(runDir / "best.pt.new") && !fs::exists(runDir / "best.json.tmp"));

        // A resumed run in the same folder competes with what it already saved.
        BestCheckpoint resumed(runDir.string(), names);
        QCOMPARE(*resumed.bestGeometricMean(), 0.5);
        QVERIFY(!resumed.offer(reportWith(60, 0.5, 0.5), *model));
        QVERIFY(resumed.offer(reportWith(70, 0.64, 0.5), *model)); // sqrt(0.32) > 0.5
        QCOMPARE(readCheckpointInfo((runDir / "best.pt").string()).step, std::int64_t(70));
    }

    void runPredictorAgreesWithValidationAndScorers() {
        ExperimentConfig c = tinyExperiment(data_, 6);
        c.train.inputWidth = 96;
        c.train.inputHeight = 64;
        TrainingRun run(c, dir_.filePath("registry.sqlite").toStdString());
        run.start(nullptr);
        QCOMPARE(statusText(run.wait()), QString("finished"));
        const fs::path runDir(run.runDir());
        QVERIFY(fs::exists(runDir / "best.pt"));
        const StoredResults best = readRunResults(runDir.string());
        QCOMPARE(best.file, (runDir / "best.json").string());
        QCOMPARE(best.report.step, std::int64_t(6));

        RunPredictorOptions po;
        po.device = "cpu";
        RunPredictor predictor(readStoredRun(runDir.string()), po);
        QCOMPARE(predictor.checkpointPath(), (runDir / "best.pt").string());
        QCOMPARE(predictor.checkpointStep(), std::int64_t(6));
        EvaluationOptions eo;
        eo.cocoOut = dir_.filePath("coco").toStdString();
        eo.segOut = dir_.filePath("pred").toStdString();
        eo.batchSize = 8; // as in the run's validation: the same computation, the same numbers
        const Evaluation e = predictor.evaluate(eo);
        // The same weights on the same images at full resolution: the run's own validation (as
        // stored: 15 significant digits).
        QCOMPARE(e.report.images, 3);
        QVERIFY(std::abs(e.report.mIoU - best.report.mIoU) < 1e-12);
        QVERIFY(std::abs(e.report.mAP - best.report.mAP) < 1e-12);
        QVERIFY(std::abs(e.report.geometricMean - best.report.geometricMean) < 1e-12);

        // The exports score to the same numbers with the stand-alone scorers.
        const std::string gtJson = eo.cocoOut + "/gt.json", detJson = eo.cocoOut + "/detections.json";
        const auto gt = readCocoGroundTruth(gtJson);
        const CocoResult coco = evaluateCoco(gt, readCocoResults(detJson, gt));
        QVERIFY2(std::abs(coco.mAP - e.report.mAP) < 1e-9, qPrintable(QString("%1 vs %2").arg(coco.mAP).arg(e.report.mAP)));
        const fs::path gtMaps = fs::path(dir_.filePath("gt-maps").toStdString());
        fs::create_directories(gtMaps);
        const auto val = openDataset(locateDataset("synthetic:" + data_.toStdString(), {}), "val");
        for (std::size_t i = 0; i < val->size(); ++i) {
            const Sample s = val->loadLabels(i);
            QVERIFY(cv::imwrite((gtMaps / (s.id + ".png")).string(), s.seg));
        }
        const auto seg = scoreSegmentationFolders(eo.segOut, gtMaps.string());
        QCOMPARE(seg.meanIoU(), e.report.mIoU);

        // One image through predict(): the export's label map (a batch of one may round differently
        // in the convolutions, so a few pixels may flip).
        const Sample first = val->load(0);
        const ImagePrediction p = predictor.predict(first.image);
        const cv::Mat exported = cv::imread(eo.segOut + "/" + first.id + ".png", cv::IMREAD_UNCHANGED);
        QCOMPARE(p.labels.size(), exported.size());
        QVERIFY(cv::countNonZero(p.labels != exported) < exported.total() / 100);

        // Explicit checkpoint; a missing one names the file.
        po.checkpoint = (runDir / "checkpoint.pt").string();
        QCOMPARE(RunPredictor(readStoredRun(runDir.string()), po).checkpointStep(), std::int64_t(6));
        po.checkpoint = (runDir / "nope.pt").string();
        QVERIFY_THROWS_EXCEPTION(InputError, RunPredictor(readStoredRun(runDir.string()), po));
        QVERIFY_THROWS_EXCEPTION(InputError, readStoredRun(dir_.filePath("coco").toStdString()));
    }

    // eval.input_width × eval.input_height below the label size: the boxes the model finds at the
    // input size come back multiplied by exactly the label-to-input factors (here 2 and 3).
    void reducedInputBoxesScaleBackByTheSizeFactors() {
        torch::manual_seed(5);
        MultiTaskModel model(tinyModelSpec(4, 2));
        model->eval();
        cv::Mat image(32, 64, CV_8UC3);
        cv::randu(image, 0, 256);
        Sample atInput;
        atInput.image = image;
        atInput.imageSize = image.size();
        Sample atLabels = atInput;
        atLabels.imageSize = cv::Size(128, 96);
        PostprocessOptions p;
        p.scoreThreshold = 0; // a random model's boxes all count
        const ImagePrediction a = predictBatch(*model, {&atInput}, torch::kCPU, p).at(0);
        const ImagePrediction b = predictBatch(*model, {&atLabels}, torch::kCPU, p).at(0);
        QVERIFY(a.detections.size() > 10);
        QCOMPARE(b.detections.size(), a.detections.size());
        for (std::size_t i = 0; i < a.detections.size(); ++i) {
            const Detection &x = a.detections[i], &y = b.detections[i];
            QCOMPARE(y.box.x1, x.box.x1 * 2.f);
            QCOMPARE(y.box.x2, x.box.x2 * 2.f);
            QCOMPARE(y.box.y1, x.box.y1 * 3.f);
            QCOMPARE(y.box.y2, x.box.y2 * 3.f);
            QCOMPARE(y.box.cls, x.box.cls);
            QCOMPARE(y.score, x.score);
        }
        QCOMPARE(b.labels.cols, 128);
        QCOMPARE(b.labels.rows, 96);
        QCOMPARE(a.labels.cols, 64);
    }

    void evalInputSizeIsConfigurable() {
        ExperimentConfig c = tinyExperiment(data_, 2);
        c.name = "resized-eval";
        c.eval.inputWidth = 64;
        c.eval.inputHeight = 32;
        TrainingRun run(c, dir_.filePath("registry.sqlite").toStdString());
        run.start(nullptr);
        QCOMPARE(statusText(run.wait()), QString("finished"));
        const std::string log = readText(fs::path(run.runDir()) / "run.log");
        QVERIFY2(log.find("validation: 3 images") != std::string::npos && log.find("at 64x32") != std::string::npos,
                 log.c_str());
        RunPredictorOptions po;
        po.device = "cpu";
        RunPredictor predictor(readStoredRun(run.runDir()), po);
        const Evaluation e = predictor.evaluate({});
        QCOMPARE(e.report.mIoU, run.lastValidation()->mIoU);
        QVERIFY(e.json.find("\"input\":\"64x32\"") != std::string::npos);
    }
};

MTLW_TEST_MAIN(TestEvaluation, Core)
#include "tst_evaluation.moc"
