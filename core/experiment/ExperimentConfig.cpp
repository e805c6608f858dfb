#include "core/experiment/ExperimentConfig.h"

#include "core/common/Error.h"
#include "core/experiment/ConfigSchema.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>
#include <vector>

namespace mtl {
namespace {

// One schema entry per leaf key. `read` converts and validates one YAML scalar; `write` emits it.
struct Field {
    std::string path; // dotted, e.g. "train.steps"
    std::string type; // for messages: "integer", "number", "string", "boolean"
    std::function<void(ExperimentConfig&, const YAML::Node&, const std::string&)> read;
    std::function<void(const ExperimentConfig&, YAML::Emitter&)> write;
};

[[noreturn]] void fail(const std::string& file, const YAML::Mark& mark, const std::string& what) {
    // yaml-cpp marks are 0-based; editors count from 1.
    throw ConfigError(file, mark.line + 1, mark.column + 1, what);
}

template <typename T>
T scalarAs(const YAML::Node& node, const std::string& file, const std::string& key,
           const char* typeName) {
    if (!node.IsScalar())
        fail(file, node.Mark(), "'" + key + "' must be " + typeName);
    try {
        return node.as<T>();
    } catch (const YAML::Exception&) {
        fail(file, node.Mark(),
             "'" + key + "' must be " + typeName + ", got '" + node.Scalar() + "'");
    }
}

template <typename Get>
Field integer(const std::string& path, Get get, std::int64_t lo, std::int64_t hi) {
    Field f{path, "integer", {}, {}};
    f.read = [=](ExperimentConfig& c, const YAML::Node& n, const std::string& file) {
        auto v = scalarAs<std::int64_t>(n, file, path, "an integer");
        if (v < lo || v > hi)
            fail(file, n.Mark(),
                 "'" + path + "' must be in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                     "], got " + std::to_string(v));
        get(c) = static_cast<std::remove_reference_t<decltype(get(c))>>(v);
    };
    f.write = [=](const ExperimentConfig& c, YAML::Emitter& e) {
        e << static_cast<std::int64_t>(get(c));
    };
    return f;
}

template <typename Get>
Field number(const std::string& path, Get get, double lo, double hi) {
    Field f{path, "number", {}, {}};
    f.read = [=](ExperimentConfig& c, const YAML::Node& n, const std::string& file) {
        double v = scalarAs<double>(n, file, path, "a number");
        if (!(v >= lo && v <= hi)) {
            std::ostringstream msg;
            msg << "'" << path << "' must be in [" << lo << ", " << hi << "], got " << v;
            fail(file, n.Mark(), msg.str());
        }
        get(c) = v;
    };
    f.write = [=](const ExperimentConfig& c, YAML::Emitter& e) {
        e << get(c);
    };
    return f;
}

template <typename Get>
Field boolean(const std::string& path, Get get) {
    Field f{path, "boolean", {}, {}};
    f.read = [=](ExperimentConfig& c, const YAML::Node& n, const std::string& file) {
        get(c) = scalarAs<bool>(n, file, path, "a boolean (true or false)");
    };
    f.write = [=](const ExperimentConfig& c, YAML::Emitter& e) {
        e << get(c);
    };
    return f;
}

template <typename Get>
Field text(const std::string& path, Get get, std::vector<std::string> allowed = {}) {
    Field f{path, "string", {}, {}};
    f.read = [=](ExperimentConfig& c, const YAML::Node& n, const std::string& file) {
        auto v = scalarAs<std::string>(n, file, path, "a string");
        if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
            fail(file, n.Mark(), "'" + path + "' must be one of " + list + ", got '" + v + "'");
        }
        get(c) = v;
    };
    f.write = [=](const ExperimentConfig& c, YAML::Emitter& e) {
        e << get(c);
    };
    return f;
}

// An enumerated key: read and written through its type's one name table (EnumNames.h).
template <typename Enum, typename Get>
Field choice(const std::string& path, Get get) {
    Field f{path, "string", {}, {}};
    f.read = [=](ExperimentConfig& c, const YAML::Node& n, const std::string& file) {
        const auto v = scalarAs<std::string>(n, file, path, "a string");
        if (const auto value = findName<Enum>(v)) get(c) = *value;
        else fail(file, n.Mark(), "'" + path + "' must be one of " + nameList<Enum>(", ") + ", got '" + v + "'");
    };
    f.write = [=](const ExperimentConfig& c, YAML::Emitter& e) { e << nameOf(get(c)); };
    return f;
}

// A non-empty YAML list of numbers in (lo, hi]: written inline, [0.5, 1, 2].
template <typename Get>
Field numberList(const std::string& path, Get get, double lo, double hi) {
    Field f{path, "list of numbers", {}, {}};
    f.read = [=](ExperimentConfig& c, const YAML::Node& n, const std::string& file) {
        if (!n.IsSequence() || n.size() == 0)
            fail(file, n.Mark(), "'" + path + "' must be a non-empty list of numbers, e.g. [0.5, 1, 2]");
        std::vector<double> values;
        for (std::size_t i = 0; i < n.size(); ++i) {
            const std::string item = path + "[" + std::to_string(i) + "]";
            const double v = scalarAs<double>(n[i], file, item, "a number");
            if (!(v > lo && v <= hi)) {
                std::ostringstream msg;
                msg << "'" << item << "' must be in (" << lo << ", " << hi << "], got " << v;
                fail(file, n[i].Mark(), msg.str());
            }
            values.push_back(v);
        }
        get(c) = values;
    };
    f.write = [=](const ExperimentConfig& c, YAML::Emitter& e) {
        e << YAML::Flow << YAML::BeginSeq;
        for (double v : get(c)) e << v;
        e << YAML::EndSeq;
    };
    return f;
}

// Generic so that one accessor serves both reading (mutable) and writing (const).
#define MTL_FIELD(member) [](auto& c) -> auto& { return c.member; }

const std::vector<Field>& schema() {
    constexpr std::int64_t kMaxInt = std::numeric_limits<int>::max();
    static const std::vector<Field> fields = {
        text("name", MTL_FIELD(name)),
        integer("seed", MTL_FIELD(seed), 0, std::numeric_limits<std::int64_t>::max()),
        text("data.dataset", MTL_FIELD(data.dataset)),
        integer("data.synthetic.train", MTL_FIELD(data.synthetic.train), 1, 1000000),
        integer("data.synthetic.val", MTL_FIELD(data.synthetic.val), 1, 1000000),
        integer("data.synthetic.width", MTL_FIELD(data.synthetic.width), 64, 8192),
        integer("data.synthetic.height", MTL_FIELD(data.synthetic.height), 64, 8192),
        integer("data.synthetic.seed", MTL_FIELD(data.synthetic.seed), 0,
                std::numeric_limits<std::int64_t>::max()),
        text("data.train_splits", MTL_FIELD(data.trainSplits)),
        text("data.val_split", MTL_FIELD(data.valSplit)),
        text("data.split.file", MTL_FIELD(data.split.file)),
        choice<SplitSetting>("data.split.setting", MTL_FIELD(data.split.setting)),
        text("data.split.det", MTL_FIELD(data.split.det)),
        text("data.split.seg", MTL_FIELD(data.split.seg)),
        integer("data.split.seed", MTL_FIELD(data.split.seed), 0, std::numeric_limits<std::int64_t>::max()),
        choice<TrainImages>("data.train_images", MTL_FIELD(data.trainImages)),
        choice<OnDataError>("data.on_error", MTL_FIELD(data.onError)),
        integer("data.workers", MTL_FIELD(data.workers), 1, 64),
        choice<BackboneKind>("model.backbone", MTL_FIELD(model.backbone)),
        number("model.width", MTL_FIELD(model.width), 0.03125, 4.0),
        choice<TaskSet>("model.tasks", MTL_FIELD(model.tasks)),
        boolean("model.frozen_bn", MTL_FIELD(model.frozenBn)),
        boolean("model.sync_bn", MTL_FIELD(model.syncBn)),
        text("model.pretrained", MTL_FIELD(model.pretrained)),
        integer("model.min_level", MTL_FIELD(model.minLevel), 2, 4),
        integer("model.max_level", MTL_FIELD(model.maxLevel), 5, 7),
        integer("model.anchor_size", MTL_FIELD(model.anchorSize), 4, 1024),
        integer("model.anchor_scales", MTL_FIELD(model.anchorScales), 1, 4),
        numberList("model.anchor_ratios", MTL_FIELD(model.anchorRatios), 0.0, 10.0),
        integer("model.anchor_density", MTL_FIELD(model.anchorDensity), 1, 4),
        choice<HeadNorm>("model.head_norm", MTL_FIELD(model.headNorm)),
        integer("model.head_depth", MTL_FIELD(model.headDepth), 1, 4),
        integer("train.steps", MTL_FIELD(train.steps), 1, kMaxInt),
        integer("train.batch_size", MTL_FIELD(train.batchSize), 1, 4096),
        integer("train.input_width", MTL_FIELD(train.inputWidth), 32, 8192),
        integer("train.input_height", MTL_FIELD(train.inputHeight), 32, 8192),
        choice<OptimizerKind>("train.optimizer", MTL_FIELD(train.optimizer)),
        number("train.lr", MTL_FIELD(train.lr), 0.0, 10.0),
        number("train.momentum", MTL_FIELD(train.momentum), 0.0, 1.0),
        number("train.weight_decay", MTL_FIELD(train.weightDecay), 0.0, 1.0),
        number("train.poly_power", MTL_FIELD(train.polyPower), 0.0, 10.0),
        number("train.grad_clip_norm", MTL_FIELD(train.gradClipNorm), 0.0, 1e6),
        boolean("train.hflip", MTL_FIELD(train.hflip)),
        choice<Sampling>("train.sampling", MTL_FIELD(train.sampling)),
        integer("train.labeled_batch", MTL_FIELD(train.labeledBatch), 1, 4096),
        integer("train.unlabeled_batch", MTL_FIELD(train.unlabeledBatch), 1, 4096),
        choice<LabeledFor>("train.labeled_for", MTL_FIELD(train.labeledFor)),
        number("train.repeat_threshold", MTL_FIELD(train.repeatThreshold), 0.0, 1.0),
        choice<DeviceChoice>("train.device", MTL_FIELD(train.device)),
        boolean("train.mixed_precision", MTL_FIELD(train.mixedPrecision)),
        integer("train.threads", MTL_FIELD(train.threads), 0, 1024),
        integer("train.log_every", MTL_FIELD(train.logEvery), 1, kMaxInt),
        integer("train.checkpoint_every", MTL_FIELD(train.checkpointEvery), 1, kMaxInt),
        choice<LearningMethod>("train.method", MTL_FIELD(train.method)),
        choice<SupervisedViews>("train.supervised_views", MTL_FIELD(train.supervisedViews)),
        choice<LuScope>("train.lu_scope", MTL_FIELD(train.luScope)),
        choice<StudentViews>("train.student_views", MTL_FIELD(train.studentViews)),
        number("train.ema_decay", MTL_FIELD(train.emaDecay), 0.0, 1.0),
        number("train.rampup_fraction", MTL_FIELD(train.rampUpFraction), 0.0, 1.0),
        number("train.unsup_weight", MTL_FIELD(train.unsupWeight), 0.0, 1e6),
        choice<PseudoSource>("train.pseudo_source", MTL_FIELD(train.pseudoSource)),
        text("train.init_from", MTL_FIELD(train.initFrom)),
        number("train.seg_weight", MTL_FIELD(train.segWeight), 0.0, 1e6),
        number("train.det_weight", MTL_FIELD(train.detWeight), 0.0, 1e6),
        number("train.pseudo_score_threshold", MTL_FIELD(train.pseudoScoreThreshold), 0.0, 1.0),
        number("train.seg_pseudo_threshold", MTL_FIELD(train.segPseudoThreshold), 0.0, 1.0),
        choice<SegUnsupNormalization>("train.seg_unsup_normalization", MTL_FIELD(train.segUnsupNormalization)),
        boolean("train.pseudo_box_negatives", MTL_FIELD(train.pseudoBoxNegatives)),
        integer("eval.every", MTL_FIELD(eval.every), 0, kMaxInt),
        integer("eval.max_images", MTL_FIELD(eval.maxImages), 0, kMaxInt),
        number("eval.score_threshold", MTL_FIELD(eval.scoreThreshold), 0.0, 1.0),
        boolean("eval.score_student", MTL_FIELD(eval.scoreStudent)),
        integer("eval.input_width", MTL_FIELD(eval.inputWidth), 0, 8192),
        integer("eval.input_height", MTL_FIELD(eval.inputHeight), 0, 8192),
        integer("diagnostics.every", MTL_FIELD(diagnostics.every), 0, kMaxInt),
        integer("diagnostics.images", MTL_FIELD(diagnostics.images), 1, 64),
        integer("augment.crop_width", MTL_FIELD(augment.cropWidth), 1, 8192),
        integer("augment.crop_height", MTL_FIELD(augment.cropHeight), 1, 8192),
        number("augment.scale_min", MTL_FIELD(augment.scaleMin), 0.01, 100.0),
        number("augment.scale_max", MTL_FIELD(augment.scaleMax), 0.01, 100.0),
        boolean("augment.flip", MTL_FIELD(augment.flip)),
        choice<AugmentMode>("augment.mode", MTL_FIELD(augment.mode)),
        integer("augment.num_ops", MTL_FIELD(augment.numOps), 0, 16),
        choice<DrawScope>("augment.ops_draw", MTL_FIELD(augment.opsDraw)),
        choice<DrawScope>("augment.magnitude_draw", MTL_FIELD(augment.magnitudeDraw)),
        boolean("augment.cutout_always", MTL_FIELD(augment.cutoutAlways)),
        number("augment.strong_shift", MTL_FIELD(augment.strongShift), 0.0, 0.5),
        number("augment.box_min_size", MTL_FIELD(augment.boxes.minSize), 0.0, 8192.0),
        number("augment.box_min_visible", MTL_FIELD(augment.boxes.minVisible), 0.0, 1.0),
    };
    return fields;
}
#undef MTL_FIELD

const Field* findField(const std::string& path) {
    for (const auto& f : schema())
        if (f.path == path) return &f;
    return nullptr;
}

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbouring characters (the commonest typo) each cost 1.
std::size_t typoDistance(const std::string& a, const std::string& b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

// " (did you mean 'train.steps'?)" for a misspelt key: the known key or section of the same depth
// nearest to it, when it is within a third of the last part's length; "" otherwise.
std::string didYouMean(const std::string& path) {
    const auto depth = std::count(path.begin(), path.end(), '.');
    std::vector<std::string> known = {"base"};
    for (const auto& f : schema())
        for (std::string p = f.path;; p.erase(p.rfind('.'))) {
            known.push_back(p);
            if (p.find('.') == std::string::npos) break;
        }
    const std::string last = path.substr(path.rfind('.') == std::string::npos ? 0 : path.rfind('.') + 1);
    std::string best;
    std::size_t bestDistance = std::max<std::size_t>(1, last.size() / 3) + 1;
    for (const std::string& k : known) {
        if (std::count(k.begin(), k.end(), '.') != depth) continue;
        const std::size_t d = typoDistance(path, k);
        if (d < bestDistance) bestDistance = d, best = k;
    }
    return best.empty() ? std::string() : " (did you mean '" + best + "'?)";
}

bool isSection(const std::string& path) {
    for (const auto& f : schema())
        if (f.path.compare(0, path.size() + 1, path + ".") == 0) return true;
    return false;
}

void readMap(ExperimentConfig& config, const YAML::Node& map, const std::string& prefix,
             const std::string& file, const std::vector<std::string>& skipTopKeys = {}) {
    for (const auto& kv : map) {
        const YAML::Node& keyNode = kv.first;
        if (!keyNode.IsScalar()) fail(file, keyNode.Mark(), "keys must be plain names");
        if (prefix.empty() &&
            std::find(skipTopKeys.begin(), skipTopKeys.end(), keyNode.Scalar()) != skipTopKeys.end())
            continue;
        const std::string path = prefix.empty() ? keyNode.Scalar() : prefix + "." + keyNode.Scalar();
        configschema::applyValue(config, path, kv.second, keyNode.Mark(), file);
    }
}

// The semi-supervised method decides the strong view's kind: FixMatch* is invariant, Dense FixMatch
// equivariant. An augment.mode left out follows the method; one that contradicts it is an error.
void checkMethodAgainstAugmentMode(ExperimentConfig& config, const std::string& file, const YAML::Mark& mark) {
    const LearningMethodInfo& method = config.train.method.info();
    if (!method.learnsFromTeacher) return;
    if (!config.augmentModeGiven) {
        config.augment.mode = method.strongView;
    } else if (config.augment.mode != method.strongView) {
        fail(file, mark, "'augment.mode' " + toString(config.augment.mode) + " contradicts 'train.method' " +
                             method.configName + ", which is " + toString(method.strongView));
    }
}

// A method that teaches no task of the model would train it as supervised under another name.
void checkMethodAgainstTasks(const ExperimentConfig& config, const std::string& file, const YAML::Mark& mark) {
    const LearningMethodInfo& method = config.train.method.info();
    if (!method.learnsFromTeacher) return;
    const TaskSet tasks = config.model.tasks;
    const bool seg = tasks != TaskSet::DetOnly, det = tasks != TaskSet::SegOnly;
    if ((seg && method.teachesSegmentation) || (det && method.teachesDetection)) return;
    fail(file, mark, "'train.method' " + method.configName + " teaches " +
                         (method.teachesSegmentation ? "segmentation" : "detection") + " only, and 'model.tasks' " +
                         nameOf(config.model.tasks) + " has no " + (method.teachesSegmentation ? "segmentation" : "detection") +
                         " head");
}

// The oracle replaces a teacher by labels the split hides: a run without a teacher or without hidden
// labels would silently train as something else.
void checkOracle(const ExperimentConfig& config, const std::string& file, const YAML::Mark& mark) {
    if (config.train.pseudoSource != PseudoSource::Oracle) return;
    if (!config.train.method.learnsFromTeacher())
        fail(file, mark, "'train.pseudo_source' oracle replaces the teacher's pseudo-labels, and 'train.method' " +
                             config.train.method.name() + " has no teacher");
    if (config.data.split.file.empty() && config.data.split.setting == SplitSetting::None)
        fail(file, mark, "'train.pseudo_source' oracle trains Lu on the labels a split hides, and this config has "
                         "no 'data.split' (a file or a setting): its training images show every label they have");
}

} // namespace

namespace configschema {

YAML::Node loadYaml(const std::string& yamlText, const std::string& fileLabel) {
    try {
        return YAML::Load(yamlText);
    } catch (const YAML::ParserException& e) {
        fail(fileLabel, e.mark, e.msg);
    }
}

void applyValue(ExperimentConfig& config, const std::string& path, const YAML::Node& value,
                const YAML::Mark& keyMark, const std::string& file) {
    if (const Field* f = findField(path)) {
        if (value.IsNull()) fail(file, keyMark, "'" + path + "' has no value");
        f->read(config, value, file);
        if (path == "augment.mode") config.augmentModeGiven = true;
    } else if (isSection(path)) {
        if (!value.IsMap())
            fail(file, value.IsNull() ? keyMark : value.Mark(), "'" + path + "' must be a section (a map of keys)");
        readMap(config, value, path, file);
    } else {
        fail(file, keyMark, "unknown key '" + path + "'" + didYouMean(path));
    }
}

void applyMap(ExperimentConfig& config, const YAML::Node& root, const std::string& file,
              const std::vector<std::string>& skipTopKeys) {
    if (root.IsNull()) return; // an empty file sets nothing
    if (!root.IsMap()) fail(file, root.Mark(), "the config must be a map of keys");
    readMap(config, root, "", file, skipTopKeys);
}

void validateRelations(ExperimentConfig& config, const std::string& augmentFile, const YAML::Mark& augmentMark,
                       const std::string& rootFile, const YAML::Mark& rootMark) {
    // The method settles the mode first: the pool that num_ops and strong_shift are checked
    // against is the mode's.
    checkMethodAgainstAugmentMode(config, augmentFile, augmentMark);
    checkMethodAgainstTasks(config, rootFile, rootMark);
    try {
        validateAugmentOptions(config.augment);
    } catch (const InputError& e) {
        fail(augmentFile, augmentMark, e.what());
    }
    checkOracle(config, rootFile, rootMark);
    if (!config.train.initFrom.empty() && !config.model.pretrained.empty())
        fail(rootFile, rootMark, "'train.init_from' sets every weight, the backbone's too: give it or "
                                 "'model.pretrained', not both");
    if ((config.eval.inputWidth == 0) != (config.eval.inputHeight == 0))
        fail(rootFile, rootMark,
             "'eval.input_width' and 'eval.input_height' must both be 0 (full resolution) or both set, got " +
                 std::to_string(config.eval.inputWidth) + "x" + std::to_string(config.eval.inputHeight));
    if (config.name.empty()) fail(rootFile, rootMark, "'name' must not be empty");
}

} // namespace configschema

ExperimentConfig parseExperimentConfig(const std::string& yamlText, const std::string& fileLabel) {
    const YAML::Node root = configschema::loadYaml(yamlText, fileLabel);
    ExperimentConfig config;
    configschema::applyMap(config, root, fileLabel);
    // Relations between keys, reported at the section.
    const YAML::Node section = root.IsMap() ? root["augment"] : YAML::Node();
    configschema::validateRelations(config, fileLabel, section ? section.Mark() : root.Mark(), fileLabel, root.Mark());
    config.sourceFile = fileLabel;
    return config;
}

std::string toYaml(const ExperimentConfig& config) {
    // Nested maps rebuilt from the dotted paths, in schema order (the schema lists each section's
    // keys together).
    YAML::Emitter out;
    out << YAML::BeginMap;
    std::vector<std::string> open;
    for (const auto& f : schema()) {
        std::vector<std::string> parts;
        std::stringstream ss(f.path);
        for (std::string p; std::getline(ss, p, '.');) parts.push_back(p);
        const std::vector<std::string> sections(parts.begin(), parts.end() - 1);
        std::size_t common = 0;
        while (common < open.size() && common < sections.size() && open[common] == sections[common])
            ++common;
        for (std::size_t i = open.size(); i > common; --i) out << YAML::EndMap;
        open.resize(common);
        for (std::size_t i = common; i < sections.size(); ++i) {
            out << YAML::Key << sections[i] << YAML::Value << YAML::BeginMap;
            open.push_back(sections[i]);
        }
        out << YAML::Key << parts.back() << YAML::Value;
        f.write(config, out);
    }
    for (std::size_t i = 0; i < open.size(); ++i) out << YAML::EndMap;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

template <>
const EnumTable<SupervisedViews>& enumTable<SupervisedViews>() {
    static const EnumTable<SupervisedViews> t{"supervised view", {{"loader", SupervisedViews::Loader}, {"weak", SupervisedViews::Weak}}};
    return t;
}

template <>
const EnumTable<OptimizerKind>& enumTable<OptimizerKind>() {
    static const EnumTable<OptimizerKind> t{"optimizer", {{"sgd", OptimizerKind::Sgd}, {"adamw", OptimizerKind::AdamW}}};
    return t;
}

template <>
const EnumTable<LuScope>& enumTable<LuScope>() {
    static const EnumTable<LuScope> t{"Lu scope", {{"unlabeled", LuScope::Unlabeled}, {"all", LuScope::All}}};
    return t;
}

template <>
const EnumTable<SegUnsupNormalization>& enumTable<SegUnsupNormalization>() {
    static const EnumTable<SegUnsupNormalization> t{
        "normalization", {{"targets", SegUnsupNormalization::Targets}, {"valid", SegUnsupNormalization::Valid}}};
    return t;
}

template <>
const EnumTable<PseudoSource>& enumTable<PseudoSource>() {
    static const EnumTable<PseudoSource> t{"pseudo-label source",
                                           {{"teacher", PseudoSource::Teacher}, {"oracle", PseudoSource::Oracle}}};
    return t;
}

template <>
const EnumTable<StudentViews>& enumTable<StudentViews>() {
    static const EnumTable<StudentViews> t{"student views", {{"all", StudentViews::All}, {"used", StudentViews::Used}}};
    return t;
}

template <>
const EnumTable<TrainImages>& enumTable<TrainImages>() {
    static const EnumTable<TrainImages> t{
        "training image choice",
        {{"labeled", TrainImages::Labeled}, {"fully_labeled", TrainImages::FullyLabeled}, {"all", TrainImages::All}}};
    return t;
}

template <>
const EnumTable<Sampling>& enumTable<Sampling>() {
    static const EnumTable<Sampling> t{"sampling", {{"implicit", Sampling::Implicit}, {"explicit", Sampling::Explicit}}};
    return t;
}

template <>
const EnumTable<LabeledFor>& enumTable<LabeledFor>() {
    static const EnumTable<LabeledFor> t{
        "labeled-for choice",
        {{"any", LabeledFor::Any}, {"seg", LabeledFor::Seg}, {"det", LabeledFor::Det}, {"both", LabeledFor::Both}}};
    return t;
}

template <>
const EnumTable<SplitSetting>& enumTable<SplitSetting>() {
    static const EnumTable<SplitSetting> t{"label setting",
                                           {{"none", SplitSetting::None},
                                            {"a", SplitSetting::A},
                                            {"b", SplitSetting::B},
                                            {"c", SplitSetting::C},
                                            {"d", SplitSetting::D},
                                            {"e", SplitSetting::E}}};
    return t;
}

template <>
const EnumTable<DeviceChoice>& enumTable<DeviceChoice>() {
    static const EnumTable<DeviceChoice> t{"device", {{"auto", DeviceChoice::Auto}, {"cpu", DeviceChoice::Cpu}, {"cuda", DeviceChoice::Cuda}}};
    return t;
}

} // namespace mtl
