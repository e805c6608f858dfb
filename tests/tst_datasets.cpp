// The data set readers on hand-built Cityscapes and BDD100K fixtures: splits, labeled flags, label
// conversion, merging, class shares, COCO export, and every kind of bad input.
#include "DataFixtures.h"

#include "core/common/Error.h"
#include "core/data/Bdd100kDataset.h"
#include "core/data/CityscapesDataset.h"
#include "core/data/DatasetLocator.h"
#include "core/data/ClassShareCache.h"
#include "core/data/DatasetReport.h"
#include "core/eval/PaperTable.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

using namespace mtl;
using fixtures::messageOf;

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

bool sameBox(const Box& b, float x1, float y1, float x2, float y2, int cls, bool crowd = false) {
    return b.x1 == x1 && b.y1 == y1 && b.x2 == x2 && b.y2 == y2 && b.cls == cls && b.crowd == crowd;
}

} // namespace

class TestDatasets : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    std::string cs_, bdd_;
    std::string path(const char* name) const { return tmp_.filePath(name).toStdString(); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        cs_ = path("cityscapes");
        bdd_ = path("bdd100k");
        fixtures::writeCityscapes(cs_);
        fixtures::writeBdd100k(bdd_);
    }

    void cityscapesSplits() {
        const CityscapesDataset train(cs_, "train");
        QCOMPARE(train.size(), std::size_t(3));
        QCOMPARE(qs(train.id(0)), QString("aachen_000000_000019"));
        QCOMPARE(qs(train.id(2)), QString("bonn_000000_000019"));
        QCOMPARE(train.labeledCount(Task::Segmentation), std::size_t(3));
        QCOMPARE(train.labeledCount(Task::Detection), std::size_t(3));

        // test: the gtFine/test placeholder is never read; train_extra and sequence are unlabeled.
        const CityscapesDataset test(cs_, "test");
        QCOMPARE(test.size(), std::size_t(1));
        QVERIFY(!test.labeled(0, Task::Segmentation) && !test.labeled(0, Task::Detection));
        const Sample t = test.load(0);
        QVERIFY(!t.hasSeg && !t.hasDet && t.seg.empty());
        QCOMPARE(CityscapesDataset(cs_, "train_extra").labeledCount(Task::Segmentation), std::size_t(0));
        const CityscapesDataset sequence(cs_, "sequence");
        QCOMPARE(sequence.size(), std::size_t(1)); // the frame that is also a train image is left out
        QCOMPARE(qs(sequence.id(0)), QString("aachen_000000_000018"));

        // Splits joined with '+': counts add up, ids stay unique.
        const auto all = openDataset({"cityscapes", cs_}, "train+train_extra+sequence");
        QCOMPARE(all->size(), std::size_t(5));
        QCOMPARE(all->labeledCount(Task::Detection), std::size_t(3));
        QCOMPARE(qs(all->id(3)), QString("erlangen_000000_000019"));
        const QString twice = messageOf<DataError>([&] { openDataset({"cityscapes", cs_}, "train+train"); });
        QVERIFY2(twice.contains("aachen_000000_000019 is listed twice"), qPrintable(twice));
        QVERIFY(messageOf<InputError>([&] { CityscapesDataset(cs_, "training"); }).contains("unknown Cityscapes split"));
    }

    void cityscapesLabels() {
        const CityscapesDataset train(cs_, "train");
        const Sample s = train.load(0);
        QVERIFY(s.hasSeg && s.hasDet);
        QCOMPARE(s.image.size(), cv::Size(8, 6));
        QCOMPARE(int(s.seg.at<std::uint8_t>(0, 0)), 0);    // road
        QCOMPARE(int(s.seg.at<std::uint8_t>(1, 1)), 13);   // car instance
        QCOMPARE(int(s.seg.at<std::uint8_t>(0, 5)), 13);   // car group region: still car pixels
        QCOMPARE(int(s.seg.at<std::uint8_t>(3, 4)), 11);   // person
        QCOMPARE(int(s.seg.at<std::uint8_t>(5, 0)), 255);  // caravan: not evaluated
        QCOMPARE(int(s.seg.at<std::uint8_t>(5, 7)), 255);  // unlabeled
        // Boxes: person and car (tight, continuous edges), in instance-value order; the group
        // region and the caravan have none.
        QCOMPARE(s.boxes.size(), std::size_t(2));
        QVERIFY(sameBox(s.boxes[0], 4, 3, 5, 6, 0));
        QVERIFY(sameBox(s.boxes[1], 1, 1, 3, 3, 2));
        const Sample bus = train.load(1);
        QCOMPARE(bus.boxes.size(), std::size_t(1));
        QVERIFY(sameBox(bus.boxes[0], 0, 5, 8, 6, 4));

        // Only what is asked for is decoded; loadLabels skips the image but knows its size.
        const Sample segOnly = train.load(0, true, false);
        QVERIFY(segOnly.hasSeg && !segOnly.hasDet && segOnly.boxes.empty());
        const Sample labelsOnly = train.loadLabels(0);
        QVERIFY(labelsOnly.image.empty());
        QCOMPARE(labelsOnly.imageSize, cv::Size(8, 6));
        QCOMPARE(labelsOnly.boxes.size(), std::size_t(2));
    }

    void cityscapesBadInput() {
        const std::string root = path("cs-bad");
        fixtures::writeCityscapes(root);
        const std::string stem = root + "/gtFine/train/bonn/bonn_000000_000019_gtFine_";
        // A label id that Cityscapes does not have: file, pixel and image named.
        cv::Mat ids(6, 8, CV_8UC1, cv::Scalar(11));
        ids.at<std::uint8_t>(2, 3) = 77;
        fixtures::writeImage(stem + "labelIds.png", ids);
        QString msg = messageOf<DataError>([&] { CityscapesDataset(root, "train").load(2); });
        QVERIFY2(msg.contains(qs(stem + "labelIds.png")) && msg.contains("value 77 at pixel (3, 2)") &&
                     msg.contains("(image bonn_000000_000019)"),
                 qPrintable(msg));
        // An instance value whose label has no instances (sky·1000 + 1).
        fixtures::writeImage(stem + "labelIds.png", cv::Mat(6, 8, CV_8UC1, cv::Scalar(11)));
        cv::Mat inst(6, 8, CV_16UC1, cv::Scalar(11));
        inst.at<std::uint16_t>(4, 6) = 23001;
        fixtures::writeImage(stem + "instanceIds.png", inst);
        msg = messageOf<DataError>([&] { CityscapesDataset(root, "train").load(2); });
        QVERIFY2(msg.contains("instanceIds.png") && msg.contains("value 23001 at pixel (6, 4)"), qPrintable(msg));
        // A truncated image.
        fixtures::writeImage(stem + "instanceIds.png", cv::Mat(6, 8, CV_16UC1, cv::Scalar(11)));
        const std::string image = root + "/leftImg8bit/train/bonn/bonn_000000_000019_leftImg8bit.png";
        fixtures::truncateToHalf(image);
        msg = messageOf<DataError>([&] { CityscapesDataset(root, "train").load(2); });
        QVERIFY2(msg.contains(qs(image)) && msg.contains("cannot decode"), qPrintable(msg));
        // The same id in two city folders.
        fixtures::writeImage(root + "/leftImg8bit/train/koeln/bonn_000000_000019_leftImg8bit.png",
                             cv::Mat(6, 8, CV_8UC3, cv::Scalar(0, 0, 0)));
        msg = messageOf<DataError>([&] { CityscapesDataset(root, "train"); });
        QVERIFY2(msg.contains("bonn_000000_000019 is listed twice"), qPrintable(msg));
        QVERIFY(QDir(qs(root + "/leftImg8bit/train/koeln")).removeRecursively());
        // A missing label file: an error naming it, or with on_error skip the image left out.
        QVERIFY(QFile::remove(qs(stem + "instanceIds.png")));
        msg = messageOf<DataError>([&] { CityscapesDataset(root, "train"); });
        QVERIFY2(msg.contains(qs(stem + "instanceIds.png")) && msg.contains("label file not found"), qPrintable(msg));
        const CityscapesDataset skipping(root, "train", OnDataError::Skip);
        QCOMPARE(skipping.size(), std::size_t(2));
        QCOMPARE(skipping.skipped().size(), std::size_t(1));
        QVERIFY(qs(skipping.skipped()[0]).contains("bonn_000000_000019_gtFine_instanceIds.png"));
    }

    void bddMergesByNameWithPerTaskFlags() {
        const Bdd100kDataset train(bdd_, "train");
        // a b c d from 100K, b e from 10K (v1 removed: it is a 100K validation image).
        QCOMPARE(train.size(), std::size_t(5));
        const Bdd100kCounts& c = train.counts();
        QCOMPARE(c.removedValOverlap, std::size_t(1));
        QCOMPARE(c.detLabeled, std::size_t(3)); // a, b, c (c: labels null = no objects)
        QCOMPARE(c.segLabeled, std::size_t(2)); // b, e
        QCOMPARE(c.both, std::size_t(1));       // b
        QCOMPARE(c.neither, std::size_t(1));    // d
        QCOMPARE(qs(train.id(4)), QString("e"));

        const Sample a = train.load(0);
        QVERIFY(a.hasDet && !a.hasSeg);
        QCOMPARE(a.image.size(), cv::Size(16, 9));
        QCOMPARE(a.boxes.size(), std::size_t(2));
        QVERIFY(sameBox(a.boxes[0], 1.5f, 2, 5.5f, 6, 2));
        QVERIFY(sameBox(a.boxes[1], 8, 1, 12, 4, 2, true)); // "other vehicle": an ignored car region
        const Sample b = train.load(1);
        QVERIFY(b.hasDet && b.hasSeg);
        QVERIFY(sameBox(b.boxes[0], 0, 0, 2, 2, 9));
        QVERIFY(sameBox(b.boxes[1], 3, 3, 9, 8, 0, true)); // crowd attribute
        QCOMPARE(int(b.seg.at<std::uint8_t>(0, 3)), 13);
        QCOMPARE(int(b.seg.at<std::uint8_t>(8, 3)), 255);
        const Sample cs = train.load(2);
        QVERIFY(cs.hasDet && cs.boxes.empty());
        QCOMPARE(train.classes().det.size(), std::size_t(10));
        QCOMPARE(qs(train.classes().det[9]), QString("traffic sign"));

        const Bdd100kDataset val(bdd_, "val");
        QCOMPARE(val.size(), std::size_t(3)); // v1 (det), v2 (det + seg), w (seg)
        QCOMPARE(val.counts().both, std::size_t(1));
        QCOMPARE(val.labeledCount(Task::Detection), std::size_t(2));
        QCOMPARE(val.labeledCount(Task::Segmentation), std::size_t(2));
    }

    void bddLegacyFormat() {
        const std::string root = path("bdd-legacy");
        fixtures::writeBdd100k(root, true);
        const Bdd100kDataset train(root, "train");
        QCOMPARE(train.counts().detLabeled, std::size_t(3));
        const Sample a = train.load(0);
        QCOMPARE(a.boxes.size(), std::size_t(3)); // drivable area and lane carry no box
        QVERIFY(sameBox(a.boxes[0], 1, 1, 3, 7, 0)); // person → pedestrian
        QVERIFY(sameBox(a.boxes[1], 4, 2, 8, 6, 7)); // bike → bicycle
        QVERIFY(sameBox(a.boxes[2], 9, 2, 12, 6, 6)); // motor → motorcycle
        QCOMPARE(Bdd100kDataset(root, "val").labeledCount(Task::Detection), std::size_t(1));
    }

    void bddBadInput() {
        const std::string root = path("bdd-bad");
        fixtures::writeBdd100k(root);
        const std::string det = root + "/labels/det_20/det_train.json";
        auto trainMessage = [&] { return messageOf<InputError>([&] { Bdd100kDataset(root, "train"); }); };

        fixtures::writeBytes(det, R"([{"name": "a.jpg", "labels": [{"category": "car", "box2d": {"x1": 0, "y1": 0, "x2": 1, "y2": 1}}, {"category": "spaceship", "box2d": {"x1": 0, "y1": 0, "x2": 1, "y2": 1}}]}])");
        QString msg = trainMessage();
        QVERIFY2(msg.contains(qs(det) + ": [0].labels[1]: unknown category 'spaceship'"), qPrintable(msg));

        fixtures::writeBytes(det, R"([{"name": "a.jpg", "labels": []}, {"name": "b.jpg"}, {"name": "a.jpg", "labels": []}])");
        msg = trainMessage();
        QVERIFY2(msg.contains("[2]: image a.jpg is listed twice (also at [0])"), qPrintable(msg));

        fixtures::writeBytes(det, R"([{"name": "a.jpg", "labels": [}])");
        msg = trainMessage();
        QVERIFY2(msg.contains(qs(det) + ": invalid JSON"), qPrintable(msg));

        fixtures::writeBytes(det, R"([{"name": "zz.jpg", "labels": []}, {"name": "a.jpg", "labels": [{"category": "car", "box2d": {"x1": 5, "y1": 0, "x2": 1, "y2": 1}}]}])");
        msg = trainMessage();
        QVERIFY2(msg.contains("[0]: image zz.jpg has no file in images/100k/train or images/10k/train"), qPrintable(msg));
        // With on_error skip, bad frames leave their image out instead: zz (no file) and a (bad box).
        const Bdd100kDataset skipping(root, "train", OnDataError::Skip);
        QCOMPARE(skipping.skipped().size(), std::size_t(2));
        QVERIFY2(qs(skipping.skipped()[1]).contains("[1].labels[0].box2d: x2 < x1"), qPrintable(qs(skipping.skipped()[1])));
        QCOMPARE(skipping.size(), std::size_t(4)); // b c d e

        fixtures::writeBdd100k(root); // good labels again
        // A mask value that is no train id; a truncated JPEG; a 10K image without its mask.
        cv::Mat mask(9, 16, CV_8UC1, cv::Scalar(0));
        mask.at<std::uint8_t>(4, 7) = 19;
        fixtures::writeImage(root + "/labels/sem_seg/masks/train/e.png", mask);
        const Bdd100kDataset train(root, "train");
        msg = messageOf<DataError>([&] { train.load(4); });
        QVERIFY2(msg.contains("e.png") && msg.contains("value 19 at pixel (7, 4)") && msg.contains("(image e)"),
                 qPrintable(msg));
        fixtures::truncateToHalf(root + "/images/100k/train/c.jpg");
        msg = messageOf<DataError>([&] { train.load(2); });
        QVERIFY2(msg.contains("c.jpg") && msg.contains("truncated JPEG"), qPrintable(msg));
        QVERIFY(QFile::remove(qs(root + "/labels/sem_seg/masks/train/e.png")));
        msg = messageOf<DataError>([&] { Bdd100kDataset(root, "train"); });
        QVERIFY2(msg.contains("masks/train/e.png") && msg.contains("label file not found"), qPrintable(msg));
        QCOMPARE(Bdd100kDataset(root, "train", OnDataError::Skip).size(), std::size_t(4));
    }

    void locatorKinds() {
        QCOMPARE(qs(locateDataset("bdd100k:" + bdd_, {}).kind), QString("bdd100k"));
        QCOMPARE(openDataset(locateDataset("bdd100k:" + bdd_, {}), "val")->size(), std::size_t(3));
        QString msg = messageOf<InputError>([&] { locateDataset("bdd100k:" + cs_, {}); });
        QVERIFY2(msg.contains("no images/ folder"), qPrintable(msg));
        msg = messageOf<InputError>([&] { locateDataset("kitti:" + cs_, {}); });
        QVERIFY2(msg.contains("unknown data set kind 'kitti'"), qPrintable(msg));
        msg = messageOf<InputError>([&] { locateDataset(cs_, {}); });
        QVERIFY2(msg.startsWith(qs("data set '" + cs_ + "' names no kind (expected synthetic,")), qPrintable(msg));
        QVERIFY2(msg.endsWith(qs("; the folder has the Cityscapes layout: give it as cityscapes:" + cs_)), qPrintable(msg));
        msg = messageOf<InputError>([&] { locateDataset(bdd_, {}); });
        QVERIFY2(msg.endsWith(qs("; the folder has the BDD100K layout: give it as bdd100k:" + bdd_)), qPrintable(msg));
        msg = messageOf<InputError>([&] { locateDataset(cs_ + "/no-such-folder", {}); });
        QVERIFY2(msg.endsWith("bdd100k:ROOT)"), qPrintable(msg));
        const std::string tooLong(5000, 'x'); // ENAMETOOLONG: still the data set's error
        msg = messageOf<InputError>([&] { locateDataset("cityscapes:" + tooLong, {}); });
        QVERIFY2(msg.endsWith("does not exist (expected the Cityscapes layout)"), qPrintable(msg));
        msg = messageOf<InputError>([&] { locateDataset("cityscapes:" + bdd_, {}); });
        QVERIFY2(msg.endsWith(qs(bdd_ + " has no leftImg8bit/ folder (expected the Cityscapes layout)")), qPrintable(msg));
        // A synthetic folder is named as one: missing, or without scenes, and how to write them.
        const std::string missing = cs_ + "/no-scenes-here";
        msg = messageOf<InputError>([&] { locateDataset("synthetic:" + missing, {}); });
        QCOMPARE(msg, qs("data set 'synthetic:" + missing + "': " + missing + " does not exist; write them with `mtlw synth --out " +
                         missing + "`, or give plain 'synthetic' for the cached set"));
        msg = messageOf<InputError>([&] { locateDataset("synthetic:" + bdd_, {}); });
        QVERIFY2(msg.contains(qs(bdd_ + " holds no synthetic scenes (no leftImg8bit/ folder)")), qPrintable(msg));
    }

    void classSharesAndInfo() {
        // Labeled pixels: road 37, car 6, person 3 | sky 40, bus 8 | building 48 = 142.
        const CityscapesDataset train(cs_, "train");
        const ClassShares shares = computeClassShares(train, 2);
        QCOMPARE(shares.labeledPixels, std::uint64_t(142));
        QCOMPARE(shares.objects, std::uint64_t(3));
        QCOMPARE(shares.segPercent[0], 100.0 * 37 / 142);
        QCOMPARE(shares.segPercent[13], 100.0 * 6 / 142);
        QCOMPARE(shares.segPercent[10], 100.0 * 40 / 142);
        QCOMPARE(shares.segPercent[2], 100.0 * 48 / 142);
        QCOMPARE(shares.segPercent[18], 0.0);
        QCOMPARE(shares.detPercent[0], 100.0 / 3); // person
        QCOMPARE(shares.detPercent[4], 100.0 / 3); // bus

        const auto info = nlohmann::json::parse(datasetInfoJson("cityscapes:" + cs_, {"cityscapes", cs_}, "train", 2));
        QCOMPARE(info["splits"].size(), std::size_t(5));
        QCOMPARE(info["splits"]["train"]["images"].get<int>(), 3);
        QCOMPARE(info["splits"]["test"]["labeled"]["neither"].get<int>(), 1);
        QCOMPARE(info["class_shares"]["labeled_pixels"].get<int>(), 142);
        QCOMPARE(info["class_shares"]["det_objects_percent"]["car"].get<double>(), 100.0 / 3);

        const auto bdd = nlohmann::json::parse(datasetInfoJson("bdd100k:" + bdd_, {"bdd100k", bdd_}, "train", 1));
        QCOMPARE(bdd["splits"]["train"]["labeled"]["det"].get<int>(), 3);
        QCOMPARE(bdd["splits"]["train"]["labeled"]["neither"].get<int>(), 1);
        QCOMPARE(bdd["bdd100k"]["removed_val_overlap"].get<int>(), 1);
        // Masks b, e: 16 car + 112 road + 16 ignore each; crowd boxes are not objects.
        QCOMPARE(bdd["class_shares"]["labeled_pixels"].get<int>(), 256);
        QCOMPARE(bdd["class_shares"]["seg_pixels_percent"]["car"].get<double>(), 12.5);
        QCOMPARE(bdd["class_shares"]["det_objects_percent"]["car"].get<double>(), 50.0);
        QCOMPARE(bdd["class_shares"]["det_objects_percent"]["traffic sign"].get<double>(), 50.0);
    }

    // The tables' class shares: computed once into the cache, read back while the file list stays,
    // computed again when a file is added; a data set that is not here is never generated.
    void classSharesAreCachedUntilTheFileListChanges() {
        const QByteArray oldCache = qgetenv("XDG_CACHE_HOME");
        qputenv("XDG_CACHE_HOME", QByteArray::fromStdString(path("cache")));
        const DatasetLocation where{"cityscapes", cs_};
        QVERIFY(!cachedClassShares(where, "train"));
        const ClassShares computed = classSharesOf(where, "train", 1);
        const ClassShares direct = computeClassShares(CityscapesDataset(cs_, "train"), 1);
        QCOMPARE(computed.segPercent, direct.segPercent);
        QCOMPARE(computed.objects, direct.objects);
        const auto cached = cachedClassShares(where, "train");
        QVERIFY(cached);
        QCOMPARE(cached->segPercent, direct.segPercent);
        QCOMPARE(cached->detPercent, direct.detPercent);
        QCOMPARE(cached->labeledPixels, direct.labeledPixels);
        QVERIFY(!cachedClassShares(where, "val")); // keyed by the splits
        // A file added to a city folder changes that folder's time: the entry no longer holds.
        const std::filesystem::path city = std::filesystem::path(cs_) / "gtFine/train/aachen";
        const auto before = std::filesystem::last_write_time(city);
        std::ofstream(city / "notes.txt") << "x";
        std::filesystem::last_write_time(city, before + std::chrono::seconds(2)); // coarse clocks
        QVERIFY(!cachedClassShares(where, "train"));
        classSharesOf(where, "train", 1);
        QVERIFY(cachedClassShares(where, "train"));
        std::filesystem::remove(city / "notes.txt");

        // Plain synthetic that is not in the cache: an error naming it, and nothing generated.
        ExperimentConfig config;
        config.data.dataset = "synthetic";
        const SharesRow row = trainingClassShares(config, "", 1);
        QVERIFY(!row.shares);
        QVERIFY2(QString::fromStdString(row.note).contains("is not on this machine"), row.note.c_str());
        QVERIFY(!std::filesystem::exists(path("cache") + "/synthetic"));
        if (oldCache.isNull()) qunsetenv("XDG_CACHE_HOME");
        else qputenv("XDG_CACHE_HOME", oldCache);
    }

    void cocoGroundTruth() {
        const auto gt = nlohmann::json::parse(cocoGroundTruthJson(CityscapesDataset(cs_, "train"), cs_, 2));
        QCOMPARE(gt["images"].size(), std::size_t(3));
        // The image's path relative to the data set's root: FiftyOne's data_path and detectron2's
        // image_root are that root.
        const std::string file = gt["images"][0]["file_name"].get<std::string>();
        QCOMPARE(file, std::string("leftImg8bit/train/aachen/aachen_000000_000019_leftImg8bit.png"));
        QVERIFY(std::filesystem::is_regular_file(std::filesystem::path(cs_) / file));
        // Samples without a file keep their id.
        Sample noFile;
        noFile.id = "x1";
        noFile.hasDet = true;
        QCOMPARE(nlohmann::json::parse(cocoGroundTruthJson({noFile}, {"car"}))["images"][0]["file_name"].get<std::string>(),
                 std::string("x1"));
        QCOMPARE(gt["images"][0]["width"].get<int>(), 8);
        QCOMPARE(gt["images"][0]["height"].get<int>(), 6);
        QCOMPARE(gt["annotations"].size(), std::size_t(3));
        const auto& car = gt["annotations"][1];
        QCOMPARE(car["id"].get<int>(), 2);
        QCOMPARE(car["image_id"].get<int>(), 1);
        QCOMPARE(car["category_id"].get<int>(), 3);
        QCOMPARE(car["bbox"], nlohmann::json::parse("[1, 1, 2, 2]"));
        QCOMPARE(car["area"].get<double>(), 4.0);
        QCOMPARE(car["iscrowd"].get<int>(), 0);
        QCOMPARE(gt["categories"].size(), std::size_t(8));
        QCOMPARE(gt["categories"][7]["name"].get<std::string>(), std::string("bicycle"));

        const auto bdd = nlohmann::json::parse(cocoGroundTruthJson(Bdd100kDataset(bdd_, "train"), bdd_, 1));
        QCOMPARE(bdd["images"].size(), std::size_t(3)); // detection-labeled only
        QCOMPARE(bdd["images"][0]["width"].get<int>(), 16); // from the JPEG header
        QCOMPARE(bdd["annotations"][1]["iscrowd"].get<int>(), 1);
        QCOMPARE(bdd["annotations"][0]["bbox"], nlohmann::json::parse("[1.5, 2, 4, 4]"));
    }
};

QTEST_GUILESS_MAIN(TestDatasets)
#include "tst_datasets.moc"
