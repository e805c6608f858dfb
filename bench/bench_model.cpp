// Training-step time of the multi-task model (forward, target assignment, losses, backward, SGD
// step) per backbone and input size, on random images with a few boxes each. Prints a table and one
// JSON object per configuration.
// Usage: bench_model [--device cpu|cuda] [--batch N] [--widths 0.25,1] [--sizes 256x128,512x256]
//                    [--backbones resnet18,resnet34,resnet50] [--iters N] [--mixed-precision]
#include "core/common/Device.h"
#include "core/common/MallocTuning.h"
#include "core/model/MixedPrecision.h"
#include "core/model/MultiTaskLoss.h"
#include "core/train/Optimizer.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

namespace {
std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> parts;
    std::stringstream in(text);
    for (std::string p; std::getline(in, p, ',');) parts.push_back(p);
    return parts;
}

struct Options {
    std::string device = "cpu";
    int batch = 4, iters = 5;
    std::vector<std::string> backbones{"resnet18", "resnet34", "resnet50"};
    std::vector<std::string> widths{"0.25", "1"};
    std::vector<std::string> sizes{"256x128", "512x256"};
    bool mixedPrecision = false;
};

// Five boxes per image, of the sizes street scenes have relative to the image.
std::vector<std::vector<mtl::Box>> sampleBoxes(int batch, int width, int height) {
    std::vector<std::vector<mtl::Box>> boxes(batch);
    const float w = float(width), h = float(height);
    for (auto& image : boxes)
        image = {{0.10f * w, 0.50f * h, 0.25f * w, 0.80f * h, 2}, {0.40f * w, 0.45f * h, 0.47f * w, 0.75f * h, 0},
                 {0.60f * w, 0.55f * h, 0.90f * w, 0.95f * h, 2}, {0.30f * w, 0.60f * h, 0.34f * w, 0.70f * h, 7},
                 {0.70f * w, 0.40f * h, 0.73f * w, 0.52f * h, 1}};
    return boxes;
}

double secondsPerStep(const Options& o, const mtl::ModelSpec& spec, int width, int height) {
    const torch::Device device(o.device);
    mtl::MultiTaskModel model(spec);
    model->to(device);
    auto sgd = mtl::makeSgd(model->parametersForWeightDecay(), 0.001, 0.9, 5e-4);
    const auto images = torch::randn({o.batch, 3, height, width}, device);
    const auto labels = torch::randint(0, spec.segClasses, {o.batch, height, width}, torch::TensorOptions(device).dtype(torch::kLong));
    const auto boxes = mtl::padGroundTruth(sampleBoxes(o.batch, width, height)).to(device);
    const auto hasDet = torch::ones({o.batch}, torch::TensorOptions(device).dtype(torch::kBool));
    auto step = [&] {
        mtl::MultiTaskOutput out;
        {
            mtl::AutocastScope autocast(o.mixedPrecision, device);
            out = model->forward(images);
        }
        auto loss = mtl::multiTaskLosses(*model, out, labels, boxes, hasDet).total();
        sgd->zero_grad();
        loss.backward();
        sgd->step();
        loss.item<double>(); // waits for the device
    };
    step(); // warm-up: allocator, oneDNN / cuDNN kernel choice
    step();
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < o.iters; ++i) step();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / o.iters;
}
} // namespace

int main(int argc, char** argv) {
    mtl::tuneMallocForTraining();
    Options o;
    for (int i = 1; i < argc; ++i) {
        auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
        if (!std::strcmp(argv[i], "--device")) o.device = next();
        else if (!std::strcmp(argv[i], "--batch")) o.batch = std::stoi(next());
        else if (!std::strcmp(argv[i], "--iters")) o.iters = std::stoi(next());
        else if (!std::strcmp(argv[i], "--widths")) o.widths = split(next());
        else if (!std::strcmp(argv[i], "--sizes")) o.sizes = split(next());
        else if (!std::strcmp(argv[i], "--backbones")) o.backbones = split(next());
        else if (!std::strcmp(argv[i], "--mixed-precision")) o.mixedPrecision = true;
        else {
            std::fprintf(stderr, "bench_model: unknown argument '%s' (see the usage in bench/bench_model.cpp)\n", argv[i]);
            return 2;
        }
    }
    o.device = mtl::resolveDevice(o.device);
    mtl::configureTorchThreads(0);
    std::printf("%-9s %6s %9s %6s %12s %10s\n", "backbone", "width", "input", "batch", "s/step", "images/s");
    for (const auto& backbone : o.backbones)
        for (const auto& widthText : o.widths)
            for (const auto& size : o.sizes) {
                int width = 0, height = 0;
                if (std::sscanf(size.c_str(), "%dx%d", &width, &height) != 2) {
                    std::fprintf(stderr, "bench_model: size '%s' is not WIDTHxHEIGHT\n", size.c_str());
                    return 2;
                }
                mtl::ModelSpec spec;
                spec.backbone = mtl::parseBackbone(backbone);
                spec.width = std::stod(widthText);
                const double s = secondsPerStep(o, spec, width, height);
                std::printf("%-9s %6s %9s %6d %12.4f %10.1f\n", backbone.c_str(), widthText.c_str(), size.c_str(),
                            o.batch, s, o.batch / s);
                std::printf("{\"backbone\": \"%s\", \"width\": %s, \"input\": \"%s\", \"batch\": %d, \"device\": \"%s\", "
                            "\"threads\": %d, \"mixed_precision\": %s, \"seconds_per_step\": %.4f}\n",
                            backbone.c_str(), widthText.c_str(), size.c_str(), o.batch, o.device.c_str(),
                            at::get_num_threads(), o.mixedPrecision ? "true" : "false", s);
                std::fflush(stdout);
            }
    return 0;
}
