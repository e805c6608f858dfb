// A run's lifecycle beyond one straight training: stopping and resuming exactly where it stopped,
// divergence keeping the last good checkpoint, and several runs through the run queue.
#include "TestSupport.h"
#include "TrainingTestSupport.h"

#include "core/common/Error.h"

#include "core/experiment/Registry.h"
#include "core/model/Checkpoint.h"
#include "core/train/RunQueue.h"
#include "core/train/TrainingRun.h"
#include "TestSuite.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <mutex>

using namespace mtl;

class TestLifecycle : public QObject {
    Q_OBJECT
    TrainingScratch scratch_;
    const QString& data_ = scratch_.data;
    std::string freshRegistry() { return scratch_.freshRegistry(); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(scratch_.start()); }

    void resumeContinuesExactly() {
        const int steps = 20;
        ExperimentConfig c = tinyExperiment(data_, steps);
        c.train.threads = 1;
        const std::string path = freshRegistry();

        TrainingRun straight(c, path);
        straight.start(nullptr);
        QCOMPARE(statusText(straight.wait()), QString("finished"));

        TrainingRun first(c, path);
        StopAtStep stopper(first, steps / 2);
        first.start(&stopper);
        QCOMPARE(statusText(first.wait()), QString("interrupted"));
        Registry registry(path);
        QCOMPARE(readCheckpointInfo(first.runDir() + "/checkpoint.pt").step, std::int64_t(steps / 2));
        QCOMPARE(registry.checkpoints(first.id()).at(0).step, std::int64_t(steps / 2));

        auto resumed = TrainingRun::resume(first.id(), path);
        QCOMPARE(resumed->id(), first.id());
        QCOMPARE(resumed->runDir(), first.runDir());
        resumed->start(nullptr);
        QCOMPARE(statusText(resumed->wait()), QString("finished"));
        QCOMPARE(statusText(registry.run(first.id())->status), QString("finished"));

        // Same losses at every logged step, no step lost or repeated.
        for (const char* key : {"train/loss", "train/seg_loss", "train/det_cls_loss", "train/lr", "val/mIoU"}) {
            const auto a = registry.series(straight.id(), key), b = registry.series(first.id(), key);
            QCOMPARE(a.size(), b.size());
            for (std::size_t i = 0; i < a.size(); ++i) {
                QCOMPARE(b[i].step, a[i].step);
                QCOMPARE(b[i].value, a[i].value);
            }
        }
        QCOMPARE(registry.series(first.id(), "train/loss").size(), std::size_t(steps / 5));
        // Same weights and buffers, bit for bit.
        MultiTaskModel a = modelFrom(straight.runDir() + "/checkpoint.pt", c);
        MultiTaskModel b = modelFrom(first.runDir() + "/checkpoint.pt", c);
        const auto pa = a->named_parameters(), pb = b->named_parameters();
        QCOMPARE(pa.size(), pb.size());
        for (const auto& item : pa) QVERIFY2(torch::equal(item.value(), pb[item.key()]), item.key().c_str());
        const auto ba = a->named_buffers(), bb = b->named_buffers();
        for (const auto& item : ba) QVERIFY2(torch::equal(item.value(), bb[item.key()]), item.key().c_str());

        // A finished run is not resumed again.
        QVERIFY_THROWS_EXCEPTION(InputError, TrainingRun::resume(first.id(), path));
        QVERIFY_THROWS_EXCEPTION(InputError, TrainingRun::resume(first.id() + 100, path));
    }

    void nonFiniteLossEndsDivergedKeepingTheLastGoodCheckpoint() {
        // A learning rate far too high for a randomly initialised detector.
        ExperimentConfig c = tinyExperiment(data_, 60);
        c.train.lr = 10;
        c.train.gradClipNorm = 0;
        c.train.logEvery = 1;
        c.train.checkpointEvery = 5;
        c.train.threads = 1;
        const std::string path = freshRegistry();
        TrainingRun run(c, path);
        run.start(nullptr);
        QCOMPARE(statusText(run.wait()), QString("diverged"));

        Registry registry(path);
        const auto record = registry.run(run.id());
        QCOMPARE(statusText(record->status), QString("diverged"));
        QVERIFY2(QString::fromStdString(record->message).contains("not finite"), record->message.c_str());
        const auto checkpoints = registry.checkpoints(run.id());
        QCOMPARE(checkpoints.size(), std::size_t(1));
        const std::int64_t kept = checkpoints[0].step;
        QVERIFY(kept > 0 && kept % 5 == 0);
        QVERIFY2(QString::fromStdString(record->message)
                     .endsWith(QString("the last good checkpoint (step %1) is kept").arg(kept)),
                 record->message.c_str());
        // The checkpoint on disk is that step's, with finite weights.
        QCOMPARE(readCheckpointInfo(checkpoints[0].path).step, kept);
        MultiTaskModel model = modelFrom(checkpoints[0].path, c);
        for (const auto& p : model->parameters()) QVERIFY(torch::isfinite(p).all().item<bool>());
        // Every logged loss is finite; the first non-finite one stopped the run before the next checkpoint.
        const auto loss = registry.series(run.id(), "train/loss");
        QVERIFY(!loss.empty());
        for (const auto& p : loss) QVERIFY(std::isfinite(p.value));
        QVERIFY(loss.back().step < kept + 5);
        QVERIFY_THROWS_EXCEPTION(InputError, TrainingRun::resume(run.id(), path));
    }

    void queueRunsAtMostItsLimitAtOnce() {
        const std::string path = freshRegistry();
        std::mutex mutex;
        int active = 0, most = 0, started = 0;
        class Counting : public TrainingObserver {
        public:
            explicit Counting(std::function<void()> end) : end_(std::move(end)) {}
            void onFinished(RunStatus, const std::string&) override { end_(); }

        private:
            std::function<void()> end_;
        };
        std::vector<std::int64_t> ids;
        {
            RunQueue queue(path, 2, [&](std::int64_t, const std::string&) {
                std::lock_guard<std::mutex> lock(mutex);
                most = std::max(most, ++active);
                ++started;
                return std::make_unique<Counting>([&] {
                    std::lock_guard<std::mutex> lock(mutex);
                    --active;
                });
            });
            for (int i = 0; i < 3; ++i) {
                ExperimentConfig c = tinyExperiment(data_, 10);
                c.name = "queued " + std::to_string(i);
                c.train.threads = 0; // the queue gives each run its share of the cores
                ids.push_back(queue.add(c));
            }
            // Recorded at once, before they start.
            Registry registry(path);
            QCOMPARE(registry.listRuns().size(), std::size_t(3));
            const auto results = queue.waitAll();
            QCOMPARE(results.size(), std::size_t(3));
            for (std::size_t i = 0; i < results.size(); ++i) {
                QCOMPARE(results[i].id, ids[i]);
                QCOMPARE(statusText(results[i].status), QString("finished"));
                QVERIFY(results[i].validation.has_value());
            }
        }
        QCOMPARE(started, 3);
        QCOMPARE(most, 2);
        const int share = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / 2);
        Registry registry(path);
        for (std::int64_t id : ids) {
            QCOMPARE(statusText(registry.run(id)->status), QString("finished"));
            QVERIFY(QString::fromStdString(registry.run(id)->configYaml).contains(QString("threads: %1\n").arg(share)));
        }
    }

    void stoppingTheQueueLeavesUnstartedRunsResumable() {
        const std::string path = freshRegistry();
        std::vector<std::int64_t> ids;
        {
            RunQueue queue(path, 1);
            for (int i = 0; i < 3; ++i) ids.push_back(queue.add(tinyExperiment(data_, 100000)));
            queue.stopAll();
            const auto results = queue.waitAll();
            for (const auto& r : results) QCOMPARE(statusText(r.status), QString("interrupted"));
        }
        Registry registry(path);
        QCOMPARE(QString::fromStdString(registry.run(ids[2])->message), QString("stopped before it started"));
        for (std::int64_t id : ids) QCOMPARE(statusText(registry.run(id)->status), QString("interrupted"));
        QVERIFY(isResumable(registry.run(ids[2])->status));
    }

    // The queue the GUI drives: all-or-none enqueueing, cancelling a waiting run, stopping the
    // training run while the queue goes on, resuming idempotently, and change notifications.
    void queueEnqueuesAllOrNoneCancelsAndGoesOnAfterAStop() {
        const std::string path = freshRegistry();
        std::atomic<int> started{0}, changes{0};
        RunQueue queue(
            path, 1,
            [&](std::int64_t, const std::string&) {
                ++started;
                return std::unique_ptr<TrainingObserver>();
            },
            [&] { ++changes; });

        ExperimentConfig bad = tinyExperiment(data_, 10);
        bad.model.pretrained = "/no/such/weights.pt"; // refused before anything is queued
        QVERIFY_THROWS_EXCEPTION(Error, queue.addAll({tinyExperiment(data_, 10), tinyExperiment(data_, 10), bad}));
        QCOMPARE(started.load(), 0);
        QCOMPARE(changes.load(), 0);
        Registry registry(path);
        QCOMPARE(registry.listRuns().size(), std::size_t(2));
        for (const auto& r : registry.listRuns()) {
            QCOMPARE(statusText(r.status), QString("interrupted"));
            QCOMPARE(QString::fromStdString(r.message), QString("not started: a run queued with it had bad input"));
        }

        const auto ids = queue.addAll({tinyExperiment(data_, 100000), tinyExperiment(data_, 10), tinyExperiment(data_, 10)});
        QCOMPARE(int(ids.size()), 3);
        // The first starts in the call that queues it; the others wait their turn.
        QCOMPARE(started.load(), 1);
        QCOMPARE(queue.trainingIds(), std::vector<std::int64_t>({ids[0]}));
        QCOMPARE(queue.waitingIds(), std::vector<std::int64_t>({ids[1], ids[2]}));
        QCOMPARE(changes.load(), 1);
        QCOMPARE(queue.addResume(ids[0]), ids[0]); // training already: left as it is
        QCOMPARE(queue.waitingIds().size(), std::size_t(2));

        QVERIFY(queue.cancel(ids[1]));
        QVERIFY(!queue.cancel(ids[1])); // no longer waiting
        QVERIFY(!queue.cancel(ids[0])); // training, not waiting
        QCOMPARE(queue.waitingIds(), std::vector<std::int64_t>({ids[2]}));
        QCOMPARE(changes.load(), 2);

        queue.stopRunning(); // the long run ends; the queue goes on with the last one
        const auto results = queue.waitAll();
        QCOMPARE(results.size(), std::size_t(3));
        QCOMPARE(statusText(results[0].status), QString("interrupted"));
        QCOMPARE(statusText(results[1].status), QString("interrupted"));
        QCOMPARE(statusText(results[2].status), QString("finished"));
        QCOMPARE(started.load(), 2);
        QVERIFY(changes.load() >= 3); // and the first run's end (the last one's may still be on its way)
        QCOMPARE(QString::fromStdString(registry.run(ids[1])->message), QString("taken off the queue before it started"));
        QVERIFY(isResumable(registry.run(ids[1])->status));
        QVERIFY(queue.trainingIds().empty() && queue.waitingIds().empty());
    }
};

MTLW_TEST_MAIN(TestLifecycle, Core)
#include "tst_lifecycle.moc"
