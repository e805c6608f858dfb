// Saving and loading weights: checkpoints that record the architecture (and refuse another one),
// and backbone weights from files in the format of Python's torch.save.
#include "core/common/Error.h"
#include "core/model/Checkpoint.h"
#include "core/model/PretrainedWeights.h"
#include "TestSuite.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace mtl;

namespace {
ModelSpec spec(BackboneKind backbone, double width = 0.125) {
    ModelSpec s;
    s.backbone = backbone;
    s.width = width;
    return s;
}

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    return "no error";
}

bool sameWeights(torch::nn::Module& a, torch::nn::Module& b) {
    auto other = b.named_parameters();
    for (const auto& p : a.named_parameters())
        if (!torch::equal(p.value(), other[p.key()])) return false;
    return true;
}

// A state dict file as torch.save(dict(...)) writes it (zip container, pickled dict).
void writeStateDict(const std::string& path, const torch::OrderedDict<std::string, torch::Tensor>& params,
                    const torch::OrderedDict<std::string, torch::Tensor>& buffers) {
    c10::Dict<std::string, torch::Tensor> dict;
    for (const auto& p : params) dict.insert(p.key(), p.value());
    for (const auto& b : buffers) dict.insert(b.key(), b.value());
    dict.insert("fc.weight", torch::zeros({3, 2})); // the classifier, not part of the backbone
    const auto bytes = torch::pickle_save(c10::IValue(dict));
    std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}
} // namespace

class TestCheckpoint : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string path(const char* name) { return dir_.filePath(name).toStdString(); }

private Q_SLOTS:
    void roundTripsWeightsStepAndOptimiser() {
        MultiTaskModel a(spec(BackboneKind::ResNet18)), b(spec(BackboneKind::ResNet18));
        torch::optim::SGD sgd(a->parameters(), torch::optim::SGDOptions(0.1).momentum(0.9));
        a->forward(torch::randn({2, 3, 32, 32})).segLogits.sum().backward();
        sgd.step();
        saveCheckpoint(path("a.pt"), *a, &sgd, 17);
        QVERIFY(!QFile::exists(dir_.filePath("a.pt.tmp")));
        QVERIFY(!sameWeights(*a, *b));
        torch::optim::SGD other(b->parameters(), torch::optim::SGDOptions(0.1).momentum(0.9));
        const CheckpointInfo info = loadCheckpoint(path("a.pt"), *b, &other);
        QCOMPARE(info.step, int64_t(17));
        QCOMPARE(info.architecture, architectureName(a->spec()));
        QVERIFY(sameWeights(*a, *b));
        QCOMPARE(readCheckpointInfo(path("a.pt")).step, int64_t(17));
    }

    void adamWStateRoundTripsSoThatResumingStepsAsBefore() {
        MultiTaskModel a(spec(BackboneKind::ResNet18)), b(spec(BackboneKind::ResNet18));
        const auto options = torch::optim::AdamWOptions(0.01).weight_decay(0.01);
        torch::optim::AdamW adam(a->parameters(), options);
        const auto input = torch::randn({2, 3, 32, 32});
        auto step = [&](MultiTaskModel& m, torch::optim::Optimizer& o) {
            torch::manual_seed(5); // the same dropout masks (the ASPP's) in both models
            o.zero_grad();
            m->forward(input).segLogits.sum().backward();
            o.step();
        };
        step(a, adam);
        saveCheckpoint(path("adam.pt"), *a, &adam, 1);
        torch::optim::AdamW other(b->parameters(), options);
        loadCheckpoint(path("adam.pt"), *b, &other);
        // Adam's second step depends on the moments of the first: equal weights after it prove
        // that they came back (a fresh AdamW would take a step of lr · sign(g) instead).
        step(a, adam);
        step(b, other);
        QVERIFY(sameWeights(*a, *b));
        torch::optim::AdamW fresh(b->parameters(), options);
        step(a, adam);
        step(b, fresh);
        QVERIFY(!sameWeights(*a, *b));

        // An SGD checkpoint cannot feed AdamW: an input error that names the file, not a crash.
        torch::optim::SGD sgd(a->parameters(), torch::optim::SGDOptions(0.1).momentum(0.9));
        step(a, sgd);
        saveCheckpoint(path("sgd.pt"), *a, &sgd, 2);
        torch::optim::AdamW third(b->parameters(), options);
        const std::string error = errorOf([&] { loadCheckpoint(path("sgd.pt"), *b, &third); });
        QVERIFY2(error.rfind(path("sgd.pt") + ": cannot load the checkpoint: ", 0) == 0, error.c_str());
    }

    void anotherArchitectureIsRefusedWithBothNames() {
        MultiTaskModel r18(spec(BackboneKind::ResNet18)), r34(spec(BackboneKind::ResNet34));
        saveCheckpoint(path("r18.pt"), *r18, nullptr, 3);
        const auto before = r34->named_parameters()["backbone.conv1.weight"].clone();
        QCOMPARE(errorOf([&] { loadCheckpoint(path("r18.pt"), *r34); }),
                 path("r18.pt") + ": written by a model of another architecture (resnet18 width 0.125 tasks multi "
                                  "seg_classes 19 det_classes 8 anchor_size 32); this model is resnet34 width 0.125 "
                                  "tasks multi seg_classes 19 det_classes 8 anchor_size 32");
        QVERIFY(torch::equal(before, r34->named_parameters()["backbone.conv1.weight"])); // nothing loaded
    }

    void anotherPyramidIsRefusedWithBothNames() {
        ModelSpec small = spec(BackboneKind::ResNet18);
        small.minLevel = 2;
        small.maxLevel = 5;
        small.anchorSize = 8;
        small.anchorRatios = {0.5, 1.0, 2.0, 3.0};
        small.headNorm = HeadNorm::Group;
        MultiTaskModel paper(spec(BackboneKind::ResNet18)), p2(small);
        saveCheckpoint(path("paper.pt"), *paper, nullptr, 3);
        QCOMPARE(errorOf([&] { loadCheckpoint(path("paper.pt"), *p2); }),
                 path("paper.pt") + ": written by a model of another architecture (resnet18 width 0.125 tasks multi "
                                    "seg_classes 19 det_classes 8 anchor_size 32); this model is resnet18 width 0.125 "
                                    "tasks multi seg_classes 19 det_classes 8 anchor_size 8 levels P2-P5 "
                                    "anchor_ratios 0.5,1,2,3 head_norm group");
        saveCheckpoint(path("p2.pt"), *p2, nullptr, 3);
        MultiTaskModel again(small);
        QCOMPARE(loadCheckpoint(path("p2.pt"), *again).step, int64_t(3));
        // Densified anchors change what the head's outputs mean, even where the counts agree: 2 × 2
        // tiles of one size against 4 sizes per octave, 4 anchors per ratio and cell either way.
        ModelSpec tiled = small, scaled = small;
        tiled.anchorScales = 1;
        tiled.anchorDensity = 2;
        scaled.anchorScales = 4;
        MultiTaskModel fourTiles(tiled), fourSizes(scaled);
        saveCheckpoint(path("scaled.pt"), *fourSizes, nullptr, 3);
        QCOMPARE(errorOf([&] { loadCheckpoint(path("scaled.pt"), *fourTiles); }),
                 path("scaled.pt") + ": written by a model of another architecture (resnet18 width 0.125 tasks multi "
                                     "seg_classes 19 det_classes 8 anchor_size 8 levels P2-P5 anchor_scales 4 "
                                     "anchor_ratios 0.5,1,2,3 head_norm group); this model is resnet18 width 0.125 "
                                     "tasks multi seg_classes 19 det_classes 8 anchor_size 8 levels P2-P5 anchor_scales 1 "
                                     "anchor_ratios 0.5,1,2,3 anchor_density 2 head_norm group");
    }

    void unreadableCheckpointsAreInputErrors() {
        MultiTaskModel m(spec(BackboneKind::ResNet18));
        QCOMPARE(errorOf([&] { loadCheckpoint(path("missing.pt"), *m); }), path("missing.pt") + ": no such checkpoint file");
        std::ofstream(path("garbage.pt")) << "not a checkpoint";
        const std::string e = errorOf([&] { loadCheckpoint(path("garbage.pt"), *m); });
        QVERIFY2(e.rfind(path("garbage.pt") + ": cannot read the checkpoint: ", 0) == 0, e.c_str());
        QVERIFY2(e.find('\n') == std::string::npos, e.c_str()); // one line, no stack trace
    }

    void backboneLoadsFromStateDictFile() {
        ResNet source(BackboneKind::ResNet18, 0.25, false), target(BackboneKind::ResNet18, 0.25, true);
        source->named_buffers()["bn1.running_mean"].fill_(0.5);
        writeStateDict(path("r18.pt"), source->named_parameters(), source->named_buffers());
        const int copied = loadPretrainedBackbone(*target, path("r18.pt"));
        QCOMPARE(copied, int(target->named_parameters().size() + target->named_buffers().size()));
        QVERIFY(sameWeights(*source, *target));
        QVERIFY(torch::equal(target->named_buffers()["bn1.running_mean"], torch::full({16}, 0.5)));
    }

    void wrongDepthOrWidthNamesTheKey() {
        ResNet r18(BackboneKind::ResNet18, 0.25, false);
        writeStateDict(path("r18w.pt"), r18->named_parameters(), r18->named_buffers());
        ResNet r34(BackboneKind::ResNet34, 0.25, false), wide(BackboneKind::ResNet18, 0.5, false);
        QCOMPARE(errorOf([&] { loadPretrainedBackbone(*r34, path("r18w.pt")); }),
                 path("r18w.pt") + ": no tensor 'layer1.2.conv1.weight' for the backbone (is it a torchvision "
                                   "ResNet of the same depth?)");
        QCOMPARE(errorOf([&] { loadPretrainedBackbone(*wide, path("r18w.pt")); }),
                 path("r18w.pt") + ": 'conv1.weight' has shape [16, 3, 7, 7], the backbone needs [32, 3, 7, 7] "
                                   "(another depth or model.width?)");
    }

    void readsFilesWrittenByPythonTorchSave() {
        // Written by Python's torch 1.13: torch.save(dict(sd), ...) and torch.save(sd, ...) of an
        // OrderedDict sd = {conv1.weight: arange(24).reshape(2, 3, 2, 2), bn1.num_batches_tracked:
        // tensor(5), fc.bias: zeros(3)}.
        const auto dict = readStateDict(MTLW_SOURCE_DIR "/tests/data/python_state_dict.pt");
        QCOMPARE(int(dict.size()), 3);
        QVERIFY(torch::equal(dict.at("conv1.weight"), torch::arange(24, torch::kFloat).view({2, 3, 2, 2})));
        QCOMPARE(dict.at("bn1.num_batches_tracked").item<int64_t>(), int64_t(5));
        const std::string ordered = MTLW_SOURCE_DIR "/tests/data/python_ordered_state_dict.pt";
        const std::string e = errorOf([&] { readStateDict(ordered); });
        QVERIFY2(e.rfind(ordered + ": not a readable state dict: ", 0) == 0, e.c_str());
        QVERIFY2(e.find("torch.save(dict(model.state_dict()), FILE)") != std::string::npos, e.c_str());
        QCOMPARE(errorOf([&] { readStateDict(path("none.pt")); }), path("none.pt") + ": cannot read the pretrained weights file");
    }
};

MTLW_TEST_MAIN(TestCheckpoint, Core)
#include "tst_checkpoint.moc"
