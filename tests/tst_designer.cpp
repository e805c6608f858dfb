// The experiment designer: settings derived from a drawn design, the paper's presets, expected
// overlaps, the grid of configs it queues, and the widget — its split is the LabelSplit object
// `mtlw split` makes, its counts follow drags on the canvas.
#include "TestSupport.h"

#include "core/common/Error.h"
#include "core/common/Paths.h"
#include "core/data/DatasetLocator.h"
#include "core/data/LabelSplit.h"
#include "core/data/SubsetDesign.h"
#include "core/experiment/ExperimentGrid.h"
#include "widgets/SubsetCanvas.h"
#include "widgets/SubsetDesigner.h"

#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

class TestDesigner : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::shared_ptr<const mtl::Dataset> train_;
    mtl::ExperimentConfig base_;

private Q_SLOTS:
    void initTestCase() {
        writeTinySynthetic(dir_.filePath("synth"), 64, 1); // 1/32 → 2, 1/16 → 4, 1/8 → 8, 1/4 → 16, 1/2 → 32
        base_ = tinyExperiment(dir_.filePath("synth"), 10);
        train_ = mtl::openDataset(mtl::locateDataset(base_.data.dataset, {}), "train");
    }

    void settingFollowsTheDrawing() {
        const auto setting = [](std::size_t det, std::size_t seg, bool nested) {
            return QString::fromStdString(mtl::settingOf({100, det, seg, nested}));
        };
        QCOMPARE(setting(100, 10, true), QString("a"));
        QCOMPARE(setting(100, 10, false), QString("a")); // every image is detection-labeled
        QCOMPARE(setting(20, 20, true), QString("b"));
        QCOMPARE(setting(20, 20, false), QString("c"));
        QCOMPARE(setting(40, 10, true), QString("d"));
        QCOMPARE(setting(40, 10, false), QString("e"));
        QCOMPARE(setting(10, 40, true), QString("e")); // a larger subset cannot be nested in a smaller one
    }

    void expectedOverlapIsTheSettingsOne() {
        QCOMPARE(mtl::expectedCounts({100, 40, 10, false}).expectedOverlap, 4.0);   // 40·10/100
        QCOMPARE(mtl::expectedCounts({100, 40, 10, true}).expectedOverlap, 10.0);   // nested: all of seg
        QCOMPARE(mtl::expectedCounts({2975, 93, 93, false}).expectedOverlap, 8649.0 / 2975.0);
        QCOMPARE(mtl::expectedCounts({2975, 372, 93, false}).expectedOverlap, 34596.0 / 2975.0);
    }

    void presetsAreThePapersCounts() {
        const auto& presets = mtl::paperPresets();
        QCOMPARE(int(presets.size()), 5 + 5 + 5 + 6 + 6);
        // On Cityscapes' 2,975 images the fractions are the paper's counts.
        QStringList counts;
        for (const auto& p : presets) {
            const auto d = mtl::designFromPreset(p, 2975);
            counts << QString("%1:%2/%3%4").arg(QString::fromStdString(p.setting)).arg(d.kDet).arg(d.kSeg).arg(d.nested ? "n" : "");
        }
        QCOMPARE(counts.mid(0, 5), QStringList({"a:2975/93n", "a:2975/186n", "a:2975/372n", "a:2975/744n", "a:2975/1488n"}));
        QCOMPARE(counts.mid(5, 2), QStringList({"b:93/93n", "b:186/186n"}));
        QCOMPARE(counts.mid(10, 2), QStringList({"c:93/93", "c:186/186"}));
        QCOMPARE(counts.mid(15, 6), QStringList({"d:372/93n", "d:744/93n", "d:1488/93n", "d:744/186n", "d:1488/186n",
                                                 "d:1488/372n"}));
        QCOMPARE(counts.mid(21, 1), QStringList({"e:372/93"}));
        QCOMPARE(QString::fromStdString(presets[15].label()), QString("(d) det 1/8 · seg 1/32"));
        QCOMPARE(QString::fromStdString(presets[0].label()), QString("(a) det all · seg 1/32"));
    }

    void gridExpandsTheChoices() {
        mtl::GridRequest r;
        r.setting = "d";
        r.det = "16";
        r.seg = "2";
        r.methods = {mtl::LearningMethod::named("supervised")};
        r.samplings = {mtl::Sampling::Implicit, mtl::Sampling::Explicit};
        r.luScopes = {"unlabeled", "all"}; // ignored by a supervised run: no duplicates
        r.seeds = {0, 3};
        const auto configs = mtl::expandGrid(base_, r);
        QStringList names;
        for (const auto& c : configs) names << QString::fromStdString(c.name);
        QCOMPARE(names, QStringList({"tiny-d-d16-s2-supervised-implicit-seed0", "tiny-d-d16-s2-supervised-implicit-seed3",
                                     "tiny-d-d16-s2-supervised-explicit-seed0", "tiny-d-d16-s2-supervised-explicit-seed3"}));
        const auto& last = configs.back();
        QCOMPARE(QString::fromStdString(mtl::nameOf(last.data.split.setting)), QString("d"));
        QCOMPARE(QString::fromStdString(last.data.split.det), QString("16"));
        QCOMPARE(QString::fromStdString(last.data.split.seg), QString("2"));
        QCOMPARE(last.data.split.seed, std::int64_t(3));
        QCOMPARE(last.seed, std::int64_t(3));
        QCOMPARE(QString::fromStdString(mtl::nameOf(last.train.sampling)), QString("explicit"));
        QCOMPARE(QString::fromStdString(mtl::nameOf(last.data.trainImages)), QString("labeled"));
        QCOMPARE(last.model.width, base_.model.width); // everything else is the base config's
        r.seeds.clear();
        QVERIFY(!fixturesMessage([&] { mtl::expandGrid(base_, r); }).isEmpty());

        // Each method's cell gets that method's strong view, whatever the base's method implied.
        r.methods = {mtl::LearningMethod::named("supervised"), mtl::LearningMethod::named("fixmatch"),
                     mtl::LearningMethod::named("densefixmatch")};
        r.samplings = {mtl::Sampling::Explicit};
        r.luScopes = {"unlabeled"};
        r.seeds = {0};
        for (const std::string baseMethod : {"supervised", "densefixmatch", "fixmatch"}) {
            mtl::ExperimentConfig base = mtl::parseExperimentConfig(mtl::toYaml(base_), "base.yaml");
            base.train.method = mtl::LearningMethod::named(baseMethod); // as a file that names the method and not the mode reads
            base.augment.mode = baseMethod == "fixmatch" ? mtl::AugmentMode::Invariant : mtl::AugmentMode::Equivariant;
            base.augmentModeGiven = false;
            const auto cells = mtl::expandGrid(base, r);
            QCOMPARE(int(cells.size()), 3);
            QCOMPARE(cells[1].train.method.name(), std::string("fixmatch"));
            QCOMPARE(mtl::toString(cells[1].augment.mode), std::string("invariant"));
            QCOMPARE(cells[2].train.method.name(), std::string("densefixmatch"));
            QCOMPARE(mtl::toString(cells[2].augment.mode), std::string("equivariant"));
        }
    }

    void designerSplitIsTheCoreSplit() {
        SubsetDesigner designer;
        designer.setExperiment(base_, train_);
        QCOMPARE(designer.design().poolSize, std::size_t(64));
        designer.applyPreset(16); // (d) det 1/4 · seg 1/32
        QCOMPARE(designer.design().kDet, std::size_t(16));
        QCOMPARE(designer.design().kSeg, std::size_t(2));
        QVERIFY(designer.split().has_value());
        const mtl::LabelSplit expected = mtl::makeLabelSplit(*train_, "d", 16, 2, 0); // what `mtlw split` makes
        QCOMPARE(QString::fromStdString(mtl::labelSplitToJson(*designer.split(), 64)),
                 QString::fromStdString(mtl::labelSplitToJson(expected, 64)));
        QVERIFY2(designer.countsText().contains("overlap 2 (expected 2.0)"), qPrintable(designer.countsText()));
        QVERIFY(designer.countsText().contains("detection only 14 · segmentation only 0 · neither 48"));
        const auto runs = designer.plannedRuns();
        QCOMPARE(int(runs.size()), 1);
        QCOMPARE(QString::fromStdString(runs[0].name), QString("tiny-d-d16-s2-supervised-implicit-seed0"));
    }

    void savesAndOpensSplits() {
        SubsetDesigner designer;
        designer.setExperiment(base_, train_);
        designer.findChild<QLineEdit*>("seeds")->setText("3");
        designer.applyPreset(26); // (e) det 1/2 · seg 1/8: independent draws
        QCOMPARE(QString::fromStdString(mtl::settingOf(designer.design())), QString("e"));
        const QString path = dir_.filePath("saved-split.json");
        QCOMPARE(designer.saveSplit(path), QString());
        // Byte for byte what `mtlw split DATASET --setting e --det 32 --seg 8 --seed 3` writes.
        mtl::LabelSplit cli = mtl::makeLabelSplit(*train_, "e", 32, 8, 3);
        cli.dataset = base_.data.dataset;
        QFile saved(path);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(saved.readAll().toStdString(), mtl::labelSplitToJson(cli, train_->size()));
        QCOMPARE(mtl::readLabelSplit(path.toStdString()).det, cli.det);

        // Opened in a designer that shows another design: the same split, seed and setting.
        SubsetDesigner other;
        other.setExperiment(base_, train_);
        QCOMPARE(other.openSplit(path), QString());
        QCOMPARE(QString::fromStdString(other.split()->setting), QString("e"));
        QCOMPARE(other.split()->det, cli.det);
        QCOMPARE(other.split()->seg, cli.seg);
        QCOMPARE(other.findChild<QLineEdit*>("seeds")->text(), QString("3"));
        // Another config on the same data keeps the design; another pool resets it.
        other.setExperiment(base_, train_);
        QCOMPARE(other.split()->det, cli.det);

        // A split whose images this data set does not draw is refused, naming the file.
        const QString foreignPath = dir_.filePath("foreign-split.json");
        std::string text = mtl::labelSplitToJson(cli, train_->size());
        const std::string seed3 = "\"seed\": 3";
        QVERIFY(text.find(seed3) != std::string::npos);
        text.replace(text.find(seed3), seed3.size(), "\"seed\": 4");
        mtl::writeFileAtomically(foreignPath.toStdString(), text);
        const QString error = other.openSplit(foreignPath);
        QVERIFY2(error.startsWith(foreignPath + ": setting (e) with seed 4 draws other images"), qPrintable(error));
        QVERIFY(other.saveSplit(dir_.filePath("no/such/dir/split.json")).contains("no/such/dir/split.json"));
    }

    void canvasDrawsTheCountsItStates() {
        // For every preset of the paper, settings (a)-(e): the legend's counts are the split's, and
        // each part is drawn exactly as wide as its count of images.
        SubsetDesigner designer;
        designer.resize(900, 400);
        designer.setExperiment(base_, train_);
        designer.show();
        QVERIFY(QTest::qWaitForWindowExposed(&designer));
        const SubsetCanvas* canvas = designer.canvas();
        using Part = SubsetCanvas::Part;
        QSet<QString> settings;
        for (int i = 0; i < int(mtl::paperPresets().size()); ++i) {
            designer.applyPreset(i);
            const QString label = QString::fromStdString(mtl::paperPresets()[std::size_t(i)].label());
            settings << QString::fromStdString(mtl::settingOf(designer.design()));
            QVERIFY2(designer.split().has_value(), qPrintable(label));
            const auto both = (long long)designer.split()->overlap();
            QCOMPARE(canvas->statedImages(Part::Both), both);
            QCOMPARE(canvas->statedImages(Part::DetOnly), (long long)designer.split()->det.size() - both);
            QCOMPARE(canvas->statedImages(Part::SegOnly), (long long)designer.split()->seg.size() - both);
            QVERIFY2(designer.countsText().contains(QString("detection only %1 · segmentation only %2")
                                                        .arg(canvas->statedImages(Part::DetOnly))
                                                        .arg(canvas->statedImages(Part::SegOnly))),
                     qPrintable(label + ": " + designer.countsText()));
            for (const Part part : {Part::DetOnly, Part::Both, Part::SegOnly, Part::Unlabeled})
                QVERIFY2(std::abs(canvas->drawnImages(part) - double(canvas->statedImages(part))) < 1e-6,
                         qPrintable(QString("%1, part %2: drawn %3, stated %4").arg(label).arg(int(part))
                                        .arg(canvas->drawnImages(part)).arg(canvas->statedImages(part))));
        }
        QCOMPARE(settings, QSet<QString>({"a", "b", "c", "d", "e"}));
    }

    void draggingTheCanvasChangesTheDesign() {
        SubsetDesigner designer;
        designer.resize(900, 400);
        designer.setExperiment(base_, train_);
        designer.applyPreset(16); // det 16, seg 2 nested
        designer.show();
        QVERIFY(QTest::qWaitForWindowExposed(&designer));
        SubsetCanvas* canvas = designer.canvas();
        // The detection region's right edge dragged to the middle of the pool: half the images.
        const QRectF pool = canvas->poolRect();
        const QRectF det = canvas->detRect();
        QTest::mousePress(canvas, Qt::LeftButton, {}, QPoint(int(det.right()), int(det.center().y())));
        QTest::mouseMove(canvas, QPoint(int(pool.left() + pool.width() / 2), int(det.center().y())));
        QTest::mouseRelease(canvas, Qt::LeftButton, {}, QPoint(int(pool.left() + pool.width() / 2), int(det.center().y())));
        QVERIFY(std::abs(int(designer.design().kDet) - 32) <= 1);
        QCOMPARE(QString::fromStdString(mtl::settingOf(designer.design())), QString("d"));
        // The segmentation region dragged out to the right end: independent draws, setting (e).
        const QRectF seg = canvas->segRect();
        QTest::mousePress(canvas, Qt::LeftButton, {}, seg.center().toPoint());
        QTest::mouseMove(canvas, QPoint(int(pool.right()) - 2, int(seg.center().y())));
        QTest::mouseRelease(canvas, Qt::LeftButton, {}, QPoint(int(pool.right()) - 2, int(seg.center().y())));
        QVERIFY(!designer.design().nested);
        QCOMPARE(QString::fromStdString(mtl::settingOf(designer.design())), QString("e"));
        QCOMPARE(designer.design().kSeg, std::size_t(2));
        const mtl::LabelSplit expected = mtl::makeLabelSplit(*train_, "e", designer.design().kDet, 2, 0);
        QCOMPARE(designer.split()->seg, expected.seg);
        QCOMPARE(designer.split()->det, expected.det);
        // Hovering the detection-only part shows its images, without widening the window.
        const int minimumWidth = designer.minimumSizeHint().width();
        const QRectF detNow = canvas->detRect();
        QTest::mouseMove(canvas, QPoint(int(detNow.left()) + 4, int(detNow.top()) + 4));
        QTRY_VERIFY_WITH_TIMEOUT(designer.thumbnails()->pixmap().width() > 0, 10000);
        QVERIFY(designer.thumbnails()->pixmap().width() > minimumWidth / 2); // six thumbnails of 128 x 64
        QCOMPARE(designer.minimumSizeHint().width(), minimumWidth);
    }

private:
    static QString fixturesMessage(const std::function<void()>& f) {
        try {
            f();
        } catch (const mtl::InputError& e) {
            return QString::fromStdString(e.what());
        }
        return {};
    }
};

QTEST_MAIN(TestDesigner)
#include "tst_designer.moc"
