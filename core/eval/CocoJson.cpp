#include "core/eval/CocoJson.h"

#include "core/common/Error.h"
#include "core/common/JsonSupport.h"
#include "core/eval/CocoJsonScan.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace mtl {
namespace {

using jsonsupport::Node;

// bbox [x, y, w, h] -> Box (x2 = x + w), with the problems of cocojson::boxProblem named.
Box readBox(const Node& bbox, int cls) {
    bbox.requireArray();
    if (bbox.size() != 4)
        bbox.fail("must be an array of 4 numbers [x, y, width, height], got " +
                  std::to_string(bbox.size()) + " elements");
    double v[4];
    for (int i = 0; i < 4; ++i)
        v[i] = bbox.at(i).number();
    if (const char* problem = cocojson::boxProblem(v))
        bbox.fail(problem);
    return cocojson::boxOf(v, cls);
}

// The 0-based index of an image or category id of the results list in the ground truth.
int indexIn(const Node& id, const std::map<std::int64_t, int>& known, const char* what,
            const std::string& gtPath) {
    const std::int64_t value = id.integer();
    const auto it = known.find(value);
    if (it == known.end())
        id.fail(std::string(what) + " " + std::to_string(value) + " is not in " + gtPath);
    return it->second;
}

} // namespace

CocoGroundTruth readCocoGroundTruth(const std::string& path) {
    const std::string text = jsonsupport::readText(path);
    if (auto scanned = cocojson::scanGroundTruth(text, path))
        return std::move(*scanned);
    // Not plainly valid: the DOM reader names the problem (or reads what the scan does not).
    const nlohmann::json doc = jsonsupport::parseText(text, path);
    const Node root(doc, path, "");
    root.requireObject();
    CocoGroundTruth gt;
    gt.file = path;

    const Node categories = root.key("categories");
    categories.requireArray();
    if (categories.size() == 0)
        categories.fail("no categories");
    std::set<std::string> names;
    for (std::size_t i = 0; i < categories.size(); ++i) {
        const Node c = categories.at(i);
        const Node id = c.key("id");
        const std::string name = c.key("name").string();
        if (!gt.classOfCategory.emplace(id.integer(), static_cast<int>(i)).second)
            id.fail("category id " + std::to_string(id.integer()) + " appears twice");
        // Names are the keys of per_class in the output, so they must be unique.
        if (!names.insert(name).second)
            c.key("name").fail("category name '" + name + "' appears twice");
        gt.classNames.push_back(name);
    }

    // pycocotools evaluates images in ascending id order; score ties across images are broken
    // by that order, so it is kept here.
    const Node images = root.key("images");
    images.requireArray();
    for (std::size_t i = 0; i < images.size(); ++i) {
        const Node id = images.at(i).key("id");
        if (!gt.indexOfImage.emplace(id.integer(), 0).second)
            id.fail("image id " + std::to_string(id.integer()) + " appears twice");
    }
    int index = 0;
    for (auto& [id, idx] : gt.indexOfImage)
        idx = index++;
    gt.boxes.resize(gt.indexOfImage.size());

    const Node annotations = root.key("annotations");
    annotations.requireArray();
    for (std::size_t i = 0; i < annotations.size(); ++i) {
        const Node a = annotations.at(i);
        const int image = indexIn(a.key("image_id"), gt.indexOfImage, "image", path);
        const int cls = indexIn(a.key("category_id"), gt.classOfCategory, "category", path);
        bool crowd = false;
        if (a.hasKey("iscrowd")) {
            const Node c = a.key("iscrowd");
            if (c.json().is_boolean())
                crowd = c.json().get<bool>();
            else if (c.json().is_number_integer() && (c.integer() == 0 || c.integer() == 1))
                crowd = c.integer() == 1;
            else
                c.fail("must be 0, 1, true or false");
        }
        // `area` is not read: only the area range "all" is evaluated, and the box area is used.
        Box b = readBox(a.key("bbox"), cls);
        b.crowd = crowd;
        gt.boxes[image].push_back(b);
    }
    return gt;
}

std::vector<std::vector<Detection>> readCocoResults(const std::string& path,
                                                    const CocoGroundTruth& gt) {
    const std::string text = jsonsupport::readText(path);
    if (auto scanned = cocojson::scanResults(text, gt))
        return std::move(*scanned);
    const nlohmann::json doc = jsonsupport::parseText(text, path);
    const Node root(doc, path, "");
    root.requireArray();
    std::vector<std::vector<Detection>> dets(gt.boxes.size());
    for (std::size_t i = 0; i < root.size(); ++i) {
        const Node r = root.at(i);
        r.requireObject();
        const int image = indexIn(r.key("image_id"), gt.indexOfImage, "image", gt.file);
        const int cls = indexIn(r.key("category_id"), gt.classOfCategory, "category", gt.file);
        Detection d;
        d.box = readBox(r.key("bbox"), cls);
        const Node score = r.key("score");
        d.score = static_cast<float>(score.number());
        if (!std::isfinite(d.score))
            score.fail("outside the single-precision range");
        dets[image].push_back(d);
    }
    return dets;
}

CocoResult evaluateCoco(const CocoGroundTruth& gt,
                        const std::vector<std::vector<Detection>>& dets) {
    CocoEvaluator evaluator(static_cast<int>(gt.classNames.size()));
    for (std::size_t i = 0; i < gt.boxes.size(); ++i)
        evaluator.addImage(gt.boxes[i], i < dets.size() ? dets[i] : std::vector<Detection>{});
    return evaluator.evaluate();
}

nlohmann::ordered_json cocoResultObject(const CocoResult& result, const std::vector<std::string>& classNames) {
    using jsonsupport::printable;
    nlohmann::ordered_json out;
    out["mAP"] = printable(result.mAP);
    out["AP50"] = printable(result.AP50);
    out["AP75"] = printable(result.AP75);
    out["std"] = printable(result.stdAP);
    nlohmann::ordered_json perClass = nlohmann::ordered_json::object();
    for (std::size_t c = 0; c < classNames.size(); ++c) {
        const auto& ap = c < result.perClass.size() ? result.perClass[c] : std::nullopt;
        perClass[classNames[c]] = ap ? nlohmann::ordered_json(printable(*ap)) : nullptr;
    }
    out["per_class"] = perClass;
    return out;
}

std::string cocoResultJson(const CocoResult& result, const std::vector<std::string>& classNames) {
    return cocoResultObject(result, classNames).dump();
}

std::string cocoResultsListJson(const std::vector<std::vector<Detection>>& detectionsPerImage) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < detectionsPerImage.size(); ++i)
        for (const Detection& d : detectionsPerImage[i])
            out.push_back({{"image_id", static_cast<std::int64_t>(i + 1)},
                           {"category_id", d.box.cls + 1},
                           {"bbox", {d.box.x1, d.box.y1, d.box.width(), d.box.height()}},
                           {"score", d.score}});
    return out.dump() + "\n";
}

std::string scoreCocoFiles(const std::string& gtPath, const std::string& resultsPath) {
    const CocoGroundTruth gt = readCocoGroundTruth(gtPath);
    const auto dets = readCocoResults(resultsPath, gt);
    return cocoResultJson(evaluateCoco(gt, dets), gt.classNames);
}

} // namespace mtl
