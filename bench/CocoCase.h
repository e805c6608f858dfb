#pragma once
// A synthetic COCO case for the scoring benchmarks, written with a fixed seed: ground truth of 20
// boxes per 2048x1024 image and `dets` detections per image.
#include <array>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

// Ground truth: a few boxes per image; detections: jittered copies of them (true positives at
// various IoUs) mixed with random boxes, so that matching does real work.
inline void writeCocoCase(const std::string& gtPath, const std::string& detPath, int images, int dets,
                          int classes) {
    std::mt19937 rng(12345);
    std::uniform_real_distribution<double> pos(0, 1800), size(8, 200), jitter(-6, 6), unit(0, 1);
    std::ofstream gt(gtPath), dt(detPath);
    gt << "{\"categories\":[";
    for (int c = 0; c < classes; ++c)
        gt << (c ? "," : "") << "{\"id\":" << c + 1 << ",\"name\":\"class" << c << "\"}";
    gt << "],\"images\":[";
    for (int i = 0; i < images; ++i)
        gt << (i ? "," : "") << "{\"id\":" << i << ",\"width\":2048,\"height\":1024}";
    gt << "],\"annotations\":[";
    dt << "[";
    int annId = 0;
    bool firstDet = true;
    char buf[256];
    for (int i = 0; i < images; ++i) {
        std::vector<std::array<double, 5>> boxes; // x, y, w, h, class
        for (int k = 0; k < 20; ++k)
            boxes.push_back({pos(rng), pos(rng) / 2, size(rng), size(rng),
                             double(rng() % classes)});
        for (const auto& b : boxes) {
            std::snprintf(buf, sizeof buf,
                          "%s{\"id\":%d,\"image_id\":%d,\"category_id\":%d,\"bbox\":[%.2f,%.2f,"
                          "%.2f,%.2f],\"iscrowd\":0,\"area\":%.2f}",
                          annId ? "," : "", annId + 1, i, int(b[4]) + 1, b[0], b[1], b[2], b[3],
                          b[2] * b[3]);
            gt << buf;
            ++annId;
        }
        for (int d = 0; d < dets; ++d) {
            std::array<double, 5> b = unit(rng) < 0.5
                ? boxes[rng() % boxes.size()]
                : std::array<double, 5>{pos(rng), pos(rng) / 2, size(rng), size(rng),
                                        double(rng() % classes)};
            std::snprintf(buf, sizeof buf,
                          "%s{\"image_id\":%d,\"category_id\":%d,\"bbox\":[%.2f,%.2f,%.2f,%.2f],"
                          "\"score\":%.6f}",
                          firstDet ? "" : ",", i, int(b[4]) + 1, b[0] + jitter(rng),
                          b[1] + jitter(rng), b[2] + 10 + jitter(rng), b[3] + 10 + jitter(rng),
                          unit(rng));
            dt << buf;
            firstDet = false;
        }
    }
    gt << "]}";
    dt << "]";
}
