#include "core/data/DatasetReport.h"

#include "core/common/Error.h"
#include "core/common/JsonSupport.h"
#include "core/common/ParallelFor.h"
#include "core/data/Bdd100kDataset.h"
#include "core/data/CityscapesDataset.h"
#include "core/data/ImageFiles.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace fs = std::filesystem;

namespace mtl {

namespace {

struct Counts {
    std::vector<std::uint64_t> pixels, objects;
};

double percent(std::uint64_t part, std::uint64_t whole) { return whole ? 100.0 * double(part) / double(whole) : 0.0; }

std::vector<std::string> splitsOnDisk(const DatasetLocation& where) {
    const fs::path root(where.root);
    std::vector<std::string> out;
    if (where.kind == "bdd100k") {
        for (const char* s : {"train", "val", "test"})
            if (imagefiles::isFolder(root / "images" / "100k" / s) || imagefiles::isFolder(root / "images" / "10k" / s))
                out.push_back(s);
        return out;
    }
    for (const std::string& s : CityscapesDataset::splitNames()) {
        const fs::path dir = s == "sequence" ? root / "leftImg8bit_sequence" / "train" : root / "leftImg8bit" / s;
        if (imagefiles::isFolder(dir)) out.push_back(s);
    }
    return out;
}

} // namespace

ClassShares computeClassShares(const Dataset& data, int threads) {
    const std::size_t numSeg = data.classes().seg.size(), numDet = data.classes().det.size();
    threads = parallelThreads(threads, data.size());
    std::vector<Counts> partial(static_cast<std::size_t>(threads),
                                Counts{std::vector<std::uint64_t>(numSeg), std::vector<std::uint64_t>(numDet)});
    parallelFor(data.size(), threads, [&](std::size_t i, int worker) {
        if (!data.labeled(i, Task::Segmentation) && !data.labeled(i, Task::Detection)) return;
        const Sample s = data.loadLabels(i);
        Counts& c = partial[static_cast<std::size_t>(worker)];
        if (s.hasSeg)
            for (int y = 0; y < s.seg.rows; ++y) {
                const std::uint8_t* row = s.seg.ptr<std::uint8_t>(y);
                for (int x = 0; x < s.seg.cols; ++x)
                    if (row[x] < numSeg) ++c.pixels[row[x]];
            }
        if (s.hasDet)
            for (const Box& b : s.boxes)
                if (!b.crowd) ++c.objects.at(static_cast<std::size_t>(b.cls));
    });
    Counts total{std::vector<std::uint64_t>(numSeg), std::vector<std::uint64_t>(numDet)};
    for (const Counts& c : partial) {
        for (std::size_t k = 0; k < numSeg; ++k) total.pixels[k] += c.pixels[k];
        for (std::size_t k = 0; k < numDet; ++k) total.objects[k] += c.objects[k];
    }
    ClassShares shares;
    for (auto v : total.pixels) shares.labeledPixels += v;
    for (auto v : total.objects) shares.objects += v;
    for (auto v : total.pixels) shares.segPercent.push_back(percent(v, shares.labeledPixels));
    for (auto v : total.objects) shares.detPercent.push_back(percent(v, shares.objects));
    return shares;
}

std::string datasetInfoJson(const std::string& spec, const DatasetLocation& where, const std::string& sharesSplit,
                            int threads) {
    using jsonsupport::printable;
    nlohmann::ordered_json out;
    out["dataset"] = spec;
    out["kind"] = where.kind;
    out["root"] = where.root;
    nlohmann::ordered_json splits = nlohmann::ordered_json::object();
    std::shared_ptr<const Dataset> sharesData;
    for (const std::string& name : splitsOnDisk(where)) {
        const auto data = openDataset(where, name);
        std::size_t seg = 0, det = 0, both = 0;
        for (std::size_t i = 0; i < data->size(); ++i) {
            const bool s = data->labeled(i, Task::Segmentation), d = data->labeled(i, Task::Detection);
            seg += s;
            det += d;
            both += s && d;
        }
        splits[name] = {{"images", data->size()},
                        {"labeled", {{"seg", seg}, {"det", det}, {"both", both}, {"neither", data->size() - seg - det + both}}},
                        {"skipped", data->skipped().size()}};
        if (auto bdd = std::dynamic_pointer_cast<const Bdd100kDataset>(data); bdd && name == "train")
            out["bdd100k"] = {{"removed_val_overlap", bdd->counts().removedValOverlap},
                              {"detection_labels", bdd->detectionLabelFile()}};
        if (name == sharesSplit) sharesData = data;
    }
    out["splits"] = splits;
    if (!sharesData) sharesData = openDataset(where, sharesSplit); // names the missing folder
    const ClassShares shares = computeClassShares(*sharesData, threads);
    const ClassNames& names = sharesData->classes();
    nlohmann::ordered_json seg = nlohmann::ordered_json::object(), det = nlohmann::ordered_json::object();
    for (std::size_t k = 0; k < names.seg.size(); ++k) seg[names.seg[k]] = printable(shares.segPercent[k]);
    for (std::size_t k = 0; k < names.det.size(); ++k) det[names.det[k]] = printable(shares.detPercent[k]);
    out["class_shares"] = {{"split", sharesSplit},
                           {"labeled_pixels", shares.labeledPixels},
                           {"objects", shares.objects},
                           {"seg_pixels_percent", seg},
                           {"det_objects_percent", det}};
    return out.dump(2) + "\n";
}

std::string cocoGroundTruthJson(const Dataset& data, const std::string& imageRoot, int threads) {
    std::vector<Sample> labels(data.size());
    std::vector<std::string> files(data.size());
    parallelFor(data.size(), threads, [&](std::size_t i, int) {
        if (data.labeled(i, Task::Detection)) labels[i] = data.loadLabels(i);
        files[i] = data.imageFile(i);
    });
    return cocoGroundTruthJson(labels, data.classes().det, files, imageRoot);
}

std::string cocoGroundTruthJson(const std::vector<Sample>& labels, const std::vector<std::string>& names,
                                const std::vector<std::string>& imageFiles, const std::string& imageRoot) {
    const std::filesystem::path root = std::filesystem::absolute(imageRoot.empty() ? "." : imageRoot).lexically_normal();
    nlohmann::ordered_json images = nlohmann::ordered_json::array(), annotations = nlohmann::ordered_json::array(),
                           categories = nlohmann::ordered_json::array();
    std::int64_t annotationId = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const Sample& s = labels[i];
        if (!s.hasDet) continue;
        const auto imageId = static_cast<std::int64_t>(i + 1);
        const bool hasFile = i < imageFiles.size() && !imageFiles[i].empty();
        const std::string file =
            hasFile ? std::filesystem::absolute(imageFiles[i]).lexically_normal().lexically_relative(root).string() : s.id;
        images.push_back({{"id", imageId}, {"file_name", file}, {"width", s.imageSize.width},
                          {"height", s.imageSize.height}});
        for (const Box& b : s.boxes)
            annotations.push_back({{"id", ++annotationId},
                                   {"image_id", imageId},
                                   {"category_id", b.cls + 1},
                                   {"bbox", {b.x1, b.y1, b.width(), b.height()}},
                                   {"area", b.area()},
                                   {"iscrowd", b.crowd ? 1 : 0}});
    }
    for (std::size_t c = 0; c < names.size(); ++c) categories.push_back({{"id", c + 1}, {"name", names[c]}});
    nlohmann::ordered_json out;
    out["images"] = images;
    out["annotations"] = annotations;
    out["categories"] = categories;
    return out.dump() + "\n";
}

} // namespace mtl
