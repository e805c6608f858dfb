// Loader throughput: images/s through the real BatchLoader (decode with OpenCV, labels, resize to
// the training input, flip, pack) for 2048×1024 Cityscapes PNGs (image + labelIds + instanceIds)
// and 1280×720 BDD100K JPEGs (image + detection boxes), with 1 and 2 workers. Prints one JSON object.
// Usage: bench_loader [--images N] [--batches B]
#include "core/common/Device.h"
#include "core/data/BatchSampler.h"
#include "core/data/DatasetLocator.h"
#include "core/data/SyntheticCityscapes.h"
#include "core/train/BatchLoader.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

// BDD100K layout: N synthetic street scenes as 1280×720 JPEGs with one box each in det_20 format.
void writeJpegSet(const fs::path& root, int n) {
    fs::create_directories(root / "images" / "100k" / "train");
    fs::create_directories(root / "labels" / "det_20");
    std::ofstream det(root / "labels" / "det_20" / "det_train.json");
    det << "[";
    for (int i = 0; i < n; ++i) {
        const mtl::SynthScene s = mtl::renderSyntheticScene(1280, 720, 1000 + i);
        cv::Mat bgr;
        cv::cvtColor(s.rgb, bgr, cv::COLOR_RGB2BGR);
        const std::string name = "img" + std::to_string(i) + ".jpg";
        cv::imwrite((root / "images" / "100k" / "train" / name).string(), bgr, {cv::IMWRITE_JPEG_QUALITY, 90});
        det << (i ? "," : "") << R"({"name": ")" << name
            << R"(", "labels": [{"category": "car", "box2d": {"x1": 100, "y1": 300, "x2": 260, "y2": 420}}]})";
    }
    det << "]";
}

double imagesPerSecond(const std::shared_ptr<const mtl::Dataset>& data, int workers, int batches, int w, int h) {
    std::vector<std::size_t> pool(data->size());
    for (std::size_t i = 0; i < pool.size(); ++i) pool[i] = i;
    mtl::BatchLoaderOptions o;
    o.width = w;
    o.height = h;
    o.workers = workers;
    mtl::BatchLoader loader(data, mtl::BatchSampler::implicitSampling(pool, 8, 1), o);
    loader.next(); // start-up (first decode, allocator) left out
    const auto t0 = std::chrono::steady_clock::now();
    for (int b = 0; b < batches; ++b) loader.next();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return batches * 8 / s;
}

} // namespace

int main(int argc, char** argv) {
    int images = 24, batches = 6;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--images")) images = std::stoi(argv[i + 1]);
        if (!std::strcmp(argv[i], "--batches")) batches = std::stoi(argv[i + 1]);
    }
    const fs::path dir = fs::temp_directory_path() / ("mtlw-bench-loader-" + std::to_string(::getpid()));
    mtl::SynthOptions so;
    so.outDir = (dir / "png").string();
    so.train = images;
    so.val = 1;
    so.width = 2048;
    so.height = 1024;
    mtl::writeSyntheticCityscapes(so);
    writeJpegSet(dir / "jpeg", images);

    const auto png = mtl::openDataset({"cityscapes", so.outDir}, "train");
    const auto jpeg = mtl::openDataset({"bdd100k", (dir / "jpeg").string()}, "train");
    std::cout << "{\"cpu_cores\": " << std::thread::hardware_concurrency() << ", \"batch\": 8";
    for (int workers : {1, 2}) {
        std::cout << ", \"png_2048x1024_to_1024x512_workers" << workers
                  << "_images_per_s\": " << imagesPerSecond(png, workers, batches, 1024, 512);
        std::cout << ", \"jpeg_1280x720_to_1280x720_workers" << workers
                  << "_images_per_s\": " << imagesPerSecond(jpeg, workers, batches, 1280, 720);
    }
    std::cout << "}\n";
    fs::remove_all(dir);
    return 0;
}
