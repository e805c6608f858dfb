// The multi-task model's architecture: torchvision-compatible backbones, output shapes of each
// task set, pyramid sizes and anchor counts, frozen BatchNorm, the weight-decay split, the
// optimiser's schedule.
#include "core/common/Error.h"
#include "core/experiment/ExperimentConfig.h"
#include "core/model/ModelSpec.h"
#include "core/model/MultiTaskModel.h"
#include "core/model/SyncBatchNorm.h"
#include "core/train/Optimizer.h"
#include "TestSuite.h"

#include <QtTest>

using namespace mtl;

namespace {
ModelSpec tinySpec(TaskSet tasks, BackboneKind backbone = BackboneKind::ResNet18) {
    ModelSpec s;
    s.backbone = backbone;
    s.width = 0.125;
    s.tasks = tasks;
    s.segClasses = 19;
    s.detClasses = 8;
    return s;
}

int64_t parameterCount(torch::nn::Module& m) {
    int64_t n = 0;
    for (const auto& p : m.parameters()) n += p.numel();
    return n;
}

using Sizes = std::vector<std::array<int64_t, 2>>;
} // namespace

class TestModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::manual_seed(0); }

    void fullWidthBackbonesMatchTorchvision() {
        // torchvision's parameter counts less the classifier (fc: 512·1000 + 1000, or 2048·1000 + 1000).
        QCOMPARE(parameterCount(*ResNet(BackboneKind::ResNet18, 1.0, false)), int64_t(11689512 - 513000));
        QCOMPARE(parameterCount(*ResNet(BackboneKind::ResNet34, 1.0, false)), int64_t(21797672 - 513000));
        ResNet r50(BackboneKind::ResNet50, 1.0, true);
        QCOMPARE(parameterCount(*r50), int64_t(25557032 - 2049000));
        const auto params = r50->named_parameters();
        const auto buffers = r50->named_buffers();
        for (const char* key : {"conv1.weight", "layer1.0.downsample.0.weight", "layer1.0.downsample.1.bias",
                                "layer4.2.conv3.weight", "layer4.2.bn3.weight"})
            QVERIFY2(params.contains(key), key);
        for (const char* key : {"bn1.running_mean", "layer3.5.bn2.running_var", "layer2.0.bn1.num_batches_tracked"})
            QVERIFY2(buffers.contains(key), key);
        QCOMPARE(r50->channels(1), 256);
        QCOMPARE(r50->channels(4), 2048);
    }

    void dilatedLastStageKeepsStride16() {
        torch::NoGradGuard noGrad;
        ResNet dilated(BackboneKind::ResNet50, 0.125, true), plain(BackboneKind::ResNet50, 0.125, false);
        dilated->eval();
        plain->eval();
        const auto x = torch::randn({1, 3, 64, 96});
        const BackboneFeatures d = dilated->forward(x), p = plain->forward(x);
        QCOMPARE(d.c2.sizes(), (torch::IntArrayRef{1, 32, 16, 24}));
        QCOMPARE(d.c3.sizes(), (torch::IntArrayRef{1, 64, 8, 12}));
        QCOMPARE(d.c4.sizes(), (torch::IntArrayRef{1, 128, 4, 6}));
        QCOMPARE(d.c5.sizes(), (torch::IntArrayRef{1, 256, 4, 6}));
        QCOMPARE(p.c5.sizes(), (torch::IntArrayRef{1, 256, 2, 3}));
    }

    void dilatedStageSampledAtEvenPositionsIsTheStride32Stage() {
        // Same weights: the dilated stage's output on every other row and column equals the undilated
        // stage's output (in inference mode, where BatchNorm does not depend on the map).
        torch::NoGradGuard noGrad;
        for (auto kind : {BackboneKind::ResNet18, BackboneKind::ResNet50}) {
            ResNet dilated(kind, 0.125, true), plain(kind, 0.125, false);
            auto source = plain->named_parameters();
            for (auto& p : dilated->named_parameters()) p.value().copy_(source[p.key()]);
            dilated->eval();
            plain->eval();
            const auto x = torch::randn({2, 3, 80, 112});
            using torch::indexing::None;
            using torch::indexing::Slice;
            const auto sampled = dilated->forward(x).c5.index({Slice(), Slice(), Slice(None, None, 2), Slice(None, None, 2)});
            const auto expected = plain->forward(x).c5;
            // Float rounding only: the two convolutions sum in different orders (how differently
            // depends on the BLAS kernel the CPU gets), and ResNet-50's 16 random-init blocks carry
            // the difference through; it stays far below the output's scale.
            const double scale = expected.abs().max().item<double>();
            const double worst = (sampled - expected).abs().max().item<double>();
            QVERIFY2(worst <= 1e-5 * scale, (backboneName(kind) + ": max difference " + std::to_string(worst) +
                                             " against max |value| " + std::to_string(scale)).c_str());
        }
    }

    void multiTaskOutputShapes() {
        MultiTaskModel model(tinySpec(TaskSet::Multi));
        const auto out = model->forward(torch::randn({2, 3, 64, 96}));
        // Segmentation at the head's stride 4, and resized to the input on request.
        QCOMPARE(out.segLogits.sizes(), (torch::IntArrayRef{2, 19, 16, 24}));
        QCOMPARE(out.segLogitsAtInputSize().sizes(), (torch::IntArrayRef{2, 19, 64, 96}));
        // P3..P7 of a 64×96 input: 8×12, 4×6, 2×3, 1×2, 1×1 cells, 9 anchors each.
        QCOMPARE(out.levelSizes, (Sizes{{8, 12}, {4, 6}, {2, 3}, {1, 2}, {1, 1}}));
        const int64_t anchors = (96 + 24 + 6 + 2 + 1) * 9;
        QCOMPARE(out.classLogits.sizes(), (torch::IntArrayRef{2, anchors, 8}));
        QCOMPARE(out.boxDeltas.sizes(), (torch::IntArrayRef{2, anchors, 4}));
        QCOMPARE(model->anchors(out).sizes(), (torch::IntArrayRef{anchors, 4}));
        QCOMPARE(model->anchorsPerLevel(out), (std::vector<int64_t>{96 * 9, 24 * 9, 6 * 9, 2 * 9, 9}));
    }

    void singleTaskModelsHaveOneHead() {
        MultiTaskModel seg(tinySpec(TaskSet::SegOnly, BackboneKind::ResNet50));
        const auto s = seg->forward(torch::randn({2, 3, 32, 48}));
        QCOMPARE(s.segLogitsAtInputSize().sizes(), (torch::IntArrayRef{2, 19, 32, 48}));
        QVERIFY(!s.classLogits.defined());
        QVERIFY(!seg->named_modules().contains("det_head"));

        // A detector alone keeps the undilated backbone; odd sizes round up at every stride-2 step
        // (100×60 → P3 13×8 ... P7 1×1), as in the multi-task model.
        ModelSpec spec = tinySpec(TaskSet::DetOnly, BackboneKind::ResNet34);
        spec.detClasses = 10;
        MultiTaskModel det(spec);
        const auto d = det->forward(torch::randn({1, 3, 60, 100}));
        QVERIFY(!d.segLogits.defined());
        QCOMPARE(d.levelSizes, (Sizes{{8, 13}, {4, 7}, {2, 4}, {1, 2}, {1, 1}}));
        QCOMPARE(d.classLogits.sizes(), (torch::IntArrayRef{1, (104 + 28 + 8 + 2 + 1) * 9, 10}));
        MultiTaskModel multi(tinySpec(TaskSet::Multi, BackboneKind::ResNet34));
        QCOMPARE(multi->forward(torch::randn({1, 3, 60, 100})).levelSizes, d.levelSizes);
    }

    void classificationStartsAtThePrior() {
        torch::NoGradGuard noGrad;
        MultiTaskModel model(tinySpec(TaskSet::DetOnly));
        model->eval();
        const auto p = torch::sigmoid(model->forward(torch::randn({1, 3, 64, 64})).classLogits);
        // Weights ~ N(0, 0.01) around the −log(99) bias: every probability stays near 0.01.
        QVERIFY(std::abs(p.mean().item<double>() - 0.01) < 0.002);
    }

    void frozenBatchNormStaysInInferenceMode() {
        ModelSpec spec = tinySpec(TaskSet::Multi);
        spec.frozenBatchNorm = true;
        MultiTaskModel model(spec);
        model->train();
        const auto before = model->backbone()->named_buffers()["bn1.running_mean"].clone();
        model->forward(torch::randn({2, 3, 32, 32}) * 5 + 3);
        QVERIFY(torch::equal(before, model->backbone()->named_buffers()["bn1.running_mean"]));
        QVERIFY(!model->backbone()->named_parameters()["bn1.weight"].requires_grad());
        QVERIFY(model->named_parameters()["seg_head.fuse.1.weight"].requires_grad()); // heads train their BN
        QVERIFY(model->is_training());
    }

    // The model's BatchNorm is its own module: it must compute what torch::nn::BatchNorm2d does,
    // and synchronised over processes that all hold the same batch it must normalise alike.
    void batchNormMatchesTorchsAndItsSynchronisedForm() {
        const auto x = torch::randn({3, 4, 5, 6}) * 2 + 1;
        torch::nn::BatchNorm2d reference(4);
        SyncBatchNorm ours(4), synced(4);
        for (auto* bn : {&ours, &synced}) {
            (*bn)->weight.data().copy_(torch::linspace(0.5, 2, 4));
            (*bn)->bias.data().copy_(torch::linspace(-1, 1, 4));
        }
        reference->weight.data().copy_(torch::linspace(0.5, 2, 4));
        reference->bias.data().copy_(torch::linspace(-1, 1, 4));
        // Two processes with this very batch: the sum over them doubles every statistic.
        synced->synchronize([](const torch::Tensor& t) { return t * 2; });
        const auto expected = reference(x);
        QVERIFY(torch::allclose(ours(x), expected, 1e-5, 1e-5));
        QVERIFY(torch::allclose(synced(x), expected, 1e-4, 1e-4));
        QVERIFY(torch::allclose(ours->running_mean, reference->running_mean));
        QVERIFY(torch::allclose(ours->running_var, reference->running_var));
        QVERIFY(torch::allclose(synced->running_mean, reference->running_mean, 1e-5, 1e-5));
        QCOMPARE(ours->num_batches_tracked.item<int64_t>(), int64_t(1));
        ours->eval(), reference->eval(), synced->eval();
        QVERIFY(torch::allclose(ours(x), reference(x), 1e-5, 1e-5));
        // Parameters and buffers keep BatchNorm2d's names: checkpoints and pretrained files load.
        std::vector<std::string> names;
        for (const auto& p : ours->named_parameters()) names.push_back(p.key());
        for (const auto& b : ours->named_buffers()) names.push_back(b.key());
        QCOMPARE(names, (std::vector<std::string>{"weight", "bias", "running_mean", "running_var", "num_batches_tracked"}));
    }

    void weightDecaySplitAndPolySchedule() {
        MultiTaskModel model(tinySpec(TaskSet::Multi));
        const ParameterSplit split = model->parametersForWeightDecay();
        QCOMPARE(int64_t(split.decayed.size() + split.notDecayed.size()), int64_t(model->parameters().size()));
        for (const auto& p : split.decayed) QVERIFY(p.dim() == 4);
        for (const auto& p : split.notDecayed) QVERIFY(p.dim() == 1);
        auto sgd = makeSgd(split, 0.01, 0.9, 5e-4);
        QCOMPARE(int(sgd->param_groups().size()), 2);
        const auto& decayed = static_cast<const torch::optim::SGDOptions&>(sgd->param_groups()[0].options());
        const auto& plain = static_cast<const torch::optim::SGDOptions&>(sgd->param_groups()[1].options());
        QCOMPARE(decayed.weight_decay(), 5e-4);
        QCOMPARE(plain.weight_decay(), 0.0);
        QVERIFY(decayed.nesterov() && decayed.momentum() == 0.9);
        // (1 − 50/100)^0.9 = 0.5^0.9
        QVERIFY(std::abs(polyLearningRate(0.001, 50, 100, 0.9) - 0.001 * std::pow(0.5, 0.9)) < 1e-15);
        QCOMPARE(polyLearningRate(0.001, 0, 100, 0.9), 0.001);
        setLearningRate(*sgd, 0.123);
        QCOMPARE(plain.lr(), 0.123);
    }

    void adamWTakesMomentumAsBeta1AndDecaysOnlyTheWeights() {
        MultiTaskModel model(tinySpec(TaskSet::Multi));
        TrainConfig train;
        train.optimizer = OptimizerKind::AdamW;
        train.lr = 0.002;
        train.momentum = 0.85;
        train.weightDecay = 0.01;
        auto optimizer = makeOptimizer(model->parametersForWeightDecay(), train);
        QVERIFY(dynamic_cast<torch::optim::AdamW*>(optimizer.get()));
        QCOMPARE(int(optimizer->param_groups().size()), 2);
        const auto& decayed = static_cast<const torch::optim::AdamWOptions&>(optimizer->param_groups()[0].options());
        const auto& plain = static_cast<const torch::optim::AdamWOptions&>(optimizer->param_groups()[1].options());
        QCOMPARE(decayed.weight_decay(), 0.01);
        QCOMPARE(plain.weight_decay(), 0.0);
        QCOMPARE(std::get<0>(decayed.betas()), 0.85);
        QCOMPARE(std::get<1>(decayed.betas()), 0.999);
        QCOMPARE(decayed.lr(), 0.002);
        setLearningRate(*optimizer, 0.5);
        QCOMPARE(decayed.lr(), 0.5);
        QCOMPARE(plain.lr(), 0.5);

        // Adam's first step moves each weight by lr · g / (|g| + ε) ≈ lr · sign(g), after the
        // decoupled decay w · (1 − lr · wd).
        auto w = torch::tensor({1.0f, -2.0f}).requires_grad_(true);
        ParameterSplit one;
        one.decayed.push_back(w);
        auto single = makeAdamW(one, 0.1, 0.9, 0.01);
        (w * torch::tensor({3.0f, -0.5f})).sum().backward();
        single->step();
        QVERIFY(std::abs(w[0].item<float>() - (1.0f * (1 - 0.1f * 0.01f) - 0.1f)) < 1e-5f);
        QVERIFY(std::abs(w[1].item<float>() - (-2.0f * (1 - 0.1f * 0.01f) + 0.1f)) < 1e-5f);

        train.optimizer = OptimizerKind::Sgd;
        QVERIFY(dynamic_cast<torch::optim::SGD*>(makeOptimizer(model->parametersForWeightDecay(), train).get()));
    }

    void specNamesAndArchitectureLine() {
        QCOMPARE(scaledChannels(64, 0.125), 8);
        QCOMPARE(scaledChannels(48, 0.01), 1);
        QCOMPARE(architectureName(tinySpec(TaskSet::Multi)),
                 std::string("resnet18 width 0.125 tasks multi seg_classes 19 det_classes 8 anchor_size 32"));
        QCOMPARE(architectureName(tinySpec(TaskSet::SegOnly)), std::string("resnet18 width 0.125 tasks seg seg_classes 19"));
        QVERIFY(parseBackbone("resnet34") == BackboneKind::ResNet34);
        QVERIFY(parseTaskSet("det") == TaskSet::DetOnly);
        QVERIFY_THROWS_EXCEPTION(InputError, parseBackbone("resnet101"));
    }
};

MTLW_TEST_MAIN(TestModel, Core)
#include "tst_model.moc"
