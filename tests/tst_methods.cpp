// The learning methods' seam: every method registered with its names and a step, an unknown or
// unfit method refused with the config's place, and Mean Teacher — the method added through the
// seam alone — on hand-made data: its targets, its loss to the digit, and a tiny set it fits.
#include "core/experiment/ExperimentConfig.h"
#include "core/model/InputNormalizer.h"
#include "core/train/EmaTeacher.h"
#include "core/train/MeanTeacherMethod.h"
#include "core/train/MethodRegistry.h"
#include "core/train/SemiSupervisedStep.h"

#include "AugmentTestSupport.h"
#include "TestSupport.h"
#include "TestSuite.h"

#include <QtTest>

#include <cmath>

using namespace mtl;

namespace {

std::string configError(const std::string& yaml) {
    try {
        parseExperimentConfig(yaml, "exp.yaml");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "no error";
}

// A flat-coloured street: sky (class 1) over road (class 0), a car (class 2) on the road.
TrainBatch streetBatch(int n) {
    constexpr int kH = 32, kW = 64;
    TrainBatch b;
    b.images = torch::zeros({n, kH, kW, 3}, torch::kUInt8);
    b.seg = torch::zeros({n, kH, kW}, torch::kLong);
    using torch::indexing::Slice;
    b.images.index_put_({Slice(), Slice(0, 12)}, torch::tensor({70, 130, 220}, torch::kUInt8));
    b.seg.index_put_({Slice(), Slice(0, 12)}, 1);
    b.images.index_put_({Slice(), Slice(12)}, torch::tensor({90, 90, 90}, torch::kUInt8));
    b.images.index_put_({Slice(), Slice(16, 28), Slice(20, 44)}, torch::tensor({220, 30, 60}, torch::kUInt8));
    b.seg.index_put_({Slice(), Slice(16, 28), Slice(20, 44)}, 2);
    b.hasSeg = torch::ones({n}, torch::kBool);
    b.hasDet = torch::zeros({n}, torch::kBool);
    b.boxes.assign(std::size_t(n), {});
    return b;
}

ModelSpec segmentationSpec() {
    ModelSpec s = tinyModelSpec(3, 0);
    s.tasks = TaskSet::SegOnly;
    return s;
}

} // namespace

class TestMethods : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void registryListsEveryMethodWithItsNames() {
        QStringList names, shown;
        for (const LearningMethod m : LearningMethod::all()) {
            names << QString::fromStdString(m.name());
            shown << QString::fromStdString(m.displayName());
            QVERIFY(makeTrainingMethod(m, {}) != nullptr);
            QVERIFY(LearningMethod::named(m.name()) == m);
        }
        QCOMPARE(names, QStringList({"supervised", "fixmatch", "densefixmatch", "meanteacher"}));
        QCOMPARE(shown, QStringList({"Supervised", "FixMatch*", "Dense FixMatch", "Mean Teacher"}));
        QStringList stepped;
        for (const std::string& n : registeredTrainingMethods()) stepped << QString::fromStdString(n);
        QCOMPARE(stepped, names);
        QCOMPARE(QString::fromStdString(learningMethodNames()), QString("supervised, fixmatch, densefixmatch, meanteacher"));
        QVERIFY(LearningMethod() == LearningMethod::named("supervised"));
        QVERIFY(!LearningMethod().learnsFromTeacher());
        QVERIFY(LearningMethod::named("fixmatch").info().strongView == AugmentMode::Invariant);
        QVERIFY(LearningMethod::named("meanteacher").info().strongView == AugmentMode::Equivariant);
        QVERIFY(!LearningMethod::find("mixmatch"));
        QVERIFY(!inputErrorOf([] { LearningMethod::named("mixmatch"); }).empty());
    }

    void unknownOrUnfitMethodsAreConfigErrors() {
        QCOMPARE(configError("train:\n  method: mixmatch\n"),
                 std::string("exp.yaml:2:11: 'train.method' must be one of supervised, fixmatch, densefixmatch, "
                             "meanteacher, got 'mixmatch'"));
        QCOMPARE(configError("model:\n  tasks: det\ntrain:\n  method: meanteacher\n"),
                 std::string("exp.yaml:1:1: 'train.method' meanteacher teaches segmentation only, and 'model.tasks' "
                             "det has no segmentation head"));
        QCOMPARE(configError("model:\n  tasks: seg\ntrain:\n  method: meanteacher\n"), std::string("no error"));
        const auto c = parseExperimentConfig("train:\n  method: meanteacher\n", "exp.yaml");
        QCOMPARE(toString(c.augment.mode), std::string("equivariant")); // the mode Mean Teacher implies
        QCOMPARE(parseExperimentConfig(toYaml(c), "again").train.method.name(), std::string("meanteacher"));
    }

    // Σc (p − q)² per pixel over the valid pixels of the selected samples, by hand: pixel 0 has
    // p = (1/2, 1/2) against q = (1, 0): 1/4 + 1/4; pixel 1 p = (3/4, 1/4) against (1/2, 1/2): 1/16 + 1/16.
    void softConsistencyLossByHand() {
        const auto logits = torch::tensor({0.0, std::log(3.0), 0.0, 0.0}, torch::kFloat).view({1, 2, 1, 2});
        const auto targets = torch::tensor({1.0, 0.5, 0.0, 0.5}, torch::kFloat).view({1, 2, 1, 2});
        const auto yes = torch::ones({1}, torch::kBool);
        const auto both = torch::ones({1, 1, 2}, torch::kBool);
        QCOMPARE(softConsistencyLoss(logits, targets, both, yes).item<double>(), 0.3125);
        QCOMPARE(softConsistencyLoss(logits, targets, torch::tensor({true, false}).view({1, 1, 2}), yes).item<double>(),
                 0.5);
        QCOMPARE(softConsistencyLoss(logits, targets, both, torch::zeros({1}, torch::kBool)).item<double>(), 0.0);
    }

    // With views that do not warp, the targets are the teacher's own probabilities; a student equal
    // to the teacher, in the same mode, then has nothing to learn from them.
    void meanTeacherTargetsAreTheTeachersProbabilitiesMoved() {
        torch::manual_seed(5);
        MultiTaskModel model(segmentationSpec());
        model->eval();
        AugmentOptions still;
        still.cropWidth = 64;
        still.cropHeight = 32;
        still.scaleMin = still.scaleMax = 1;
        still.flip = false;
        still.numOps = 0;
        const TrainBatch batch = streetBatch(2);
        const Augmenter augmenter(still);
        const AugmentedBatch views = augmenter.augment({batch.images, batch.seg, batch.boxes}, 7);
        const InputNormalizer normalize(torch::kCPU);
        const auto weak = normalize.fromUnit(views.weak.images);
        const MeanTeacherMethod method;
        const TeacherTargets t = method.teach(*model, views, weak);
        const auto expected = torch::softmax(teacherForward(*model, weak).segLogitsAtInputSize(), 1);
        QVERIFY((t.targets.segSoft - expected).abs().max().item<double>() < 1e-5);
        QVERIFY(t.targets.valid.all().item<bool>());
        QVERIFY(t.targets.seg.equal(expected.argmax(1)));
        QVERIFY(t.pseudo.seg.equal(expected.argmax(1)));
        QVERIFY(t.pseudo.boxes.empty() && t.targets.boxes.empty());

        LossMeter meter(torch::kCPU);
        const MultiTaskOutput student = model->forward(normalize.fromUnit(t.views.strong.images));
        const auto all = torch::ones({2}, torch::kBool);
        const StrongViewPass pass{student, *model, t, all, all, {true, true}, {}};
        const UnsupervisedLosses l = method.unsupervisedLosses(pass, meter);
        QVERIFY(l.seg.item<double>() < 1e-10);
        QCOMPARE(l.segCount.item<double>(), 2.0 * 32 * 64);
        QVERIFY(!l.detClassification.defined());
    }

    // The whole step on a tiny set it overfits: one image labeled, its copy not. The student fits
    // the label on the weak views, agrees with the EMA teacher on the copy's strong (warped) views,
    // and the teacher's pseudo-labels on the copy match its hidden label.
    void meanTeacherFitsATinySet() {
        torch::manual_seed(0);
        MultiTaskModel student(segmentationSpec());
        EmaTeacher teacher(*student, 0.9);
        TrainBatch batch = streetBatch(2);
        batch.hiddenForEvaluation = {batch.seg.clone(), torch::tensor({false, true}), torch::zeros({2}, torch::kBool), {{}, {}}};
        batch.seg[1].fill_(255);
        batch.hasSeg[1] = false;
        AugmentOptions views;
        views.cropWidth = 64;
        views.cropHeight = 32;
        views.scaleMin = 0.9;
        views.scaleMax = 1.1;
        views.mode = AugmentMode::Equivariant;
        SemiSupervisedOptions o;
        o.method = LearningMethod::named("meanteacher");
        LossMeter meter(torch::kCPU);
        SemiSupervisedStep step(o, views, *student, teacher, torch::kCPU, meter);
        torch::optim::Adam adam(student->parameters(), torch::optim::AdamOptions(3e-3));
        double supervised = 0, consistency = 0, firstSupervised = 0;
        const int steps = 250;
        for (int i = 0; i < steps; ++i) {
            const StepLosses l = step.losses(batch, i);
            adam.zero_grad();
            l.total.backward();
            adam.step();
            teacher.update(*student);
            if (i == steps - 21) step.closePeriod(), meter.takeMeans(); // the quality of the last 20 steps
            if (i < 10) firstSupervised += l.seg.item<double>() / 10;
            if (i >= steps - 10) supervised += l.seg.item<double>() / 10, consistency += l.segUnsup.item<double>() / 10;
        }
        step.closePeriod();
        double quality = -1;
        for (const auto& [key, value] : meter.takeMeans())
            if (key == "pseudo/seg_mIoU") quality = value;
        const QString figures = QString("Ls first 10 steps %1, last 10 %2; Lu last 10 %3; teacher mIoU on the unlabeled copy %4")
                                    .arg(firstSupervised).arg(supervised).arg(consistency).arg(quality);
        qInfo("%s", qPrintable(figures));
        // Lu is Σc (p − q)² per pixel (at most 2); 0.05 is a disagreement of about 0.16 in probability.
        QVERIFY2(supervised < 0.1 * firstSupervised && consistency < 0.05 && quality > 0.8, qPrintable(figures));
    }
};

MTLW_TEST_MAIN(TestMethods, None)
#include "tst_methods.moc"
