#include "core/eval/PerImageScores.h"

#include "core/common/Error.h"
#include "core/common/JsonSupport.h"
#include "core/eval/BoxMatching.h"
#include "core/eval/SegmentationMetrics.h"
#include "core/eval/RunResults.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

namespace mtl {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
} // namespace

double imageSegIoU(const SegmentationMetrics& image) {
    // iou() leaves out the classes in neither the ground truth nor the prediction.
    const auto iou = image.iou();
    if (std::none_of(iou.begin(), iou.end(), [](const auto& v) { return v.has_value(); })) return kNaN;
    return image.meanIoU();
}

double imageSegIoU(const cv::Mat& pred, const cv::Mat& gt, int numClasses, int ignore) {
    SegmentationMetrics image(numClasses, ignore);
    image.add(pred, gt);
    return imageSegIoU(image);
}

ImageDetScore imageDetScore(const std::vector<Box>& truth, const std::vector<Detection>& detections) {
    const auto boxes = std::count_if(truth.begin(), truth.end(), [](const Box& b) { return !b.crowd; });
    if (boxes == 0) return {kNaN, kNaN};
    // Precision and recall after each detection in score order; AP = Σ over recall steps of the
    // highest precision at that recall or beyond.
    std::vector<double> precision, recall;
    int found = 0, seen = 0;
    for (const BoxMatch& m : matchBoxes(detections, truth, 0.5)) {
        ++seen;
        found += m.matched;
        precision.push_back(double(found) / seen);
        recall.push_back(double(found) / double(boxes));
    }
    for (std::size_t i = precision.size(); i-- > 1;) precision[i - 1] = std::max(precision[i - 1], precision[i]);
    double ap = 0, lastRecall = 0;
    for (std::size_t i = 0; i < recall.size(); ++i) {
        ap += (recall[i] - lastRecall) * precision[i];
        lastRecall = recall[i];
    }
    return {ap, double(found) / double(boxes)};
}

double scoreOf(const ImageScore& image, ImageMetric metric) {
    switch (metric) {
    case ImageMetric::SegIoU: return image.segIoU;
    case ImageMetric::DetAP50: return image.detAP50;
    case ImageMetric::DetRecall: return image.detRecall;
    }
    return kNaN;
}

std::vector<RankedImage> rankImages(const PerImageResults& run, ImageMetric metric, const PerImageResults* better) {
    std::map<std::string, double> betterScore;
    if (better)
        for (const ImageScore& s : better->images) betterScore[s.id] = scoreOf(s, metric);
    std::vector<RankedImage> ranked;
    for (const ImageScore& s : run.images) {
        double value = scoreOf(s, metric);
        if (better) {
            const auto it = betterScore.find(s.id);
            value = it == betterScore.end() ? kNaN : it->second - value;
        }
        ranked.push_back({s.id, value});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [&](const RankedImage& a, const RankedImage& b) {
        if (std::isnan(a.value) || std::isnan(b.value)) return !std::isnan(a.value) && std::isnan(b.value);
        return better ? a.value > b.value : a.value < b.value;
    });
    return ranked;
}

std::string perImageFileName(std::int64_t step) {
    char name[48];
    std::snprintf(name, sizeof name, "per-image/step-%06lld.json", static_cast<long long>(step));
    return name;
}

std::string perImageResultsJson(const PerImageResults& r) {
    nlohmann::ordered_json images = nlohmann::ordered_json::array();
    for (const ImageScore& s : r.images)
        images.push_back({{"id", s.id},
                          {"seg_iou", numberOrNull(s.segIoU)},
                          {"det_ap50", numberOrNull(s.detAP50)},
                          {"det_recall", numberOrNull(s.detRecall)}});
    const std::size_t n = r.segClasses.size();
    nlohmann::ordered_json counts = nlohmann::ordered_json::array();
    for (std::size_t g = 0; g < n && r.confusion.size() == n * n; ++g)
        counts.push_back(std::vector<std::int64_t>(r.confusion.begin() + std::ptrdiff_t(g * n),
                                                   r.confusion.begin() + std::ptrdiff_t((g + 1) * n)));
    nlohmann::ordered_json out = {{"step", r.step},
                                  {"images", images},
                                  {"confusion", {{"classes", r.segClasses}, {"counts", counts}}}};
    return out.dump(1) + "\n";
}

PerImageResults readPerImageResults(const std::string& path) {
    using jsonsupport::Node;
    const nlohmann::json doc = jsonsupport::readFile(path);
    const Node root(doc, path, "");
    root.requireObject();
    const auto scoreOf = [](const Node& item, const char* key) {
        const Node v = item.key(key);
        return v.json().is_null() ? kNaN : v.number();
    };
    PerImageResults r;
    r.step = root.key("step").integer();
    const Node images = root.key("images").requireArray();
    for (std::size_t i = 0; i < images.size(); ++i) {
        const Node item = images.at(i).requireObject();
        r.images.push_back({item.key("id").string(), scoreOf(item, "seg_iou"), scoreOf(item, "det_ap50"),
                            scoreOf(item, "det_recall")});
    }
    const Node confusion = root.key("confusion").requireObject();
    const Node classes = confusion.key("classes").requireArray();
    for (std::size_t c = 0; c < classes.size(); ++c) r.segClasses.push_back(classes.at(c).string());
    const Node counts = confusion.key("counts").requireArray();
    if (counts.size() != 0 && counts.size() != r.segClasses.size())
        counts.fail("has " + std::to_string(counts.size()) + " rows for " + std::to_string(r.segClasses.size()) + " classes");
    for (std::size_t g = 0; g < counts.size(); ++g) {
        const Node row = counts.at(g).requireArray();
        if (row.size() != r.segClasses.size())
            row.fail("has " + std::to_string(row.size()) + " counts for " + std::to_string(r.segClasses.size()) + " classes");
        for (std::size_t p = 0; p < row.size(); ++p) r.confusion.push_back(row.at(p).integer());
    }
    return r;
}

} // namespace mtl
