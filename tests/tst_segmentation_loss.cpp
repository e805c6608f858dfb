// The segmentation loss: the CPU's one-pass resized cross-entropy against its definition (bilinear
// resize, then cross-entropy), in value and gradient; ignored pixels; labels that are no class.
#include "core/common/Error.h"
#include "core/model/Layers.h"
#include "core/model/SegmentationLoss.h"
#include "TestSuite.h"

#include <QtTest>

#include <cmath>

using namespace mtl;
namespace F = torch::nn::functional;

namespace {
// The definition in double precision: resize, cross-entropy summed over the pixels not at 255.
torch::Tensor definition(const torch::Tensor& logits, const torch::Tensor& labels) {
    auto full = logits;
    if (full.size(2) != labels.size(1) || full.size(3) != labels.size(2))
        full = resizeBilinear(full, labels.size(1), labels.size(2));
    return F::cross_entropy(full, labels, F::CrossEntropyFuncOptions().ignore_index(255).reduction(torch::kSum));
}
} // namespace

class TestSegmentationLoss : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void resizedCrossEntropyEqualsTheDefinition() {
        // Upsampled ×4 (the DeepLab head's stride), by uneven factors both ways, and unresized.
        const std::vector<std::array<int64_t, 4>> shapes{{4, 8, 16, 32}, {5, 7, 13, 6}, {6, 9, 6, 9}};
        for (const auto& s : shapes) {
            torch::manual_seed(int(s[0] + s[2]));
            const int64_t n = 3, c = 5;
            auto logits = (torch::randn({n, c, s[0], s[1]}) * 4).to(torch::kFloat);
            auto labels = torch::randint(0, c, {n, s[2], s[3]}, torch::kLong);
            labels.index_put_({0}, 255);                                              // an unlabeled sample
            labels.index_put_({1, torch::indexing::Slice(), 0}, 255);                 // an ignored column
            labels.index_put_({2, 0, torch::indexing::Slice()}, 255);                 // an ignored row
            logits.index_put_({2, 1, 0, 0}, 120.f);                                   // softmax saturates

            const auto fast = logits.clone().requires_grad_(true);
            const auto loss = resizedCrossEntropySum(fast, labels);
            (loss * 0.7).backward();
            const auto exact = logits.to(torch::kDouble).requires_grad_(true);
            const auto reference = definition(exact, labels);
            (reference * 0.7).backward();

            QCOMPARE(loss.dim(), 0);
            QVERIFY2(std::abs(loss.item<double>() - reference.item<double>()) <= 1e-5 * reference.item<double>(),
                     qPrintable(QString("%1 against %2").arg(loss.item<double>()).arg(reference.item<double>())));
            QVERIFY(torch::allclose(fast.grad().to(torch::kDouble), exact.grad(), 1e-4, 1e-6));
            QCOMPARE(fast.grad()[0].abs().sum().item<double>(), 0.0); // the unlabeled sample learns nothing
        }
    }

    void meanOverLabeledPixelsAndZeroWithoutAny() {
        // Logits (0, 0), (0, 0) and (ln 3, 0) labeled 1, 0 and 0: ln 2, ln 2 and ln(4/3); the fourth
        // pixel is ignored, whatever its logits.
        const auto logits = torch::tensor({0.f, 0.f, float(std::log(3.0)), 5.f, 0.f, 0.f, 0.f, 0.f}).view({1, 2, 1, 4});
        const auto labels = torch::tensor({1, 0, 0, 255}, torch::kLong).view({1, 1, 4});
        const double expected = (2 * std::log(2.0) + std::log(4.0 / 3)) / 3;
        QVERIFY(std::abs(segmentationLoss(logits, labels).item<double>() - expected) < 1e-6);
        const auto none = torch::full({1, 1, 4}, 255, torch::kLong);
        const auto zero = segmentationLoss(logits.clone().requires_grad_(true), none);
        QCOMPARE(zero.item<double>(), 0.0);
    }

    void aLabelThatIsNoClassIsAnError() {
        const auto logits = torch::zeros({1, 3, 2, 2});
        const auto labels = torch::tensor({0, 1, 7, 255}, torch::kLong).view({1, 2, 2});
        try {
            resizedCrossEntropySum(logits, labels);
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(QString(e.what()), QString("segmentation loss: label 7 is neither a class of the 3 logits nor 255 (ignored)"));
        }
        try {
            resizedCrossEntropySum(logits, torch::zeros({2, 2, 2}, torch::kLong));
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(QString(e.what()), QString("segmentation loss: labels of shape 2 x 2 x 2 for logits of shape 1 x 3 x 2 x 2"));
        }
    }
};

MTLW_TEST_MAIN(TestSegmentationLoss, None)
#include "tst_segmentation_loss.moc"
