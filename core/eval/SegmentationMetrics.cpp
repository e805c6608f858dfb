#include "core/eval/SegmentationMetrics.h"

#include "core/common/Error.h"

#include <cmath>
#include <string>

namespace mtl {
namespace {

std::string describe(const cv::Mat& m) {
    return std::to_string(m.cols) + "x" + std::to_string(m.rows) + " type " +
           std::to_string(m.type());
}

} // namespace

SegmentationMetrics::SegmentationMetrics(int numClasses, int ignore)
    : n_(numClasses), ignore_(ignore) {
    // Labels are 8-bit, so more than 256 classes could never be told apart.
    if (numClasses < 1 || numClasses > 256)
        throw Error("SegmentationMetrics: number of classes must be in 1..256, got " +
                    std::to_string(numClasses));
    confusion_.assign(static_cast<std::size_t>(n_) * n_, 0);
    invalidPred_.assign(n_, 0);
}

void SegmentationMetrics::add(const cv::Mat& pred, const cv::Mat& gt) {
    if (pred.type() != CV_8UC1 || gt.type() != CV_8UC1 || pred.size() != gt.size())
        throw Error("SegmentationMetrics: prediction (" + describe(pred) +
                    ") and ground truth (" + describe(gt) + ") must be 8-bit single-channel "
                    "images (type " + std::to_string(CV_8UC1) + ") of equal size");

    // Counting every (gt, pred) byte pair into a 256x256 histogram keeps the pixel loop free of
    // branches; the class logic runs once per pair afterwards, and a bad label found there
    // leaves the running totals untouched.
    std::vector<std::int64_t> hist(256 * 256, 0);
    for (int y = 0; y < gt.rows; ++y) {
        const std::uint8_t* g = gt.ptr<std::uint8_t>(y);
        const std::uint8_t* p = pred.ptr<std::uint8_t>(y);
        for (int x = 0; x < gt.cols; ++x)
            ++hist[(static_cast<unsigned>(g[x]) << 8) | p[x]];
    }

    for (int g = 0; g < 256; ++g) {
        if (g == ignore_ || g < n_)
            continue;
        for (int p = 0; p < 256; ++p)
            if (hist[(g << 8) | p] != 0)
                throw Error("SegmentationMetrics: ground truth contains label " +
                            std::to_string(g) + ", outside 0.." + std::to_string(n_ - 1) +
                            " and not the ignore value " + std::to_string(ignore_));
    }
    for (int g = 0; g < n_; ++g) {
        if (g == ignore_)
            continue;
        for (int p = 0; p < 256; ++p) {
            const std::int64_t c = hist[(g << 8) | p];
            if (p < n_)
                confusion_[static_cast<std::size_t>(g) * n_ + p] += c;
            else
                invalidPred_[g] += c;
        }
    }
}

void SegmentationMetrics::addConfusion(const std::vector<std::int64_t>& counts) {
    if (counts.size() != confusion_.size())
        throw Error("SegmentationMetrics::addConfusion: " + std::to_string(counts.size()) + " counts for " +
                    std::to_string(n_) + " classes (expected " + std::to_string(confusion_.size()) + ")");
    for (std::size_t i = 0; i < counts.size(); ++i) confusion_[i] += counts[i];
}

void SegmentationMetrics::merge(const SegmentationMetrics& other) {
    if (other.n_ != n_ || other.ignore_ != ignore_)
        throw Error("SegmentationMetrics::merge: " + std::to_string(other.n_) + " classes, ignore " +
                    std::to_string(other.ignore_) + " into " + std::to_string(n_) +
                    " classes, ignore " + std::to_string(ignore_));
    for (std::size_t i = 0; i < confusion_.size(); ++i)
        confusion_[i] += other.confusion_[i];
    for (std::size_t i = 0; i < invalidPred_.size(); ++i)
        invalidPred_[i] += other.invalidPred_[i];
}

std::vector<std::optional<double>> SegmentationMetrics::iou() const {
    std::vector<std::optional<double>> out(n_);
    for (int c = 0; c < n_; ++c) {
        const std::int64_t tp = confusion_[static_cast<std::size_t>(c) * n_ + c];
        std::int64_t fn = invalidPred_[c], fp = 0;
        for (int k = 0; k < n_; ++k) {
            if (k == c)
                continue;
            fn += confusion_[static_cast<std::size_t>(c) * n_ + k];
            fp += confusion_[static_cast<std::size_t>(k) * n_ + c];
        }
        const std::int64_t denom = tp + fp + fn;
        if (denom > 0)
            out[c] = static_cast<double>(tp) / static_cast<double>(denom);
    }
    return out;
}

double SegmentationMetrics::meanIoU() const {
    double sum = 0;
    int count = 0;
    for (const auto& v : iou())
        if (v) {
            sum += *v;
            ++count;
        }
    return count ? sum / count : 0.0;
}

double SegmentationMetrics::stdIoU() const {
    const double mean = meanIoU();
    double sum = 0;
    int count = 0;
    for (const auto& v : iou())
        if (v) {
            sum += (*v - mean) * (*v - mean);
            ++count;
        }
    return count ? std::sqrt(sum / count) : 0.0;
}

std::int64_t SegmentationMetrics::count(int gtClass, int predClass) const {
    if (gtClass < 0 || gtClass >= n_ || predClass < 0 || predClass >= n_)
        throw Error("SegmentationMetrics::count: class pair (" + std::to_string(gtClass) + ", " +
                    std::to_string(predClass) + ") outside 0.." + std::to_string(n_ - 1));
    return confusion_[static_cast<std::size_t>(gtClass) * n_ + predClass];
}

} // namespace mtl
