// Teacher snapshots: which images are watched (deterministic, unlabeled for a task), that the
// strong-view maps and boxes stored are exactly what the step trains Lu on, that a run writes them
// and indexes them in the registry, and that bad snapshot files are refused naming the file.
#include "core/common/Error.h"
#include "core/data/DatasetLocator.h"
#include "core/experiment/Registry.h"
#include "core/train/SemiSupervisedStep.h"
#include "core/train/TeacherSnapshotter.h"
#include "core/train/TrainingData.h"
#include "core/train/TrainingRun.h"

#include "TestSupport.h"
#include "TestSuite.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace mtl;
namespace fs = std::filesystem;

class TestTeacherSnapshots : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString data_;

    // Setting (b): 4 of 12 images labeled for both tasks, the others for neither.
    ExperimentConfig settingB() const {
        ExperimentConfig c = tinySettingB(data_, 4);
        c.augment.mode = AugmentMode::Equivariant;
        c.augment.scaleMin = 0.75;
        c.augment.scaleMax = 1.25;
        c.diagnostics.images = 3;
        return c;
    }

    TrainingData trainingData(const ExperimentConfig& c) const {
        return prepareTrainingData(c, locateDataset(c.data.dataset, c.data.synthetic));
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        data_ = writeTinySynthetic(dir_.filePath("data"), 12, 2);
    }

    void theImagesAreFixedBySeedAndUnlabeledForATask() {
        const ExperimentConfig c = settingB();
        const TrainingData d = trainingData(c);
        const auto a = chooseSnapshotImages(*d.train, d.allLabels.get(), 3, 7, true, true);
        const auto b = chooseSnapshotImages(*d.train, d.allLabels.get(), 3, 7, true, true);
        QCOMPARE(int(a.size()), 3);
        QStringList ids, again;
        for (std::size_t i = 0; i < a.size(); ++i) {
            ids << QString::fromStdString(a[i].id);
            again << QString::fromStdString(b[i].id);
            QVERIFY(!a[i].segLabeled && !a[i].detLabeled); // setting (b): unlabeled for both
            QVERIFY(a[i].segHidden && a[i].detHidden);    // the synthetic set has every label
            if (i > 0) QVERIFY(a[i - 1].index < a[i].index);
        }
        QCOMPARE(again, ids);
        // Another seed, another choice among the 8 unlabeled images.
        QStringList other;
        for (const auto& s : chooseSnapshotImages(*d.train, d.allLabels.get(), 3, 8, true, true))
            other << QString::fromStdString(s.id);
        QVERIFY2(other != ids, qPrintable(ids.join(' ')));
        // More than there are unlabeled: all 8 of them.
        QCOMPARE(int(chooseSnapshotImages(*d.train, d.allLabels.get(), 20, 7, true, true).size()), 8);

        // Every image labeled: labeled ones, with nothing hidden to compare with.
        ExperimentConfig full = tinyExperiment(data_, 4);
        const TrainingData all = trainingData(full);
        const auto labeled = chooseSnapshotImages(*all.train, all.allLabels.get(), 3, 7, true, true);
        QCOMPARE(int(labeled.size()), 3);
        for (const auto& s : labeled) QVERIFY(s.segLabeled && s.detLabeled && !s.segHidden && !s.detHidden);
    }

    void theStoredStrongViewMapsAreWhatTheStepTrainsOn() {
        const ExperimentConfig c = settingB();
        const TrainingData d = trainingData(c);
        const ModelSpec spec = tinyModelSpec(int(d.train->classes().seg.size()), int(d.train->classes().det.size()));
        torch::manual_seed(3);
        MultiTaskModel student(spec);
        EmaTeacher teacher(*student, 0.99);
        LossMeter meter(torch::kCPU);
        SemiSupervisedOptions o = semiSupervisedOptions(c);
        o.pseudoBoxes.scoreThreshold = 0.005; // an untrained teacher scores near its prior, 0.01
        SemiSupervisedStep step(o, c.augment, *student, teacher, torch::kCPU, meter);

        const QTemporaryDir run;
        TeacherSnapshotter snapshots(c, d, true, true, run.path().toStdString(), 0);
        const std::string file = snapshots.take(step, 6);
        const TeacherSnapshot stored = readSnapshot(file);
        QCOMPARE(stored.step, std::int64_t(6));

        // The same images as the loader gives them, through the step's own losses at step 6.
        std::vector<std::size_t> indices;
        for (const auto& s : snapshots.index().images) indices.push_back(s.index);
        const TrainBatch batch = loadTrainBatch(*d.train, d.allLabels.get(), indices, 128, 64);
        const StepLosses l = step.losses(batch, 6);
        QCOMPARE(int(l.views.strong.size()), 3); // all of them unlabeled: each strong view is taught
        QVERIFY(l.targets.seg.defined());
        std::size_t boxes = 0;
        for (std::size_t k = 0; k < indices.size(); ++k) {
            const cv::Mat map = readSnapshotImage(stored.images[k].strongMapFile, true);
            const auto trained = l.targets.seg[std::int64_t(k)].to(torch::kUInt8).contiguous();
            QCOMPARE(map.rows, int(trained.size(0)));
            QCOMPARE(map.cols, int(trained.size(1)));
            const auto fromFile = torch::from_blob(map.data, {map.rows, map.cols}, torch::kUInt8);
            QVERIFY(torch::equal(fromFile, trained));
            QVERIFY(trained.ne(255).any().item<bool>());
            const auto& stBoxes = stored.images[k].strongBoxes;
            QCOMPARE(stBoxes.size(), l.targets.boxes[k].size());
            for (std::size_t b = 0; b < stBoxes.size(); ++b) {
                QCOMPARE(stBoxes[b].x1, l.targets.boxes[k][b].x1);
                QCOMPARE(stBoxes[b].y2, l.targets.boxes[k][b].y2);
                QCOMPARE(stBoxes[b].cls, l.targets.boxes[k][b].cls);
            }
            boxes += stBoxes.size();
            for (const Detection& det : stored.images[k].ownBoxes) QVERIFY(det.score >= kSnapshotBoxFloor);
        }
        QVERIFY(boxes > 0);

        // The confusion counts every labeled pixel of the hidden maps once, by (truth, pseudo-label).
        const int classes = stored.classes;
        QCOMPARE(classes, int(d.train->classes().seg.size()));
        std::vector<std::int64_t> counted(std::size_t(classes * classes), 0);
        for (std::size_t k = 0; k < indices.size(); ++k) {
            const cv::Mat truth = readSnapshotImage(snapshots.index().images[k].truthFile, true);
            const cv::Mat own = readSnapshotImage(stored.images[k].ownMapFile, true);
            for (int y = 0; y < truth.rows; ++y)
                for (int x = 0; x < truth.cols; ++x)
                    if (truth.at<uchar>(y, x) < classes)
                        ++counted[std::size_t(truth.at<uchar>(y, x) * classes + own.at<uchar>(y, x))];
        }
        QVERIFY(stored.confusion == counted);
    }

    void aRunWritesAndIndexesItsSnapshots() {
        const QTemporaryDir out;
        const std::string registryPath = out.filePath("registry.sqlite").toStdString();
        TrainingRun run(settingB(), registryPath);
        run.start(nullptr);
        QCOMPARE(statusText(run.wait()), QString("finished"));
        const TeacherSnapshotIndex index = readSnapshotIndex(run.runDir());
        QCOMPARE(int(index.images.size()), 3);
        QCOMPARE(int(index.snapshots.size()), 2);
        QCOMPARE(index.snapshots[0].step, std::int64_t(2));
        QCOMPARE(index.snapshots[1].step, std::int64_t(4));
        QVERIFY(index.anyHiddenLabels());
        QCOMPARE(int(index.segClasses.size()), 19);
        for (const SnapshotEntry& e : index.snapshots) {
            const TeacherSnapshot s = readSnapshot(e.file);
            QCOMPARE(int(s.images.size()), 3);
            QCOMPARE(readSnapshotImage(s.images[0].ownMapFile, true).cols, 128);
            QCOMPARE(readSnapshotImage(s.images[0].viewFile, false).cols, 96);
        }
        Registry registry(registryPath);
        bool indexed = false;
        for (const ArtifactRecord& a : registry.artifacts(run.id()))
            indexed = indexed || (a.kind == "teacher_snapshots" && a.path == snapshotIndexPath(run.runDir()));
        QVERIFY(indexed);
        std::ifstream log(fs::path(run.runDir()) / "run.log");
        const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
        QVERIFY2(text.find("teacher snapshots: 2 taken in ") != std::string::npos, text.c_str());
    }

    void badSnapshotFilesAreRefusedNamingTheFile() {
        const QTemporaryDir run;
        fs::create_directories(fs::path(run.path().toStdString()) / "teacher");
        const std::string index = snapshotIndexPath(run.path().toStdString());
        std::ofstream(index) << R"({"version": 7, "images": []})";
        try {
            readSnapshotIndex(run.path().toStdString());
            QFAIL("a snapshot index of another version was read");
        } catch (const InputError& e) {
            QCOMPARE(QString(e.what()), QString::fromStdString(index + ": version: snapshot format version 7; "
                                                                       "this workbench reads version 1"));
        }
        const std::string png = run.filePath("teacher/own-0.png").toStdString();
        std::ofstream(png) << "not a png";
        try {
            readSnapshotImage(png, true);
            QFAIL("a corrupt PNG was read");
        } catch (const InputError& e) {
            QCOMPARE(QString(e.what()), QString::fromStdString(png + ": not a readable PNG"));
        }
    }
};

MTLW_TEST_MAIN(TestTeacherSnapshots, Core)
#include "tst_teacher_snapshots.moc"
