// Labeled-subset settings (a)-(e), split files, hidden labels, and the batch samplers.
#include "DataFixtures.h"

#include "core/common/Error.h"
#include "core/data/BatchSampler.h"
#include "core/data/LabelSplit.h"
#include "core/data/RepeatFactors.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

using namespace mtl;
using fixtures::messageOf;

namespace {

// A data set of N ids labeled on disk for both tasks (no files: splits only look at ids and flags).
class FlagDataset : public Dataset {
public:
    explicit FlagDataset(std::size_t n, std::size_t unlabeledTail = 0) {
        for (std::size_t i = 0; i < n; ++i) ids_.push_back("img" + std::to_string(100000 + i));
        labeled_ = n - unlabeledTail;
    }
    std::size_t size() const override { return ids_.size(); }
    const std::string& id(std::size_t i) const override { return ids_.at(i); }
    bool labeled(std::size_t i, Task) const override { return i < labeled_; }
    Sample load(std::size_t i, bool wantSeg, bool wantDet) const override {
        Sample s;
        s.id = ids_.at(i);
        s.hasSeg = wantSeg && labeled(i, Task::Segmentation);
        s.hasDet = wantDet && labeled(i, Task::Detection);
        return s;
    }
    const ClassNames& classes() const override {
        static const ClassNames names{{"road"}, {"car"}};
        return names;
    }
    std::string description() const override { return "flags"; }

private:
    std::vector<std::string> ids_;
    std::size_t labeled_;
};

// Ten images for repeat factor sampling: every labeled one holds a car and road; image 0 also a
// bus, images 0 and 1 sky, image 5 a crowd bus (never counted); image 9 is labeled for nothing.
class ClassDataset : public Dataset {
public:
    ClassDataset() {
        for (int i = 0; i < 10; ++i) ids_.push_back("img" + std::to_string(i));
    }
    std::size_t size() const override { return ids_.size(); }
    const std::string& id(std::size_t i) const override { return ids_.at(i); }
    bool labeled(std::size_t i, Task) const override { return i < 9; }
    Sample load(std::size_t i, bool wantSeg, bool wantDet) const override {
        Sample s;
        s.id = ids_.at(i);
        s.hasSeg = wantSeg && labeled(i, Task::Segmentation);
        s.hasDet = wantDet && labeled(i, Task::Detection);
        if (s.hasSeg) {
            s.seg = cv::Mat(4, 4, CV_8UC1, cv::Scalar(0)); // road
            s.seg.at<unsigned char>(3, 3) = 255;              // ignore: not a class
            if (i < 2) s.seg.at<unsigned char>(0, 0) = 1;     // sky
        }
        if (s.hasDet) {
            s.boxes.push_back({0, 0, 2, 2, 0});
            if (i == 0) s.boxes.push_back({1, 1, 3, 3, 1});
            if (i == 5) s.boxes.push_back({1, 1, 3, 3, 1, true});
        }
        return s;
    }
    const ClassNames& classes() const override {
        static const ClassNames names{{"road", "sky"}, {"car", "bus"}};
        return names;
    }
    std::string description() const override { return "classes"; }

private:
    std::vector<std::string> ids_;
};

std::set<std::string> asSet(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

bool subsetOf(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    const auto sb = asSet(b);
    return std::all_of(a.begin(), a.end(), [&](const std::string& s) { return sb.count(s) > 0; });
}

} // namespace

class TestSplits : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

private Q_SLOTS:
    void labelCounts() {
        // The paper's fractions of Cityscapes' 2,975 training images.
        QCOMPARE(parseLabelCount("1/32", 2975, "x"), std::size_t(93));
        QCOMPARE(parseLabelCount("1/16", 2975, "x"), std::size_t(186));
        QCOMPARE(parseLabelCount("1/8", 2975, "x"), std::size_t(372));
        QCOMPARE(parseLabelCount("1/4", 2975, "x"), std::size_t(744));
        QCOMPARE(parseLabelCount("1/2", 2975, "x"), std::size_t(1488));
        QCOMPARE(parseLabelCount("all", 2975, "x"), std::size_t(2975));
        QCOMPARE(parseLabelCount("93", 2975, "x"), std::size_t(93));
        QVERIFY(messageOf<InputError>([] { parseLabelCount("3000", 2975, "--det"); }).contains("--det: 3000 gives 3000"));
        QVERIFY(messageOf<InputError>([] { parseLabelCount("0", 2975, "--det"); }).contains("gives 0"));
        QVERIFY(messageOf<InputError>([] { parseLabelCount("1/0", 2975, "--seg"); }).contains("not a fraction"));
        QVERIFY(messageOf<InputError>([] { parseLabelCount("half", 2975, "--seg"); }).contains("not a count"));
    }

    void settingsFollowTheirDefinitions() {
        const FlagDataset data(2975);
        const LabelSplit a = makeLabelSplit(data, "a", std::nullopt, 93, 1);
        QCOMPARE(a.det.size(), std::size_t(2975));
        QCOMPARE(a.seg.size(), std::size_t(93));
        QCOMPARE(a.overlap(), std::size_t(93));

        const LabelSplit b = makeLabelSplit(data, "b", 186, 186, 1);
        QCOMPARE(b.det.size(), std::size_t(186));
        QVERIFY(b.det == b.seg); // complete overlap

        const LabelSplit c = makeLabelSplit(data, "c", 372, 372, 1);
        QCOMPARE(c.det.size(), std::size_t(372));
        QCOMPARE(c.seg.size(), std::size_t(372));
        QVERIFY(c.det != c.seg);
        QCOMPARE(c.expectedOverlap, 372.0 * 372.0 / 2975.0);

        const LabelSplit d = makeLabelSplit(data, "d", 744, 93, 1);
        QCOMPARE(d.det.size(), std::size_t(744));
        QCOMPARE(d.seg.size(), std::size_t(93));
        QVERIFY(subsetOf(d.seg, d.det)); // segmentation inside detection
        QCOMPARE(d.overlap(), std::size_t(93));

        const LabelSplit e = makeLabelSplit(data, "e", 1488, 186, 1);
        QCOMPARE(e.det.size(), std::size_t(1488));
        QCOMPARE(e.seg.size(), std::size_t(186));
        QCOMPARE(e.expectedOverlap, 1488.0 * 186.0 / 2975.0);
        QVERIFY(asSet(e.det).size() == 1488 && asSet(e.seg).size() == 186); // no duplicates

        // Counts that do not fit the setting.
        QVERIFY(messageOf<InputError>([&] { makeLabelSplit(data, "a", 100, 93, 1); }).contains("--det must be 'all'"));
        QVERIFY(messageOf<InputError>([&] { makeLabelSplit(data, "b", 93, 186, 1); }).contains("one size for both"));
        QVERIFY(messageOf<InputError>([&] { makeLabelSplit(data, "d", 93, 186, 1); }).contains("must not exceed"));
        QVERIFY(messageOf<InputError>([&] { makeLabelSplit(data, "e", std::nullopt, 93, 1); }).contains("needs --det"));
        QVERIFY(messageOf<InputError>([&] { makeLabelSplit(data, "f", 93, 93, 1); }).contains("unknown setting 'f'"));
    }

    void sameSeedSameSplitOtherSeedOtherSplit() {
        const FlagDataset data(500);
        const LabelSplit one = makeLabelSplit(data, "e", 100, 50, 7);
        const LabelSplit again = makeLabelSplit(data, "e", 100, 50, 7);
        QVERIFY(one.det == again.det && one.seg == again.seg);
        const LabelSplit other = makeLabelSplit(data, "e", 100, 50, 8);
        QVERIFY(one.det != other.det);
        // Pinned: splitmix64 makes the draw identical on every machine.
        QCOMPARE(QString::fromStdString(one.det.front()), QString("img100003"));
    }

    void randomSettingsMatchTheExpectedOverlapOnAverage() {
        // Over 400 seeds the mean overlap of independent subsets is k_det·k_seg/N within 3 standard
        // errors (hypergeometric variance), for (c) and (e).
        const FlagDataset data(2975);
        for (const auto& [setting, kd, ks] : {std::tuple<const char*, std::size_t, std::size_t>{"c", 93, 93},
                                              {"c", 744, 744}, {"e", 1488, 186}, {"e", 372, 93}}) {
            const int seeds = 400;
            double sum = 0;
            for (int s = 0; s < seeds; ++s) sum += double(makeLabelSplit(data, setting, kd, ks, s).overlap());
            const double n = 2975, expected = double(kd) * double(ks) / n;
            const double variance = expected * (1 - double(kd) / n) * (n - double(ks)) / (n - 1);
            const double mean = sum / seeds;
            QVERIFY2(std::abs(mean - expected) < 3 * std::sqrt(variance / seeds),
                     qPrintable(QString("%1 %2x%3: mean overlap %4, expected %5").arg(setting).arg(kd).arg(ks).arg(mean).arg(expected)));
        }
    }

    void splitFileRoundTripAndHiddenLabels() {
        auto data = std::make_shared<FlagDataset>(40, 10); // 30 labeled, 10 unlabeled on disk
        LabelSplit split = makeLabelSplit(*data, "d", 12, 5, 3);
        QCOMPARE(split.poolSize, std::size_t(30));
        split.dataset = "flags";
        const std::string file = tmp_.filePath("split.json").toStdString();
        std::ofstream(file) << labelSplitToJson(split, data->size());
        const LabelSplit read = readLabelSplit(file);
        QVERIFY(read.det == split.det && read.seg == split.seg);
        QCOMPARE(QString::fromStdString(read.setting), QString("d"));
        QCOMPARE(read.seed, std::uint64_t(3));

        const PartialLabels partial(data, read, file);
        QCOMPARE(partial.labeledCount(Task::Detection), std::size_t(12));
        QCOMPARE(partial.labeledCount(Task::Segmentation), std::size_t(5));
        const std::size_t hidden = data->indexOf([&] {
            for (std::size_t i = 0; i < 30; ++i)
                if (!asSet(split.det).count(data->id(i))) return data->id(i);
            return std::string();
        }(), "test");
        const Sample s = partial.load(hidden, true, true);
        QVERIFY(!s.hasSeg && !s.hasDet); // labels on disk, hidden by the split

        // Bad split files name the file and the JSON path.
        std::ofstream(file) << R"({"format": "mtl-workbench label split", "version": 1, "setting": "c", "seed": 0,
                                   "pool_size": 30, "det": ["img100001", "img100001"], "seg": []})";
        QString msg = messageOf<InputError>([&] { readLabelSplit(file); });
        QVERIFY2(msg.contains(QString::fromStdString(file) + ": det[1]: image img100001 is listed twice"), qPrintable(msg));
        std::ofstream(file) << R"({"format": "mtl-workbench label split", "version": 1, "setting": "c", "seed": 0,
                                   "pool_size": 30, "det": ["img100001", "nope"], "seg": ["img100035"]})";
        msg = messageOf<InputError>([&] { PartialLabels(data, readLabelSplit(file), file); });
        QVERIFY2(msg.contains("det: image 'nope' is not in flags"), qPrintable(msg));
        std::ofstream(file) << R"({"format": "mtl-workbench label split", "version": 1, "setting": "c", "seed": 0,
                                   "pool_size": 30, "det": [], "seg": ["img100035"]})";
        msg = messageOf<InputError>([&] { PartialLabels(data, readLabelSplit(file), file); });
        QVERIFY2(msg.contains("seg: image img100035 has no seg labels"), qPrintable(msg));
        std::ofstream(file) << R"({"format": "something else"})";
        QVERIFY(messageOf<InputError>([&] { readLabelSplit(file); }).contains("format: not a label split"));
    }

    void implicitSamplerIsEndlessAndCoversEachEpoch() {
        std::vector<std::size_t> pool = {3, 5, 7, 11, 13, 17, 19};
        const auto sampler = BatchSampler::implicitSampling(pool, 3, 42);
        QCOMPARE(sampler.batchSize(), 3);
        // 7 batches of 3 = 21 draws = exactly 3 epochs: each sample 3 times.
        std::map<std::size_t, int> seen;
        for (int b = 0; b < 7; ++b)
            for (std::size_t i : sampler.batch(b)) ++seen[i];
        QCOMPARE(seen.size(), pool.size());
        for (const auto& [i, n] : seen) QCOMPARE(n, 3);
        // A pure function of (seed, batch): the same batch again, from a fresh sampler too.
        const auto again = BatchSampler::implicitSampling(pool, 3, 42);
        QVERIFY(sampler.batch(123456) == again.batch(123456));
        QVERIFY(sampler.batch(5) != BatchSampler::implicitSampling(pool, 3, 43).batch(5) ||
                sampler.batch(6) != BatchSampler::implicitSampling(pool, 3, 43).batch(6));
        QVERIFY(messageOf<InputError>([] { BatchSampler::implicitSampling({}, 3, 0); }).contains("empty"));
    }

    void repeatFactorsOversampleImagesOfRareClasses() {
        const ClassDataset data;
        const std::vector<std::size_t> pool = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        const RepeatFactors f = repeatFactors(data, pool, 0.5, 2);
        // 9 images labeled per task: the bus is in 1 of them -> sqrt(0.5 / (1/9)), sky in 2 ->
        // sqrt(0.5 / (2/9)) = 1.5; car and road are everywhere -> 1.
        const auto near = [](const std::vector<double>& a, const std::vector<double>& b) {
            return a.size() == b.size() &&
                   std::equal(a.begin(), a.end(), b.begin(), [](double x, double y) { return std::abs(x - y) < 1e-12; });
        };
        QVERIFY(near(f.detClass, {1.0, std::sqrt(4.5)}));
        QVERIFY(near(f.segClass, {1.0, 1.5}));
        QVERIFY(near(f.perImage, {std::sqrt(4.5), 1.5, 1, 1, 1, 1, 1, 1, 1, 1}));
        // The pool as walked: image 0 two or three times, image 1 once or twice, every other once;
        // over many seeds the mean count is the factor.
        double copies0 = 0, copies1 = 0;
        const int seeds = 4000;
        for (int seed = 0; seed < seeds; ++seed) {
            const auto repeated = repeatedPool(pool, f.perImage, std::uint64_t(seed));
            const auto n0 = std::count(repeated.begin(), repeated.end(), std::size_t(0));
            const auto n1 = std::count(repeated.begin(), repeated.end(), std::size_t(1));
            QVERIFY(n0 == 2 || n0 == 3);
            QVERIFY(n1 == 1 || n1 == 2);
            QCOMPARE(repeated.size(), std::size_t(8 + n0 + n1));
            copies0 += double(n0) / seeds;
            copies1 += double(n1) / seeds;
        }
        QVERIFY2(std::abs(copies0 - std::sqrt(4.5)) < 0.03, std::to_string(copies0).c_str());
        QVERIFY2(std::abs(copies1 - 1.5) < 0.03, std::to_string(copies1).c_str());
        QVERIFY(repeatedPool(pool, f.perImage, 7) == repeatedPool(pool, f.perImage, 7));
        QCOMPARE(QString::fromStdString(f.summary(data.classes(), 10, 13)),
                 QString("repeat factor sampling: 10 images -> 13 per epoch; det bus x2.12, seg sky x1.50"));
        // A threshold every class clears changes nothing.
        const RepeatFactors none = repeatFactors(data, pool, 0.1, 1);
        QCOMPARE(none.perImage, std::vector<double>(10, 1.0));
        QVERIFY(repeatedPool(pool, none.perImage, 3) == pool);
        QCOMPARE(QString::fromStdString(none.summary(data.classes(), 10, 10)),
                 QString("repeat factor sampling: 10 images -> 10 per epoch; no class is below the threshold"));
    }

    void explicitSamplerMixesLabeledAndUnlabeled() {
        const std::vector<std::size_t> labeled = {0, 1, 2}, unlabeled = {10, 11, 12, 13, 14};
        const auto sampler = BatchSampler::explicitSampling(labeled, unlabeled, 2, 4, 9);
        QCOMPARE(sampler.batchSize(), 6);
        QCOMPARE(sampler.labeledPerBatch(), 2);
        for (int b = 0; b < 50; ++b) {
            const auto batch = sampler.batch(b);
            QCOMPARE(batch.size(), std::size_t(6));
            QVERIFY(batch[0] < 3 && batch[1] < 3);
            for (int j = 2; j < 6; ++j) QVERIFY(batch[std::size_t(j)] >= 10);
        }
        QVERIFY(messageOf<InputError>([&] { BatchSampler::explicitSampling(labeled, {}, 2, 4, 9); })
                    .contains("every training image is labeled"));
    }
};

QTEST_GUILESS_MAIN(TestSplits)
#include "tst_splits.moc"
