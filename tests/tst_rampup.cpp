// The unsupervised-loss ramp-up λ(step) = exp(−5(1 − step/L)²) for step < L, then 1.
#include "core/train/RampUp.h"

#include <QtTest>

#include <cmath>

using namespace mtl;

class TestRampUp : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void valuesAlongTheRamp() {
        QCOMPARE(sigmoidRampUp(0, 100), 0.006737946999085467);  // e^-5
        QCOMPARE(sigmoidRampUp(50, 100), 0.28650479686019010);  // e^-1.25
        QCOMPARE(sigmoidRampUp(80, 100), 0.81873075307798182);  // e^-0.2
        QCOMPARE(sigmoidRampUp(99, 100), 0.99950012497916927);  // e^-0.0005
        QCOMPARE(sigmoidRampUp(100, 100), 1.0);
        QCOMPARE(sigmoidRampUp(5000, 100), 1.0);
        QCOMPARE(sigmoidRampUp(0, 0), 1.0); // no ramp
        QVERIFY(sigmoidRampUp(30, 100) < sigmoidRampUp(31, 100)); // rises
    }

    void rampLengthFromTheFraction() {
        QCOMPARE(rampUpSteps(0.05, 1500), std::int64_t(75));
        QCOMPARE(rampUpSteps(0.05, 89250), std::int64_t(4463)); // 4462.5, halves away from zero
        QCOMPARE(rampUpSteps(0.1, 150000), std::int64_t(15000));
        QCOMPARE(rampUpSteps(0.0, 1500), std::int64_t(0));
    }
};

QTEST_APPLESS_MAIN(TestRampUp)
#include "tst_rampup.moc"
