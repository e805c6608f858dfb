// The synthetic Cityscapes generator, the label table and the Cityscapes reader, checked against
// each other and against hand-built label images.
#include "DataFixtures.h"

#include "core/common/Error.h"
#include "core/data/CityscapesDataset.h"
#include "core/data/CityscapesLabels.h"
#include "core/data/SyntheticCityscapes.h"

#include <QtCore/QDir>
#include <QtCore/QDirIterator>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace mtl;
namespace cs = mtl::cityscapes;

namespace {

bool same(const cv::Mat& a, const cv::Mat& b) {
    return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

// FNV-1a over the pixel values (not the bytes, so it does not depend on endianness).
std::uint64_t fingerprint(const SynthScene& s) {
    std::uint64_t h = 1469598103934665603ull;
    const auto add = [&](unsigned v) { h = (h ^ v) * 1099511628211ull; };
    for (int y = 0; y < s.rgb.rows; ++y)
        for (int x = 0; x < s.rgb.cols; ++x) {
            const cv::Vec3b c = s.rgb.at<cv::Vec3b>(y, x);
            add(c[0]), add(c[1]), add(c[2]);
            add(s.labelIds.at<std::uint8_t>(y, x));
            add(s.instanceIds.at<std::uint16_t>(y, x));
        }
    return h;
}

// Every file under `root`, relative path -> bytes.
std::map<QString, QByteArray> readTree(const QString& root) {
    std::map<QString, QByteArray> files;
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        if (f.open(QIODevice::ReadOnly)) files[QDir(root).relativeFilePath(path)] = f.readAll();
    }
    return files;
}

using fixtures::messageOf;
using fixtures::writeBytes;

// One pass per instance value over the whole image: slow, but obviously right.
std::vector<Box> bruteForceBoxes(const cv::Mat& ids) {
    const std::map<int, int> detClass = {{24, 0}, {25, 1}, {26, 2}, {27, 3}, {28, 4}, {31, 5}, {32, 6}, {33, 7}};
    std::set<int> values;
    for (int y = 0; y < ids.rows; ++y)
        for (int x = 0; x < ids.cols; ++x) values.insert(ids.at<std::uint16_t>(y, x));
    std::vector<Box> boxes;
    for (int v : values) {
        if (v < 1000 || !detClass.count(v / 1000)) continue;
        int x0 = ids.cols, y0 = ids.rows, x1 = -1, y1 = -1;
        for (int y = 0; y < ids.rows; ++y)
            for (int x = 0; x < ids.cols; ++x)
                if (ids.at<std::uint16_t>(y, x) == v) {
                    x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x), y1 = std::max(y1, y);
                }
        Box b;
        b.x1 = x0, b.y1 = y0, b.x2 = x1 + 1, b.y2 = y1 + 1;
        b.cls = detClass.at(v / 1000);
        boxes.push_back(b);
    }
    return boxes;
}

void compareBoxes(const std::vector<Box>& got, const std::vector<Box>& want) {
    QCOMPARE(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        QCOMPARE(got[i].x1, want[i].x1);
        QCOMPARE(got[i].y1, want[i].y1);
        QCOMPARE(got[i].x2, want[i].x2);
        QCOMPARE(got[i].y2, want[i].y2);
        QCOMPARE(got[i].cls, want[i].cls);
    }
}

} // namespace

class TestSynthetic : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_{qEnvironmentVariable("MTLW_TEST_TMP", QDir::tempPath()) + "/tst_synthetic-XXXXXX"};
    std::string setDir_; // train 6, val 3, 256x128, seed 42
    std::vector<std::pair<int, int>> progress_;

    std::string path(const char* name) const { return tmp_.filePath(name).toStdString(); }
    static SynthOptions options(const std::string& dir, int train, int val) {
        SynthOptions o;
        o.outDir = dir;
        o.train = train;
        o.val = val;
        o.width = 256;
        o.height = 128;
        o.seed = 42;
        return o;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        setDir_ = path("set");
        writeSyntheticCityscapes(options(setDir_, 6, 3), [this](int done, int total) {
            progress_.push_back({done, total});
        });
    }

    void labelTable() {
        const auto& labels = cs::labels();
        QCOMPARE(labels.size(), std::size_t(35));
        const std::map<int, int> train = {{7, 0}, {8, 1}, {11, 2}, {12, 3}, {13, 4}, {17, 5}, {19, 6},
                                          {20, 7}, {21, 8}, {22, 9}, {23, 10}, {24, 11}, {25, 12}, {26, 13},
                                          {27, 14}, {28, 15}, {31, 16}, {32, 17}, {33, 18}};
        for (int id = 0; id < 256; ++id) {
            const int want = train.count(id) ? train.at(id) : 255;
            QCOMPARE(int(cs::labelIdToTrainId()[id]), want);
            QCOMPARE(cs::detClassForLabelId(id), want >= 11 && want <= 18 ? want - 11 : -1);
        }
        for (const auto& [id, trainId] : train) QCOMPARE(cs::trainIdToLabelId(trainId), id);
        QCOMPARE(cs::detClassForLabelId(29), -1); // caravan: instances, but not evaluated
        QCOMPARE(cs::detClassForLabelId(30), -1); // trailer
        QCOMPARE(cs::detClassForLabelId(-1), -1);
        QCOMPARE(cs::detClassName(0), std::string("person"));
        QCOMPARE(cs::detClassName(2), std::string("car"));
        QCOMPARE(cs::detClassName(7), std::string("bicycle"));
        QCOMPARE(cs::segClassName(0), std::string("road"));
        QCOMPARE(cs::segClassName(10), std::string("sky"));
        QCOMPARE(cs::segClassName(255), std::string("ignore"));
        QVERIFY((cs::trainIdColor(0) == std::array<std::uint8_t, 3>{128, 64, 128}));
        QVERIFY((cs::trainIdColor(13) == std::array<std::uint8_t, 3>{0, 0, 142}));
        QVERIFY((cs::trainIdColor(255) == std::array<std::uint8_t, 3>{0, 0, 0}));
        int withInstances = 0;
        for (const auto& l : labels) withInstances += l.hasInstances;
        QCOMPARE(withInstances, 10);
        QCOMPARE(labels.back().id, -1); // license plate
    }

    void determinism() {
        const SynthScene a = renderSyntheticScene(256, 128, 123);
        const SynthScene b = renderSyntheticScene(256, 128, 123);
        QVERIFY(same(a.rgb, b.rgb));
        QVERIFY(same(a.labelIds, b.labelIds));
        QVERIFY(same(a.instanceIds, b.instanceIds));
        const SynthScene c = renderSyntheticScene(256, 128, 124);
        QVERIFY(!same(a.rgb, c.rgb));
        QVERIFY(!same(a.labelIds, c.labelIds));

        // Same output on every machine and compiler: only integer arithmetic is involved. Update the
        // constant when the generator changes on purpose.
        QCOMPARE(fingerprint(a), std::uint64_t(0xb30fd444dca2bcdaull));

        const std::string again = path("set-again");
        writeSyntheticCityscapes(options(again, 6, 3));
        const auto first = readTree(QString::fromStdString(setDir_));
        const auto second = readTree(QString::fromStdString(again));
        QCOMPARE(first.size(), std::size_t(9 * 4));
        QVERIFY(first == second);
    }

    // Train image i must not depend on how many val images (or later train images) are written.
    void seedsPerImage() {
        const std::string fewer = path("set-fewer");
        writeSyntheticCityscapes(options(fewer, 4, 0));
        const auto all = readTree(QString::fromStdString(setDir_));
        const auto part = readTree(QString::fromStdString(fewer));
        QCOMPARE(part.size(), std::size_t(4 * 4));
        for (const auto& [name, bytes] : part) {
            QVERIFY2(all.count(name), qPrintable(name));
            QVERIFY2(all.at(name) == bytes, qPrintable(name));
        }
    }

    void layout() {
        const std::vector<std::string> train = {"synthtown_000000_000019", "mockberg_000000_000019",
                                                "synthtown_000001_000019", "mockberg_000001_000019",
                                                "synthtown_000002_000019", "mockberg_000002_000019"};
        const std::vector<std::string> val = {"valcity_000000_000019", "valcity_000001_000019",
                                              "valcity_000002_000019"};
        using Split = std::pair<std::string, std::vector<std::string>>;
        for (const auto& [split, ids] : {Split{"train", train}, Split{"val", val}}) {
            for (const std::string& id : ids) {
                const std::string city = id.substr(0, id.find('_'));
                const std::string img =
                    setDir_ + "/leftImg8bit/" + split + "/" + city + "/" + id + "_leftImg8bit.png";
                const std::string gt = setDir_ + "/gtFine/" + split + "/" + city + "/" + id + "_gtFine_";
                const cv::Mat rgb = cv::imread(img, cv::IMREAD_UNCHANGED);
                const cv::Mat labelIds = cv::imread(gt + "labelIds.png", cv::IMREAD_UNCHANGED);
                const cv::Mat instanceIds = cv::imread(gt + "instanceIds.png", cv::IMREAD_UNCHANGED);
                const cv::Mat color = cv::imread(gt + "color.png", cv::IMREAD_UNCHANGED);
                QVERIFY2(!rgb.empty(), img.c_str());
                QCOMPARE(rgb.type(), CV_8UC3);
                QCOMPARE(labelIds.type(), CV_8UC1);
                QCOMPARE(instanceIds.type(), CV_16UC1);
                QCOMPARE(color.type(), CV_8UC3);
                for (const cv::Mat& m : {rgb, labelIds, instanceIds, color}) {
                    QCOMPARE(m.cols, 256);
                    QCOMPARE(m.rows, 128);
                }
                // The colour image is the official palette of labelIds (BGR in the file).
                for (int y = 0; y < color.rows; y += 7)
                    for (int x = 0; x < color.cols; x += 5) {
                        const int label = labelIds.at<std::uint8_t>(y, x);
                        const auto it = std::find_if(cs::labels().begin(), cs::labels().end(),
                                                     [&](const cs::Label& l) { return l.id == label; });
                        QVERIFY(it != cs::labels().end());
                        const cv::Vec3b c = color.at<cv::Vec3b>(y, x);
                        QVERIFY(c == cv::Vec3b(it->color[2], it->color[1], it->color[0]));
                    }
            }
        }
        QCOMPARE(readTree(QString::fromStdString(setDir_ + "/leftImg8bit/train")).size(), train.size());
        QCOMPARE(readTree(QString::fromStdString(setDir_ + "/leftImg8bit/val")).size(), val.size());

        QCOMPARE(progress_.size(), std::size_t(9));
        for (int i = 0; i < 9; ++i) QCOMPARE(progress_[i], std::make_pair(i + 1, 9));

        // Any size from the minimum up works, also odd ones.
        for (const auto& [w, h] : {std::pair{64, 64}, std::pair{333, 97}}) {
            const SynthScene s = renderSyntheticScene(w, h, 5);
            QCOMPARE(s.rgb.size(), cv::Size(w, h));
            QCOMPARE(s.labelIds.size(), cv::Size(w, h));
            QCOMPARE(s.instanceIds.size(), cv::Size(w, h));
        }
    }

    // Every layout and weather comes up over a range of seeds, and every element each of them draws
    // is encoded as Cityscapes encodes it: instances labelId·1000+k of instance classes, stuff and
    // groups (crowds too small to tell apart) the plain labelId.
    void labelEncoding() {
        std::set<int> trainClasses, detClasses, groupLabels;
        std::set<SceneLayout> layouts;
        std::set<Weather> weathers;
        int wet = 0;
        for (std::uint64_t seed = 0; seed < 80; ++seed) {
            const SynthScene s = renderSyntheticScene(256, 128, seed);
            layouts.insert(s.layout);
            weathers.insert(s.weather);
            wet += s.wetRoad;
            QCOMPARE(s.rgb.type(), CV_8UC3);
            QCOMPARE(s.labelIds.type(), CV_8UC1);
            QCOMPARE(s.instanceIds.type(), CV_16UC1);
            for (int y = 0; y < s.labelIds.rows; ++y)
                for (int x = 0; x < s.labelIds.cols; ++x) {
                    const int label = s.labelIds.at<std::uint8_t>(y, x);
                    const int inst = s.instanceIds.at<std::uint16_t>(y, x);
                    QVERIFY2(label != 0, "every pixel gets a real class");
                    const auto it = std::find_if(cs::labels().begin(), cs::labels().end(),
                                                 [&](const cs::Label& l) { return l.id == label; });
                    QVERIFY(it != cs::labels().end());
                    if (inst >= 1000) {
                        QCOMPARE(inst / 1000, label);
                        QVERIFY(it->hasInstances);
                        QVERIFY(inst % 1000 < 100);
                    } else {
                        QCOMPARE(inst, label);
                        if (it->hasInstances) groupLabels.insert(label);
                    }
                    trainClasses.insert(cs::labelIdToTrainId()[label]);
                }
            const std::vector<Box> boxes = boxesFromInstanceIds(s.instanceIds);
            QVERIFY2(!boxes.empty(), qPrintable(QString("seed %1 has no instance").arg(seed)));
            for (const Box& b : boxes) detClasses.insert(b.cls);
        }
        trainClasses.erase(255);
        QCOMPARE(trainClasses.size(), std::size_t(19)); // every Cityscapes class, rare ones included
        QVERIFY2(detClasses.size() == 8, qPrintable(QString::number(detClasses.size())));
        QCOMPARE(groupLabels, std::set<int>{24}); // person groups: far crowds
        QCOMPARE(int(layouts.size()), kSceneLayouts);
        QCOMPARE(int(weathers.size()), kWeathers);
        QVERIFY(wet > 0 && wet < 80);
        QCOMPARE(std::string(layoutName(SceneLayout::Roundabout)), std::string("roundabout"));
        QCOMPARE(std::string(weatherName(Weather::Night)), std::string("night"));
    }

    void datasetOnSynthetic() {
        const CityscapesDataset train(setDir_, "train");
        QCOMPARE(train.size(), std::size_t(6));
        QCOMPARE(train.split(), std::string("train"));
        std::vector<std::string> ids;
        for (std::size_t i = 0; i < train.size(); ++i) ids.push_back(train.id(i));
        QVERIFY(std::is_sorted(ids.begin(), ids.end()));
        QCOMPARE(ids.front(), std::string("mockberg_000000_000019"));
        QCOMPARE(ids.back(), std::string("synthtown_000002_000019"));
        QCOMPARE(CityscapesDataset(setDir_, "val").size(), std::size_t(3));

        for (std::size_t i = 0; i < train.size(); ++i) {
            const Sample s = train.load(i);
            QCOMPARE(s.id, ids[i]);
            QVERIFY(s.hasSeg && s.hasDet);
            QCOMPARE(s.image.type(), CV_8UC3);
            QCOMPARE(s.seg.type(), CV_8UC1);
            QCOMPARE(s.seg.size(), s.image.size());
            const std::string city = s.id.substr(0, s.id.find('_'));
            const std::string gt = setDir_ + "/gtFine/train/" + city + "/" + s.id + "_gtFine_";
            const cv::Mat labelIds = cv::imread(gt + "labelIds.png", cv::IMREAD_UNCHANGED);
            const cv::Mat instanceIds = cv::imread(gt + "instanceIds.png", cv::IMREAD_UNCHANGED);
            QVERIFY(same(s.seg, labelIdsToTrainIds(labelIds)));
            for (int y = 0; y < s.seg.rows; ++y)
                for (int x = 0; x < s.seg.cols; ++x) {
                    const int t = s.seg.at<std::uint8_t>(y, x);
                    QVERIFY(t < 19 || t == 255);
                }
            cv::Mat rgb;
            cv::cvtColor(cv::imread(train.imageFile(i), cv::IMREAD_COLOR), rgb, cv::COLOR_BGR2RGB);
            QVERIFY(same(s.image, rgb));
            if (i == 0) compareBoxes(s.boxes, bruteForceBoxes(instanceIds));
            QVERIFY(!s.boxes.empty());
        }
    }

    void boxesFromHandBuiltImage() {
        cv::Mat ids(8, 10, CV_16UC1, cv::Scalar(7));            // road
        ids(cv::Rect(3, 2, 3, 3)).setTo(26001);                 // car: columns 3..5, rows 2..4
        ids.at<std::uint16_t>(6, 8) = 24000;                    // one-pixel person
        ids(cv::Rect(0, 0, 2, 2)).setTo(24);                    // a person group: no instance
        ids(cv::Rect(6, 0, 4, 2)).setTo(29000);                 // caravan: not a detection class
        ids.at<std::uint16_t>(7, 0) = 33002;                    // a bicycle in two pieces
        ids.at<std::uint16_t>(5, 1) = 33002;
        std::vector<Box> want(3);
        want[0] = {8, 6, 9, 7, 0};
        want[1] = {3, 2, 6, 5, 2};
        want[2] = {0, 5, 2, 8, 7};
        compareBoxes(boxesFromInstanceIds(ids), want);
        QCOMPARE(want[1].width(), 3.f);
        compareBoxes(boxesFromInstanceIds(ids), bruteForceBoxes(ids));
        cv::Mat ids32;
        ids.convertTo(ids32, CV_32S);
        compareBoxes(boxesFromInstanceIds(ids32), want);
        QVERIFY(boxesFromInstanceIds(cv::Mat(4, 4, CV_16UC1, cv::Scalar(26))).empty());

        // Through the reader, with files as Cityscapes stores them.
        const std::string root = path("hand");
        QVERIFY(QDir().mkpath(QString::fromStdString(root + "/leftImg8bit/train/x")));
        QVERIFY(QDir().mkpath(QString::fromStdString(root + "/gtFine/train/x")));
        const cv::Mat labelIds(8, 10, CV_8UC1, cv::Scalar(26));
        QVERIFY(cv::imwrite(root + "/leftImg8bit/train/x/x_000000_000019_leftImg8bit.png",
                            cv::Mat(8, 10, CV_8UC3, cv::Scalar(0, 0, 255)))); // red in BGR
        QVERIFY(cv::imwrite(root + "/gtFine/train/x/x_000000_000019_gtFine_labelIds.png", labelIds));
        QVERIFY(cv::imwrite(root + "/gtFine/train/x/x_000000_000019_gtFine_instanceIds.png", ids));
        const Sample s = CityscapesDataset(root, "train").load(0);
        compareBoxes(s.boxes, want);
        QVERIFY(s.image.at<cv::Vec3b>(0, 0) == cv::Vec3b(255, 0, 0)); // RGB in memory
        QCOMPARE(int(s.seg.at<std::uint8_t>(0, 0)), 13);
    }

    void unlabeledSplit() {
        const std::string root = path("unlabeled");
        QVERIFY(QDir().mkpath(QString::fromStdString(root + "/leftImg8bit/test/x")));
        QVERIFY(cv::imwrite(root + "/leftImg8bit/test/x/x_000000_000019_leftImg8bit.png",
                            cv::Mat(8, 10, CV_8UC3, cv::Scalar::all(9))));
        const CityscapesDataset test(root, "test");
        QCOMPARE(test.size(), std::size_t(1));
        const Sample s = test.load(0);
        QVERIFY(!s.hasSeg && !s.hasDet);
        QVERIFY(s.seg.empty());
        QVERIFY(s.boxes.empty());
        QCOMPARE(s.image.size(), cv::Size(10, 8));
    }

    void dataErrors() {
        // Missing split folder: the message names the folder.
        QString msg = messageOf<DataError>([&] { CityscapesDataset(setDir_, "test"); });
        QVERIFY2(msg.contains(QString::fromStdString(setDir_ + "/leftImg8bit/test")), qPrintable(msg));
        msg = messageOf<DataError>([&] { CityscapesDataset(path("no-such-root"), "train"); });
        QVERIFY2(msg.contains("no-such-root"), qPrintable(msg));

        const std::string root = path("broken");
        writeSyntheticCityscapes(options(root, 3, 0));
        const std::string stem = root + "/gtFine/train/synthtown/synthtown_000000_000019_gtFine_";

        // Corrupt labelIds: the reader opens fine, load() names the file and the image.
        writeBytes(stem + "labelIds.png", QByteArray("\x89PNG garbage, not an image", 26));
        {
            const CityscapesDataset ds(root, "train");
            QCOMPARE(ds.id(1), std::string("synthtown_000000_000019")); // sorted after mockberg_000000
            msg = messageOf<DataError>([&] { ds.load(1); });
            QVERIFY2(msg.contains("synthtown_000000_000019_gtFine_labelIds.png"), qPrintable(msg));
            QVERIFY2(msg.contains("(image synthtown_000000_000019)"), qPrintable(msg));
            QVERIFY(messageOf<DataError>([&] { ds.load(0); }).isEmpty()); // the others still load
        }

        // An 8-bit instance image cannot hold id*1000+k.
        QVERIFY(cv::imwrite(stem + "labelIds.png", cv::Mat(128, 256, CV_8UC1, cv::Scalar(7))));
        QVERIFY(cv::imwrite(stem + "instanceIds.png", cv::Mat(128, 256, CV_8UC1, cv::Scalar(7))));
        msg = messageOf<DataError>([&] { CityscapesDataset(root, "train").load(1); });
        QVERIFY2(msg.contains("instanceIds.png") && msg.contains("16-bit"), qPrintable(msg));

        // Label map of another size than the image.
        QVERIFY(cv::imwrite(stem + "labelIds.png", cv::Mat(64, 128, CV_8UC1, cv::Scalar(7))));
        msg = messageOf<DataError>([&] { CityscapesDataset(root, "train").load(1); });
        QVERIFY2(msg.contains("labelIds.png") && msg.contains("size"), qPrintable(msg));

        // A labeled split where one image lacks its ground truth: caught when the split is opened.
        QVERIFY(QFile::remove(QString::fromStdString(stem + "instanceIds.png")));
        msg = messageOf<DataError>([&] { CityscapesDataset(root, "train"); });
        QVERIFY2(msg.contains("synthtown_000000_000019_gtFine_instanceIds.png"), qPrintable(msg));

        // An image file that vanished after the split was opened.
        const std::string other = path("vanishing");
        writeSyntheticCityscapes(options(other, 1, 0));
        const CityscapesDataset ds(other, "train");
        QVERIFY(QFile::remove(QString::fromStdString(ds.imageFile(0))));
        msg = messageOf<DataError>([&] { ds.load(0); });
        QVERIFY2(msg.contains(QString::fromStdString(ds.imageFile(0))), qPrintable(msg));
        QVERIFY2(msg.contains(QString::fromStdString("(image " + ds.id(0) + ")")), qPrintable(msg));

        // A truncated PNG (an interrupted copy) is a decode error as well.
        const std::string cut = path("truncated");
        writeSyntheticCityscapes(options(cut, 1, 0));
        const std::string inst = cut + "/gtFine/train/synthtown/synthtown_000000_000019_gtFine_instanceIds.png";
        QFile file(QString::fromStdString(inst));
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.resize(file.size() / 2));
        file.close();
        msg = messageOf<DataError>([&] { CityscapesDataset(cut, "train").load(0); });
        QVERIFY2(msg.contains(QString::fromStdString(inst + ": cannot decode (unreadable, truncated or not an image) (image synthtown_000000_000019)")),
                 qPrintable(msg));
    }

    void optionErrors() {
        const std::string dir = path("bad-options");
        const auto withOpts = [&](const std::function<void(SynthOptions&)>& change) {
            SynthOptions o = options(dir, 2, 1);
            change(o);
            return messageOf<InputError>([&] { writeSyntheticCityscapes(o); });
        };
        QVERIFY(withOpts([](SynthOptions& o) { o.width = 63; }).contains("width"));
        QVERIFY(withOpts([](SynthOptions& o) { o.height = 10; }).contains("height"));
        QVERIFY(withOpts([](SynthOptions& o) { o.train = 0; }).contains("train"));
        QVERIFY(withOpts([](SynthOptions& o) { o.val = -1; }).contains("val"));
        QVERIFY(withOpts([](SynthOptions& o) { o.outDir.clear(); }).contains("output folder"));
        QVERIFY(!QFileInfo::exists(QString::fromStdString(dir))); // nothing written on bad options
        QVERIFY(!messageOf<InputError>([] { renderSyntheticScene(32, 128, 1); }).isEmpty());

        // Output below a plain file: the folder cannot be created, and the error names it.
        const std::string blocker = path("blocker");
        writeBytes(blocker, "x");
        const QString msg = messageOf<Error>([&] { writeSyntheticCityscapes(options(blocker + "/set", 1, 0)); });
        QVERIFY2(msg.contains(QString::fromStdString(blocker)), qPrintable(msg));
    }
};

QTEST_MAIN(TestSynthetic)
#include "tst_synthetic.moc"
