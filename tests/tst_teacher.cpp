// The EMA teacher: the update on hand-made numbers, integer buffers copied, structure mismatches
// refused, and the teacher's weights kept by checkpoints (so a resumed run continues exactly).
#include "core/common/Error.h"
#include "core/model/Checkpoint.h"
#include "core/train/EmaTeacher.h"
#include "TestSuite.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace mtl;

namespace {
struct Tiny : torch::nn::Module {
    torch::nn::Linear linear{nullptr};
    torch::nn::BatchNorm1d norm{nullptr};
    Tiny() {
        linear = register_module("linear", torch::nn::Linear(2, 1));
        norm = register_module("norm", torch::nn::BatchNorm1d(1));
    }
    void set(std::vector<double> w, double b, double runningMean, int64_t batches) {
        torch::NoGradGuard g;
        linear->weight.copy_(torch::tensor(w, torch::kDouble).view({1, 2}));
        linear->bias.fill_(b);
        norm->running_mean.fill_(runningMean);
        norm->num_batches_tracked.fill_(batches);
    }
};

ModelSpec smallSpec() {
    ModelSpec s;
    s.backbone = BackboneKind::ResNet18;
    s.width = 0.125;
    return s;
}

double maxDifference(torch::nn::Module& a, torch::nn::Module& b) {
    double d = 0;
    auto theirs = b.named_parameters();
    for (const auto& p : a.named_parameters()) d = std::max(d, (p.value() - theirs[p.key()]).abs().max().item<double>());
    auto theirBuffers = b.named_buffers();
    for (const auto& p : a.named_buffers())
        d = std::max(d, (p.value().to(torch::kDouble) - theirBuffers[p.key()].to(torch::kDouble)).abs().max().item<double>());
    return d;
}
} // namespace

class TestTeacher : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void updateAveragesParametersAndBuffers() {
        Tiny teacher, student;
        teacher.set({1, 2}, 0, 0, 3);
        student.set({3, 6}, 4, 8, 5);
        updateEma(teacher, student, 0.75);
        // 0.75 · teacher + 0.25 · student
        QCOMPARE(teacher.linear->weight[0][0].item<float>(), 1.5f);
        QCOMPARE(teacher.linear->weight[0][1].item<float>(), 3.0f);
        QCOMPARE(teacher.linear->bias[0].item<float>(), 1.0f);
        QCOMPARE(teacher.norm->running_mean[0].item<float>(), 2.0f);
        QCOMPARE(teacher.norm->running_var[0].item<float>(), 1.0f); // both 1
        QCOMPARE(teacher.norm->num_batches_tracked.item<int64_t>(), int64_t(5)); // integers are copied
        updateEma(teacher, student, 0.75); // again: 0.75 · 1.5 + 0.25 · 3
        QCOMPARE(teacher.linear->weight[0][0].item<float>(), 1.875f);
        // The student is untouched.
        QCOMPARE(student.linear->weight[0][0].item<float>(), 3.0f);
        updateEma(teacher, student, 0.0); // decay 0: a copy
        QCOMPARE(teacher.linear->weight[0][1].item<float>(), 6.0f);
    }

    void refusesModulesOfAnotherStructure() {
        Tiny teacher;
        torch::nn::Linear other(2, 1);
        bool thrown = false;
        try {
            updateEma(teacher, *other, 0.5);
        } catch (const Error& e) {
            thrown = std::string(e.what()).find("differ in their number of parameters") != std::string::npos;
        }
        QVERIFY(thrown);
    }

    void teacherStartsAsACopyWithoutGradients() {
        MultiTaskModel student(smallSpec());
        EmaTeacher teacher(*student, 0.99);
        QCOMPARE(maxDifference(teacher.model(), *student), 0.0);
        QVERIFY(!teacher.model().is_training());
        for (const auto& p : teacher.model().parameters()) QVERIFY(!p.requires_grad());
        QVERIFY(!inputErrorThrown([&] { EmaTeacher bad(*student, 0.99); }));
        QVERIFY(inputErrorThrown([&] { EmaTeacher bad(*student, 1.5); }));
    }

    void checkpointKeepsTheTeacher() {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/c.pt").toStdString();
        MultiTaskModel student(smallSpec());
        EmaTeacher teacher(*student, 0.9);
        {
            torch::NoGradGuard g;
            for (auto& p : student->parameters()) p.add_(0.5);
        }
        teacher.update(*student); // now teacher ≠ student
        QVERIFY(maxDifference(teacher.model(), *student) > 0.4);
        saveCheckpoint(path, *student, nullptr, 7, &teacher.model());

        MultiTaskModel resumed(smallSpec()), resumedTeacher(smallSpec());
        QCOMPARE(loadCheckpoint(path, *resumed, nullptr, resumedTeacher.get()).step, int64_t(7));
        QCOMPARE(maxDifference(*resumed, *student), 0.0);
        QCOMPARE(maxDifference(*resumedTeacher, teacher.model()), 0.0);

        // Written without a teacher: the teacher starts from the model's weights.
        saveCheckpoint(path, *student, nullptr, 8);
        MultiTaskModel fallback(smallSpec());
        loadCheckpoint(path, *resumed, nullptr, fallback.get());
        QCOMPARE(maxDifference(*fallback, *student), 0.0);
    }

private:
    static bool inputErrorThrown(const std::function<void()>& f) {
        try {
            f();
        } catch (const InputError&) {
            return true;
        }
        return false;
    }
};

MTLW_TEST_MAIN(TestTeacher, None)
#include "tst_teacher.moc"
