#include "core/eval/SegmentationScoring.h"

#include "core/common/Error.h"
#include "core/data/CityscapesLabels.h"
#include "core/common/JsonSupport.h"
#include "core/common/ParallelFor.h"

#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

namespace mtl {
namespace fs = std::filesystem;
namespace {

std::set<std::string> pngNames(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw InputError(dir + ": not a folder");
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".png")
            names.insert(entry.path().filename().string());
    if (ec)
        throw InputError(dir + ": cannot list the folder: " + ec.message());
    return names;
}

cv::Mat readLabelMap(const std::string& path) {
    const cv::Mat m = cv::imread(path, cv::IMREAD_UNCHANGED);
    if (m.empty())
        throw InputError(path + ": cannot read the PNG file");
    if (m.type() != CV_8UC1)
        throw InputError(path + ": must be an 8-bit single-channel label map, got " +
                         std::to_string(m.channels()) + " channel(s) of " +
                         std::to_string(8 * m.elemSize1()) + " bits");
    return m;
}

void scoreOne(SegmentationMetrics& metrics, const std::string& predPath,
              const std::string& gtPath) {
    const cv::Mat gt = readLabelMap(gtPath);
    const cv::Mat pred = readLabelMap(predPath);
    if (pred.size() != gt.size())
        throw InputError(predPath + ": prediction is " + std::to_string(pred.cols) + "x" +
                         std::to_string(pred.rows) + ", the ground truth " + gtPath + " is " +
                         std::to_string(gt.cols) + "x" + std::to_string(gt.rows));
    try {
        metrics.add(pred, gt);
    } catch (const Error& e) {
        // A label outside the classes: the user's data, so name the file.
        throw InputError(gtPath + ": " + e.what());
    }
}

} // namespace

SegmentationMetrics scoreSegmentationFolders(const std::string& predDir, const std::string& gtDir,
                                             const SegScoringOptions& options) {
    const std::set<std::string> gtNames = pngNames(gtDir), predNames = pngNames(predDir);
    if (gtNames.empty())
        throw InputError(gtDir + ": no PNG files");
    for (const auto& n : gtNames)
        if (!predNames.count(n))
            throw InputError((fs::path(predDir) / n).string() + ": missing prediction for " +
                             (fs::path(gtDir) / n).string());
    for (const auto& n : predNames)
        if (!gtNames.count(n))
            throw InputError((fs::path(predDir) / n).string() +
                             ": prediction without ground truth in " + gtDir);
    const std::vector<std::string> names(gtNames.begin(), gtNames.end());

    // Construct once up front so that bad options fail here, not in a worker.
    SegmentationMetrics total(options.numClasses, options.ignore);
    const int threads = parallelThreads(options.threads, names.size());
    std::vector<SegmentationMetrics> partial(threads, total);
    parallelFor(names.size(), threads, [&](std::size_t i, int worker) {
        scoreOne(partial[worker], (fs::path(predDir) / names[i]).string(), (fs::path(gtDir) / names[i]).string());
    });
    for (const auto& p : partial)
        total.merge(p);
    return total;
}

nlohmann::ordered_json segmentationResultObject(const SegmentationMetrics& metrics,
                                                const std::vector<std::string>& classNames) {
    using jsonsupport::printable;
    const int n = metrics.numClasses();
    if (static_cast<int>(classNames.size()) != n)
        throw Error("segmentationResultObject: " + std::to_string(classNames.size()) + " names for " +
                    std::to_string(n) + " classes");
    const auto iou = metrics.iou();
    nlohmann::ordered_json out;
    out["mIoU"] = printable(metrics.meanIoU());
    out["std"] = printable(metrics.stdIoU());
    nlohmann::ordered_json perClass = nlohmann::ordered_json::object();
    for (int c = 0; c < n; ++c)
        perClass[classNames[c]] = iou[c] ? nlohmann::ordered_json(printable(*iou[c])) : nullptr;
    out["per_class"] = perClass;
    return out;
}

std::string segmentationResultJson(const SegmentationMetrics& metrics) {
    const int n = metrics.numClasses();
    std::vector<std::string> names;
    for (int c = 0; c < n; ++c)
        names.push_back(n == cityscapes::kNumSegClasses ? cityscapes::segClassName(c) : std::to_string(c));
    return segmentationResultObject(metrics, names).dump();
}

} // namespace mtl
