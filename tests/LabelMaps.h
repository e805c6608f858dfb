#pragma once
// Small hand-written label maps for the metric tests.
#include <opencv2/core.hpp>

#include <cstdint>
#include <initializer_list>

// rows × cols CV_8UC1 from values in row-major order.
inline cv::Mat labels(int rows, int cols, std::initializer_list<int> values) {
    cv::Mat m(rows, cols, CV_8UC1);
    auto it = values.begin();
    for (int y = 0; y < rows; ++y)
        for (int x = 0; x < cols; ++x)
            m.at<std::uint8_t>(y, x) = static_cast<std::uint8_t>(*it++);
    return m;
}
