#pragma once
// The experiment config: what `mtlw run FILE.yaml` and the GUI's "Start" train. Parsed from YAML
// against a schema (every key known, every value typed); errors carry file, line and column.
#include "core/augment/AugmentOptions.h"
#include "core/data/SyntheticCityscapes.h"

#include <cstdint>
#include <string>

namespace mtl {

struct DataConfig {
    // "synthetic" (generated on first use into the cache), "synthetic:ROOT" or "cityscapes:ROOT".
    std::string dataset = "synthetic";
    SynthOptions synthetic; // what plain "synthetic" generates (its outDir is not used)
};

struct ModelConfig {
    int width = 32; // channels of the first stage; later stages are multiples of it
};

struct TrainConfig {
    int steps = 1500;
    int batchSize = 8;
    int inputWidth = 256;  // samples are resized to this size
    int inputHeight = 128;
    double lr = 0.02;
    double momentum = 0.9;
    double weightDecay = 5e-4;
    double polyPower = 0.9;
    bool hflip = true;
    std::string device = "auto"; // auto | cpu | cuda
    int threads = 0;             // intra-op threads; 0 = all cores
    int logEvery = 10;
    int checkpointEvery = 500;
};

struct EvalConfig {
    int every = 500;             // validation period in steps (and always at the end); 0 = end only
    int maxImages = 0;           // 0 = the whole validation split
    double scoreThreshold = 0.05;
};

struct ExperimentConfig {
    std::string name = "experiment";
    std::int64_t seed = 0;
    DataConfig data;
    ModelConfig model;
    TrainConfig train;
    EvalConfig eval;
    AugmentOptions augment; // weak/strong views of the semi-supervised methods (core/augment)

    std::string sourceFile; // where it was read from (not part of the YAML)
};

// Throws ConfigError (file:line:column) on syntax errors, unknown keys, wrong types and values out
// of range; InputError when the file cannot be read.
ExperimentConfig loadExperimentConfig(const std::string& path);
ExperimentConfig parseExperimentConfig(const std::string& yamlText, const std::string& fileLabel);
// Every key with its value, in schema order: stored with each run, parses back to the same config.
std::string toYaml(const ExperimentConfig& config);

} // namespace mtl
