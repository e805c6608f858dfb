#pragma once
// The experiment config: what `mtlw run FILE.yaml` and the GUI's "Start" train. Parsed from YAML
// against a schema (every key known, every value typed); errors carry file, line and column.
#include "core/augment/AugmentOptions.h"
#include "core/data/Dataset.h"
#include "core/data/SyntheticCityscapes.h"
#include "core/experiment/LearningMethod.h"
#include "core/model/ModelSpec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mtl {

// Enumerated keys are enums here and names in the YAML (the schema maps one to the other), so that
// the code that acts on them compares values the compiler checks, never strings.
enum class SupervisedViews { Loader, Weak };
// sgd: the paper's SGD with Nesterov momentum; adamw: Adam with decoupled weight decay (Loshchilov
// and Hutter), which a randomly initialised model on a short budget may prefer.
enum class OptimizerKind { Sgd, AdamW };
enum class LuScope { Unlabeled, All };
// train.pseudo_source: the teacher's pseudo-labels, or the data set's own labels (a control).
enum class PseudoSource { Teacher, Oracle };
// train.seg_unsup_normalization: what the segmentation Lu's cross-entropy sum is divided by.
enum class SegUnsupNormalization { Targets, Valid };
enum class StudentViews { All, Used };
// data.train_images; train.sampling; train.labeled_for; train.device (below).
enum class TrainImages { Labeled, FullyLabeled, All };
enum class Sampling { Implicit, Explicit };
enum class LabeledFor { Any, Seg, Det, Both };
enum class DeviceChoice { Auto, Cpu, Cuda };
// data.split.setting: the paper's settings (a)–(e) (core/data/LabelSplit.h), or none.
enum class SplitSetting { None, A, B, C, D, E };
// One name table per type (core/common/EnumNames.h), in ExperimentConfig.cpp.
template <> const EnumTable<SupervisedViews>& enumTable<SupervisedViews>();
template <> const EnumTable<OptimizerKind>& enumTable<OptimizerKind>();
template <> const EnumTable<LuScope>& enumTable<LuScope>();
template <> const EnumTable<PseudoSource>& enumTable<PseudoSource>();
template <> const EnumTable<SegUnsupNormalization>& enumTable<SegUnsupNormalization>();
template <> const EnumTable<StudentViews>& enumTable<StudentViews>();
template <> const EnumTable<TrainImages>& enumTable<TrainImages>();
template <> const EnumTable<Sampling>& enumTable<Sampling>();
template <> const EnumTable<LabeledFor>& enumTable<LabeledFor>();
template <> const EnumTable<DeviceChoice>& enumTable<DeviceChoice>();
template <> const EnumTable<SplitSetting>& enumTable<SplitSetting>();

// Which training images are labeled for which task (see core/data/LabelSplit.h): a split file
// written by `mtlw split`, or one defined inline by a setting; neither = the labels on disk.
struct SplitConfig {
    std::string file;             // relative paths are relative to the config file's folder
    SplitSetting setting = SplitSetting::None; // none | a | b | c | d | e (the letter is makeLabelSplit's)
    std::string det = "all";      // label counts: 93, 1/32 or all
    std::string seg = "all";
    std::int64_t seed = 0;
};

struct DataConfig {
    // "synthetic" (generated on first use into the cache), "synthetic:ROOT", "cityscapes:ROOT" or
    // "bdd100k:ROOT".
    std::string dataset = "synthetic";
    SynthOptions synthetic; // what plain "synthetic" generates (its outDir is not used)
    std::string trainSplits = "train"; // '+' joins splits: "train+train_extra+sequence"
    std::string valSplit = "val";
    SplitConfig split;
    // Images the run trains on: labeled (for at least one task), fully_labeled (for both: the
    // "fully-labeled only" baseline of Table 7) or all (unlabeled ones too: semi-supervised).
    TrainImages trainImages = TrainImages::Labeled;
    OnDataError onError = OnDataError::Fail; // fail | skip (a warning with a count; the sample is left out)
    int workers = 2;              // loader threads decoding ahead of the training step
};

// The paper's model by default: ResNet-50 + DeepLabv3+ + RetinaNet at full width.
struct ModelConfig {
    BackboneKind backbone = BackboneKind::ResNet50;
    double width = 1.0;                // multiplier on every channel count (CPU runs: 0.25 or less)
    TaskSet tasks = TaskSet::Multi;    // multi | seg | det (the single-task baselines)
    bool frozenBn = false;             // backbone BatchNorm fixed (inference mode, no gradient)
    bool syncBn = false;               // data-parallel: BatchNorm statistics over all processes' batches
    std::string pretrained;            // backbone weights file (docs: README); empty = random init
    // RetinaNet's pyramid and anchors (ModelSpec): levels P<min_level>..P<max_level>, the
    // smallest anchor on the lowest level doubling per level, sizes per octave, aspect ratios h/w,
    // and how densely the smallest size is tiled per cell (density × density; 1 = RetinaNet).
    int minLevel = 3, maxLevel = 7;
    int anchorSize = 32;
    int anchorScales = 3;
    std::vector<double> anchorRatios{0.5, 1.0, 2.0};
    int anchorDensity = 1;
    HeadNorm headNorm = HeadNorm::None; // none | group (GroupNorm in the detection towers)
    int headDepth = 4;                  // convolutions per detection tower
};

struct TrainConfig {
    int steps = 1500;
    int batchSize = 8;
    int inputWidth = 256;  // samples are resized to this size
    int inputHeight = 128;
    // SGD with Nesterov momentum and polynomial decay, the paper's values (Table 10). AdamW reads
    // momentum as β1 (β2 = 0.999) and applies weight_decay decoupled from the gradient.
    OptimizerKind optimizer = OptimizerKind::Sgd;
    double lr = 0.001;
    double momentum = 0.9;
    double weightDecay = 5e-4; // on convolution weights only (not on BatchNorm terms or biases)
    double polyPower = 0.9;
    // Not in the paper (0 = off): caps the gradient's global L2 norm, so that a focal-loss spike of
    // a randomly initialised detector at a high learning rate cannot blow the weights up.
    double gradClipNorm = 0;
    bool hflip = true;
    // implicit: batch_size samples drawn from all training images; explicit: labeled_batch from
    // the images labeled for `labeled_for` (any task, seg, det or both) + unlabeled_batch from the rest.
    Sampling sampling = Sampling::Implicit;
    int labeledBatch = 4;
    int unlabeledBatch = 4;
    LabeledFor labeledFor = LabeledFor::Any;
    // Repeat factor sampling (core/data/RepeatFactors.h): an image holding a class that fewer than
    // this fraction of the images hold is drawn up to sqrt(threshold / fraction) times per epoch.
    // 0 = off (every image once per epoch); LVIS used 0.001 over 1,203 classes.
    double repeatThreshold = 0;
    DeviceChoice device = DeviceChoice::Auto; // auto | cpu | cuda (resolveDevice(nameOf(device)))
    bool mixedPrecision = false; // CUDA only: bfloat16 autocast of the forward pass
    int threads = 0;             // intra-op threads; 0 = all cores
    int logEvery = 10;
    int checkpointEvery = 500;

    // The learning method (core/experiment/LearningMethod.h lists them; core/train/TrainingMethod.h
    // says what each does in a step): supervised (the baseline: each task's loss over the samples
    // labeled for it), fixmatch (FixMatch*: invariant, the strong view differs from the weak one by
    // photometric operations and cutout only), densefixmatch (Dense FixMatch: equivariant, the
    // strong view adds affine warps undone on the teacher's outputs) or meanteacher.
    LearningMethod method;
    // Where the supervised method's input comes from: loader (resized to the input size, flipped
    // by train.hflip) or weak (the augment section's weak view α: scale, crop, flip — the paper's
    // supervised baselines). The semi-supervised methods always use the augment section.
    SupervisedViews supervisedViews = SupervisedViews::Loader;
    LuScope luScope = LuScope::Unlabeled; // Lu,t over samples not labeled for t, or over all samples
    // The student's batch: the weak and the strong view of every sample (all: the authors' code, set
    // in experiments/paper/), or only the views some loss uses (used: the weak views of samples
    // labeled for a task, the strong views of samples selected for Lu; the teacher labels only
    // those). `used` changes the batch BatchNorm normalises over; on the synthetic replication both
    // reach the same accuracy within the seeds' spread while `used` takes 0.53x the step time of a
    // ResNet-50 8 + 8 step (docs/RESULTS.md), hence the default.
    StudentViews studentViews = StudentViews::Used;
    double emaDecay = 0.99;            // teacher ← d·teacher + (1 − d)·student; evaluation uses the teacher
    double rampUpFraction = 0.05;      // λt = exp(−5(1 − t)²) over this share of the steps, then 1
    // λ's maximum (the paper: 1). 0 is a control: every other part of the semi-supervised step runs
    // (views, the strong views through BatchNorm, teacher, EMA, Lu measured and logged) and nothing
    // is learnt from pseudo-labels.
    double unsupWeight = 1.0;
    // Where Lu's targets come from: the EMA teacher (the paper), or `oracle`, a control: every
    // label the data set has for the sample, the ones the split hides included, given as the
    // teacher's output on the weak view and moved through the same warps, validity masks and
    // losses. The upper bound of what Lu can teach; needs a data.split that hides labels.
    PseudoSource pseudoSource = PseudoSource::Teacher;
    // A checkpoint (checkpoint.pt or best.pt of a run of the same architecture) whose student and
    // EMA teacher this run starts from, at step 0 with a fresh optimiser: a burn-in, e.g. the
    // semi-supervised methods continuing a supervised run. Empty = model.pretrained / random init.
    std::string initFrom;
    double segWeight = 1.0, detWeight = 1.0; // γt
    double pseudoScoreThreshold = 0.5; // teacher boxes kept as pseudo-labels (after NMS)
    // Segmentation pseudo-labels: pixels whose teacher confidence (softmax maximum) is below this
    // are ignored. 0 = none, the paper's text; the authors' public Cityscapes configs use 0.5.
    double segPseudoThreshold = 0.0;
    // What the segmentation Lu's cross-entropy sum is divided by: `targets`, the pixels that carry a
    // pseudo-label (this project's), or `valid`, every pixel the teacher saw in the strong view, those
    // below seg_pseudo_threshold included (the authors' code: tests/tst_referee.cpp). The same at
    // threshold 0; above it `valid` weighs Lu down by the confident share.
    SegUnsupNormalization segUnsupNormalization = SegUnsupNormalization::Targets;
    // Anchors of the strong view that match no pseudo-box (IoU < 0.4): ignored (false: the paper's
    // "positive targets only") or trained towards "no object" where the teacher saw the pixel under
    // the anchor's centre (true), each image's loss then divided by at least the positive anchors
    // per labeled image of the step. Without negatives nothing pushes a false pseudo-box down; on
    // the synthetic replication the pseudo-boxes run away (docs/RESULTS.md).
    bool pseudoBoxNegatives = false;
};

struct EvalConfig {
    int every = 500;             // validation period in steps (and always at the end); 0 = end only
    int maxImages = 0;           // 0 = the whole validation split
    double scoreThreshold = 0.05;
    // Size the validation images are given to the model at; 0 × 0 = their full resolution (the
    // paper's protocol). Either way metrics are computed against the full-resolution labels:
    // segmentation logits are upsampled bilinearly to the label size, boxes scaled back. A run
    // keeps its validation images in memory (Cityscapes val at full resolution: about 4 GB; bound
    // it with max_images).
    int inputWidth = 0;
    int inputHeight = 0;
    // Each validation also scores the student (keys val_student/…) beside the EMA teacher that
    // results.json and best.pt follow: FixMatch's premise, a teacher ahead of its student, is then
    // measured. Costs a second pass over the validation images.
    bool scoreStudent = true;
};

// What the teacher teaches, stored while a run trains (core/train/TeacherSnapshotter.h): every
// `every` steps, its pseudo-labels for `images` fixed training images unlabeled for a task. One
// teacher forward of a few images per period: about 0.1 % of the steps' time at the default.
struct DiagnosticsConfig {
    int every = 100; // steps; 0 = no snapshots
    int images = 4;
};

struct ExperimentConfig {
    std::string name = "experiment";
    std::int64_t seed = 0;
    DataConfig data;
    ModelConfig model;
    TrainConfig train;
    EvalConfig eval;
    DiagnosticsConfig diagnostics;
    AugmentOptions augment; // weak/strong views of the semi-supervised methods (core/augment)

    std::string sourceFile; // where it was read from (not part of the YAML)
    // Whether any source (file, base, --set, sweep cell) named augment.mode; if none did, the mode
    // follows train.method (not part of the YAML).
    bool augmentModeGiven = false;
};

// Throws ConfigError (file:line:column) on syntax errors, unknown keys, wrong types and values out
// of range; InputError when the file cannot be read.
// loadExperimentConfig (core/experiment/ConfigResolver.cpp) also follows `base: FILE` — a config
// whose values this file overrides, relative to this file, recursively — then applies `overrides`
// ("train.steps=100", the value read as YAML, as `mtlw run --set`) in order. Relative
// model.pretrained, train.init_from and data.split.file are resolved against the folder of the file that sets them,
// so the stored config is complete on its own.
ExperimentConfig loadExperimentConfig(const std::string& path, const std::vector<std::string>& overrides = {});
// One "dotted.key=value" override; errors name `label` (e.g. "--set train.steps=x").
void applyOverride(ExperimentConfig& config, const std::string& assignment);
ExperimentConfig parseExperimentConfig(const std::string& yamlText, const std::string& fileLabel);
// Every key with its value, in schema order: stored with each run, parses back to the same config.
std::string toYaml(const ExperimentConfig& config);

} // namespace mtl
