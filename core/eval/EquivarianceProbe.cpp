#include "core/eval/EquivarianceProbe.h"

#include "core/augment/BoxWarp.h"
#include "core/common/Error.h"
#include "core/common/JsonSupport.h"
#include "core/eval/BoxMatching.h"
#include "core/eval/SegmentationMetrics.h"

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstdio>
#include <sstream>

namespace mtl {
namespace {

// cv::warpAffine's matrix for an Affine2D: OpenCV maps pixel indices (centres at integers), Affine2D
// continuous coordinates (centres at +0.5).
cv::Mat openCvMatrix(const Affine2D& m) {
    cv::Mat out(2, 3, CV_64F);
    for (int r = 0; r < 2; ++r) {
        out.at<double>(r, 0) = m(r, 0);
        out.at<double>(r, 1) = m(r, 1);
        out.at<double>(r, 2) = m(r, 2) + 0.5 * m(r, 0) + 0.5 * m(r, 1) - 0.5;
    }
    return out;
}

std::vector<Detection> confident(const std::vector<Detection>& all, double score) {
    std::vector<Detection> out;
    for (const Detection& d : all)
        if (d.score >= score) out.push_back(d);
    return out;
}

std::string number(const std::optional<double>& v) {
    if (!v) return "-";
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", *v);
    return text;
}

} // namespace

std::string EquivarianceTransform::label() const {
    if (family == "flip") return family;
    std::ostringstream s;
    s << family << " " << magnitude;
    return s.str();
}

Affine2D EquivarianceTransform::matrix(int width, int height) const {
    const Point2D centre{width / 2.0, height / 2.0};
    if (family == "flip") return Affine2D::horizontalFlip(width);
    if (family == "translate") return Affine2D::translation(std::round(magnitude * width), 0);
    if (family == "rotate") return Affine2D::rotation(magnitude, centre);
    if (family == "shear") return Affine2D::shearX(magnitude, centre);
    if (family == "scale")
        return Affine2D::translation(centre.x, centre.y) * Affine2D::scaling(magnitude, magnitude) *
               Affine2D::translation(-centre.x, -centre.y);
    throw InputError("unknown equivariance transform family '" + family + "'");
}

std::vector<EquivarianceTransform> equivarianceTransforms() {
    return {{"flip", 1},       {"translate", 0.05}, {"translate", 0.1}, {"translate", 0.2}, {"rotate", 5},
            {"rotate", 10},    {"rotate", 20},      {"shear", 5},       {"shear", 10},      {"shear", 20},
            {"scale", 0.75},   {"scale", 1.25},     {"scale", 1.5}};
}

std::vector<EquivarianceScore> measureEquivariance(const std::vector<cv::Mat>& images, const ImagePredictor& predict,
                                                   const EquivarianceOptions& options,
                                                   const std::vector<EquivarianceTransform>& transforms) {
    std::vector<ImagePrediction> plain;
    for (const cv::Mat& image : images) plain.push_back(predict(image));
    std::vector<EquivarianceScore> scores;
    for (const EquivarianceTransform& t : transforms) {
        EquivarianceScore score;
        score.transform = t;
        SegmentationMetrics seg(std::max(1, options.segClasses));
        BoxMatchCounts boxes;
        for (std::size_t i = 0; i < images.size(); ++i) {
            const cv::Mat& image = images[i];
            const Affine2D m = t.matrix(image.cols, image.rows);
            const cv::Mat cvMatrix = openCvMatrix(m);
            cv::Mat warped;
            cv::warpAffine(image, warped, cvMatrix, image.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(0));
            const ImagePrediction onWarped = predict(warped);
            if (options.segClasses > 0 && !plain[i].labels.empty() && !onWarped.labels.empty()) {
                // T·f(x); 255 where the warped image's pixel comes from outside the image.
                cv::Mat moved;
                cv::warpAffine(plain[i].labels, moved, cvMatrix, image.size(), cv::INTER_NEAREST, cv::BORDER_CONSTANT,
                               cv::Scalar(255));
                seg.add(onWarped.labels, moved);
            }
            BoxFilter keepAll;
            keepAll.minSize = 0;
            keepAll.minVisible = 0;
            std::vector<Box> reference;
            for (const Detection& d : confident(plain[i].detections, options.boxScore)) reference.push_back(d.box);
            const BoxMatchCounts c = matchPseudoBoxes(confident(onWarped.detections, options.boxScore),
                                                      warpBoxes(reference, m, image.cols, image.rows, keepAll));
            boxes.truePositives += c.truePositives;
            boxes.groundTruth += c.groundTruth;
            boxes.matchedIouSum += c.matchedIouSum;
            ++score.images;
        }
        if (options.segClasses > 0) {
            bool any = false;
            for (const auto& v : seg.iou()) any = any || v.has_value();
            if (any) score.segMeanIoU = seg.meanIoU();
        }
        if (boxes.groundTruth > 0) score.boxRecall = double(boxes.truePositives) / double(boxes.groundTruth);
        if (boxes.truePositives > 0) score.boxMeanIoU = boxes.matchedIouSum / double(boxes.truePositives);
        scores.push_back(score);
    }
    return scores;
}

std::string equivarianceTable(const std::vector<EquivarianceScore>& scores) {
    std::ostringstream out;
    char line[160];
    std::snprintf(line, sizeof line, "%-16s %8s %12s %12s %8s\n", "transform", "seg mIoU", "box recall", "box IoU", "images");
    out << line;
    for (const EquivarianceScore& s : scores) {
        std::snprintf(line, sizeof line, "%-16s %8s %12s %12s %8d\n", s.transform.label().c_str(),
                      number(s.segMeanIoU).c_str(), number(s.boxRecall).c_str(), number(s.boxMeanIoU).c_str(), s.images);
        out << line;
    }
    return out.str();
}

std::string equivarianceJson(const std::vector<EquivarianceScore>& scores) {
    auto value = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
    nlohmann::json rows = nlohmann::json::array();
    for (const EquivarianceScore& s : scores)
        rows.push_back({{"family", s.transform.family}, {"magnitude", s.transform.magnitude},
                        {"seg_mIoU", value(s.segMeanIoU)}, {"box_recall", value(s.boxRecall)},
                        {"box_iou", value(s.boxMeanIoU)}, {"images", s.images}});
    return nlohmann::json{{"equivariance", rows}}.dump();
}

std::vector<EquivarianceScore> readEquivarianceJson(const std::string& file) {
    const nlohmann::json j = jsonsupport::readFile(file);
    const jsonsupport::Node root(j, file, "");
    const auto rows = root.key("equivariance").requireArray();
    auto optional = [](const jsonsupport::Node& n) {
        return n.json().is_null() ? std::optional<double>() : std::optional<double>(n.number());
    };
    std::vector<EquivarianceScore> scores;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto r = rows.at(i);
        EquivarianceScore s;
        s.transform.family = r.key("family").string();
        s.transform.magnitude = r.key("magnitude").number();
        s.segMeanIoU = optional(r.key("seg_mIoU"));
        s.boxRecall = optional(r.key("box_recall"));
        s.boxMeanIoU = optional(r.key("box_iou"));
        s.images = static_cast<int>(r.key("images").integer());
        scores.push_back(std::move(s));
    }
    return scores;
}

} // namespace mtl
