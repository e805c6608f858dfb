#include "core/data/LabelSplit.h"

#include "core/common/Error.h"
#include "core/common/JsonSupport.h"
#include "core/common/SplitMix64.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <set>

namespace mtl {

namespace {

constexpr const char* kFormat = "mtl-workbench label split";
constexpr int kVersion = 1;

std::vector<std::string> randomSubset(const std::vector<std::string>& pool, std::size_t k, std::uint64_t seed,
                                      std::uint64_t stream) {
    std::vector<std::string> items = pool;
    SplitMix64 rng(mixSeed(seed, stream));
    rng.shuffle(items);
    items.resize(k);
    std::sort(items.begin(), items.end());
    return items;
}

std::vector<std::string> intersection(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    std::vector<std::string> out;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

} // namespace

std::size_t LabelSplit::overlap() const { return intersection(det, seg).size(); }

std::size_t parseLabelCount(const std::string& text, std::size_t poolSize, const std::string& what) {
    std::size_t k = 0;
    if (text == "all") {
        k = poolSize;
    } else {
        const auto slash = text.find('/');
        auto number = [&](const std::string& s) -> std::size_t {
            if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
                throw InputError(what + ": '" + text + "' is not a count (93), a fraction (1/32) or 'all'");
            return std::stoul(s);
        };
        if (slash == std::string::npos) {
            k = number(text);
        } else {
            const std::size_t num = number(text.substr(0, slash)), den = number(text.substr(slash + 1));
            if (den == 0 || num > den) throw InputError(what + ": '" + text + "' is not a fraction between 0 and 1");
            k = static_cast<std::size_t>(std::floor(double(poolSize) * double(num) / double(den) + 0.5));
        }
    }
    if (k < 1 || k > poolSize)
        throw InputError(what + ": " + text + " gives " + std::to_string(k) + " images; the pool has " +
                         std::to_string(poolSize) + " (images labeled for both tasks)");
    return k;
}

LabelSplit makeLabelSplit(const Dataset& train, const std::string& setting, std::optional<std::size_t> kDet,
                          std::optional<std::size_t> kSeg, std::uint64_t seed) {
    std::vector<std::string> pool;
    for (std::size_t i = 0; i < train.size(); ++i)
        if (train.labeled(i, Task::Segmentation) && train.labeled(i, Task::Detection)) pool.push_back(train.id(i));
    std::sort(pool.begin(), pool.end());
    if (pool.empty()) throw InputError(train.description() + ": no image is labeled for both tasks");
    const std::size_t n = pool.size();

    LabelSplit s;
    s.setting = setting;
    s.seed = seed;
    s.poolSize = n;
    auto need = [&](const std::optional<std::size_t>& k, const char* flag) {
        if (!k) throw InputError("setting (" + setting + ") needs " + flag);
        return *k;
    };
    if (setting == "a") {
        if (kDet && *kDet != n)
            throw InputError("setting (a) labels every image for detection: --det must be 'all' (" + std::to_string(n) + ")");
        s.det = pool;
        s.seg = randomSubset(pool, need(kSeg, "--seg"), seed, 2);
        s.expectedOverlap = double(s.seg.size());
    } else if (setting == "b" || setting == "c") {
        if (!kDet) kDet = kSeg;
        if (!kSeg) kSeg = kDet;
        const std::size_t k = need(kDet, "--det or --seg");
        if (*kSeg != k)
            throw InputError("setting (" + setting + ") uses one size for both tasks; got --det " + std::to_string(k) +
                             " and --seg " + std::to_string(*kSeg));
        s.det = randomSubset(pool, k, seed, 1);
        s.seg = setting == "b" ? s.det : randomSubset(pool, k, seed, 2);
        s.expectedOverlap = setting == "b" ? double(k) : double(k) * double(k) / double(n);
    } else if (setting == "d" || setting == "e") {
        const std::size_t kd = need(kDet, "--det"), ks = need(kSeg, "--seg");
        if (setting == "d" && ks > kd)
            throw InputError("setting (d) puts the segmentation subset inside the detection subset: --seg (" +
                             std::to_string(ks) + ") must not exceed --det (" + std::to_string(kd) + ")");
        s.det = randomSubset(pool, kd, seed, 1);
        s.seg = setting == "d" ? randomSubset(s.det, ks, seed, 2) : randomSubset(pool, ks, seed, 2);
        s.expectedOverlap = setting == "d" ? double(ks) : double(kd) * double(ks) / double(n);
    } else {
        throw InputError("unknown setting '" + setting + "' (expected a, b, c, d or e)");
    }
    return s;
}

std::string labelSplitToJson(const LabelSplit& s, std::size_t trainImages) {
    const std::size_t both = s.overlap();
    nlohmann::ordered_json j;
    j["format"] = kFormat;
    j["version"] = kVersion;
    j["dataset"] = s.dataset;
    j["setting"] = s.setting;
    j["seed"] = s.seed;
    j["pool_size"] = s.poolSize;
    j["counts"] = {{"det", s.det.size()}, {"seg", s.seg.size()}, {"both", both},
                   {"det_only", s.det.size() - both}, {"seg_only", s.seg.size() - both},
                   {"unlabeled", trainImages - (s.det.size() + s.seg.size() - both)}};
    j["overlap"] = both;
    j["expected_overlap"] = jsonsupport::printable(s.expectedOverlap);
    j["det"] = s.det;
    j["seg"] = s.seg;
    return j.dump(1) + "\n";
}

LabelSplit readLabelSplit(const std::string& path) {
    const nlohmann::json doc = jsonsupport::readFile(path);
    const jsonsupport::Node root = jsonsupport::Node(doc, path, "").requireObject();
    if (root.key("format").string() != kFormat) root.key("format").fail("not a label split (expected \"" + std::string(kFormat) + "\")");
    if (root.key("version").integer() != kVersion) root.key("version").fail("unsupported version (expected 1)");
    LabelSplit s;
    s.dataset = root.hasKey("dataset") ? root.key("dataset").string() : "";
    s.setting = root.key("setting").string();
    s.seed = static_cast<std::uint64_t>(root.key("seed").integer());
    s.poolSize = static_cast<std::size_t>(root.key("pool_size").integer());
    s.expectedOverlap = root.hasKey("expected_overlap") ? root.key("expected_overlap").number() : 0.0;
    for (const char* task : {"det", "seg"}) {
        const jsonsupport::Node list = root.key(task).requireArray();
        std::vector<std::string>& ids = std::string(task) == "det" ? s.det : s.seg;
        std::set<std::string> seen;
        for (std::size_t i = 0; i < list.size(); ++i) {
            std::string id = list.at(i).string();
            if (!seen.insert(id).second) list.at(i).fail("image " + id + " is listed twice");
            ids.push_back(std::move(id));
        }
        std::sort(ids.begin(), ids.end());
    }
    return s;
}

PartialLabels::PartialLabels(std::shared_ptr<const Dataset> base, const LabelSplit& split, const std::string& splitFile)
    : base_(std::move(base)), splitFile_(splitFile), seg_(base_->size(), false), det_(base_->size(), false) {
    for (Task task : {Task::Detection, Task::Segmentation}) {
        const auto& ids = task == Task::Detection ? split.det : split.seg;
        auto& flags = task == Task::Detection ? det_ : seg_;
        for (const std::string& id : ids) {
            const std::size_t i = base_->indexOf(id, splitFile_ + ": " + taskName(task));
            if (!base_->labeled(i, task))
                throw InputError(splitFile_ + ": " + taskName(task) + ": image " + id + " has no " + taskName(task) +
                                 " labels in " + base_->description());
            flags[i] = true;
        }
    }
}

bool PartialLabels::labeled(std::size_t i, Task task) const {
    return (task == Task::Segmentation ? seg_ : det_).at(i);
}

Sample PartialLabels::load(std::size_t i, bool wantSeg, bool wantDet) const {
    return base_->load(i, wantSeg && seg_.at(i), wantDet && det_.at(i));
}

Sample PartialLabels::loadLabels(std::size_t i) const {
    Sample s = base_->loadLabels(i);
    if (!seg_.at(i)) {
        s.seg.release();
        s.hasSeg = false;
    }
    if (!det_.at(i)) {
        s.boxes.clear();
        s.hasDet = false;
    }
    return s;
}

} // namespace mtl
