#include "core/train/TeacherSnapshotFiles.h"

#include "core/common/Error.h"
#include "core/common/JsonSupport.h"
#include "core/common/Paths.h"
#include "core/common/SplitMix64.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;
using nlohmann::json;

namespace mtl {
namespace {

json boxJson(const Box& b) { return json::array({b.x1, b.y1, b.x2, b.y2, b.cls}); }

json boxesJson(const std::vector<Box>& boxes) {
    json a = json::array();
    for (const Box& b : boxes) a.push_back(boxJson(b));
    return a;
}

json detectionsJson(const std::vector<Detection>& detections) {
    json a = json::array();
    for (const Detection& d : detections) {
        json b = boxJson(d.box);
        b.push_back(d.score);
        a.push_back(b);
    }
    return a;
}

Box readBox(const jsonsupport::Node& n) {
    n.requireArray();
    if (n.size() < 5) n.fail("a box is [x1, y1, x2, y2, class] or [x1, y1, x2, y2, class, score]");
    Box b;
    b.x1 = float(n.at(0).number());
    b.y1 = float(n.at(1).number());
    b.x2 = float(n.at(2).number());
    b.y2 = float(n.at(3).number());
    b.cls = int(n.at(4).integer());
    return b;
}

std::vector<Box> readBoxes(const jsonsupport::Node& n) {
    n.requireArray();
    std::vector<Box> out;
    for (std::size_t i = 0; i < n.size(); ++i) out.push_back(readBox(n.at(i)));
    return out;
}

std::vector<Detection> readDetections(const jsonsupport::Node& n) {
    n.requireArray();
    std::vector<Detection> out;
    for (std::size_t i = 0; i < n.size(); ++i) {
        const auto e = n.at(i);
        Detection d;
        d.box = readBox(e);
        if (e.size() < 6) e.fail("a detection is [x1, y1, x2, y2, class, score]");
        d.score = float(e.at(5).number());
        out.push_back(d);
    }
    return out;
}

bool readFlag(const jsonsupport::Node& n) {
    if (!n.json().is_boolean()) n.fail("must be true or false");
    return n.json().get<bool>();
}

std::vector<std::string> readStrings(const jsonsupport::Node& n) {
    n.requireArray();
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n.size(); ++i) out.push_back(n.at(i).string());
    return out;
}

void checkVersion(const jsonsupport::Node& root) {
    const auto v = root.key("version").integer();
    if (v != kTeacherSnapshotVersion)
        root.key("version").fail("snapshot format version " + std::to_string(v) + "; this workbench reads version " +
                                 std::to_string(kTeacherSnapshotVersion));
}

// A file name stored relative to the folder it is in, resolved.
std::string inFolder(const std::string& folder, const std::string& name) {
    return name.empty() ? std::string() : (fs::path(folder) / name).string();
}
std::string relativeTo(const std::string& folder, const std::string& file) {
    return file.empty() ? std::string() : fs::path(file).lexically_relative(folder).generic_string();
}

} // namespace

std::vector<SnapshotImage> chooseSnapshotImages(const Dataset& train, const Dataset* allLabels, int count,
                                                std::uint64_t seed, bool segHead, bool detHead) {
    auto hidden = [&](std::size_t i, Task t) {
        return allLabels && !train.labeled(i, t) && allLabels->labeled(i, t);
    };
    std::vector<std::size_t> unlabeled, labeled;
    for (std::size_t i = 0; i < train.size(); ++i) {
        const bool missing = (segHead && !train.labeled(i, Task::Segmentation)) ||
                             (detHead && !train.labeled(i, Task::Detection));
        (missing ? unlabeled : labeled).push_back(i);
    }
    std::vector<std::size_t>& from = unlabeled.empty() ? labeled : unlabeled;
    // A seeded shuffle of the candidates, then the first `count` in training-set order.
    SplitMix64 rng(mixSeed(seed, 0x7eac4e5ull));
    rng.shuffle(from);
    from.resize(std::min(from.size(), static_cast<std::size_t>(std::max(count, 0))));
    std::sort(from.begin(), from.end());
    std::vector<SnapshotImage> out;
    for (const std::size_t i : from) {
        SnapshotImage s;
        s.index = i;
        s.id = train.id(i);
        s.segLabeled = train.labeled(i, Task::Segmentation);
        s.detLabeled = train.labeled(i, Task::Detection);
        s.segHidden = segHead && hidden(i, Task::Segmentation);
        s.detHidden = detHead && hidden(i, Task::Detection);
        out.push_back(std::move(s));
    }
    return out;
}

bool TeacherSnapshotIndex::anyHiddenLabels() const {
    return std::any_of(images.begin(), images.end(), [](const SnapshotImage& s) { return s.segHidden || s.detHidden; });
}

std::string snapshotIndexPath(const std::string& runDir) {
    return (fs::path(runDir) / kTeacherFolder / "index.json").string();
}

void writeSnapshotIndex(const TeacherSnapshotIndex& index) {
    json images = json::array();
    for (const SnapshotImage& s : index.images) {
        images.push_back({{"index", s.index},
                          {"id", s.id},
                          {"seg_labeled", s.segLabeled},
                          {"det_labeled", s.detLabeled},
                          {"seg_hidden", s.segHidden},
                          {"det_hidden", s.detHidden},
                          {"truth_boxes", boxesJson(s.truthBoxes)},
                          {"image", relativeTo(index.folder, s.imageFile)},
                          {"truth", relativeTo(index.folder, s.truthFile)}});
    }
    json snapshots = json::array();
    for (const SnapshotEntry& e : index.snapshots)
        snapshots.push_back({{"step", e.step}, {"file", relativeTo(index.folder, e.file)}});
    const json j = {{"version", kTeacherSnapshotVersion}, {"images", images},
                    {"seg_classes", index.segClasses},    {"det_classes", index.detClasses},
                    {"snapshots", snapshots}};
    writeFileAtomically((fs::path(index.folder) / "index.json").string(), j.dump(1) + "\n");
}

TeacherSnapshotIndex readSnapshotIndex(const std::string& runDir) {
    const std::string file = snapshotIndexPath(runDir);
    const json j = jsonsupport::readFile(file);
    const jsonsupport::Node root(j, file, "");
    root.requireObject();
    checkVersion(root);
    TeacherSnapshotIndex index;
    index.folder = fs::path(file).parent_path().string();
    const auto images = root.key("images").requireArray();
    for (std::size_t i = 0; i < images.size(); ++i) {
        const auto n = images.at(i);
        SnapshotImage s;
        s.index = static_cast<std::size_t>(n.key("index").integer());
        s.id = n.key("id").string();
        s.segLabeled = readFlag(n.key("seg_labeled"));
        s.detLabeled = readFlag(n.key("det_labeled"));
        s.segHidden = readFlag(n.key("seg_hidden"));
        s.detHidden = readFlag(n.key("det_hidden"));
        s.truthBoxes = readBoxes(n.key("truth_boxes"));
        s.imageFile = inFolder(index.folder, n.key("image").string());
        s.truthFile = inFolder(index.folder, n.key("truth").string());
        index.images.push_back(std::move(s));
    }
    index.segClasses = readStrings(root.key("seg_classes"));
    index.detClasses = readStrings(root.key("det_classes"));
    const auto snapshots = root.key("snapshots").requireArray();
    for (std::size_t i = 0; i < snapshots.size(); ++i)
        index.snapshots.push_back({snapshots.at(i).key("step").integer(),
                                   inFolder(index.folder, snapshots.at(i).key("file").string())});
    return index;
}

void writeSnapshot(const TeacherSnapshot& snapshot, const std::string& file) {
    const std::string folder = fs::path(file).parent_path().string();
    json images = json::array();
    for (const SnapshotPrediction& p : snapshot.images)
        images.push_back({{"own_boxes", detectionsJson(p.ownBoxes)},
                          {"strong_boxes", boxesJson(p.strongBoxes)},
                          {"own_map", relativeTo(folder, p.ownMapFile)},
                          {"strong_map", relativeTo(folder, p.strongMapFile)},
                          {"view", relativeTo(folder, p.viewFile)}});
    const json j = {{"version", kTeacherSnapshotVersion},
                    {"step", snapshot.step},
                    {"box_threshold", snapshot.boxThreshold},
                    {"classes", snapshot.classes},
                    {"confusion", snapshot.confusion},
                    {"images", images}};
    writeFileAtomically(file, j.dump() + "\n");
}

TeacherSnapshot readSnapshot(const std::string& file) {
    const json j = jsonsupport::readFile(file);
    const jsonsupport::Node root(j, file, "");
    root.requireObject();
    checkVersion(root);
    const std::string folder = fs::path(file).parent_path().string();
    TeacherSnapshot s;
    s.step = root.key("step").integer();
    s.boxThreshold = root.key("box_threshold").number();
    s.classes = int(root.key("classes").integer());
    const auto confusion = root.key("confusion").requireArray();
    for (std::size_t i = 0; i < confusion.size(); ++i) s.confusion.push_back(confusion.at(i).integer());
    if (!s.confusion.empty() && s.confusion.size() != std::size_t(s.classes) * std::size_t(s.classes))
        root.key("confusion").fail("has " + std::to_string(s.confusion.size()) + " counts for " +
                                   std::to_string(s.classes) + " classes (needs classes²)");
    const auto images = root.key("images").requireArray();
    for (std::size_t i = 0; i < images.size(); ++i) {
        const auto n = images.at(i);
        SnapshotPrediction p;
        p.ownBoxes = readDetections(n.key("own_boxes"));
        p.strongBoxes = readBoxes(n.key("strong_boxes"));
        p.ownMapFile = inFolder(folder, n.key("own_map").string());
        p.strongMapFile = inFolder(folder, n.key("strong_map").string());
        p.viewFile = inFolder(folder, n.key("view").string());
        s.images.push_back(std::move(p));
    }
    return s;
}

cv::Mat readSnapshotImage(const std::string& file, bool labels) {
    if (!fs::is_regular_file(file)) throw InputError(file + ": no such file");
    const cv::Mat m = cv::imread(file, labels ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
    if (m.empty()) throw InputError(file + ": not a readable PNG");
    if (labels) return m;
    cv::Mat rgb;
    cv::cvtColor(m, rgb, cv::COLOR_BGR2RGB);
    return rgb;
}

void writeSnapshotPng(const cv::Mat& image, const std::string& file, bool rgb) {
    cv::Mat out = image;
    if (rgb) cv::cvtColor(image, out, cv::COLOR_RGB2BGR);
    // Through a temporary name and a rename, as the JSON files: the GUI may read while a run writes.
    const std::string tmp = file + ".tmp.png";
    if (!cv::imwrite(tmp, out)) throw Error(file + ": cannot write the image");
    std::error_code ec;
    fs::rename(tmp, file, ec);
    if (ec) throw Error(file + ": " + ec.message());
}

} // namespace mtl
