// Experiment config: parsing, defaults, round trip, and errors with file:line:column.
#include "core/common/Error.h"
#include "core/experiment/ExperimentConfig.h"
#include "core/experiment/ScaleCheck.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace mtl;

class TestConfig : public QObject {
    Q_OBJECT
private:
    static std::string errorOf(const std::string& yaml) {
        try {
            parseExperimentConfig(yaml, "exp.yaml");
        } catch (const ConfigError& e) {
            return e.what();
        }
        return "no error";
    }

private Q_SLOTS:
    void parsesValues() {
        const auto c = parseExperimentConfig("name: demo\nseed: 7\ntrain:\n  steps: 42\n  lr: 0.5\n"
                                             "  hflip: false\n  device: cpu\ndata:\n  dataset: cityscapes:/d\n"
                                             "  synthetic:\n    width: 128\n",
                                             "exp.yaml");
        QCOMPARE(c.name, std::string("demo"));
        QCOMPARE(c.seed, std::int64_t(7));
        QCOMPARE(c.train.steps, 42);
        QCOMPARE(c.train.lr, 0.5);
        QCOMPARE(c.train.hflip, false);
        QCOMPARE(nameOf(c.train.device), std::string("cpu"));
        QCOMPARE(c.data.dataset, std::string("cityscapes:/d"));
        QCOMPARE(c.data.synthetic.width, 128);
        QCOMPARE(c.train.batchSize, TrainConfig{}.batchSize); // untouched keys keep defaults
        QCOMPARE(c.sourceFile, std::string("exp.yaml"));
    }

    void modelAndOptimiserKeys() {
        const auto c = parseExperimentConfig("model:\n  backbone: resnet34\n  width: 0.25\n  tasks: det\n"
                                             "  frozen_bn: true\n  pretrained: /w/r34.pt\n  anchor_size: 16\n"
                                             "train:\n  mixed_precision: true\n", "exp.yaml");
        QCOMPARE(nameOf(c.model.backbone), std::string("resnet34"));
        QCOMPARE(c.model.width, 0.25);
        QCOMPARE(nameOf(c.model.tasks), std::string("det"));
        QCOMPARE(c.model.frozenBn, true);
        QCOMPARE(c.model.pretrained, std::string("/w/r34.pt"));
        QCOMPARE(c.model.anchorSize, 16);
        QCOMPARE(c.train.mixedPrecision, true);
        // The paper's model and optimiser by default (Table 10).
        const ExperimentConfig d;
        QCOMPARE(nameOf(d.model.backbone), std::string("resnet50"));
        QCOMPARE(d.model.width, 1.0);
        QCOMPARE(nameOf(d.model.tasks), std::string("multi"));
        QCOMPARE(d.train.lr, 0.001);
        QCOMPARE(d.train.momentum, 0.9);
        QCOMPARE(d.train.weightDecay, 5e-4);
        QCOMPARE(d.train.polyPower, 0.9);
        QCOMPARE(errorOf("model:\n  backbone: resnet101\n"),
                 std::string("exp.yaml:2:13: 'model.backbone' must be one of resnet18, resnet34, resnet50, got 'resnet101'"));
        QCOMPARE(errorOf("model:\n  tasks: both\n"),
                 std::string("exp.yaml:2:10: 'model.tasks' must be one of multi, seg, det, got 'both'"));
        QCOMPARE(errorOf("model:\n  width: 0\n"), std::string("exp.yaml:2:10: 'model.width' must be in [0.03125, 4], got 0"));
    }

    void pyramidAndAnchorKeys() {
        const auto c = parseExperimentConfig("model:\n  min_level: 2\n  max_level: 5\n  anchor_size: 8\n"
                                             "  anchor_scales: 2\n  anchor_ratios: [0.5, 1, 2, 3]\n  anchor_density: 2\n"
                                             "  head_norm: group\n  head_depth: 2\n",
                                             "exp.yaml");
        QCOMPARE(c.model.minLevel, 2);
        QCOMPARE(c.model.maxLevel, 5);
        QCOMPARE(c.model.anchorScales, 2);
        QCOMPARE(c.model.anchorRatios, (std::vector<double>{0.5, 1, 2, 3}));
        QCOMPARE(c.model.anchorDensity, 2);
        QVERIFY(c.model.headNorm == HeadNorm::Group);
        QCOMPARE(c.model.headDepth, 2);
        QVERIFY(toYaml(c).find("anchor_ratios: [0.5, 1, 2, 3]") != std::string::npos);
        QCOMPARE(toYaml(parseExperimentConfig(toYaml(c), "b.yaml")), toYaml(c));
        // The paper's RetinaNet by default: P3–P7, 32 px, 3 scales, ratios 0.5/1/2, no normalisation.
        const ModelConfig d;
        QCOMPARE(d.minLevel, 3);
        QCOMPARE(d.maxLevel, 7);
        QCOMPARE(d.anchorSize, 32);
        QCOMPARE(d.anchorScales, 3);
        QCOMPARE(d.anchorRatios, (std::vector<double>{0.5, 1, 2}));
        QCOMPARE(d.anchorDensity, 1);
        QVERIFY(d.headNorm == HeadNorm::None);
        QCOMPARE(d.headDepth, 4);
        // Bad input names the place.
        QCOMPARE(errorOf("model:\n  min_level: 1\n"), std::string("exp.yaml:2:14: 'model.min_level' must be in [2, 4], got 1"));
        QCOMPARE(errorOf("model:\n  max_level: 8\n"), std::string("exp.yaml:2:14: 'model.max_level' must be in [5, 7], got 8"));
        QCOMPARE(errorOf("model:\n  anchor_ratios: []\n"),
                 std::string("exp.yaml:2:18: 'model.anchor_ratios' must be a non-empty list of numbers, e.g. [0.5, 1, 2]"));
        QCOMPARE(errorOf("model:\n  anchor_ratios: 2\n"),
                 std::string("exp.yaml:2:18: 'model.anchor_ratios' must be a non-empty list of numbers, e.g. [0.5, 1, 2]"));
        QCOMPARE(errorOf("model:\n  anchor_ratios: [1, 0]\n"),
                 std::string("exp.yaml:2:22: 'model.anchor_ratios[1]' must be in (0, 10], got 0"));
        QCOMPARE(errorOf("model:\n  anchor_ratios: [1, x]\n"),
                 std::string("exp.yaml:2:22: 'model.anchor_ratios[1]' must be a number, got 'x'"));
        QCOMPARE(errorOf("model:\n  anchor_density: 0\n"),
                 std::string("exp.yaml:2:19: 'model.anchor_density' must be in [1, 4], got 0"));
        QCOMPARE(errorOf("model:\n  head_norm: batch\n"),
                 std::string("exp.yaml:2:14: 'model.head_norm' must be one of none, group, got 'batch'"));
        QCOMPARE(errorOf("train:\n  optimizer: adam\n"),
                 std::string("exp.yaml:2:14: 'train.optimizer' must be one of sgd, adamw, got 'adam'"));
    }

    void relativePretrainedPathIsResolvedAgainstTheConfigFolder() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("exp.yaml").toStdString();
        std::ofstream(path) << "model:\n  pretrained: weights/r50.pt\n";
        QCOMPARE(loadExperimentConfig(path).model.pretrained, dir.filePath("weights/r50.pt").toStdString());
        std::ofstream(path) << "train:\n  init_from: runs/1/checkpoint.pt\n";
        QCOMPARE(loadExperimentConfig(path).train.initFrom, dir.filePath("runs/1/checkpoint.pt").toStdString());
    }

    void emptyFileGivesDefaults() {
        const auto c = parseExperimentConfig("", "empty.yaml");
        QCOMPARE(c.train.steps, TrainConfig{}.steps);
        QCOMPARE(c.name, std::string("experiment"));
    }

    void roundTripsThroughYaml() {
        auto c = parseExperimentConfig("name: rt\ntrain:\n  steps: 9\n  lr: 0.125\neval:\n  every: 3\n"
                                       "model:\n  width: 0.375\n  pretrained: ''\n", "a.yaml");
        const std::string yaml = toYaml(c);
        const auto back = parseExperimentConfig(yaml, "b.yaml");
        QCOMPARE(toYaml(back), yaml);
        QCOMPARE(back.train.steps, 9);
        QCOMPARE(back.train.lr, 0.125);
        QCOMPARE(back.eval.every, 3);
        QCOMPARE(back.model.width, 0.375);
        QCOMPARE(back.model.pretrained, std::string());
        QVERIFY(yaml.find("batch_size: 8") != std::string::npos); // every key is written out
    }

    void evalInputSize() {
        QCOMPARE(ExperimentConfig().eval.inputWidth, 0); // full resolution by default
        const auto c = parseExperimentConfig("eval:\n  input_width: 512\n  input_height: 256\n", "e.yaml");
        QCOMPARE(c.eval.inputWidth, 512);
        QCOMPARE(c.eval.inputHeight, 256);
        QCOMPARE(parseExperimentConfig(toYaml(c), "back.yaml").eval.inputHeight, 256);
        QCOMPARE(errorOf("name: x\neval:\n  input_width: 512\n"),
                 std::string("exp.yaml:1:1: 'eval.input_width' and 'eval.input_height' must both be 0 (full "
                             "resolution) or both set, got 512x0"));
    }

    void unknownKeyNamesPlace() {
        QCOMPARE(errorOf("name: x\ntrain:\n  stepz: 5\n"), std::string("exp.yaml:3:3: unknown key 'train.stepz' (did you mean 'train.steps'?)"));
        QCOMPARE(errorOf("modle:\n  width: 3\n"), std::string("exp.yaml:1:1: unknown key 'modle' (did you mean 'model'?)"));
        QCOMPARE(errorOf("train:\n  bach_size: 5\n"),
                 std::string("exp.yaml:2:3: unknown key 'train.bach_size' (did you mean 'train.batch_size'?)"));
        QCOMPARE(errorOf("train:\n  frobnicate: 5\n"), std::string("exp.yaml:2:3: unknown key 'train.frobnicate'"));
    }

    void wrongTypeNamesPlace() {
        QCOMPARE(errorOf("train:\n  steps: many\n"),
                 std::string("exp.yaml:2:10: 'train.steps' must be an integer, got 'many'"));
        QCOMPARE(errorOf("train:\n  hflip: 3\n"),
                 std::string("exp.yaml:2:10: 'train.hflip' must be a boolean (true or false), got '3'"));
        QCOMPARE(errorOf("train: 5\n"), std::string("exp.yaml:1:8: 'train' must be a section (a map of keys)"));
        QCOMPARE(errorOf("train:\n  steps: [1, 2]\n"), std::string("exp.yaml:2:10: 'train.steps' must be an integer"));
    }

    void rangeAndChoiceChecked() {
        QCOMPARE(errorOf("train:\n  steps: 0\n"),
                 std::string("exp.yaml:2:10: 'train.steps' must be in [1, 2147483647], got 0"));
        QCOMPARE(errorOf("train:\n  device: tpu\n"),
                 std::string("exp.yaml:2:11: 'train.device' must be one of auto, cpu, cuda, got 'tpu'"));
    }

    void dataAndSamplingKeys() {
        const auto c = parseExperimentConfig("data:\n  dataset: bdd100k:/d\n  train_splits: train+train_extra\n"
                                             "  split:\n    setting: e\n    det: 1/8\n    seg: 93\n    seed: 4\n"
                                             "  train_images: all\n  on_error: skip\n  workers: 3\n"
                                             "train:\n  sampling: explicit\n  labeled_batch: 2\n  unlabeled_batch: 6\n"
                                             "  labeled_for: seg\n",
                                             "exp.yaml");
        QCOMPARE(c.data.trainSplits, std::string("train+train_extra"));
        QCOMPARE(nameOf(c.data.split.setting), std::string("e"));
        QCOMPARE(c.data.split.det, std::string("1/8"));
        QCOMPARE(c.data.split.seg, std::string("93"));
        QCOMPARE(c.data.split.seed, std::int64_t(4));
        QCOMPARE(nameOf(c.data.trainImages), std::string("all"));
        QVERIFY(c.data.onError == mtl::OnDataError::Skip);
        QCOMPARE(c.data.workers, 3);
        QCOMPARE(nameOf(c.train.sampling), std::string("explicit"));
        QCOMPARE(c.train.labeledBatch, 2);
        QCOMPARE(c.train.unlabeledBatch, 6);
        QCOMPARE(nameOf(c.train.labeledFor), std::string("seg"));
        QCOMPARE(toYaml(parseExperimentConfig(toYaml(c), "b.yaml")), toYaml(c));
        QCOMPARE(errorOf("data:\n  split:\n    setting: f\n"),
                 std::string("exp.yaml:3:14: 'data.split.setting' must be one of none, a, b, c, d, e, got 'f'"));
        QCOMPARE(errorOf("data:\n  on_error: ignore\n"),
                 std::string("exp.yaml:2:13: 'data.on_error' must be one of fail, skip, got 'ignore'"));
    }

    void methodKeysParseAndTheMethodSetsTheStrongView() {
        const auto c = parseExperimentConfig("train:\n  method: fixmatch\n  lu_scope: all\n  ema_decay: 0.999\n"
                                             "  rampup_fraction: 0.1\n  seg_weight: 2\n  det_weight: 0.5\n"
                                             "  pseudo_score_threshold: 0.7\n  supervised_views: weak\n  student_views: all\n"
                                             "  seg_pseudo_threshold: 0.5\n  pseudo_box_negatives: true\n",
                                             "exp.yaml");
        QCOMPARE(c.train.method.name(), std::string("fixmatch"));
        QVERIFY(c.train.luScope == mtl::LuScope::All);
        QCOMPARE(c.train.emaDecay, 0.999);
        QCOMPARE(c.train.rampUpFraction, 0.1);
        QCOMPARE(c.train.segWeight, 2.0);
        QCOMPARE(c.train.detWeight, 0.5);
        QCOMPARE(c.train.pseudoScoreThreshold, 0.7);
        QCOMPARE(c.train.segPseudoThreshold, 0.5);
        QVERIFY(c.train.pseudoBoxNegatives);
        QVERIFY(c.train.supervisedViews == mtl::SupervisedViews::Weak);
        QVERIFY(c.train.studentViews == mtl::StudentViews::All);
        QCOMPARE(toString(c.augment.mode), std::string("invariant")); // FixMatch* is invariant
        QCOMPARE(toYaml(parseExperimentConfig(toYaml(c), "b.yaml")), toYaml(c));
        const TrainConfig d;
        QCOMPARE(d.method.name(), std::string("supervised"));
        QCOMPARE(d.emaDecay, 0.99);
        QCOMPARE(d.pseudoScoreThreshold, 0.5);
        QCOMPARE(d.segPseudoThreshold, 0.0); // the paper: no threshold
        QVERIFY(!d.pseudoBoxNegatives);      // the paper: positive targets only
        QVERIFY(d.luScope == mtl::LuScope::Unlabeled);
        QVERIFY(d.studentViews == mtl::StudentViews::Used);
        QCOMPARE(toString(parseExperimentConfig("train:\n  method: densefixmatch\n", "x").augment.mode),
                 std::string("equivariant"));
        QCOMPARE(errorOf("train:\n  method: densefixmatch\naugment:\n  mode: invariant\n"),
                 std::string("exp.yaml:4:3: 'augment.mode' invariant contradicts 'train.method' densefixmatch, "
                             "which is equivariant"));
        QCOMPARE(errorOf("train:\n  method: mixmatch\n"),
                 std::string("exp.yaml:2:11: 'train.method' must be one of supervised, fixmatch, densefixmatch, "
                             "meanteacher, got 'mixmatch'"));
        QCOMPARE(errorOf("train:\n  student_views: needed\n"),
                 std::string("exp.yaml:2:18: 'train.student_views' must be one of all, used, got 'needed'"));
    }

    // Issue 35's controls: train.pseudo_source and train.unsup_weight, and the runs they cannot be.
    void controlKeys() {
        const auto c = parseExperimentConfig("data:\n  split:\n    setting: b\ntrain:\n  method: densefixmatch\n"
                                             "  pseudo_source: oracle\n  unsup_weight: 0\n",
                                             "exp.yaml");
        QVERIFY(c.train.pseudoSource == mtl::PseudoSource::Oracle);
        QCOMPARE(c.train.unsupWeight, 0.0);
        QCOMPARE(toYaml(parseExperimentConfig(toYaml(c), "b.yaml")), toYaml(c));
        QVERIFY(TrainConfig().pseudoSource == mtl::PseudoSource::Teacher);
        QVERIFY(TrainConfig().segUnsupNormalization == mtl::SegUnsupNormalization::Targets);
        QVERIFY(parseExperimentConfig("train:\n  seg_unsup_normalization: valid\n", "x").train.segUnsupNormalization ==
                mtl::SegUnsupNormalization::Valid);
        QCOMPARE(errorOf("train:\n  seg_unsup_normalization: all\n"),
                 std::string("exp.yaml:2:28: 'train.seg_unsup_normalization' must be one of targets, valid, got 'all'"));
        QCOMPARE(TrainConfig().unsupWeight, 1.0);
        QCOMPARE(errorOf("train:\n  method: densefixmatch\n  pseudo_source: truth\n"),
                 std::string("exp.yaml:3:18: 'train.pseudo_source' must be one of teacher, oracle, got 'truth'"));
        QCOMPARE(errorOf("train:\n  unsup_weight: -1\n"),
                 std::string("exp.yaml:2:17: 'train.unsup_weight' must be in [0, 1e+06], got -1"));
        QCOMPARE(errorOf("data:\n  split:\n    setting: b\ntrain:\n  pseudo_source: oracle\n"),
                 std::string("exp.yaml:1:1: 'train.pseudo_source' oracle replaces the teacher's pseudo-labels, and "
                             "'train.method' supervised has no teacher"));
        QCOMPARE(errorOf("train:\n  method: fixmatch\n  pseudo_source: oracle\n"),
                 std::string("exp.yaml:1:1: 'train.pseudo_source' oracle trains Lu on the labels a split hides, and "
                             "this config has no 'data.split' (a file or a setting): its training images show every "
                             "label they have"));
    }

    void initFromKey() {
        const auto c = parseExperimentConfig("train:\n  init_from: /runs/1/checkpoint.pt\n", "exp.yaml");
        QCOMPARE(c.train.initFrom, std::string("/runs/1/checkpoint.pt"));
        QCOMPARE(toYaml(parseExperimentConfig(toYaml(c), "b.yaml")), toYaml(c));
        QCOMPARE(errorOf("model:\n  pretrained: r18.pt\ntrain:\n  init_from: c.pt\n"),
                 std::string("exp.yaml:1:1: 'train.init_from' sets every weight, the backbone's too: give it or "
                             "'model.pretrained', not both"));
    }

    void experimentConfigsParse() {
        // The paper's configurations and their synthetic counterparts: every file parses, and its
        // name says its method.
        int files = 0;
        for (const char* folder : {"paper", "synthetic"})
            for (const auto& entry : std::filesystem::directory_iterator(std::string(MTLW_SOURCE_DIR) + "/experiments/" + folder)) {
                const ExperimentConfig c = loadExperimentConfig(entry.path().string());
                QVERIFY2(entry.path().stem().string().find(c.train.method.name()) != std::string::npos, entry.path().c_str());
                QCOMPARE(c.name, entry.path().stem().string());
                if (std::string(folder) == "paper" && c.train.method.learnsFromTeacher()) // as the authors' code
                    QVERIFY2(c.train.studentViews == StudentViews::All, entry.path().c_str());
                ++files;
            }
        QCOMPARE(files, 5 * 3 + 2 * 3 + 4); // (a)–(e), full Cityscapes, BDD100K; synthetic (b) with Mean Teacher
    }

    // Validation at a scale training never saw is warned about; the shipped configs validate inside
    // their training scales (synthetic scenes and the quick start at their generated size,
    // Cityscapes at 2048x1024, BDD100K at 1280x720).
    void evaluationOutsideTheTrainingScalesIsWarned() {
        auto config = [](const std::string& yaml) { return parseExperimentConfig(yaml, "scales.yaml"); };
        const std::string halfSize = "train:\n  input_width: 128\n  input_height: 64\n";
        QCOMPARE(evaluationScaleWarning(config(halfSize), 256, 128),
                 std::string("validation sees the 256x128 images at scale 1 x 1 (eval.input_width x input_height "
                             "0 x 0: full resolution), outside the scales training sees: 0.5-0.5 x 0.5-0.5 "
                             "(train.input_width x input_height 128x64); metrics will be depressed by the mismatch"));
        QCOMPARE(evaluationScaleWarning(config(halfSize + "eval:\n  input_width: 128\n  input_height: 64\n"), 256, 128),
                 std::string());
        const std::string weak = halfSize + "  method: densefixmatch\naugment:\n  scale_min: 0.5\n  scale_max: 1.5\n";
        QCOMPARE(evaluationScaleWarning(config(weak), 256, 128),
                 std::string("validation sees the 256x128 images at scale 1 x 1 (eval.input_width x input_height "
                             "0 x 0: full resolution), outside the scales training sees: 0.25-0.75 x 0.25-0.75 "
                             "(train.input_width x input_height 128x64, times augment.scale_min-scale_max); "
                             "metrics will be depressed by the mismatch"));
        QCOMPARE(evaluationScaleWarning(config(weak + "eval:\n  input_width: 160\n  input_height: 80\n"), 256, 128),
                 std::string());

        const std::string root = std::string(MTLW_SOURCE_DIR) + "/experiments/";
        std::vector<std::string> files = {root + "quickstart.yaml"};
        for (const char* folder : {"paper", "synthetic"})
            for (const auto& entry : std::filesystem::directory_iterator(root + folder)) files.push_back(entry.path().string());
        for (const std::string& file : files) {
            const ExperimentConfig c = loadExperimentConfig(file);
            const std::string& d = c.data.dataset;
            const auto [w, h] = d == "synthetic" ? std::pair{c.data.synthetic.width, c.data.synthetic.height}
                                : d.rfind("bdd100k", 0) == 0 ? std::pair{1280, 720}
                                                             : std::pair{2048, 1024};
            QVERIFY2(evaluationScaleWarning(c, w, h).empty(), qPrintable(QString::fromStdString(file + ": " + evaluationScaleWarning(c, w, h))));
        }
    }

    void augmentSectionParsesAndRoundTrips() {
        const auto c = parseExperimentConfig("augment:\n  crop_width: 800\n  crop_height: 800\n  scale_min: 0.75\n"
                                             "  flip: false\n  mode: invariant\n  num_ops: 3\n  ops_draw: per_sample\n"
                                             "  magnitude_draw: per_batch\n  box_min_size: 4\n  box_min_visible: 0.5\n",
                                             "aug.yaml");
        QCOMPARE(c.augment.cropWidth, 800);
        QCOMPARE(c.augment.cropHeight, 800);
        QCOMPARE(c.augment.scaleMin, 0.75);
        QCOMPARE(c.augment.scaleMax, AugmentOptions{}.scaleMax);
        QCOMPARE(c.augment.flip, false);
        QCOMPARE(toString(c.augment.mode), std::string("invariant"));
        QCOMPARE(c.augment.numOps, 3);
        QCOMPARE(toString(c.augment.opsDraw), std::string("per_sample"));
        QCOMPARE(toString(c.augment.magnitudeDraw), std::string("per_batch"));
        QCOMPARE(c.augment.boxes.minSize, 4.0);
        QCOMPARE(c.augment.boxes.minVisible, 0.5);
        const std::string yaml = toYaml(c);
        QVERIFY(yaml.find("augment:\n  crop_width: 800\n") != std::string::npos);
        QVERIFY(yaml.find("  mode: invariant\n") != std::string::npos);
        QCOMPARE(toYaml(parseExperimentConfig(yaml, "back.yaml")), yaml);
        // Defaults: the paper's draw (operations per batch, magnitudes per sample), equivariant.
        const auto d = parseExperimentConfig("", "d.yaml");
        QCOMPARE(toString(d.augment.mode), std::string("equivariant"));
        QCOMPARE(toString(d.augment.opsDraw), std::string("per_batch"));
        QCOMPARE(d.augment.numOps, 2);
        QCOMPARE(d.augment.cutoutAlways, false); // the paper's text, not the authors' code
        QCOMPARE(d.augment.strongShift, 0.0);
        const auto authors = parseExperimentConfig("augment:\n  cutout_always: true\n  strong_shift: 0.5\n", "a.yaml");
        QCOMPARE(authors.augment.cutoutAlways, true);
        QCOMPARE(authors.augment.strongShift, 0.5);
        QVERIFY(toYaml(authors).find("  cutout_always: true\n  strong_shift: 0.5\n") != std::string::npos);
    }

    void augmentSectionErrorsNamePlace() {
        QCOMPARE(errorOf("augment:\n  mode: both\n"),
                 std::string("exp.yaml:2:9: 'augment.mode' must be one of invariant, equivariant, got 'both'"));
        QCOMPARE(errorOf("augment:\n  ops_draw: sometimes\n"),
                 std::string("exp.yaml:2:13: 'augment.ops_draw' must be one of per_batch, per_sample, got 'sometimes'"));
        QCOMPARE(errorOf("augment:\n  scale_min: 3\n"),
                 std::string("exp.yaml:2:3: augmentation options: scale range [3, 2] must satisfy 0 < min <= max"));
        QCOMPARE(errorOf("augment:\n  mode: invariant\n  num_ops: 12\n"),
                 std::string("exp.yaml:2:3: augmentation options: num_ops 12 must be in [0, 10] for mode invariant"));
        QCOMPARE(errorOf("train:\n  method: fixmatch\naugment:\n  num_ops: 12\n"), // the mode FixMatch* implies
                 std::string("exp.yaml:4:3: augmentation options: num_ops 12 must be in [0, 10] for mode invariant"));
        QCOMPARE(errorOf("augment:\n  strong_shift: 0.75\n"),
                 std::string("exp.yaml:2:17: 'augment.strong_shift' must be in [0, 0.5], got 0.75"));
        QCOMPARE(errorOf("train:\n  method: fixmatch\naugment:\n  strong_shift: 0.5\n"),
                 std::string("exp.yaml:4:3: augmentation options: strong shift 0.5 moves pixels and needs mode "
                             "equivariant (mode invariant keeps the strong view aligned with the weak one)"));
        QCOMPARE(errorOf("augment:\n  box_min_visible: 1.5\n"),
                 std::string("exp.yaml:2:20: 'augment.box_min_visible' must be in [0, 1], got 1.5"));
    }

    void syntaxErrorNamesPlace() {
        const std::string e = errorOf("name: x\ntrain:\n  steps: [1,\n");
        QVERIFY2(e.rfind("exp.yaml:", 0) == 0, e.c_str());
        QVERIFY2(e != "no error", e.c_str());
    }

    void missingFileIsInputError() {
        try {
            loadExperimentConfig("/nonexistent/dir/x.yaml");
            QFAIL("no error");
        } catch (const InputError& e) {
            QCOMPARE(std::string(e.what()), std::string("/nonexistent/dir/x.yaml: cannot read the config file"));
        }
    }

    void loadsShippedQuickstart() {
        const auto c = loadExperimentConfig(MTLW_SOURCE_DIR "/experiments/quickstart.yaml");
        QCOMPARE(c.name, std::string("quickstart"));
        QCOMPARE(c.data.dataset, std::string("synthetic"));
    }

    void baseChainAndOverrides() {
        QTemporaryDir dir;
        const auto write = [&](const QString& name, const std::string& text) {
            QDir().mkpath(QFileInfo(dir.filePath(name)).path());
            std::ofstream(dir.filePath(name).toStdString()) << text;
            return dir.filePath(name).toStdString();
        };
        write("shared/root.yaml", "name: root\nseed: 3\ntrain:\n  steps: 100\n  lr: 0.5\nmodel:\n  pretrained: w/r50.pt\n");
        write("shared/middle.yaml", "base: root.yaml\ntrain:\n  steps: 200\ndata:\n  split:\n    file: splits/a.json\n");
        const std::string leaf = write("exp/leaf.yaml", "base: ../shared/middle.yaml\nname: leaf\ntrain:\n  batch_size: 2\n");
        const auto c = loadExperimentConfig(leaf, {"train.lr=0.25", "name=it's \"x\"; y", "model.width=0.5"});
        QCOMPARE(c.name, std::string("it's \"x\"; y"));
        QCOMPARE(c.seed, std::int64_t(3));     // from the root
        QCOMPARE(c.train.steps, 200);          // the middle overrides the root
        QCOMPARE(c.train.batchSize, 2);        // the leaf
        QCOMPARE(c.train.lr, 0.25);            // --set last
        QCOMPARE(c.model.width, 0.5);
        QCOMPARE(c.sourceFile, leaf);
        // Relative paths belong to the file that set them.
        QCOMPARE(c.model.pretrained, dir.filePath("shared/w/r50.pt").toStdString());
        QCOMPARE(c.data.split.file, dir.filePath("shared/splits/a.json").toStdString());
        // The stored config is complete: it parses back without the chain.
        QCOMPARE(toYaml(parseExperimentConfig(toYaml(c), "stored")), toYaml(c));

        const auto errorOf = [](const std::string& path, const std::vector<std::string>& sets = {}) {
            try {
                loadExperimentConfig(path, sets);
            } catch (const InputError& e) {
                return std::string(e.what());
            }
            return std::string("no error");
        };
        QCOMPARE(errorOf(leaf, {"train.steps=many"}),
                 std::string("--set train.steps=many:1:1: 'train.steps' must be an integer, got 'many'"));
        QCOMPARE(errorOf(leaf, {"train.stepz=1"}), std::string("--set train.stepz=1:1:1: unknown key 'train.stepz' (did you mean 'train.steps'?)"));
        QCOMPARE(errorOf(leaf, {"steps"}), std::string("--set steps:1:1: an override is KEY=VALUE, e.g. train.steps=100"));
        // Errors in a base file name that file.
        const std::string bad = write("bad/base.yaml", "train:\n  stepz: 3\n");
        const std::string child = write("bad/child.yaml", "name: c\nbase: base.yaml\n");
        QCOMPARE(errorOf(child), bad + ":2:3: unknown key 'train.stepz' (did you mean 'train.steps'?)");
        const std::string loopA = write("loop/a.yaml", "base: b.yaml\n");
        write("loop/b.yaml", "name: b\nbase: a.yaml\n");
        QCOMPARE(errorOf(loopA), dir.filePath("loop/b.yaml").toStdString() + ":2:7: 'base' makes a loop: " +
                                     dir.filePath("loop/a.yaml").toStdString() + " is already in the chain");
        const std::string missing = write("m.yaml", "base: nowhere.yaml\n");
        QCOMPARE(errorOf(missing), missing + ":1:7: base config " + dir.filePath("nowhere.yaml").toStdString() +
                                       " does not exist");
        // Relations are checked on the result: an override can break them.
        QCOMPARE(errorOf(leaf, {"augment.scale_min=3"}),
                 std::string("--set augment.scale_min=3:1:1: augmentation options: scale range [3, 2] must satisfy 0 < "
                             "min <= max"));
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
