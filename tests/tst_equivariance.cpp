// The equivariance probe of `mtlw diagnose equivariance`: a model that is exactly equivariant to a
// transform scores 1 under it, one that is not scores lower, on segmentation and on detection.
#include "core/eval/EquivarianceProbe.h"

#include <QtTest>

using namespace mtl;

namespace {

// Stripes of three colours with a red square: every pixel's class is its colour.
cv::Mat testImage() {
    cv::Mat image(48, 96, CV_8UC3, cv::Scalar(0, 0, 0));
    for (int x = 0; x < image.cols; ++x) {
        const cv::Vec3b c = (x / 8) % 3 == 0 ? cv::Vec3b(0, 200, 0) : (x / 8) % 3 == 1 ? cv::Vec3b(0, 0, 200) : cv::Vec3b(200, 200, 200);
        for (int y = 0; y < image.rows; ++y) image.at<cv::Vec3b>(y, x) = c;
    }
    image(cv::Rect(30, 12, 16, 20)).setTo(cv::Scalar(220, 0, 0));
    return image;
}

// Equivariant to any warp that keeps colours: the class of each pixel from its colour alone, one
// box around the red pixels.
ImagePrediction byColour(const cv::Mat& rgb) {
    ImagePrediction p;
    p.labels = cv::Mat(rgb.size(), CV_8UC1);
    int x1 = rgb.cols, y1 = rgb.rows, x2 = -1, y2 = -1;
    for (int y = 0; y < rgb.rows; ++y)
        for (int x = 0; x < rgb.cols; ++x) {
            const cv::Vec3b c = rgb.at<cv::Vec3b>(y, x);
            const int label = c[0] > 150 && c[1] < 100 ? 3 : c[1] > 150 && c[0] < 100 ? 0 : c[2] > 150 && c[0] < 100 ? 1 : 2;
            p.labels.at<std::uint8_t>(y, x) = static_cast<std::uint8_t>(label);
            if (label == 3) x1 = std::min(x1, x), y1 = std::min(y1, y), x2 = std::max(x2, x), y2 = std::max(y2, y);
        }
    if (x2 >= 0) p.detections.push_back({Box{float(x1), float(y1), float(x2 + 1), float(y2 + 1), 0}, 0.9f});
    return p;
}

// Not equivariant: the class from the position (left third, the rest), a box at a fixed place.
ImagePrediction byPosition(const cv::Mat& rgb) {
    ImagePrediction p;
    p.labels = cv::Mat(rgb.size(), CV_8UC1, cv::Scalar(1));
    p.labels(cv::Rect(0, 0, rgb.cols / 3, rgb.rows)).setTo(0);
    p.detections.push_back({Box{4, 4, 20, 20, 0}, 0.9f});
    return p;
}

EquivarianceScore scoreOf(const ImagePredictor& model, const EquivarianceTransform& t) {
    EquivarianceOptions o;
    o.segClasses = 4;
    return measureEquivariance({testImage()}, model, o, {t}).front();
}

} // namespace

class TestEquivariance : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void anExactlyEquivariantModelScoresOne_data() {
        QTest::addColumn<QString>("family");
        QTest::addColumn<double>("magnitude");
        QTest::newRow("flip") << "flip" << 1.0;
        QTest::newRow("translate 1/12 of the width (8 px)") << "translate" << 1.0 / 12;
        QTest::newRow("translate -1/6 of the width (16 px)") << "translate" << -1.0 / 6;
    }

    void anExactlyEquivariantModelScoresOne() {
        QFETCH(QString, family);
        QFETCH(double, magnitude);
        const EquivarianceScore s = scoreOf(byColour, {family.toStdString(), magnitude});
        QVERIFY(s.segMeanIoU.has_value());
        QCOMPARE(*s.segMeanIoU, 1.0);
        QVERIFY(s.boxRecall.has_value() && s.boxMeanIoU.has_value());
        QCOMPARE(*s.boxRecall, 1.0);
        QCOMPARE(*s.boxMeanIoU, 1.0);
        QCOMPARE(s.images, 1);

        const EquivarianceScore bad = scoreOf(byPosition, {family.toStdString(), magnitude});
        QVERIFY2(*bad.segMeanIoU < 0.9, qPrintable(QString::number(*bad.segMeanIoU)));
        QVERIFY2(!bad.boxMeanIoU || *bad.boxRecall < 1.0 || *bad.boxMeanIoU < 0.9, "the fixed box does not follow");
    }

    void everyFamilyHasAMatrixAndTheTableNamesIt() {
        const auto all = equivarianceTransforms();
        QCOMPARE(int(all.size()), 13);
        // Each warps the frame's centre onto itself except translation, which moves it by its share.
        for (const EquivarianceTransform& t : all) {
            const Point2D c = t.matrix(100, 50).apply({50, 25});
            if (t.family == "translate") QCOMPARE(c.x, 50 + std::round(t.magnitude * 100));
            else QCOMPARE(c.x, 50.0);
            QCOMPARE(c.y, 25.0);
        }
        QVERIFY_THROWS_EXCEPTION(std::exception, (EquivarianceTransform{"twist", 1}.matrix(10, 10)));
        // Rotation keeps colours except at edges: the colour model stays near 1, the position model not.
        const EquivarianceScore rotated = scoreOf(byColour, {"rotate", 10});
        QVERIFY(*rotated.segMeanIoU > 0.8);
        const std::string table = equivarianceTable({rotated});
        QVERIFY(table.find("rotate 10") != std::string::npos);
        QVERIFY(equivarianceJson({rotated}).find("\"family\":\"rotate\"") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestEquivariance)
#include "tst_equivariance.moc"
