// A short training run end to end: data → model → training thread → registry and run folder.
#include "TestSupport.h"

#include "core/common/Error.h"
#include "core/eval/PerImageScores.h"
#include "core/eval/RunResults.h"
#include "core/experiment/Registry.h"
#include "core/data/LabelSplit.h"
#include "core/model/Checkpoint.h"
#include "core/train/TrainingRun.h"
#include "TestSuite.h"

#include <QTemporaryDir>

#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

using namespace mtl;

class TestTraining : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString data_, registry_;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        registry_ = dir_.filePath("registry.sqlite");
        data_ = writeTinySynthetic(dir_.filePath("synth"), 24, 6, 128, 64, 3);
    }

    void lossGoesDownAndEverythingIsRecorded() {
        ExperimentConfig c = tinyExperiment(data_, 80);
        TrainingRun run(c, registry_.toStdString());
        run.start(nullptr);
        QCOMPARE(statusText(run.wait()), QString("finished"));
        QVERIFY2(run.errorMessage().empty(), run.errorMessage().c_str());

        Registry registry(registry_.toStdString());
        const auto record = registry.run(run.id());
        QVERIFY(record.has_value());
        QCOMPARE(statusText(record->status), QString("finished"));
        QCOMPARE(record->runDir, run.runDir());
        QCOMPARE(record->device, std::string("cpu"));

        const auto loss = registry.series(run.id(), "train/loss");
        QCOMPARE(int(loss.size()), 80 / 5);
        QCOMPARE(loss.front().step, std::int64_t(5));
        QCOMPARE(loss.back().step, std::int64_t(80));
        auto mean = [](auto first, auto last) {
            double s = 0;
            int n = 0;
            for (auto it = first; it != last; ++it, ++n) s += it->value;
            return s / n;
        };
        const double early = mean(loss.begin(), loss.begin() + 3), late = mean(loss.end() - 3, loss.end());
        QVERIFY2(late < 0.8 * early, qPrintable(QString("early %1, late %2").arg(early).arg(late)));

        for (const char* key : {"train/seg_loss", "train/det_cls_loss", "train/det_box_loss", "train/det_loss", "train/lr"})
            QVERIFY2(registry.series(run.id(), key).size() == loss.size(), key);
        QCOMPARE(int(registry.series(run.id(), "val/mIoU").size()), 1); // at the end (eval.every 0)
        QCOMPARE(int(registry.series(run.id(), "val/geo_mean").size()), 1);
        // Every class the validation scored is a curve of its own, with the value the tables read.
        int classCurves = 0;
        for (const ClassResult& c : registry.classResults(run.id())) {
            if (std::isnan(c.value)) continue;
            const auto series = registry.series(run.id(), "val_" + std::string(c.task == "seg" ? "iou/" : "ap/") + c.className);
            QVERIFY2(series.size() == 1, c.className.c_str());
            QCOMPARE(series.front().step, std::int64_t(80));
            QCOMPARE(series.front().value, c.value);
            ++classCurves;
        }
        QVERIFY(classCurves > 0);
        const auto v = run.lastValidation();
        QVERIFY(v.has_value());
        QCOMPARE(v->images, 6);
        QCOMPARE(v->step, std::int64_t(80));
        QVERIFY(v->mIoU > 0.0 && v->mIoU <= 1.0);
        QVERIFY(v->mAP >= 0.0 && v->mAP <= 1.0);

        namespace fs = std::filesystem;
        for (const char* f : {"config.yaml", "checkpoint.pt", "metrics.csv", "results.json", "run.log"})
            QVERIFY2(fs::exists(fs::path(run.runDir()) / f), f);
        QVERIFY(!fs::exists(fs::path(run.runDir()) / "checkpoint.pt.tmp"));
        // The student is scored beside the teacher at each validation.
        QCOMPARE(registry.series(run.id(), "val_student/mIoU").size(), registry.series(run.id(), "val/mIoU").size());
        QVERIFY(!registry.series(run.id(), "val_student/mAP").empty());
        // Each validation keeps its per-image results, named by results.json.
        const StoredResults stored = readValidationResults((fs::path(run.runDir()) / "results.json").string());
        QCOMPARE(QString::fromStdString(stored.report.perImageFile), QString("per-image/step-000080.json"));
        const PerImageResults perImage = readPerImageResults((fs::path(run.runDir()) / stored.report.perImageFile).string());
        QCOMPARE(perImage.step, std::int64_t(80));
        QCOMPARE(perImage.images.size(), std::size_t(6));
        QCOMPARE(perImage.segClasses.size(), std::size_t(19));
        std::int64_t pixels = 0;
        for (const std::int64_t n : perImage.confusion) pixels += n;
        QVERIFY(pixels > 0);
        QCOMPARE(readCheckpointInfo((fs::path(run.runDir()) / "checkpoint.pt").string()).step, std::int64_t(80));
        std::ifstream log(fs::path(run.runDir()) / "run.log");
        const std::string logText((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
        QVERIFY2(logText.find("warning: model.pretrained is not set: the backbone starts from random weights") !=
                     std::string::npos, logText.c_str());
        QCOMPARE(parseExperimentConfig(record->configYaml, "stored").train.steps, 80);
    }

    void theSplitARunUsedIsKeptWithIt() {
        ExperimentConfig c = tinyExperiment(data_, 10);
        c.data.split.setting = SplitSetting::D;
        c.data.split.det = "12";
        c.data.split.seg = "1/4"; // of 24: 6
        c.data.split.seed = 2;
        c.data.trainImages = TrainImages::All;
        c.train.sampling = Sampling::Explicit;
        c.train.labeledBatch = 2;
        c.train.unlabeledBatch = 2;
        TrainingRun run(c, registry_.toStdString());
        run.start(nullptr);
        QCOMPARE(statusText(run.wait()), QString("finished"));
        Registry registry(registry_.toStdString());
        const std::string stored = registry.run(run.id())->splitJson;
        QVERIFY(!stored.empty());
        const LabelSplit split = readLabelSplit((std::filesystem::path(run.runDir()) / "split.json").string());
        QCOMPARE(split.det.size(), std::size_t(12));
        QCOMPARE(split.seg.size(), std::size_t(6));
        QCOMPARE(QString::fromStdString(split.setting), QString("d"));
        QVERIFY(stored.find("\"" + split.seg.front() + "\"") != std::string::npos);

        // Explicit sampling over labeled images only has no unlabeled part: the run fails before
        // its first step and says which keys to change.
        c.data.trainImages = TrainImages::Labeled;
        TrainingRun bad(c, registry_.toStdString());
        bad.start(nullptr);
        QCOMPARE(statusText(bad.wait()), QString("failed"));
        QVERIFY2(bad.errorMessage().find("train.sampling") != std::string::npos &&
                     bad.errorMessage().find("data.train_images: labeled") != std::string::npos,
                 bad.errorMessage().c_str());
        QCOMPARE(int(registry.series(bad.id(), "train/loss").size()), 0);
    }

    void stopMarksInterrupted() {
        ExperimentConfig c = tinyExperiment(data_, 100000);
        TrainingRun run(c, registry_.toStdString());
        run.start(nullptr);
        QTest::qWait(1500);
        run.requestStop();
        QCOMPARE(statusText(run.wait()), QString("interrupted"));
        Registry registry(registry_.toStdString());
        QCOMPARE(statusText(registry.run(run.id())->status), QString("interrupted"));
        QVERIFY(registry.run(run.id())->finishedAt > 0);
        QVERIFY(std::filesystem::exists(std::filesystem::path(run.runDir()) / "checkpoint.pt"));
    }

    void singleTaskRunScoresItsOwnTaskOnly() {
        ExperimentConfig c = tinyExperiment(data_, 10);
        c.model.tasks = TaskSet::SegOnly;
        TrainingRun run(c, registry_.toStdString());
        run.start(nullptr);
        QCOMPARE(statusText(run.wait()), QString("finished"));
        const auto v = run.lastValidation();
        QVERIFY(v.has_value() && v->hasSeg() && !v->hasDet());
        QVERIFY(std::isnan(v->mAP));
        QCOMPARE(v->geometricMean, v->mIoU);
        Registry registry(registry_.toStdString());
        QCOMPARE(int(registry.series(run.id(), "val/mIoU").size()), 1);
        QVERIFY(registry.series(run.id(), "val/mAP").empty());
        QVERIFY(registry.series(run.id(), "train/det_cls_loss").empty());
    }

    void headWithoutLabelsFailsBeforeTraining() {
        // The same images without gtFine/train: no training image is labeled for either task.
        namespace fs = std::filesystem;
        const fs::path unlabeled = fs::path(dir_.filePath("unlabeled").toStdString());
        fs::copy(data_.toStdString(), unlabeled, fs::copy_options::recursive);
        fs::remove_all(unlabeled / "gtFine" / "train");
        ExperimentConfig c = tinyExperiment(QString::fromStdString(unlabeled.string()), 10);
        c.data.trainImages = TrainImages::All; // as a semi-supervised run would: the pool itself is not empty
        TrainingRun run(c, registry_.toStdString());
        run.start(nullptr);
        QCOMPARE(statusText(run.wait()), QString("failed"));
        QVERIFY(run.failedOnInput());
        QCOMPARE(QString::fromStdString(run.errorMessage()), QString::fromStdString("model.tasks 'multi' has a segmentation head, but no training image of synthetic:" +
                                         unlabeled.string() + " is labeled for segmentation (use model.tasks: det)"));
        QVERIFY(!fs::exists(fs::path(run.runDir()) / "checkpoint.pt"));
    }

    void missingPretrainedFileIsRejectedBeforeAnythingIsWritten() {
        QTemporaryDir empty;
        const QString registry = empty.filePath("r.sqlite");
        ExperimentConfig c = tinyExperiment(data_, 10);
        c.model.pretrained = empty.filePath("resnet18.pt").toStdString();
        try {
            TrainingRun run(c, registry.toStdString());
            QFAIL("no error");
        } catch (const InputError& e) {
            QCOMPARE(std::string(e.what()), "model.pretrained: " + c.model.pretrained + ": no such file");
        }
        QVERIFY(!QFile::exists(registry));
    }

    void missingDataIsRejectedBeforeAnythingIsWritten() {
        QTemporaryDir empty;
        const QString registry = empty.filePath("r.sqlite");
        ExperimentConfig c = tinyExperiment(dir_.filePath("nowhere"), 10);
        try {
            TrainingRun run(c, registry.toStdString());
            QFAIL("no error");
        } catch (const InputError& e) {
            QVERIFY2(std::string(e.what()).find("nowhere") != std::string::npos, e.what());
        }
        QVERIFY(!QFile::exists(registry));
    }
};

MTLW_TEST_MAIN(TestTraining, Core)
#include "tst_training.moc"
