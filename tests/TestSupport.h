#pragma once
// Shared by the tests: a tiny, fast experiment on a small synthetic set in a temporary folder.
#include "core/data/SyntheticCityscapes.h"
#include "core/experiment/ExperimentConfig.h"
#include "core/experiment/Registry.h"
#include "core/model/ModelSpec.h"

#include <QString>

// Writes a small synthetic street-scene set (the `mtlw synth` generator) into `dir`; returns `dir`.
inline QString writeTinySynthetic(const QString& dir, int train, int val, int width = 128, int height = 64,
                                  std::uint64_t seed = 0) {
    mtl::SynthOptions o;
    o.outDir = dir.toStdString();
    o.train = train;
    o.val = val;
    o.width = width;
    o.height = height;
    o.seed = seed;
    mtl::writeSyntheticCityscapes(o);
    return dir;
}

inline mtl::ExperimentConfig tinyExperiment(const QString& dataRoot, int steps) {
    mtl::ExperimentConfig c;
    c.name = "tiny";
    c.data.dataset = "synthetic:" + dataRoot.toStdString();
    c.model.backbone = mtl::BackboneKind::ResNet18;
    c.model.width = 0.125;
    c.model.anchorSize = 16;
    c.train.steps = steps;
    c.train.batchSize = 4;
    c.train.inputWidth = 128;
    c.train.inputHeight = 64;
    c.train.lr = 0.02;
    c.train.device = mtl::DeviceChoice::Cpu;
    c.train.logEvery = 5;
    c.train.checkpointEvery = 1000;
    c.eval.every = 0;
    return c;
}

// Setting (b) in miniature on a writeTinySynthetic set of 12 training images: 4 labeled for both
// tasks, the others for neither; Dense FixMatch with explicit sampling 2 + 2 on 96x48 crops,
// teacher snapshots every 2 steps.
inline mtl::ExperimentConfig tinySettingB(const QString& dataRoot, int steps) {
    mtl::ExperimentConfig c = tinyExperiment(dataRoot, steps);
    c.data.split.setting = mtl::SplitSetting::B;
    c.data.split.det = "4";
    c.data.split.seg = "4";
    c.data.trainImages = mtl::TrainImages::All;
    c.train.method = mtl::LearningMethod::named("densefixmatch");
    c.train.sampling = mtl::Sampling::Explicit;
    c.train.labeledBatch = 2;
    c.train.unlabeledBatch = 2;
    c.augment.cropWidth = 96;
    c.augment.cropHeight = 48;
    c.diagnostics.every = 2;
    return c;
}

// QCOMPARE prints both sides on failure; run statuses are compared as their registry text.
// The smallest multi-task model the tests train or run: ResNet-18 at 1/8 width, 16 px anchors.
inline mtl::ModelSpec tinyModelSpec(int segClasses, int detClasses) {
    mtl::ModelSpec s;
    s.backbone = mtl::BackboneKind::ResNet18;
    s.width = 0.125;
    s.segClasses = segClasses;
    s.detClasses = detClasses;
    s.anchorSize = 16;
    return s;
}

inline QString statusText(mtl::RunStatus s) { return QString::fromStdString(mtl::toString(s)); }
