#include "core/augment/SampleTransforms.h"

#include <opencv2/imgproc.hpp>

#include <utility>

namespace mtl {

namespace {

cv::Mat resizedImage(const cv::Mat& image, int width, int height) {
    cv::Mat out;
    cv::resize(image, out, cv::Size(width, height), 0, 0,
               (width < image.cols ? cv::INTER_AREA : cv::INTER_LINEAR));
    return out;
}

} // namespace

void resizeImageOnly(Sample& sample, int width, int height) {
    if (sample.image.cols == width && sample.image.rows == height) return;
    sample.image = resizedImage(sample.image, width, height);
}

void resizeSample(Sample& sample, int width, int height) {
    const int w0 = sample.image.cols, h0 = sample.image.rows;
    if (w0 == width && h0 == height) return;
    sample.image = resizedImage(sample.image, width, height);
    sample.imageSize = sample.image.size();
    if (!sample.seg.empty()) {
        cv::Mat seg;
        cv::resize(sample.seg, seg, cv::Size(width, height), 0, 0, cv::INTER_NEAREST);
        sample.seg = seg;
    }
    const float sx = float(width) / w0, sy = float(height) / h0;
    for (Box& b : sample.boxes) {
        b.x1 *= sx;
        b.x2 *= sx;
        b.y1 *= sy;
        b.y2 *= sy;
    }
}

void flipSampleHorizontally(Sample& sample) {
    const float w = float(sample.image.cols);
    cv::flip(sample.image, sample.image, 1);
    if (!sample.seg.empty()) cv::flip(sample.seg, sample.seg, 1);
    for (Box& b : sample.boxes) {
        const float x1 = w - b.x2, x2 = w - b.x1;
        b.x1 = x1;
        b.x2 = x2;
    }
}

} // namespace mtl
