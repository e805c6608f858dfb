// Throughput of the augmentation engine (weak + strong views of a batch, and the A∘α⁻¹ warp of
// teacher outputs: pseudo-labels as the method uses them, and probabilities) next to the model's training step on the same batch, so that its share of a
// semi-supervised step is known. Batch 16 at the paper's 800 × 800 crop (from 2048 × 1024 sources,
// the Cityscapes size) and at the CPU default 256 × 128 (from 256 × 128 synthetic scenes).
// Prints one JSON object. Usage: bench_augment [--repeats N] [--device cpu|cuda|auto]
#include "core/augment/Augmenter.h"
#include "core/common/Device.h"
#include "core/common/MallocTuning.h"
#include "core/data/CityscapesDataset.h"
#include "core/data/SyntheticCityscapes.h"
#include "core/model/MultiTaskModel.h"
#include "core/train/BatchLoader.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Case {
    int cropWidth, cropHeight, sourceWidth, sourceHeight;
};

// Median seconds of `repeats` runs of f after one warm-up run.
template <typename F>
double medianSeconds(int repeats, F&& f) {
    f();
    std::vector<double> s;
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = Clock::now();
        f();
        s.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    }
    std::sort(s.begin(), s.end());
    return s[s.size() / 2];
}

// 16 samples from 4 distinct synthetic scenes of the source size, packed as the loader does.
mtl::AugmentInput sourceBatch(const Case& c, int batch, const torch::Device& device) {
    std::vector<mtl::Sample> scenes;
    for (int k = 0; k < 4; ++k) {
        const mtl::SynthScene scene = mtl::renderSyntheticScene(c.sourceWidth, c.sourceHeight, 1000 + k);
        mtl::Sample s;
        s.image = scene.rgb;
        s.seg = mtl::labelIdsToTrainIds(scene.labelIds);
        s.boxes = mtl::boxesFromInstanceIds(scene.instanceIds);
        scenes.push_back(s);
    }
    std::vector<const mtl::Sample*> picked;
    for (int i = 0; i < batch; ++i) picked.push_back(&scenes[std::size_t(i % 4)]);
    mtl::AugmentInput in;
    in.images = mtl::packImages(picked).to(device);
    auto seg = torch::empty({batch, c.sourceHeight, c.sourceWidth}, torch::kUInt8);
    for (int i = 0; i < batch; ++i) {
        const cv::Mat& m = picked[std::size_t(i)]->seg;
        for (int y = 0; y < m.rows; ++y) std::memcpy(seg[i][y].data_ptr<uint8_t>(), m.ptr<uint8_t>(y), std::size_t(m.cols));
        in.boxes.push_back(picked[std::size_t(i)]->boxes);
    }
    in.seg = seg.to(device, torch::kLong);
    return in;
}

} // namespace

int main(int argc, char** argv) {
    mtl::tuneMallocForTraining();
    mtl::configureTorchThreads(0);
    int repeats = 5;
    std::string deviceName = "auto";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--repeats")) repeats = std::max(1, std::stoi(argv[i + 1]));
        else if (!std::strcmp(argv[i], "--device")) deviceName = argv[i + 1];
    }
    const torch::Device device(mtl::resolveDevice(deviceName));
    const int batch = 16, segClasses = 19, detClasses = 8;
    const Case cases[] = {{800, 800, 2048, 1024}, {256, 128, 256, 128}};

    std::string json = "{\"device\": \"" + device.str() + "\", \"threads\": " + std::to_string(at::get_num_threads()) +
                       ", \"batch\": " + std::to_string(batch) + ", \"mode\": \"equivariant\", \"cases\": [";
    for (const Case& c : cases) {
        const mtl::AugmentInput in = sourceBatch(c, batch, device);
        mtl::AugmentOptions options;
        options.cropWidth = c.cropWidth;
        options.cropHeight = c.cropHeight;
        const mtl::Augmenter augmenter(options);
        std::uint64_t step = 0;
        mtl::AugmentedBatch views;
        // .item() waits for the device, so that GPU timings are not just kernel launches.
        const double augmentSeconds = medianSeconds(repeats, [&] {
            views = augmenter.augment(in, mtl::augmentSeed(0, step++));
            views.strong.images.sum().item<float>();
        });
        // Teacher targets: the method's pseudo-labels (argmax, at the crop size) and, for
        // comparison, 19-class probabilities at stride 4, both warped to the strong view's size.
        const auto labels = torch::randint(0, segClasses, {batch, c.cropHeight, c.cropWidth},
                                           torch::TensorOptions().device(device).dtype(torch::kLong));
        const double labelSeconds = medianSeconds(repeats, [&] {
            mtl::warpTeacherLabels(views, labels).sum().item<int64_t>();
        });
        const auto probabilities = torch::softmax(
            torch::randn({batch, segClasses, c.cropHeight / 4, c.cropWidth / 4}, torch::TensorOptions().device(device)), 1);
        const double probabilitySeconds = medianSeconds(repeats, [&] {
            mtl::warpTeacherProbabilities(views, probabilities).values.sum().item<float>();
        });

        // The paper's model (ResNet-50, full width): the step augmentation must keep up with.
        mtl::ModelSpec spec;
        spec.segClasses = segClasses;
        spec.detClasses = detClasses;
        mtl::MultiTaskModel model(spec);
        model->to(device);
        model->train();
        const auto images = torch::randn({batch, 3, c.cropHeight, c.cropWidth}, torch::TensorOptions().device(device));
        const int modelRepeats = c.cropWidth * c.cropHeight > 300000 ? 1 : repeats;
        const double stepSeconds = medianSeconds(modelRepeats, [&] {
            model->zero_grad();
            const mtl::MultiTaskOutput out = model->forward(images);
            (out.segLogits.mean() + out.classLogits.mean() + out.boxDeltas.mean()).backward();
            model->parameters().front().grad().sum().item<float>();
        });

        char line[640];
        std::snprintf(line, sizeof line,
                      "%s{\"crop\": \"%dx%d\", \"source\": \"%dx%d\", \"weak_strong_seconds\": %.4f, "
                      "\"images_per_second\": %.1f, \"target_labels_seconds\": %.4f, "
                      "\"target_probabilities_seconds\": %.4f, \"model_step_seconds\": %.4f, "
                      "\"augment_to_step_ratio\": %.4f, \"augment_and_target_to_step_ratio\": %.4f}",
                      &c == cases ? "" : ", ", c.cropWidth, c.cropHeight, c.sourceWidth, c.sourceHeight, augmentSeconds,
                      batch / augmentSeconds, labelSeconds, probabilitySeconds, stepSeconds, augmentSeconds / stepSeconds,
                      (augmentSeconds + labelSeconds) / stepSeconds);
        json += line;
        std::fprintf(stderr, "%dx%d: weak+strong %.1f ms, target labels %.1f ms, target probabilities %.1f ms, "
                     "model step %.1f ms\n", c.cropWidth, c.cropHeight, augmentSeconds * 1e3, labelSeconds * 1e3,
                     probabilitySeconds * 1e3, stepSeconds * 1e3);
    }
    std::printf("%s]}\n", json.c_str());
    return 0;
}
