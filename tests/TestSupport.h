#pragma once
// Shared by the tests: a tiny, fast experiment on a small synthetic set in a temporary folder.
#include "core/experiment/ExperimentConfig.h"
#include "core/experiment/Registry.h"

#include <QString>

inline mtl::ExperimentConfig tinyExperiment(const QString& dataRoot, int steps) {
    mtl::ExperimentConfig c;
    c.name = "tiny";
    c.data.dataset = "synthetic:" + dataRoot.toStdString();
    c.model.backbone = "resnet18";
    c.model.width = 0.125;
    c.model.anchorSize = 16;
    c.train.steps = steps;
    c.train.batchSize = 4;
    c.train.inputWidth = 128;
    c.train.inputHeight = 64;
    c.train.lr = 0.02;
    c.train.device = "cpu";
    c.train.logEvery = 5;
    c.train.checkpointEvery = 1000;
    c.eval.every = 0;
    return c;
}

// QCOMPARE prints both sides on failure; run statuses are compared as their registry text.
inline QString statusText(mtl::RunStatus s) { return QString::fromStdString(mtl::toString(s)); }
