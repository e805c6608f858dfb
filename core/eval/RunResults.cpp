#include "core/eval/RunResults.h"

#include "core/common/Error.h"
#include "core/common/JsonSupport.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

namespace mtl {
namespace {

using jsonsupport::Node;

double optionalNumber(const Node& parent, const char* key) {
    const Node n = parent.key(key);
    return n.json().is_null() ? std::numeric_limits<double>::quiet_NaN() : n.number();
}

// `order` is the same object parsed keeping the file's key order (nlohmann::json sorts keys).
void readPerClass(const Node& object, const nlohmann::ordered_json& order, std::vector<std::optional<double>>& values,
                  std::vector<std::string>& names) {
    object.requireObject();
    for (auto it = order.begin(); it != order.end(); ++it) {
        names.push_back(it.key());
        const Node v = object.key(it.key().c_str());
        values.push_back(v.json().is_null() ? std::nullopt : std::optional<double>(v.number()));
    }
}

} // namespace

nlohmann::ordered_json numberOrNull(double v) {
    return std::isfinite(v) ? nlohmann::ordered_json(jsonsupport::printable(v)) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json perClassJson(const std::vector<std::optional<double>>& values,
                                    const std::vector<std::string>& names) {
    if (values.size() != names.size() && !values.empty())
        throw Error("perClassJson: " + std::to_string(values.size()) + " values for " +
                    std::to_string(names.size()) + " class names");
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (std::size_t c = 0; c < values.size(); ++c)
        out[names[c]] = values[c] ? numberOrNull(*values[c]) : nlohmann::ordered_json(nullptr);
    return out;
}

std::string validationResultsJson(const ValidationReport& r, const ClassNames& classes) {
    nlohmann::ordered_json out;
    out["step"] = r.step;
    out["images"] = r.images;
    out["mIoU"] = numberOrNull(r.mIoU);
    out["mIoU_std"] = numberOrNull(r.stdIoU);
    out["mAP"] = numberOrNull(r.mAP);
    out["mAP_std"] = numberOrNull(r.stdAP);
    out["AP50"] = numberOrNull(r.AP50);
    out["AP75"] = numberOrNull(r.AP75);
    out["geometric_mean"] = numberOrNull(r.geometricMean);
    out["seg_per_class"] = perClassJson(r.segIoU, classes.seg);
    out["det_per_class"] = perClassJson(r.detAP, classes.det);
    if (!r.perImageFile.empty()) out["per_image"] = r.perImageFile;
    return out.dump(2) + "\n";
}

StoredResults readValidationResults(const std::string& path) {
    const nlohmann::json doc = jsonsupport::readFile(path);
    std::ifstream in(path);
    const nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(in); // well-formed: read above
    const Node root(doc, path, "");
    root.requireObject();
    StoredResults s;
    s.file = path;
    ValidationReport& r = s.report;
    r.step = root.key("step").integer();
    r.images = static_cast<int>(root.key("images").integer());
    r.mIoU = optionalNumber(root, "mIoU");
    r.stdIoU = optionalNumber(root, "mIoU_std");
    r.mAP = optionalNumber(root, "mAP");
    r.stdAP = optionalNumber(root, "mAP_std");
    r.AP50 = optionalNumber(root, "AP50");
    r.AP75 = optionalNumber(root, "AP75");
    r.geometricMean = optionalNumber(root, "geometric_mean");
    const Node seg = root.key("seg_per_class"), det = root.key("det_per_class");
    readPerClass(seg, ordered.at("seg_per_class"), r.segIoU, s.classes.seg);
    readPerClass(det, ordered.at("det_per_class"), r.detAP, s.classes.det);
    if (root.hasKey("per_image")) r.perImageFile = root.key("per_image").string();
    return s;
}

StoredResults readRunResults(const std::string& runDir) {
    namespace fs = std::filesystem;
    for (const char* name : {"best.json", "results.json"}) {
        const fs::path p = fs::path(runDir) / name;
        if (fs::is_regular_file(p)) return readValidationResults(p.string());
    }
    throw InputError(runDir + ": no best.json or results.json (the run has not been validated)");
}

} // namespace mtl
