// The Teacher tab: a run's snapshots shown newest first and followed while new ones arrive, the
// confusion strip from the hidden labels, the box threshold as a slider, export as PNG, and bad
// input (a run without hidden labels, a corrupt PNG, a snapshot of another version) said in the
// panel without breaking it.
#include "core/train/TeacherSnapshotFiles.h"
#include "core/train/TrainingRun.h"
#include "widgets/TeacherInspector.h"

#include "TestSupport.h"

#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace mtl;
namespace fs = std::filesystem;

class TestTeacherInspector : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString data_;
    std::string partialRun_, fullRun_; // setting (b); every image labeled

    static std::string train(ExperimentConfig c, const QString& registry) {
        TrainingRun run(c, registry.toStdString());
        run.start(nullptr);
        if (run.wait() != RunStatus::Finished) qFatal("the run did not finish: %s", run.errorMessage().c_str());
        return run.runDir();
    }

    static bool waitShown(TeacherInspector& w) {
        QSignalSpy shown(&w, &TeacherInspector::snapshotShown);
        return shown.wait(20000);
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        data_ = writeTinySynthetic(dir_.filePath("data"), 12, 2);
        ExperimentConfig c = tinySettingB(data_, 4);
        c.train.pseudoScoreThreshold = 0.3;
        c.diagnostics.images = 2;
        partialRun_ = train(c, dir_.filePath("registry.sqlite"));
        ExperimentConfig full = tinyExperiment(data_, 2);
        full.diagnostics.every = 2;
        full.diagnostics.images = 2;
        fullRun_ = train(full, dir_.filePath("registry.sqlite"));
    }

    void showsTheNewestSnapshotAndFollowsNewOnes() {
        // The run as it was after its first snapshot: the index lists only step 2.
        TeacherSnapshotIndex index = readSnapshotIndex(partialRun_);
        QCOMPARE(int(index.snapshots.size()), 2);
        const auto all = index.snapshots;
        index.snapshots.resize(1);
        writeSnapshotIndex(index);

        TeacherInspector w;
        w.resize(1200, 800);
        w.setRun(1, "partial", QString::fromStdString(partialRun_));
        QVERIFY(waitShown(w));
        QCOMPARE(w.snapshotCount(), 1);
        QCOMPARE(w.shownStep(), qint64(2));
        QVERIFY(w.message().isEmpty());
        QVERIFY2(w.headline().contains("≥ σ = 0.30 (trained on) in the strong view"), qPrintable(w.headline()));
        // Two watched images, four tiles each, and the confusion strip below.
        QVERIFY(!w.panel().isNull());
        QVERIFY(w.panel().width() >= 4 * 128);
        QVERIFY(w.panel().height() > 2 * 64);
        // Every labeled pixel of the two hidden 128 x 64 maps is counted once.
        QVERIFY(w.confusionPixels() > 0);
        QVERIFY(w.confusionPixels() <= 2 * 128 * 64);
        // The slider starts at the run's own σ.
        QSlider* threshold = w.findChildren<QSlider*>().at(1);
        QCOMPARE(threshold->value(), 30);

        // The run stores its next snapshot: a refresh follows it.
        index.snapshots = all;
        writeSnapshotIndex(index);
        w.refresh();
        QVERIFY(waitShown(w));
        QCOMPARE(w.snapshotCount(), 2);
        QCOMPARE(w.shownStep(), qint64(4));
        QCOMPARE(w.stepSlider()->value(), 1);

        // Back to the first one by the slider; another threshold redraws the panel.
        w.stepSlider()->setValue(0);
        QVERIFY(waitShown(w));
        QCOMPARE(w.shownStep(), qint64(2));
        const QImage before = w.panel();
        w.setBoxThreshold(0.05);
        QCOMPARE(threshold->value(), 5);
        QCOMPARE(w.panel().size(), before.size());

        const QString png = dir_.filePath("teacher.png");
        QVERIFY(w.exportPanel(png));
        QCOMPARE(QImage(png).size(), w.panel().size());
    }

    void aRunWithoutHiddenLabelsSaysSo() {
        TeacherInspector w;
        w.setRun(2, "full", QString::fromStdString(fullRun_));
        QVERIFY(waitShown(w));
        QCOMPARE(w.shownStep(), qint64(2));
        QVERIFY(!w.panel().isNull()); // the pseudo-labels are still shown
        QCOMPARE(w.confusionPixels(), 0);
        QCOMPARE(w.message(), QString("No watched image has labels hidden from training: nothing to compare the "
                                      "pseudo-labels with."));
        // A supervised run: worded as what the teacher would give, not as what it trained on.
        QVERIFY2(w.headline().endsWith("A supervised run trains on none of it."), qPrintable(w.headline()));
        QVERIFY(!w.headline().contains("trained on"));
    }

    void badFilesAreNamedAndNothingElseBreaks() {
        TeacherInspector w;
        const TeacherSnapshotIndex index = readSnapshotIndex(partialRun_);
        const TeacherSnapshot last = readSnapshot(index.snapshots.back().file);
        std::ofstream(last.images[0].ownMapFile, std::ios::trunc) << "garbage";
        w.setRun(1, "partial", QString::fromStdString(partialRun_));
        QVERIFY(waitShown(w));
        QCOMPARE(w.shownStep(), qint64(4));
        QCOMPARE(w.message(), QString::fromStdString(last.images[0].ownMapFile + ": not a readable PNG"));
        QVERIFY(!w.panel().isNull()); // the other images and tiles still show

        // A snapshot index of another version: named, and no snapshot shown.
        std::string text;
        {
            std::ifstream in(snapshotIndexPath(partialRun_));
            text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
        const auto at = text.find("\"version\": 1");
        QVERIFY(at != std::string::npos);
        text.replace(at, 12, "\"version\": 9");
        std::ofstream(snapshotIndexPath(partialRun_), std::ios::trunc) << text;
        TeacherInspector other;
        other.setRun(1, "partial", QString::fromStdString(partialRun_));
        QVERIFY(waitShown(other));
        QCOMPARE(other.snapshotCount(), 0);
        QVERIFY2(other.message().startsWith(QString::fromStdString(snapshotIndexPath(partialRun_)) +
                                            ": version: snapshot format version 9"),
                 qPrintable(other.message()));
    }
};

QTEST_MAIN(TestTeacherInspector)
#include "tst_teacher_inspector.moc"
