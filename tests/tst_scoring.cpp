// The stand-alone scorers behind `mtlw score-det` and `mtlw score-seg`: COCO files read into the
// evaluator, folders of label maps, and an error naming the file and the item for each bad input.
#include "LabelMaps.h"
#include "core/common/Error.h"
#include "core/common/JsonScanner.h"
#include "core/eval/CocoJson.h"
#include "core/eval/SegmentationScoring.h"

#include <opencv2/imgcodecs.hpp>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <optional>
#include <string_view>

using namespace mtl;

namespace {

// Two categories listed out of id order, so that class = position in `categories`.
const char* kGt = R"({
  "images": [{"id": 1, "file_name": "a.png"}, {"id": 2, "file_name": "b.png"}],
  "categories": [{"id": 7, "name": "car"}, {"id": 2, "name": "person"}],
  "annotations": [
    {"id": 1, "image_id": 1, "category_id": 7, "bbox": [0, 0, 10, 10]},
    {"id": 2, "image_id": 1, "category_id": 7, "bbox": [20, 0, 10, 10]},
    {"id": 3, "image_id": 2, "category_id": 2, "bbox": [5, 5, 4, 8], "iscrowd": 0},
    {"id": 4, "image_id": 2, "category_id": 2, "bbox": [50, 50, 20, 20], "iscrowd": 1}
  ]
})";

QJsonObject parse(const std::string& json) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}

} // namespace

class TestScoring : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    std::string write(const QString& name, const QByteArray& text) {
        QFile f(dir_.filePath(name));
        if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(f.fileName()));
        f.write(text);
        return f.fileName().toStdString();
    }
    std::string folder(const QString& name) {
        QDir(dir_.path()).mkpath(name);
        return dir_.filePath(name).toStdString();
    }
    void png(const std::string& dir, const std::string& name, const cv::Mat& m) {
        QVERIFY(cv::imwrite(dir + "/" + name, m));
    }
    // Scores kGt against a results list written from `dets`.
    CocoResult score(const QByteArray& dets) {
        const auto gt = readCocoGroundTruth(write("gt.json", kGt));
        return evaluateCoco(gt, readCocoResults(write("dets.json", dets), gt));
    }
    // The InputError message of scoring `dets` against kGt ("" when none).
    QString detError(const QByteArray& dets, const QByteArray& gtText = kGt) {
        try {
            const auto gt = readCocoGroundTruth(write("gt.json", gtText));
            readCocoResults(write("dets.json", dets), gt);
        } catch (const InputError& e) {
            return QString::fromStdString(e.what());
        }
        return {};
    }
    template <typename F> static QString errorOf(F&& f) {
        try {
            f();
        } catch (const InputError& e) {
            return QString::fromStdString(e.what());
        }
        return {};
    }

private Q_SLOTS:
    void perfectDetectionsScoreOne() {
        const CocoResult r = score(R"([
            {"image_id": 1, "category_id": 7, "bbox": [0, 0, 10, 10], "score": 0.9},
            {"image_id": 1, "category_id": 7, "bbox": [20, 0, 10, 10], "score": 0.8},
            {"image_id": 2, "category_id": 2, "bbox": [5, 5, 4, 8], "score": 0.7}])");
        QVERIFY(std::abs(r.mAP - 1) < 1e-12);
        QVERIFY(std::abs(r.AP50 - 1) < 1e-12);
        QVERIFY(std::abs(r.AP75 - 1) < 1e-12);
        QCOMPARE(r.perClass.size(), std::size_t(2));
        QVERIFY(std::abs(*r.perClass[0] - 1) < 1e-12 && std::abs(*r.perClass[1] - 1) < 1e-12);
    }

    void crowdBoxIsNeitherHitNorMiss() {
        // The higher-scored detection lies inside the crowd box: ignored, not a false positive;
        // the crowd box itself is not a ground truth to find, so one hit is full recall.
        const QByteArray dets = R"([
            {"image_id": 2, "category_id": 2, "bbox": [55, 55, 5, 5], "score": 0.95},
            {"image_id": 2, "category_id": 2, "bbox": [5, 5, 4, 8], "score": 0.7}])";
        QVERIFY(std::abs(*score(dets).perClass[1] - 1) < 1e-12);
        // The same box as regular ground truth: the first detection is a false positive
        // (IoU 25/400) and recall stops at 1/2 → 51 recall points at precision 1/2.
        QByteArray notCrowd = kGt;
        notCrowd.replace("\"iscrowd\": 1", "\"iscrowd\": 0");
        const auto gt = readCocoGroundTruth(write("gt2.json", notCrowd));
        const CocoResult r = evaluateCoco(gt, readCocoResults(write("dets.json", dets), gt));
        QVERIFY(std::abs(*r.perClass[1] - 25.5 / 101) < 1e-12);
    }

    void duplicateDetectionsAreFalsePositives() {
        // car: hit on box 1 (0.9), duplicate on box 1 (0.8, false positive), hit on box 2 (0.7).
        // Precision after each: 1, 1/2, 2/3 → made monotone 1, 2/3, 2/3; recall 1/2, 1/2, 1.
        // Recall points 0..0.50 (51) read 1, 0.51..1 (50) read 2/3: AP = (51 + 100/3) / 101.
        const CocoResult r = score(R"([
            {"image_id": 1, "category_id": 7, "bbox": [0, 0, 10, 10], "score": 0.9},
            {"image_id": 1, "category_id": 7, "bbox": [0, 0, 10, 10], "score": 0.8},
            {"image_id": 1, "category_id": 7, "bbox": [20, 0, 10, 10], "score": 0.7}])");
        const double expected = (51 + 100.0 / 3) / 101;
        QVERIFY2(std::abs(*r.perClass[0] - expected) < 1e-12, qPrintable(QString::number(*r.perClass[0], 'g', 17)));
        // person has ground truth but no detections: AP 0, part of the mean.
        QCOMPARE(*r.perClass[1], 0.0);
        QVERIFY(std::abs(r.mAP - expected / 2) < 1e-12);
        QVERIFY(std::abs(r.AP75 - expected / 2) < 1e-12);
    }

    void classWithoutGroundTruthIsNull() {
        const char* gtText = R"({"images": [{"id": 3}],
            "categories": [{"id": 1, "name": "bus"}, {"id": 2, "name": "train"}],
            "annotations": [{"id": 1, "image_id": 3, "category_id": 1, "bbox": [0, 0, 4, 4]}]})";
        const auto gt = readCocoGroundTruth(write("gt3.json", gtText));
        const auto dets = readCocoResults(write("dets.json", R"([
            {"image_id": 3, "category_id": 1, "bbox": [0, 0, 4, 4], "score": 1},
            {"image_id": 3, "category_id": 2, "bbox": [0, 0, 4, 4], "score": 1}])"), gt);
        const std::string json = cocoResultJson(evaluateCoco(gt, dets), gt.classNames);
        // Keys in the documented order; 1 - 2e-16 printed as 1.
        QCOMPARE(QString::fromStdString(json),
                 QString(R"({"mAP":1.0,"AP50":1.0,"AP75":1.0,"std":0.0,"per_class":{"bus":1.0,"train":null}})"));
    }

    void categoryIdsMapToClassesInListOrder() {
        const auto gt = readCocoGroundTruth(write("gt.json", kGt));
        QCOMPARE(gt.classNames, (std::vector<std::string>{"car", "person"}));
        QCOMPARE(gt.classOfCategory.at(7), 0);
        QCOMPARE(gt.classOfCategory.at(2), 1);
        // Only the person found: car AP 0, person AP 1, under their names.
        const CocoResult r = score(R"([{"image_id": 2, "category_id": 2, "bbox": [5, 5, 4, 8], "score": 0.5}])");
        const QJsonObject perClass = parse(cocoResultJson(r, gt.classNames))["per_class"].toObject();
        QCOMPARE(perClass["car"].toDouble(), 0.0);
        QCOMPARE(perClass["person"].toDouble(), 1.0);
    }

    void badDetectionsNameFileAndItem() {
        const QString f = dir_.filePath("dets.json"), g = dir_.filePath("gt.json");
        const QByteArray ok = R"("image_id": 1, "category_id": 7, "bbox": [0, 0, 1, 1], "score": 0.5)";
        const struct { QByteArray dets; QString message; } cases[] = {
            {R"([{"image_id": 99, "category_id": 7, "bbox": [0, 0, 1, 1], "score": 0.5}])",
             f + ": [0].image_id: image 99 is not in " + g},
            {R"([{"image_id": 1, "category_id": 5, "bbox": [0, 0, 1, 1], "score": 0.5}])",
             f + ": [0].category_id: category 5 is not in " + g},
            {"[{" + ok + R"(}, {"image_id": 1, "category_id": 7, "bbox": [0, 0, -2, 1], "score": 0.5}])",
             f + ": [1].bbox: width must be > 0"},
            {R"([{"image_id": 1, "category_id": 7, "bbox": [0, 0, 1, 0], "score": 0.5}])",
             f + ": [0].bbox: height must be > 0"},
            {R"([{"image_id": 1, "category_id": 7, "bbox": [0, 0, 1], "score": 0.5}])",
             f + ": [0].bbox: must be an array of 4 numbers [x, y, width, height], got 3 elements"},
            {R"([{"image_id": 1, "category_id": 7, "bbox": [0, "0", 1, 1], "score": 0.5}])",
             f + ": [0].bbox[1]: must be a number, got string"},
            {R"([{"image_id": 1, "category_id": 7, "bbox": [0, 0, 1, 1], "score": 1e999}])",
             f + ": invalid JSON: number overflow parsing '1e999'"},
            {R"([{"image_id": 1, "category_id": 7, "bbox": [0, 0, 1, 1], "score": "high"}])",
             f + ": [0].score: must be a number, got string"},
            {R"([{"image_id": 1, "category_id": 7, "bbox": [0, 0, 1, 1]}])",
             f + ": [0]: missing key 'score'"},
            {R"([{"image_id": 1.5, "category_id": 7, "bbox": [0, 0, 1, 1], "score": 0.5}])",
             f + ": [0].image_id: must be an integer, got number"},
            {R"({"image_id": 1})", f + ": top level: must be an array, got object"},
            {"[{" + ok + "}, 3]", f + ": [1]: must be an object, got number"},
        };
        for (const auto& c : cases)
            QCOMPARE(detError(c.dets), c.message);
    }

    void malformedJsonGivesPlace() {
        const QString f = dir_.filePath("dets.json");
        // Python's json.dump writes NaN scores as a bare NaN, which is not JSON.
        QString e = detError("[{\"image_id\": 1, \"category_id\": 7,\n \"bbox\": [0, 0, 1, 1], \"score\": NaN}]");
        QVERIFY2(e.startsWith(f + ": invalid JSON (byte 68): parse error at line 2, column 33: "), qPrintable(e));
        e = detError("[{\"image_id\": 1,");
        QVERIFY2(e.startsWith(f + ": invalid JSON (byte 17): parse error at line 1, column 17: "), qPrintable(e));
        e = errorOf([&] { readCocoGroundTruth(dir_.filePath("none.json").toStdString()); });
        QCOMPARE(e, dir_.filePath("none.json") + ": cannot open the file");
    }

    void badGroundTruthNamesFileAndItem() {
        const QString g = dir_.filePath("gt.json");
        auto gtError = [&](const QByteArray& text) {
            return errorOf([&] { readCocoGroundTruth(write("gt.json", text)); });
        };
        QCOMPARE(gtError(R"({"images": [], "annotations": []})"), g + ": top level: missing key 'categories'");
        QCOMPARE(gtError(R"({"images": [], "annotations": [], "categories": []})"), g + ": categories: no categories");
        const QByteArray cats = R"("categories": [{"id": 1, "name": "a"}])";
        QCOMPARE(gtError("{" + cats + R"(, "images": [{"id": 1}, {"id": 1}], "annotations": []})"),
                 g + ": images[1].id: image id 1 appears twice");
        QCOMPARE(gtError("{" + cats + R"(, "images": [{"id": 1}], "annotations": [
                     {"image_id": 3, "category_id": 1, "bbox": [0, 0, 1, 1]}]})"),
                 g + ": annotations[0].image_id: image 3 is not in " + g);
        QCOMPARE(gtError("{" + cats + R"(, "images": [{"id": 1}], "annotations": [
                     {"image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1], "iscrowd": 2}]})"),
                 g + ": annotations[0].iscrowd: must be 0, 1, true or false");
        QCOMPARE(gtError(R"({"categories": [{"id": 1, "name": "a"}, {"id": 2, "name": "a"}], "images": [], "annotations": []})"),
                 g + ": categories[1].name: category name 'a' appears twice");
    }

    // The scanner behind the fast path accepts exactly plain JSON and stops at anything else.
    void jsonScannerAcceptsPlainJsonOnly() {
        const auto asNumber = [](const char* text) -> std::optional<double> {
            JsonScanner in(text);
            double v = 0;
            if (!in.number(v) || !in.atEnd()) return std::nullopt;
            return v;
        };
        QCOMPARE(asNumber("0"), std::optional<double>(0.0));
        QCOMPARE(asNumber("-12.5e-1"), std::optional<double>(-1.25));
        QCOMPARE(asNumber("1E3"), std::optional<double>(1000.0));
        QCOMPARE(asNumber("0.1"), std::optional<double>(0.1)); // correctly rounded, as strtod
        QCOMPARE(asNumber("9007199254740993"), std::optional<double>(9007199254740992.0));
        for (const char* bad : {"01", "1.", ".5", "+1", "1e", "-", "NaN", "Infinity", "1e999", "0x10", "1 2"})
            QVERIFY2(!asNumber(bad), bad);

        const auto asInteger = [](const char* text) -> std::optional<std::int64_t> {
            JsonScanner in(text);
            std::int64_t v = 0;
            if (!in.integer(v) || !in.atEnd()) return std::nullopt;
            return v;
        };
        QCOMPARE(asInteger("-0"), std::optional<std::int64_t>(0));
        QCOMPARE(asInteger("9223372036854775807"), std::optional<std::int64_t>(INT64_MAX));
        for (const char* bad : {"9223372036854775808", "1.0", "1e2", "\"1\""}) QVERIFY2(!asInteger(bad), bad);

        std::string_view s;
        QVERIFY(JsonScanner(R"("plain text")").string(s) && s == "plain text");
        for (const char* bad : {"\"a\\\"b\"", "\"caf\\u00e9\"", "\"caf\xc3\xa9\"", "\"tab\there\"", "\"open"})
            QVERIFY2(!JsonScanner(bad).string(s), bad);

        JsonScanner nested(" {\"a\": [1, {\"b\": null, \"c\": \"x\\\"y\"}, [], {}], \"d\": true} [");
        QVERIFY(nested.skipValue());
        QVERIFY(!nested.atEnd()); // the trailing '[' is not white space
        QVERIFY(nested.failed());
        for (const char* bad : {"[1, 2", "{\"a\" 1}", "[1,]", "nul", "{\"a\": 1,}", "\"\\"})
            QVERIFY2(!JsonScanner(bad).skipValue(), bad);
    }

    // Files the fast path reads and the same content through the DOM reader (one key written with
    // an escape sends it there) give identical ground truth and detections.
    void fastAndDomReadersAgree() {
        const QByteArray gtText = R"({"info": {"year": 2026, "notes": ["a b", {"x": [1.5e3, null]}]},
            "categories": [{"id": 7, "name": "car", "supercategory": "vehicle"}, {"id": -2, "name": "person"}],
            "images": [{"id": 10, "file_name": "b.png"}, {"id": 3}],
            "annotations": [
              {"id": 1, "image_id": 10, "category_id": 7, "bbox": [0.1, 2e1, 10, 10.25], "area": 1,
               "segmentation": [[0, 0, 1, 1, 2, 2]]},
              {"id": 2, "image_id": 3, "category_id": -2, "bbox": [1E2, 0, 3.3333333333333335, 4], "iscrowd": true},
              {"id": 3, "image_id": 3, "category_id": 7, "bbox": [5, 5, 4, 8], "iscrowd": 0}]})";
        const QByteArray detsText = R"([
            {"image_id": 3, "category_id": 7, "bbox": [5, 5.000001, 4, 8], "score": 0.123456789, "extra": {"k": []}},
            {"score": 1e-3, "bbox": [100, 0, 3, 4], "category_id": -2, "image_id": 3},
            {"image_id": 10, "category_id": 7, "bbox": [0, 20, 10, 10], "score": 1}])";
        QByteArray gtDom = gtText, detsDom = detsText;
        gtDom.replace("\"bbox\": [0.1", "\"bb\\u006fx\": [0.1");
        detsDom.replace("\"score\": 1}", "\"sc\\u006fre\": 1}");

        const auto fastGt = readCocoGroundTruth(write("fast-gt.json", gtText));
        const auto domGt = readCocoGroundTruth(write("dom-gt.json", gtDom));
        QCOMPARE(fastGt.classNames, (std::vector<std::string>{"car", "person"}));
        QCOMPARE(fastGt.classNames, domGt.classNames);
        QCOMPARE(fastGt.classOfCategory, domGt.classOfCategory);
        QCOMPARE(fastGt.indexOfImage, domGt.indexOfImage);
        QCOMPARE(fastGt.boxes.size(), std::size_t(2));
        const auto sameBoxes = [](const std::vector<Box>& a, const std::vector<Box>& b) {
            if (a.size() != b.size()) return false;
            for (std::size_t i = 0; i < a.size(); ++i)
                if (a[i].x1 != b[i].x1 || a[i].y1 != b[i].y1 || a[i].x2 != b[i].x2 || a[i].y2 != b[i].y2 ||
                    a[i].cls != b[i].cls || a[i].crowd != b[i].crowd)
                    return false;
            return true;
        };
        for (std::size_t i = 0; i < 2; ++i) QVERIFY(sameBoxes(fastGt.boxes[i], domGt.boxes[i]));
        QVERIFY(fastGt.boxes[0][0].crowd && !fastGt.boxes[0][1].crowd); // image 3 comes first (ascending ids)
        QCOMPARE(fastGt.boxes[1][0].x1, 0.1f);
        QCOMPARE(fastGt.boxes[1][0].y2, 30.25f);

        const auto fastDets = readCocoResults(write("fast-dets.json", detsText), fastGt);
        const auto domDets = readCocoResults(write("dom-dets.json", detsDom), fastGt);
        QCOMPARE(fastDets.size(), domDets.size());
        for (std::size_t i = 0; i < fastDets.size(); ++i) {
            QCOMPARE(fastDets[i].size(), domDets[i].size());
            for (std::size_t k = 0; k < fastDets[i].size(); ++k) {
                QCOMPARE(fastDets[i][k].score, domDets[i][k].score);
                QVERIFY(sameBoxes({fastDets[i][k].box}, {domDets[i][k].box}));
            }
        }
        QCOMPARE(fastDets[0].size(), std::size_t(2));
        QCOMPARE(fastDets[0][0].score, 0.123456789f);
        QCOMPARE(fastDets[0][1].box.cls, 1);
    }

    void segmentationScoresHandMadeMaps() {
        const std::string pred = folder("seg/pred"), gt = folder("seg/gt");
        // a: (0,0) (0,1) (1,1) and an ignore pixel whose prediction 2 must not count.
        png(gt, "a.png", labels(2, 2, {0, 0, 1, 255}));
        png(pred, "a.png", labels(2, 2, {0, 1, 1, 2}));
        // b: (0,0) (1,1) (1,1).
        png(gt, "b.png", labels(1, 3, {0, 1, 1}));
        png(pred, "b.png", labels(1, 3, {0, 1, 1}));
        // class 0: tp 2, fn 1 → 2/3; class 1: tp 3, fp 1 → 3/4; class 2 nowhere → null.
        for (int threads : {1, 2, 0}) {
            const auto m = scoreSegmentationFolders(pred, gt, {3, 255, threads});
            QCOMPARE(m.count(0, 0), std::int64_t(2));
            QCOMPARE(m.count(0, 1), std::int64_t(1));
            QCOMPARE(m.count(1, 1), std::int64_t(3));
            const QJsonObject o = parse(segmentationResultJson(m));
            QVERIFY(std::abs(o["mIoU"].toDouble() - (2.0 / 3 + 0.75) / 2) < 1e-12);
            // Population std of {2/3, 3/4}: half their difference, 1/24.
            QVERIFY(std::abs(o["std"].toDouble() - 1.0 / 24) < 1e-12);
            const QJsonObject pc = o["per_class"].toObject();
            QCOMPARE(pc.keys(), (QStringList{"0", "1", "2"}));
            QVERIFY(std::abs(pc["0"].toDouble() - 2.0 / 3) < 1e-12);
            QCOMPARE(pc["1"].toDouble(), 0.75);
            QVERIFY(pc["2"].isNull());
        }
    }

    void segmentationUsesCityscapesNames() {
        const std::string pred = folder("city/pred"), gt = folder("city/gt");
        png(gt, "x.png", labels(1, 2, {0, 18}));
        png(pred, "x.png", labels(1, 2, {0, 0}));
        const QJsonObject pc = parse(segmentationResultJson(scoreSegmentationFolders(pred, gt)))["per_class"].toObject();
        QCOMPARE(pc.size(), 19);
        QCOMPARE(pc["road"].toDouble(), 0.5);
        QCOMPARE(pc["bicycle"].toDouble(), 0.0);
        QVERIFY(pc["sky"].isNull());
    }

    void segmentationBadInputNamesFile() {
        const std::string pred = folder("bad/pred"), gt = folder("bad/gt");
        png(gt, "a.png", labels(1, 2, {0, 1}));
        png(pred, "a.png", labels(1, 3, {0, 1, 1}));
        const SegScoringOptions three{3, 255, 2};
        QCOMPARE(errorOf([&] { scoreSegmentationFolders(pred, gt, three); }),
                 QString::fromStdString(pred + "/a.png: prediction is 3x1, the ground truth " + gt +
                                        "/a.png is 2x1"));
        png(pred, "a.png", labels(1, 2, {0, 1}));
        png(gt, "b.png", labels(1, 2, {0, 1}));
        QCOMPARE(errorOf([&] { scoreSegmentationFolders(pred, gt, three); }),
                 QString::fromStdString(pred + "/b.png: missing prediction for " + gt + "/b.png"));
        png(pred, "b.png", labels(1, 2, {0, 1}));
        png(pred, "c.png", labels(1, 2, {0, 1}));
        QCOMPARE(errorOf([&] { scoreSegmentationFolders(pred, gt, three); }),
                 QString::fromStdString(pred + "/c.png: prediction without ground truth in " + gt));
        QFile::remove(QString::fromStdString(pred + "/c.png"));
        png(gt, "b.png", labels(1, 2, {0, 7}));
        QCOMPARE(errorOf([&] { scoreSegmentationFolders(pred, gt, three); }),
                 QString::fromStdString(gt + "/b.png: SegmentationMetrics: ground truth contains label 7, "
                                             "outside 0..2 and not the ignore value 255"));
        png(gt, "b.png", cv::Mat(1, 2, CV_8UC3, cv::Scalar(0, 0, 0)));
        QCOMPARE(errorOf([&] { scoreSegmentationFolders(pred, gt, three); }),
                 QString::fromStdString(gt + "/b.png: must be an 8-bit single-channel label map, got 3 channel(s) of 8 bits"));
        const std::string none = dir_.filePath("nowhere").toStdString();
        QCOMPARE(errorOf([&] { scoreSegmentationFolders(none, gt, three); }),
                 QString::fromStdString(none + ": not a folder"));
        QCOMPARE(errorOf([&] { scoreSegmentationFolders(pred, folder("empty"), three); }),
                 QString::fromStdString(dir_.filePath("empty").toStdString() + ": no PNG files"));
    }
};

QTEST_MAIN(TestScoring)
#include "tst_scoring.moc"
