// The semi-supervised loop wired end to end, not only its parts: over the steps of a real Dense
// FixMatch run the teacher follows the EMA recurrence and the logged λ the configured ramp; such a
// run resumed from its checkpoint equals the uninterrupted one bit for bit; λ's maximum at 0 leaves
// no gradient from Lu; and the oracle control hands the student the samples' own labels, moved
// exactly as a teacher's output would be.
#include "TestSupport.h"
#include "TrainingTestSupport.h"

#include "core/common/Error.h"
#include "core/data/DatasetLocator.h"
#include "core/experiment/ModelSpecFor.h"
#include "core/train/PeriodicActions.h"
#include "core/train/RampUp.h"
#include "core/train/SemiSupervisedStep.h"
#include "core/train/Trainer.h"
#include "core/train/TrainingData.h"
#include "TestSuite.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>

using namespace mtl;

namespace {

using Weights = std::map<std::string, torch::Tensor>;

// Every parameter and floating-point buffer of `m`, copied, by name (integer buffers, BatchNorm's
// batch counters, are copied by the EMA, not averaged).
Weights weightsOf(const torch::nn::Module& m) {
    Weights w;
    for (const auto& p : m.named_parameters()) w[p.key()] = p.value().detach().clone();
    for (const auto& b : m.named_buffers())
        if (b.value().is_floating_point()) w[b.key()] = b.value().clone();
    return w;
}

// The student's and the teacher's weights before the first step and after each.
class WeightRecorder final : public PeriodicAction {
public:
    std::vector<Weights> students, teachers;
    void begin(Trainer& t) override { record(t); }
    bool due(std::int64_t) const override { return true; }
    void run(Trainer& t, std::int64_t) override { record(t); }

private:
    void record(Trainer& t) {
        students.push_back(weightsOf(t.student()));
        teachers.push_back(weightsOf(t.teacher().model()));
    }
};

bool anyDiffers(const Weights& a, const Weights& b) {
    for (const auto& [name, value] : a)
        if (!torch::equal(value, b.at(name))) return true;
    return false;
}

// Two 32 × 64 samples: 0 shows its labels, 1 shows none and hides others (left-right asymmetric, so
// that a flip shows).
TrainBatch batchWithHiddenLabels() {
    torch::manual_seed(11);
    const int64_t h = 32, w = 64;
    TrainBatch b;
    b.images = torch::randint(0, 256, {2, h, w, 3}, torch::kLong).to(torch::kUInt8);
    b.seg = torch::full({2, h, w}, 255, torch::kLong);
    b.seg[0].fill_(2);
    b.seg[0].narrow(1, 0, 16).fill_(1);
    b.hasSeg = torch::tensor({true, false});
    b.hasDet = torch::tensor({true, false});
    b.boxes = {{Box{4, 2, 20, 30, 1}}, {}};
    auto hiddenSeg = torch::full({2, h, w}, 255, torch::kLong);
    hiddenSeg[1].fill_(0);
    hiddenSeg[1].narrow(0, 0, 16).fill_(3);
    hiddenSeg[1].narrow(1, 0, 10).fill_(1);
    b.hiddenForEvaluation = {hiddenSeg, torch::tensor({false, true}), torch::tensor({false, true}),
                             {{}, {Box{30, 8, 60, 24, 0}}}};
    return b;
}

// Weak views of the whole image, flipped or not; strong views with no operation: the strong view's
// target is the weak view's, so a label's path through the warps is known by hand.
AugmentOptions flipOnlyViews() {
    AugmentOptions a;
    a.cropWidth = 64;
    a.cropHeight = 32;
    a.scaleMin = a.scaleMax = 1;
    a.flip = true;
    a.numOps = 0;
    return a;
}

} // namespace

class TestSemiSupervisedLoop : public QObject {
    Q_OBJECT
    TrainingScratch scratch_;
    const QString& data_ = scratch_.data;
    std::string freshRegistry() { return scratch_.freshRegistry(); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(scratch_.start()); }

    void teacherFollowsTheEmaRecurrence() {
        const int steps = 5;
        ExperimentConfig c = tinySettingB(data_, steps);
        c.train.threads = 1;
        c.train.emaDecay = 0.9;
        const TrainingData data = prepareTrainingData(c, locateDataset(c.data.dataset, c.data.synthetic));
        Trainer trainer(c, MultiTaskModel(modelSpecFor(c.model, data.train->classes())), torch::kCPU);
        BatchLoaderOptions lo;
        lo.width = c.train.inputWidth;
        lo.height = c.train.inputHeight;
        lo.hflip = false;
        lo.hiddenLabels = data.allLabels;
        lo.workers = 1;
        trainer.setLoader(std::make_unique<BatchLoader>(data.train, data.sampler, lo));
        auto recorder = std::make_unique<WeightRecorder>();
        const WeightRecorder& r = *recorder;
        std::vector<std::unique_ptr<PeriodicAction>> actions;
        actions.push_back(std::move(recorder));
        std::atomic<bool> stop{false};
        QCOMPARE(trainer.run(stop, actions), std::int64_t(steps));
        QCOMPARE(r.teachers.size(), std::size_t(steps + 1));

        QVERIFY(!anyDiffers(r.teachers[0], r.students[0])); // the teacher starts as the student
        const double d = c.train.emaDecay;
        for (int k = 1; k <= steps; ++k) {
            QVERIFY(anyDiffers(r.students[k], r.students[k - 1])); // the student learnt
            QVERIFY(anyDiffers(r.teachers[k], r.students[k]));     // and the teacher lags it
            for (const auto& [name, teacher] : r.teachers[k]) {
                const auto expected = d * r.teachers[k - 1].at(name) + (1 - d) * r.students[k].at(name);
                QVERIFY2(torch::allclose(teacher, expected, 1e-5, 1e-7),
                         (name + " at step " + std::to_string(k)).c_str());
            }
        }
    }

    void loggedLambdaFollowsTheRamp() {
        const int steps = 6;
        ExperimentConfig c = tinySettingB(data_, steps);
        c.train.threads = 1;
        c.train.logEvery = 1;
        c.train.rampUpFraction = 0.5;
        c.train.unsupWeight = 0.5;
        c.diagnostics.every = 0;
        const std::string path = freshRegistry();
        TrainingRun run(c, path);
        run.start(nullptr);
        QCOMPARE(statusText(run.wait()), QString("finished"));
        const auto lambda = Registry(path).series(run.id(), "train/lambda");
        QCOMPARE(lambda.size(), std::size_t(steps));
        const std::int64_t ramp = rampUpSteps(c.train.rampUpFraction, steps);
        QCOMPARE(ramp, std::int64_t(3));
        for (std::size_t i = 0; i < lambda.size(); ++i) {
            QCOMPARE(lambda[i].step, std::int64_t(i + 1)); // logged after step i (0-based) ran
            QCOMPARE(lambda[i].value, 0.5 * sigmoidRampUp(std::int64_t(i), ramp));
        }
        QCOMPARE(lambda[0].value, 0.5 * std::exp(-5.0));
        QCOMPARE(lambda.back().value, 0.5);
    }

    void denseFixMatchResumesBitForBit() {
        const int steps = 8;
        ExperimentConfig c = tinySettingB(data_, steps);
        c.train.threads = 1;
        c.train.logEvery = 2;
        const std::string path = freshRegistry();
        TrainingRun straight(c, path);
        straight.start(nullptr);
        QCOMPARE(statusText(straight.wait()), QString("finished"));

        TrainingRun first(c, path);
        StopAtStep stopper(first, steps / 2);
        first.start(&stopper);
        QCOMPARE(statusText(first.wait()), QString("interrupted"));
        auto resumed = TrainingRun::resume(first.id(), path);
        resumed->start(nullptr);
        QCOMPARE(statusText(resumed->wait()), QString("finished"));

        Registry registry(path);
        for (const char* key : {"train/loss", "train/seg_unsup_loss", "train/det_unsup_loss", "train/lambda",
                                "pseudo/seg_pixel_share", "pseudo/seg_mIoU", "pseudo/det_boxes_per_image"}) {
            const auto a = registry.series(straight.id(), key), b = registry.series(first.id(), key);
            QVERIFY2(a.size() == std::size_t(steps / 2), key);
            QCOMPARE(b.size(), a.size());
            for (std::size_t i = 0; i < a.size(); ++i) {
                QCOMPARE(b[i].step, a[i].step);
                QCOMPARE(b[i].value, a[i].value);
            }
        }
        MultiTaskModel teacherA(tinyModelSpec(19, 8)), teacherB(tinyModelSpec(19, 8));
        const MultiTaskModel a = modelFrom(straight.runDir() + "/checkpoint.pt", c, teacherA.get());
        const MultiTaskModel b = modelFrom(first.runDir() + "/checkpoint.pt", c, teacherB.get());
        QVERIFY(!anyDiffers(weightsOf(*a), weightsOf(*b)));
        QVERIFY(!anyDiffers(weightsOf(*teacherA), weightsOf(*teacherB)));
        QVERIFY(anyDiffers(weightsOf(*a), weightsOf(*teacherA)));
    }

    // train.init_from (a burn-in): a Dense FixMatch run starting from a supervised run's checkpoint
    // holds that checkpoint's student and teacher at its start; with EMA decay 1 its teacher never
    // moves, so it ends as it began. A checkpoint of another architecture or no checkpoint at all is
    // refused before anything is written.
    void burnInStartsFromTheCheckpoint() {
        const std::string path = freshRegistry();
        ExperimentConfig supervised = tinyExperiment(data_, 4);
        supervised.train.threads = 1;
        TrainingRun burnIn(supervised, path);
        burnIn.start(nullptr);
        QCOMPARE(statusText(burnIn.wait()), QString("finished"));
        const std::string checkpoint = burnIn.runDir() + "/checkpoint.pt";

        ExperimentConfig c = tinySettingB(data_, 2);
        c.train.threads = 1;
        c.train.emaDecay = 1;
        c.train.initFrom = checkpoint;
        TrainingRun run(c, path);
        run.start(nullptr);
        QCOMPARE(statusText(run.wait()), QString("finished"));
        std::ifstream log(run.runDir() + "/run.log");
        const std::string text((std::istreambuf_iterator<char>(log)), {});
        QVERIFY2(text.find("train.init_from: student and teacher from " + checkpoint + " (step 4 of its run)") !=
                     std::string::npos, text.c_str());
        QCOMPARE(readCheckpointInfo(run.runDir() + "/checkpoint.pt").step, std::int64_t(2));
        MultiTaskModel startTeacher(tinyModelSpec(19, 8)), endTeacher(tinyModelSpec(19, 8));
        const MultiTaskModel start = modelFrom(checkpoint, c, startTeacher.get());
        const MultiTaskModel end = modelFrom(run.runDir() + "/checkpoint.pt", c, endTeacher.get());
        QVERIFY(!anyDiffers(weightsOf(*endTeacher), weightsOf(*startTeacher)));
        QVERIFY(anyDiffers(weightsOf(*end), weightsOf(*start))); // the student trained on

        const auto refused = [&](ExperimentConfig bad, const std::string& expected) {
            const std::string fresh = freshRegistry();
            try {
                TrainingRun r(bad, fresh);
                QFAIL("no error");
            } catch (const InputError& e) {
                QVERIFY2(std::string(e.what()).find(expected) != std::string::npos, e.what());
            }
            QVERIFY(!std::filesystem::exists(fresh));
        };
        ExperimentConfig wider = c;
        wider.model.width = 0.25;
        refused(wider, "experiment config: train.init_from: " + checkpoint +
                           " holds a model of another architecture:\n  checkpoint: resnet18 width 0.125");
        ExperimentConfig missing = c;
        missing.train.initFrom = scratch_.dir.filePath("none.pt").toStdString();
        refused(missing, "experiment config: train.init_from: " + missing.train.initFrom);
    }

    void zeroUnsupWeightLeavesNoGradientFromLu() {
        MultiTaskModel student(tinyModelSpec(4, 2));
        EmaTeacher teacher(*student, 0.99);
        SemiSupervisedOptions o;
        o.method = LearningMethod::named("densefixmatch");
        o.luOnAllSamples = true;          // both samples' strong views feed Lu
        o.pseudoBoxes.scoreThreshold = 0; // the random teacher's boxes all count: Lu,det has targets
        const TrainBatch batch = batchWithHiddenLabels();
        bool luMeasured = true;
        const auto gradientsOf = [&](double unsupWeight, bool supervisedPartOnly) {
            o.unsupWeight = unsupWeight;
            torch::manual_seed(7); // the same dropout masks in every pass
            LossMeter meter(torch::kCPU);
            SemiSupervisedStep step(o, flipOnlyViews(), *student, teacher, torch::kCPU, meter);
            const StepLosses l = step.losses(batch, 100); // past the ramp: λ = unsupWeight
            luMeasured = luMeasured && l.segUnsup.item<double>() > 0 && l.detUnsupClassification.item<double>() > 0;
            student->zero_grad();
            (supervisedPartOnly ? l.seg + l.detClassification + l.detRegression : l.total).backward();
            Weights g;
            for (const auto& p : student->named_parameters())
                if (p.value().grad().defined()) g[p.key()] = p.value().grad().clone();
            return g;
        };
        const Weights off = gradientsOf(0, false), supervised = gradientsOf(0, true), on = gradientsOf(1, false);
        QVERIFY(luMeasured); // Lu is there at λ = 0, only not trained
        QVERIFY(!off.empty());
        QCOMPARE(off.size(), supervised.size());
        for (const auto& [name, g] : off) QVERIFY2(torch::allclose(g, supervised.at(name), 1e-6, 1e-9), name.c_str());
        QVERIFY(anyDiffers(on, supervised)); // at λ = 1 the same step does learn from Lu
    }

    // FixMatch's premise, measured: the student's segmentation of the strong views against the
    // hidden labels seen there (pseudo/student_seg_mIoU). A student that says class 3 everywhere,
    // on sample 1 (the only one with hidden labels): 16 × 54 of its 32 × 64 pixels are 3, the rest 0
    // and 1, so IoU 864/2048 for class 3, 0 for classes 0 and 1, whichever way the view flips.
    void studentQualityOnTheStrongViews() {
        MultiTaskModel student(tinyModelSpec(4, 2));
        {
            torch::NoGradGuard noGrad;
            auto params = student->named_parameters();
            params["seg_head.classifier.weight"].zero_();
            params["seg_head.classifier.bias"].copy_(torch::tensor({0.f, 0.f, 0.f, 10.f}));
        }
        EmaTeacher teacher(*student, 0.99);
        SemiSupervisedOptions o;
        o.method = LearningMethod::named("densefixmatch");
        LossMeter meter(torch::kCPU);
        SemiSupervisedStep step(o, flipOnlyViews(), *student, teacher, torch::kCPU, meter);
        const TrainBatch batch = batchWithHiddenLabels();
        // Both strong views go through the student (student_views all); sample 0 hides no label.
        for (std::int64_t s = 0; s < 3; ++s) QCOMPARE(step.losses(batch, s).views.strong, (std::vector<std::int64_t>{0, 1}));
        step.closePeriod();
        double studentMIoU = -1, teacherMIoU = -1;
        for (const auto& [key, value] : meter.takeMeans()) {
            if (key == "pseudo/student_seg_mIoU") studentMIoU = value;
            if (key == "pseudo/seg_mIoU") teacherMIoU = value;
        }
        QCOMPARE(studentMIoU, 864.0 / 2048 / 3);
        QCOMPARE(teacherMIoU, 864.0 / 2048 / 3); // the teacher is still the student's copy
    }

    // train.pseudo_source: oracle. Every label a sample has, shown (sample 0) or hidden by the split
    // (sample 1), is its target: flipped with its weak view, boxes mirrored, scored 1.
    void oracleTargetsAreTheSamplesLabelsMoved() {
        MultiTaskModel student(tinyModelSpec(4, 2));
        EmaTeacher teacher(*student, 0.99);
        SemiSupervisedOptions o;
        o.method = LearningMethod::named("densefixmatch");
        o.oracle = true;
        LossMeter meter(torch::kCPU);
        SemiSupervisedStep step(o, flipOnlyViews(), *student, teacher, torch::kCPU, meter);
        const TrainBatch batch = batchWithHiddenLabels();
        const torch::Tensor truth[2] = {batch.seg[0], batch.hiddenForEvaluation.seg[1]};
        const Box boxes[2] = {batch.boxes[0][0], batch.hiddenForEvaluation.boxes[1][0]};
        bool seen[2] = {false, false}; // unflipped, flipped
        for (std::int64_t s = 0; s < 8; ++s) {
            const TeacherTargets t = step.teach(batch, s);
            for (std::size_t i = 0; i < 2; ++i) {
                const bool flipped = t.views.weakParams[i].flip;
                seen[flipped] = true;
                const auto expected = flipped ? truth[i].flip({-1}) : truth[i];
                QVERIFY(torch::equal(t.pseudo.seg[std::int64_t(i)], expected));
                QVERIFY(torch::equal(t.targets.seg[std::int64_t(i)], expected));
                QCOMPARE(t.pseudo.boxes[i].size(), std::size_t(1));
                QCOMPARE(t.pseudo.boxes[i][0].score, 1.f);
                QCOMPARE(t.targets.boxes[i].size(), std::size_t(1));
                const Box& b = t.targets.boxes[i][0];
                const Box& g = boxes[i];
                QCOMPARE(b.x1, flipped ? 64 - g.x2 : g.x1);
                QCOMPARE(b.x2, flipped ? 64 - g.x1 : g.x2);
                QCOMPARE(b.y1, g.y1);
                QCOMPARE(b.y2, g.y2);
                QCOMPARE(b.cls, g.cls);
            }
        }
        QVERIFY(seen[0] && seen[1]);

        // Mean Teacher's oracle: one-hot probabilities of the same labels, valid wherever one exists.
        o.method = LearningMethod::named("meanteacher");
        SemiSupervisedStep soft(o, flipOnlyViews(), *student, teacher, torch::kCPU, meter);
        const TeacherTargets m = soft.teach(batch, 0);
        for (std::int64_t i = 0; i < 2; ++i) {
            const auto expected = m.views.weakParams[std::size_t(i)].flip ? truth[i].flip({-1}) : truth[i];
            QVERIFY(torch::equal(m.targets.seg[i], expected));
            QVERIFY(torch::equal(m.targets.valid[i], expected.ne(255)));
            QVERIFY(torch::allclose(m.targets.segSoft[i].sum(0), torch::ones({32, 64})));
            QVERIFY(m.targets.segSoft[i].max().item<float>() > 0.999f); // one-hot
        }

        // A batch without hidden labels cannot be taught by the oracle.
        TrainBatch bare = batch;
        bare.hiddenForEvaluation = {};
        QVERIFY_THROWS_EXCEPTION(InputError, step.teach(bare, 0));
    }
};

MTLW_TEST_MAIN(TestSemiSupervisedLoop, Core)
#include "tst_semisupervised_loop.moc"
