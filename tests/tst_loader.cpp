// The training batch loader: order and content independent of the number of workers, resumable
// at any batch, and unreadable samples either named (fail) or left out with a count (skip).
#include "DataFixtures.h"

#include "core/common/Error.h"
#include "core/data/CityscapesDataset.h"
#include "core/data/LabelSplit.h"
#include "core/train/BatchLoader.h"
#include "TestSuite.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace mtl;

namespace {

std::vector<TrainBatch> firstBatches(const std::shared_ptr<const Dataset>& data, int workers, int count,
                                     std::int64_t first = 0, OnDataError onError = OnDataError::Fail) {
    std::vector<std::size_t> pool(data->size());
    for (std::size_t i = 0; i < pool.size(); ++i) pool[i] = i;
    BatchLoaderOptions o;
    o.width = 8;
    o.height = 6;
    o.seed = 5;
    o.workers = workers;
    o.onError = onError;
    BatchLoader loader(data, BatchSampler::implicitSampling(pool, 2, 5), o, first);
    std::vector<TrainBatch> out;
    for (int b = 0; b < count; ++b) out.push_back(loader.next());
    return out;
}

bool sameBatch(const TrainBatch& a, const TrainBatch& b) {
    return a.index == b.index && a.ids == b.ids && torch::equal(a.images, b.images) && torch::equal(a.seg, b.seg) &&
           torch::equal(a.hasDet, b.hasDet) && a.boxes.size() == b.boxes.size();
}

} // namespace

class TestLoader : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::string root_;

private Q_SLOTS:
    void initTestCase() {
        root_ = tmp_.filePath("cs").toStdString();
        fixtures::writeCityscapes(root_);
    }

    void hiddenLabelsTravelApartFromTrainingLabels() {
        const auto base = std::make_shared<CityscapesDataset>(root_, "train");
        QVERIFY(base->size() >= 2);
        LabelSplit split;
        split.seg = {base->id(0)}; // image 0 keeps its segmentation labels; every other label is hidden
        const auto partial = std::make_shared<PartialLabels>(base, split, "split.json");
        std::vector<std::size_t> pool(base->size());
        for (std::size_t i = 0; i < pool.size(); ++i) pool[i] = i;
        BatchLoaderOptions o;
        o.width = 8;
        o.height = 6;
        o.seed = 5;
        BatchLoader full(base, BatchSampler::implicitSampling(pool, int(pool.size()), 5), o);
        o.hiddenLabels = base;
        BatchLoader hiding(partial, BatchSampler::implicitSampling(pool, int(pool.size()), 5), o);
        const TrainBatch all = full.next(), seen = hiding.next();
        const auto& hidden = seen.hiddenForEvaluation;
        QCOMPARE(seen.ids, all.ids);
        for (std::size_t i = 0; i < seen.ids.size(); ++i) {
            const auto k = int64_t(i);
            const bool keepsSeg = seen.ids[i] == base->id(0);
            QCOMPARE(seen.hasSeg[k].item<bool>(), keepsSeg);
            QCOMPARE(hidden.hasSeg[k].item<bool>(), !keepsSeg);
            QVERIFY(!seen.hasDet[k].item<bool>() && seen.boxes[i].empty());
            QCOMPARE(hidden.hasDet[k].item<bool>(), all.hasDet[k].item<bool>());
            QCOMPARE(hidden.boxes[i].size(), all.boxes[i].size());
            // Together they are the full labels; apart, each holds 255 where the other has them.
            QVERIFY(torch::equal(keepsSeg ? seen.seg[k] : hidden.seg[k], all.seg[k]));
            QVERIFY((keepsSeg ? hidden.seg[k] : seen.seg[k]).eq(255).all().item<bool>());
        }
        QVERIFY(!all.hiddenForEvaluation.seg.defined()); // nothing hidden without the option
    }

    void batchesDoNotDependOnWorkers() {
        const auto data = std::make_shared<CityscapesDataset>(root_, "train");
        const auto one = firstBatches(data, 1, 6), two = firstBatches(data, 2, 6);
        for (int b = 0; b < 6; ++b) {
            QCOMPARE(one[std::size_t(b)].index, std::int64_t(b));
            QVERIFY2(sameBatch(one[std::size_t(b)], two[std::size_t(b)]), qPrintable(QString("batch %1").arg(b)));
        }
        // Resuming at batch 4 gives batches 4 and 5 exactly.
        const auto resumed = firstBatches(data, 2, 2, 4);
        QVERIFY(sameBatch(resumed[0], one[4]) && sameBatch(resumed[1], one[5]));
        // Packing: labels and boxes of the first sample travel with it; crowd regions do not.
        const TrainBatch& b0 = one[0];
        QCOMPARE(b0.images.sizes(), (torch::IntArrayRef{2, 6, 8, 3}));
        QCOMPARE(b0.seg.sizes(), (torch::IntArrayRef{2, 6, 8}));
        QVERIFY(b0.hasSeg.all().item<bool>());
    }

    // Data-parallel training: the processes' shards of a batch, interleaved, are the batch itself,
    // flips included.
    void shardsMakeUpTheWholeBatch() {
        const auto data = std::make_shared<CityscapesDataset>(root_, "train");
        std::vector<std::size_t> pool(data->size());
        for (std::size_t i = 0; i < pool.size(); ++i) pool[i] = i;
        auto loaderFor = [&](int shard, int shards) {
            BatchLoaderOptions o;
            o.width = 8;
            o.height = 6;
            o.seed = 5;
            o.shardIndex = shard;
            o.shardCount = shards;
            return std::make_unique<BatchLoader>(data, BatchSampler::implicitSampling(pool, 4, 5), o);
        };
        auto whole = loaderFor(0, 1), first = loaderFor(0, 2), second = loaderFor(1, 2);
        for (int b = 0; b < 8; ++b) {
            const TrainBatch w = whole->next(), s0 = first->next(), s1 = second->next();
            QCOMPARE(s0.ids.size(), std::size_t(2));
            QCOMPARE(s1.ids.size(), std::size_t(2));
            for (std::size_t i = 0; i < 4; ++i) {
                const TrainBatch& shard = i % 2 == 0 ? s0 : s1;
                QCOMPARE(shard.ids[i / 2], w.ids[i]);
                QVERIFY(shard.images[int64_t(i / 2)].equal(w.images[int64_t(i)]));
                QVERIFY(shard.seg[int64_t(i / 2)].equal(w.seg[int64_t(i)]));
            }
        }
        QCOMPARE(shardPositions(8, 1, 3), (std::vector<std::size_t>{1, 4, 7}));
        QCOMPARE(shardPositions(4, 0, 1), (std::vector<std::size_t>{0, 1, 2, 3}));
    }

    void unreadableSamples() {
        const std::string root = tmp_.filePath("cs-bad").toStdString();
        fixtures::writeCityscapes(root);
        const std::string image = root + "/leftImg8bit/train/bonn/bonn_000000_000019_leftImg8bit.png";
        fixtures::truncateToHalf(image);
        const auto data = std::make_shared<CityscapesDataset>(root, "train");
        const QString msg = fixtures::messageOf<DataError>([&] { firstBatches(data, 2, 6); });
        QVERIFY2(msg.contains(QString::fromStdString(image)) && msg.contains("bonn_000000_000019"), qPrintable(msg));

        std::vector<std::size_t> pool = {0, 1, 2};
        BatchLoaderOptions o;
        o.width = 8;
        o.height = 6;
        o.onError = OnDataError::Skip;
        BatchLoader loader(data, BatchSampler::implicitSampling(pool, 3, 1), o);
        for (int b = 0; b < 4; ++b) {
            const TrainBatch batch = loader.next();
            QCOMPARE(batch.ids.size(), std::size_t(2)); // every batch is one epoch: the bad one left out
            QVERIFY(std::find(batch.ids.begin(), batch.ids.end(), "bonn_000000_000019") == batch.ids.end());
        }
        QCOMPARE(loader.skippedSamples(), std::size_t(1)); // counted once, not per draw
        QVERIFY(QString::fromStdString(loader.skippedMessages().at(0)).contains("bonn_000000_000019"));
    }
};

MTLW_TEST_MAIN(TestLoader, Core)
#include "tst_loader.moc"
