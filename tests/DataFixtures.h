#pragma once
// Small data sets written by the tests themselves, in the official Cityscapes and BDD100K layouts,
// with contents simple enough to count by hand; plus helpers to corrupt files.
#include <QtCore/QByteArray>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtTest/QtTest>

#include <opencv2/imgcodecs.hpp>

#include <functional>
#include <string>

namespace fixtures {

// Message of the exception of type E thrown by f, or "" when f throws nothing or something else.
template <typename E>
QString messageOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const E& e) {
        return QString::fromStdString(e.what());
    } catch (...) {
        return "(other exception)";
    }
    return {};
}

inline void writeBytes(const std::string& path, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(QString::fromStdString(path)).absolutePath());
    QFile f(QString::fromStdString(path));
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), qint64(bytes.size()));
}

inline void writeImage(const std::string& path, const cv::Mat& m) {
    QDir().mkpath(QFileInfo(QString::fromStdString(path)).absolutePath());
    QVERIFY2(cv::imwrite(path, m), path.c_str());
}

inline void truncateToHalf(const std::string& path) {
    QFile f(QString::fromStdString(path));
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.resize(f.size() / 2));
}

// Cityscapes layout, 8×6 images:
//   train: aachen_000000_000019 (road; car instance 26001 at x1..2,y1..2; a car group region (bare
//          26) at x5..6,y0; person 24000 at x4,y3..5; caravan 29000 at x0,y5; unlabeled at x7,y5),
//          aachen_000001_000019 (sky; bus 28001 on row 5), bonn_000000_000019 (building);
//   val: frankfurt_000000_000019 (road; car 26000 at x0..1,y0);
//   test: berlin_000000_000019 with a garbage gtFine/test file that must never be read;
//   train_extra: erlangen_000000_000019; sequence (leftImg8bit_sequence/train): aachen_000000_000018
//          and aachen_000000_000019 (the latter is the train image and is left out).
inline void writeCityscapes(const std::string& root) {
    const cv::Mat rgb(6, 8, CV_8UC3, cv::Scalar(40, 80, 120));
    auto image = [&](const std::string& dir, const std::string& city, const std::string& id) {
        writeImage(root + "/" + dir + "/" + city + "/" + id + "_leftImg8bit.png", rgb);
    };
    auto labels = [&](const std::string& split, const std::string& city, const std::string& id,
                      const cv::Mat& labelIds, const cv::Mat& instanceIds) {
        const std::string stem = root + "/gtFine/" + split + "/" + city + "/" + id + "_gtFine_";
        writeImage(stem + "labelIds.png", labelIds);
        writeImage(stem + "instanceIds.png", instanceIds);
    };
    { // aachen_000000_000019
        cv::Mat ids(6, 8, CV_8UC1, cv::Scalar(7)), inst(6, 8, CV_16UC1, cv::Scalar(7));
        auto set = [&](int x0, int x1, int y0, int y1, int labelId, int instance) {
            for (int y = y0; y <= y1; ++y)
                for (int x = x0; x <= x1; ++x) {
                    ids.at<std::uint8_t>(y, x) = static_cast<std::uint8_t>(labelId);
                    inst.at<std::uint16_t>(y, x) = static_cast<std::uint16_t>(instance);
                }
        };
        set(1, 2, 1, 2, 26, 26001);
        set(5, 6, 0, 0, 26, 26);
        set(4, 4, 3, 5, 24, 24000);
        set(0, 0, 5, 5, 29, 29000);
        set(7, 7, 5, 5, 0, 0);
        image("leftImg8bit/train", "aachen", "aachen_000000_000019");
        labels("train", "aachen", "aachen_000000_000019", ids, inst);
    }
    { // aachen_000001_000019
        cv::Mat ids(6, 8, CV_8UC1, cv::Scalar(23)), inst(6, 8, CV_16UC1, cv::Scalar(23));
        ids.row(5).setTo(28);
        inst.row(5).setTo(28001);
        image("leftImg8bit/train", "aachen", "aachen_000001_000019");
        labels("train", "aachen", "aachen_000001_000019", ids, inst);
    }
    image("leftImg8bit/train", "bonn", "bonn_000000_000019");
    labels("train", "bonn", "bonn_000000_000019", cv::Mat(6, 8, CV_8UC1, cv::Scalar(11)),
           cv::Mat(6, 8, CV_16UC1, cv::Scalar(11)));
    {
        cv::Mat ids(6, 8, CV_8UC1, cv::Scalar(7)), inst(6, 8, CV_16UC1, cv::Scalar(7));
        ids(cv::Rect(0, 0, 2, 1)).setTo(26);
        inst(cv::Rect(0, 0, 2, 1)).setTo(26000);
        image("leftImg8bit/val", "frankfurt", "frankfurt_000000_000019");
        labels("val", "frankfurt", "frankfurt_000000_000019", ids, inst);
    }
    image("leftImg8bit/test", "berlin", "berlin_000000_000019");
    writeBytes(root + "/gtFine/test/berlin/berlin_000000_000019_gtFine_labelIds.png", "placeholder");
    image("leftImg8bit/train_extra", "erlangen", "erlangen_000000_000019");
    image("leftImg8bit_sequence/train", "aachen", "aachen_000000_000018");
    image("leftImg8bit_sequence/train", "aachen", "aachen_000000_000019");
}

// BDD100K layout, 16×9 JPEGs:
//   images/100k/train: a b c d; images/100k/val: v1 v2
//   images/10k/train: b e v1 (v1 is in 100K val: removed); images/10k/val: v2 w
//   det_20 train: a (car + "other vehicle" → crowd car), b (traffic sign + crowd pedestrian),
//          c (labels null: labeled, no objects); d has no labels
//   det_20 val: v1 (truck), v2 (empty list)
//   masks train: b e (and v1, unused); masks val: v2 w. Masks are 0 (road) with 13 (car) in row 0
//   and 255 in row 8.
inline void writeBdd100k(const std::string& root, bool legacyFormat = false) {
    const cv::Mat rgb(9, 16, CV_8UC3, cv::Scalar(30, 60, 90));
    for (const char* n : {"a", "b", "c", "d"}) writeImage(root + "/images/100k/train/" + n + ".jpg", rgb);
    for (const char* n : {"v1", "v2"}) writeImage(root + "/images/100k/val/" + n + ".jpg", rgb);
    for (const char* n : {"b", "e", "v1"}) writeImage(root + "/images/10k/train/" + n + ".jpg", rgb);
    for (const char* n : {"v2", "w"}) writeImage(root + "/images/10k/val/" + n + ".jpg", rgb);
    cv::Mat mask(9, 16, CV_8UC1, cv::Scalar(0));
    mask.row(0).setTo(13);
    mask.row(8).setTo(255);
    for (const char* n : {"b", "e", "v1"}) writeImage(root + "/labels/sem_seg/masks/train/" + n + ".png", mask);
    for (const char* n : {"v2", "w"}) writeImage(root + "/labels/sem_seg/masks/val/" + n + ".png", mask);
    if (legacyFormat) {
        writeBytes(root + "/labels/bdd100k_labels_images_train.json", R"([
 {"name": "a.jpg", "labels": [
   {"category": "person", "box2d": {"x1": 1, "y1": 1, "x2": 3, "y2": 7}},
   {"category": "bike", "box2d": {"x1": 4, "y1": 2, "x2": 8, "y2": 6}},
   {"category": "motor", "box2d": {"x1": 9, "y1": 2, "x2": 12, "y2": 6}},
   {"category": "drivable area", "poly2d": [{"vertices": [[0, 8], [15, 8]]}]},
   {"category": "lane", "poly2d": [{"vertices": [[0, 5], [15, 5]]}]}]},
 {"name": "b.jpg", "labels": []},
 {"name": "c.jpg", "labels": []}])");
        writeBytes(root + "/labels/bdd100k_labels_images_val.json", R"([{"name": "v1.jpg", "labels": []}])");
        return;
    }
    writeBytes(root + "/labels/det_20/det_train.json", R"([
 {"name": "a.jpg", "attributes": {"weather": "clear"}, "timestamp": 10000, "labels": [
   {"id": "1", "category": "car", "attributes": {"occluded": false}, "box2d": {"x1": 1.5, "y1": 2, "x2": 5.5, "y2": 6}},
   {"id": "2", "category": "other vehicle", "box2d": {"x1": 8, "y1": 1, "x2": 12, "y2": 4}}]},
 {"name": "b.jpg", "labels": [
   {"id": "3", "category": "traffic sign", "box2d": {"x1": 0, "y1": 0, "x2": 2, "y2": 2}},
   {"id": "4", "category": "pedestrian", "attributes": {"crowd": true}, "box2d": {"x1": 3, "y1": 3, "x2": 9, "y2": 8}}]},
 {"name": "c.jpg", "labels": null}])");
    writeBytes(root + "/labels/det_20/det_val.json", R"([
 {"name": "v1.jpg", "labels": [{"id": "5", "category": "truck", "box2d": {"x1": 2, "y1": 2, "x2": 10, "y2": 8}}]},
 {"name": "v2.jpg", "labels": []}])");
}

} // namespace fixtures
