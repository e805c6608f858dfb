#include "core/augment/SampleTransforms.h"

#include <opencv2/imgproc.hpp>

#include <utility>

namespace mtl {

void resizeSample(Sample& sample, int width, int height) {
    const int w0 = sample.image.cols, h0 = sample.image.rows;
    if (w0 == width && h0 == height) return;
    cv::Mat image;
    cv::resize(sample.image, image, cv::Size(width, height), 0, 0,
               (width < w0 ? cv::INTER_AREA : cv::INTER_LINEAR));
    sample.image = image;
    sample.imageSize = image.size();
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
