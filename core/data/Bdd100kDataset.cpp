#include "core/data/Bdd100kDataset.h"

#include "core/common/Error.h"
#include "core/common/JsonSupport.h"
#include "core/data/CityscapesLabels.h"
#include "core/data/ImageFiles.h"

#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace mtl {

namespace {

using namespace imagefiles;
using jsonsupport::Node;

const std::vector<std::string>& detClassNames() {
    static const std::vector<std::string> names = {"pedestrian", "rider", "car", "truck", "bus", "train",
                                                   "motorcycle", "bicycle", "traffic light", "traffic sign"};
    return names;
}

struct CategoryRule {
    int cls;    // -1: no box (skipped)
    bool crowd; // kept as an ignored region
};

// Every category of both label formats; anything else is an error, never silently dropped.
const std::map<std::string, CategoryRule>& categoryRules() {
    static const std::map<std::string, CategoryRule> rules = [] {
        std::map<std::string, CategoryRule> r;
        const auto& names = detClassNames();
        for (int c = 0; c < int(names.size()); ++c) r[names[std::size_t(c)]] = {c, false};
        r["person"] = {0, false};
        r["motor"] = {6, false};
        r["bike"] = {7, false};
        r["van"] = {2, false};
        r["caravan"] = {2, false};
        r["other person"] = {0, true};
        r["other vehicle"] = {2, true};
        r["trailer"] = {3, true};
        r["drivable area"] = {-1, false};
        r["lane"] = {-1, false};
        return r;
    }();
    return rules;
}

// *.jpg files of a folder by stem; a missing folder is simply empty (e.g. no 10K download).
std::map<std::string, std::string> jpegsIn(const fs::path& dir) {
    std::map<std::string, std::string> out;
    if (!isFolder(dir)) return out;
    for (const fs::path& f : list(dir, false))
        if (f.extension() == ".jpg") out.emplace(f.stem().string(), f.string());
    return out;
}

std::string stemOf(const std::string& name) {
    const auto dot = name.rfind('.');
    return dot == std::string::npos ? name : name.substr(0, dot);
}

Box boxOf(const Node& label, const CategoryRule& rule) {
    const Node b = label.key("box2d").requireObject();
    Box box;
    box.x1 = static_cast<float>(b.key("x1").number());
    box.y1 = static_cast<float>(b.key("y1").number());
    box.x2 = static_cast<float>(b.key("x2").number());
    box.y2 = static_cast<float>(b.key("y2").number());
    if (box.x2 < box.x1 || box.y2 < box.y1) b.fail("x2 < x1 or y2 < y1");
    box.cls = rule.cls;
    box.crowd = rule.crowd;
    if (label.hasKey("attributes") && label.json()["attributes"].is_object()) {
        const auto& attrs = label.json()["attributes"];
        const auto crowd = attrs.find("crowd");
        if (crowd != attrs.end() && crowd->is_boolean() && crowd->get<bool>()) box.crowd = true;
    }
    return box;
}

} // namespace

Bdd100kDataset::Bdd100kDataset(std::string root, std::string split, OnDataError onError)
    : FileListDataset("bdd100k", std::move(root), std::move(split)) {
    if (split_ != "train" && split_ != "val" && split_ != "test")
        throw InputError("unknown BDD100K split '" + split_ + "' (expected train, val or test)");
    const fs::path r(root_);
    if (!isFolder(r / "images"))
        throw DataError(root_ + ": no images/ folder (expected the BDD100K layout, images/100k and images/10k)");
    const auto big = jpegsIn(r / "images" / "100k" / split_);
    auto small = jpegsIn(r / "images" / "10k" / split_);
    if (split_ == "train") { // 10K-train images that 100K uses for validation are not trained on
        const auto bigVal = jpegsIn(r / "images" / "100k" / "val");
        for (auto it = small.begin(); it != small.end();)
            if (bigVal.count(it->first)) {
                it = small.erase(it);
                ++counts_.removedValOverlap;
            } else {
                ++it;
            }
    }
    std::map<std::string, std::string> all = small;
    for (const auto& [id, path] : big) all[id] = path; // the 100K copy wins
    if (all.empty())
        throw DataError((r / "images").string() + ": no *.jpg images in 100k/" + split_ + " or 10k/" + split_);
    for (const auto& [id, path] : all) {
        Bdd100kEntry e;
        e.id = id;
        e.image = path;
        entries_.push_back(std::move(e));
    }
    if (split_ != "test") {
        readDetectionLabels(onError);
        readMasks(onError);
    }
    // Entries skipped for bad labels were marked with an empty image path.
    const auto skippedEntry = [](const Bdd100kEntry& e) { return e.image.empty(); };
    entries_.erase(std::remove_if(entries_.begin(), entries_.end(), skippedEntry), entries_.end());
    counts_.images = entries_.size();
    for (const Bdd100kEntry& e : entries_) {
        const bool seg = !e.mask.empty();
        counts_.detLabeled += e.hasDet;
        counts_.segLabeled += seg;
        counts_.both += e.hasDet && seg;
        counts_.neither += !e.hasDet && !seg;
    }
}

void Bdd100kDataset::readDetectionLabels(OnDataError onError) {
    const fs::path labels = fs::path(root_) / "labels";
    for (const fs::path& candidate : {labels / "det_20" / ("det_" + split_ + ".json"),
                                      labels / ("bdd100k_labels_images_" + split_ + ".json"),
                                      labels / "100k" / ("bdd100k_labels_images_" + split_ + ".json")})
        if (isFile(candidate)) {
            detFile_ = candidate.string();
            break;
        }
    if (detFile_.empty()) return; // no detection labels: every image is unlabeled for detection

    const nlohmann::json doc = jsonsupport::readFile(detFile_);
    const Node frames = Node(doc, detFile_, "").requireArray();
    std::map<std::string, std::string> listedAt; // image → JSON path of its first frame
    for (std::size_t f = 0; f < frames.size(); ++f) {
        const Node frame = frames.at(f);
        try {
            const std::string name = frame.key("name").string();
            const std::string id = stemOf(name);
            const auto [first, fresh] = listedAt.emplace(id, frame.path());
            if (!fresh) frame.fail("image " + name + " is listed twice (also at " + first->second + ")");
            const auto it = std::lower_bound(entries_.begin(), entries_.end(), id,
                                             [](const Bdd100kEntry& e, const std::string& v) { return e.id < v; });
            if (it == entries_.end() || it->id != id) {
                // 10K-train images removed for the val overlap may still be in a legacy file.
                frame.fail("image " + name + " has no file in images/100k/" + split_ + " or images/10k/" + split_);
            }
            std::vector<Box> boxes;
            if (frame.hasKey("labels") && !frame.json()["labels"].is_null()) {
                const Node list = frame.key("labels").requireArray();
                for (std::size_t l = 0; l < list.size(); ++l) {
                    const Node label = list.at(l);
                    const std::string category = label.key("category").string();
                    const auto rule = categoryRules().find(category);
                    if (rule == categoryRules().end()) label.fail("unknown category '" + category + "'");
                    if (rule->second.cls < 0) continue;
                    boxes.push_back(boxOf(label, rule->second));
                }
            }
            it->hasDet = true;
            it->boxes = std::move(boxes);
        } catch (const InputError& e) {
            if (onError == OnDataError::Fail) throw;
            skipped_.push_back(e.what());
            if (frame.json().is_object() && frame.json().contains("name") && frame.json()["name"].is_string()) {
                const std::string id = stemOf(frame.json()["name"].get<std::string>());
                for (Bdd100kEntry& entry : entries_)
                    if (entry.id == id) entry.image.clear(); // left out, not silently unlabeled
            }
        }
    }
}

void Bdd100kDataset::readMasks(OnDataError onError) {
    const fs::path dir = fs::path(root_) / "labels" / "sem_seg" / "masks" / split_;
    if (!isFolder(dir)) return;
    std::set<std::string> tenK; // images of the 10K set must each have a mask
    for (const auto& [id, path] : jpegsIn(fs::path(root_) / "images" / "10k" / split_)) tenK.insert(id);
    for (Bdd100kEntry& e : entries_) {
        if (e.image.empty()) continue;
        const std::string mask = (dir / (e.id + ".png")).string();
        if (isFile(mask)) {
            e.mask = mask;
        } else if (tenK.count(e.id)) {
            if (onError == OnDataError::Fail) fail(mask, e.id, "label file not found");
            skipped_.push_back(mask + ": label file not found (image " + e.id + ")");
            e.image.clear();
        }
    }
}

bool Bdd100kDataset::labeled(std::size_t i, Task task) const {
    const Bdd100kEntry& e = entries_.at(i);
    return task == Task::Segmentation ? !e.mask.empty() : e.hasDet;
}

const ClassNames& Bdd100kDataset::classes() const {
    static const ClassNames names = [] {
        ClassNames c;
        // The 19 segmentation classes are Cityscapes' train ids, in the same order.
        for (int t = 0; t < cityscapes::kNumSegClasses; ++t) c.seg.push_back(cityscapes::segClassName(t));
        c.det = detClassNames();
        return c;
    }();
    return names;
}

void Bdd100kDataset::addLabels(const Bdd100kEntry& e, Sample& s, bool wantSeg, bool wantDet) const {
    if (wantSeg && !e.mask.empty()) {
        const cv::Mat mask = read(e.mask, e.id, cv::IMREAD_UNCHANGED);
        if (mask.type() != CV_8UC1) fail(e.mask, e.id, "expected an 8-bit single-channel PNG");
        if (mask.size() != s.imageSize) fail(e.mask, e.id, "size differs from the image");
        // 19..254 are neither a train id nor ignore; the scan for the first one runs only if any.
        if (cv::countNonZero((mask >= 19) & (mask != 255)) > 0)
            for (int y = 0; y < mask.rows; ++y) {
                const std::uint8_t* row = mask.ptr<std::uint8_t>(y);
                for (int x = 0; x < mask.cols; ++x)
                    if (row[x] >= 19 && row[x] != 255)
                        fail(e.mask, e.id, "value " + std::to_string(row[x]) + " at pixel (" + std::to_string(x) +
                                               ", " + std::to_string(y) + ") is not a train id (0..18) or 255");
            }
        s.seg = mask;
        s.hasSeg = true;
    }
    if (wantDet && e.hasDet) {
        s.boxes = e.boxes;
        s.hasDet = true;
    }
}

} // namespace mtl
