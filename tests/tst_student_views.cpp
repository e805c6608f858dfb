// train.student_views: which views the student and the teacher run on. `used` keeps exactly the
// views a loss needs — for every method, task heads, Lu scope and batch composition — and gives the
// losses of `all` wherever BatchNorm's batch does not enter (every view needed, or statistics fixed).
#include "core/train/SemiSupervisedStep.h"
#include "core/train/StudentViews.h"

#include "TestSupport.h"
#include "TestSuite.h"

#include <QtTest>

#include <cmath>
#include <sstream>

using namespace mtl;

namespace {

// "bs.dn": one letter pair per sample, b = both tasks, s = segmentation, d = detection, n = none.
std::vector<SampleTasks> tasksOf(const QString& code) {
    std::vector<SampleTasks> tasks;
    for (QChar c : code) tasks.push_back({c == 'b' || c == 's', c == 'b' || c == 'd'});
    return tasks;
}

QString text(const std::vector<std::int64_t>& rows) {
    QStringList parts;
    for (std::int64_t r : rows) parts << QString::number(r);
    return parts.join(' ');
}

TrainBatch mixedBatch(const std::vector<SampleTasks>& tasks, int h, int w) {
    torch::manual_seed(11);
    const auto n = static_cast<int64_t>(tasks.size());
    TrainBatch b;
    b.images = torch::randint(0, 256, {n, h, w, 3}, torch::kLong).to(torch::kUInt8);
    b.seg = torch::randint(0, 4, {n, h, w}, torch::kLong);
    b.hasSeg = torch::zeros({n}, torch::kBool);
    b.hasDet = torch::zeros({n}, torch::kBool);
    for (int64_t i = 0; i < n; ++i) {
        const SampleTasks& t = tasks[std::size_t(i)];
        b.hasSeg[i] = t.seg;
        b.hasDet[i] = t.det;
        if (!t.seg) b.seg[i].fill_(255);
        b.boxes.push_back(t.det ? std::vector<Box>{Box{8.f + i, 4, 40, 28, 1}, Box{30, 10, 60, 30, 0}} : std::vector<Box>{});
    }
    return b;
}

AugmentOptions equivariantViews() {
    AugmentOptions a;
    a.cropWidth = 64;
    a.cropHeight = 32;
    a.mode = AugmentMode::Equivariant;
    a.scaleMin = 0.75;
    a.scaleMax = 1.25;
    return a;
}

double relativeDifference(const torch::Tensor& a, const torch::Tensor& b) {
    const double x = a.item<double>(), y = b.item<double>();
    return std::abs(x - y) / std::max(1e-6, std::abs(y));
}

} // namespace

class TestStudentViews : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void usedKeepsExactlyTheViewsEachLossNeeds_data() {
        QTest::addColumn<QString>("batch");
        QTest::addColumn<QString>("heads"); // multi | seg | det
        QTest::addColumn<bool>("semiSupervised");
        QTest::addColumn<bool>("luOnAll");
        QTest::addColumn<bool>("usedOnly");
        QTest::addColumn<QString>("weak");
        QTest::addColumn<QString>("strong");
        // Explicit sampling labeled for both: 2 labeled + 2 unlabeled.
        QTest::newRow("explicit both, Lu unlabeled") << "bbnn" << "multi" << true << false << true << "0 1" << "2 3";
        QTest::newRow("explicit both, Lu all") << "bbnn" << "multi" << true << true << true << "0 1" << "0 1 2 3";
        QTest::newRow("explicit both, all views") << "bbnn" << "multi" << true << false << false << "0 1 2 3"
                                                  << "0 1 2 3";
        // Mixed labels (labeled for any task, or implicit sampling from every image).
        QTest::newRow("mixed, Lu unlabeled") << "bsdn" << "multi" << true << false << true << "0 1 2" << "1 2 3";
        QTest::newRow("mixed, Lu all") << "bsdn" << "multi" << true << true << true << "0 1 2" << "0 1 2 3";
        QTest::newRow("implicit order, Lu unlabeled") << "nbds" << "multi" << true << false << true << "1 2 3"
                                                      << "0 2 3";
        QTest::newRow("mixed, segmentation head") << "bsdn" << "seg" << true << false << true << "0 1" << "2 3";
        QTest::newRow("mixed, segmentation head, Lu all") << "bsdn" << "seg" << true << true << true << "0 1"
                                                          << "0 1 2 3";
        QTest::newRow("mixed, detection head") << "bsdn" << "det" << true << false << true << "0 2" << "1 3";
        QTest::newRow("mixed, supervised") << "bsdn" << "multi" << false << false << true << "0 1 2" << "";
        QTest::newRow("mixed, supervised, detection head") << "bsdn" << "det" << false << false << true << "0 2" << "";
        QTest::newRow("mixed, supervised, all views") << "bsdn" << "multi" << false << false << false << "0 1 2 3"
                                                      << "";
        QTest::newRow("all labeled, Lu unlabeled") << "bbbb" << "multi" << true << false << true << "0 1 2 3" << "";
        QTest::newRow("none labeled") << "nnnn" << "multi" << true << false << true << "" << "0 1 2 3";
    }

    void usedKeepsExactlyTheViewsEachLossNeeds() {
        QFETCH(QString, batch);
        QFETCH(QString, heads);
        QFETCH(bool, semiSupervised);
        QFETCH(bool, luOnAll);
        QFETCH(bool, usedOnly);
        QFETCH(QString, weak);
        QFETCH(QString, strong);
        ViewSelectionRule rule;
        rule.segHead = heads != "det";
        rule.detHead = heads != "seg";
        rule.semiSupervised = semiSupervised;
        rule.luOnAllSamples = luOnAll;
        rule.usedOnly = usedOnly;
        const ViewRows rows = selectViewRows(tasksOf(batch), rule);
        QCOMPARE(text(rows.weak), weak);
        QCOMPARE(text(rows.strong), strong);
    }

    // The step uses the rule, for each method, and falls back to every view when none feeds a loss.
    void stepRunsTheStudentOnTheSelectedViews() {
        MultiTaskModel student(tinyModelSpec(4, 2));
        EmaTeacher teacher(*student, 0.99);
        LossMeter meter(torch::kCPU);
        const TrainBatch mixed = mixedBatch(tasksOf("bsdn"), 32, 64);
        for (LearningMethod method : {LearningMethod::named("fixmatch"), LearningMethod::named("densefixmatch")}) {
            SemiSupervisedOptions o;
            o.method = method;
            o.usedViewsOnly = true;
            SemiSupervisedStep step(o, equivariantViews(), *student, teacher, torch::kCPU, meter);
            const StepLosses l = step.losses(mixed, 0);
            QCOMPARE(text(l.views.weak), QString("0 1 2"));
            QCOMPARE(text(l.views.strong), QString("1 2 3"));
        }
        {
            // Mean Teacher has no detection Lu: a sample labeled for segmentation needs no strong view.
            SemiSupervisedOptions o;
            o.method = LearningMethod::named("meanteacher");
            o.usedViewsOnly = true;
            SemiSupervisedStep step(o, equivariantViews(), *student, teacher, torch::kCPU, meter);
            const StepLosses l = step.losses(mixed, 0);
            QCOMPARE(text(l.views.weak), QString("0 1 2"));
            QCOMPARE(text(l.views.strong), QString("2 3"));
        }
        SemiSupervisedOptions o;
        o.usedViewsOnly = true;
        SemiSupervisedStep supervised(o, equivariantViews(), *student, teacher, torch::kCPU, meter);
        QCOMPARE(text(supervised.losses(mixed, 0).views.weak), QString("0 1 2"));
        const StepLosses unlabeled = supervised.losses(mixedBatch(tasksOf("nn"), 32, 64), 0);
        QCOMPARE(text(unlabeled.views.weak), QString("0 1"));
        QCOMPARE(unlabeled.total.item<double>(), 0.0);
        QVERIFY(unlabeled.total.requires_grad()); // still a step of the model: backward works
    }

    // Every view needed (every sample labeled, Lu over all samples): the same batch, the same losses.
    void usedGivesTheLossesOfAllWhenEveryViewIsNeeded() {
        MultiTaskModel student(tinyModelSpec(4, 2));
        EmaTeacher teacher(*student, 0.99);
        const TrainBatch batch = mixedBatch(tasksOf("bbb"), 32, 64);
        SemiSupervisedOptions o;
        o.method = LearningMethod::named("densefixmatch");
        o.luOnAllSamples = true;
        o.pseudoBoxes.scoreThreshold = 0;
        LossMeter meterAll(torch::kCPU), meterUsed(torch::kCPU);
        SemiSupervisedStep all(o, equivariantViews(), *student, teacher, torch::kCPU, meterAll);
        o.usedViewsOnly = true;
        SemiSupervisedStep used(o, equivariantViews(), *student, teacher, torch::kCPU, meterUsed);
        torch::manual_seed(5); // the same dropout masks
        const StepLosses a = all.losses(batch, 5);
        torch::manual_seed(5);
        const StepLosses u = used.losses(batch, 5);
        QCOMPARE(text(u.views.strong), QString("0 1 2"));
        QVERIFY(u.segUnsup.item<double>() > 0);
        QCOMPARE(u.total.item<double>(), a.total.item<double>());
        QCOMPARE(u.seg.item<double>(), a.seg.item<double>());
        QCOMPARE(u.segUnsup.item<double>(), a.segUnsup.item<double>());
        QCOMPARE(u.detUnsupClassification.item<double>(), a.detUnsupClassification.item<double>());
    }

    // With BatchNorm's statistics fixed (evaluation mode) every output is per sample, so `used`
    // must give every loss of `all` on a mixed batch: the views dropped fed no loss.
    void usedGivesTheLossesOfAllWithFixedStatistics_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<bool>("luOnAll");
        QTest::newRow("FixMatch*, Lu unlabeled") << QString("fixmatch") << false;
        QTest::newRow("Dense FixMatch, Lu unlabeled") << QString("densefixmatch") << false;
        QTest::newRow("Dense FixMatch, Lu all") << QString("densefixmatch") << true;
        QTest::newRow("Mean Teacher, Lu unlabeled") << QString("meanteacher") << false;
        QTest::newRow("supervised") << QString("supervised") << false;
    }

    void usedGivesTheLossesOfAllWithFixedStatistics() {
        QFETCH(QString, method);
        QFETCH(bool, luOnAll);
        MultiTaskModel student(tinyModelSpec(4, 2));
        student->eval();
        EmaTeacher teacher(*student, 0.99);
        const TrainBatch batch = mixedBatch(tasksOf("bsdnb"), 32, 64);
        SemiSupervisedOptions o;
        o.method = LearningMethod::named(method.toStdString());
        o.supervisedOnWeakViews = true;
        o.luOnAllSamples = luOnAll;
        o.pseudoBoxes.scoreThreshold = 0; // the random teacher's boxes count: Lu,det has targets
        o.rampSteps = 0;                  // λ = 1
        LossMeter meterAll(torch::kCPU), meterUsed(torch::kCPU);
        SemiSupervisedStep all(o, equivariantViews(), *student, teacher, torch::kCPU, meterAll);
        o.usedViewsOnly = true;
        SemiSupervisedStep used(o, equivariantViews(), *student, teacher, torch::kCPU, meterUsed);
        const StepLosses a = all.losses(batch, 3), u = used.losses(batch, 3);
        QVERIFY(u.views.weak.size() + u.views.strong.size() < a.views.weak.size() + a.views.strong.size());
        QVERIFY(a.seg.item<double>() > 0 && a.detClassification.item<double>() > 0);
        for (const auto& [name, x, y] :
             std::vector<std::tuple<const char*, torch::Tensor, torch::Tensor>>{
                 {"seg", u.seg, a.seg},
                 {"det cls", u.detClassification, a.detClassification},
                 {"det box", u.detRegression, a.detRegression},
                 {"seg unsup", u.segUnsup, a.segUnsup},
                 {"det unsup cls", u.detUnsupClassification, a.detUnsupClassification},
                 {"det unsup box", u.detUnsupRegression, a.detUnsupRegression},
                 {"total", u.total, a.total}})
            QVERIFY2(relativeDifference(x, y) < 1e-5,
                     qPrintable(QString("%1: used %2, all %3").arg(name).arg(x.item<double>()).arg(y.item<double>())));
        if (o.method.info().teachesSegmentation) QVERIFY(a.segUnsup.item<double>() > 0);
        if (o.method.info().teachesDetection) QVERIFY(a.detUnsupClassification.item<double>() > 0);
    }
};

MTLW_TEST_MAIN(TestStudentViews, None)
#include "tst_student_views.moc"
