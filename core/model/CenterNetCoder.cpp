#include "core/model/CenterNetCoder.h"

#include <algorithm>
#include <cmath>

namespace mtl {
namespace F = torch::nn::functional;

CenterNetTargets encodeCenterNetTargets(const std::vector<std::vector<Box>>& boxesPerImage,
                                        int numClasses, int outHeight, int outWidth, int stride,
                                        int maxObjects) {
    const int n = static_cast<int>(boxesPerImage.size());
    auto heatmap = torch::zeros({n, numClasses, outHeight, outWidth});
    auto index = torch::zeros({n, maxObjects}, torch::kLong);
    auto shape = torch::zeros({n, maxObjects, 4});
    auto valid = torch::zeros({n, maxObjects});
    auto hm = heatmap.accessor<float, 4>();
    auto idx = index.accessor<int64_t, 2>();
    auto sh = shape.accessor<float, 3>();
    auto va = valid.accessor<float, 2>();

    for (int i = 0; i < n; ++i) {
        int slot = 0;
        for (const Box& b : boxesPerImage[i]) {
            if (slot >= maxObjects || b.cls < 0 || b.cls >= numClasses) continue;
            const float w = b.width() / stride, h = b.height() / stride;
            if (w <= 0 || h <= 0) continue;
            const float cx = 0.5f * (b.x1 + b.x2) / stride, cy = 0.5f * (b.y1 + b.y2) / stride;
            const int x = std::clamp(static_cast<int>(std::floor(cx)), 0, outWidth - 1);
            const int y = std::clamp(static_cast<int>(std::floor(cy)), 0, outHeight - 1);
            // Elliptical Gaussian shaped like the box (TTFNet's choice, alpha 0.54): elongated
            // objects such as pedestrians get elongated peaks.
            const float sx = std::max(0.54f * w / 6.f, 0.4f), sy = std::max(0.54f * h / 6.f, 0.4f);
            const int rx = static_cast<int>(std::ceil(3 * sx)), ry = static_cast<int>(std::ceil(3 * sy));
            for (int yy = std::max(0, y - ry); yy <= std::min(outHeight - 1, y + ry); ++yy)
                for (int xx = std::max(0, x - rx); xx <= std::min(outWidth - 1, x + rx); ++xx) {
                    const float dx = float(xx - x), dy = float(yy - y);
                    const float g = std::exp(-(dx * dx) / (2 * sx * sx) - (dy * dy) / (2 * sy * sy));
                    float& cell = hm[i][b.cls][yy][xx];
                    cell = std::max(cell, g);
                }
            idx[i][slot] = static_cast<int64_t>(y) * outWidth + x;
            sh[i][slot][0] = std::log(w);
            sh[i][slot][1] = std::log(h);
            sh[i][slot][2] = cx - x;
            sh[i][slot][3] = cy - y;
            va[i][slot] = 1;
            ++slot;
        }
    }
    return {heatmap, index, shape, valid};
}

DetectionLoss centerNetLoss(const MultiTaskOutput& out, const CenterNetTargets& targets,
                            const torch::Tensor& labeled) {
    auto zero = torch::zeros({}, out.heatmap.options());
    auto sel = labeled.nonzero().squeeze(1);
    if (sel.numel() == 0) return {zero, zero};

    auto logits = out.heatmap.index_select(0, sel);
    auto target = targets.heatmap.index_select(0, sel);
    auto valid = targets.valid.index_select(0, sel);
    const auto numObjects = torch::clamp_min(valid.sum(), 1.0);

    // CenterNet's penalty-reduced focal loss (alpha 2, beta 4), computed from logits with
    // log-sigmoid for stability.
    auto p = torch::sigmoid(logits);
    auto logP = F::logsigmoid(logits), log1mP = F::logsigmoid(-logits);
    auto isPeak = target.ge(1.0 - 1e-4).to(logits.dtype());
    auto posLoss = -(logP * (1 - p).pow(2) * isPeak);
    auto negLoss = -(log1mP * p.pow(2) * (1 - target).pow(4) * (1 - isPeak));
    auto heatmapLoss = (posLoss.sum() + negLoss.sum()) / numObjects;

    // Shape regression read at each object's centre cell.
    auto shape = out.boxShape.index_select(0, sel).flatten(2);             // n × 4 × hw
    auto index = targets.index.index_select(0, sel).unsqueeze(1).expand({-1, 4, -1}); // n × 4 × M
    auto predicted = shape.gather(2, index).permute({0, 2, 1});            // n × M × 4
    auto wanted = targets.shape.index_select(0, sel);
    auto l1 = (predicted - wanted).abs().sum(2) * valid;
    return {heatmapLoss, l1.sum() / numObjects};
}

std::vector<std::vector<Detection>> decodeCenterNet(const MultiTaskOutput& out, int stride,
                                                    int imageWidth, int imageHeight,
                                                    double scoreThreshold, int maxDets) {
    torch::NoGradGuard noGrad;
    auto prob = torch::sigmoid(out.heatmap);
    auto peaks = F::max_pool2d(prob, F::MaxPool2dFuncOptions(3).stride(1).padding(1));
    prob = prob * prob.eq(peaks).to(prob.dtype());
    const int64_t n = prob.size(0), k = prob.size(1), h = prob.size(2), w = prob.size(3);
    const int64_t topk = std::min<int64_t>(maxDets, k * h * w);
    auto [scores, flat] = prob.reshape({n, -1}).topk(topk, 1);
    scores = scores.to(torch::kCPU);
    flat = flat.to(torch::kCPU);
    auto shape = out.boxShape.to(torch::kCPU, torch::kFloat).contiguous();
    auto sa = scores.accessor<float, 2>();
    auto fa = flat.accessor<int64_t, 2>();
    auto sh = shape.accessor<float, 4>();

    std::vector<std::vector<Detection>> result(n);
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < topk; ++j) {
            if (sa[i][j] < scoreThreshold) break; // sorted descending
            const int64_t cell = fa[i][j] % (h * w);
            const int64_t y = cell / w, x = cell % w;
            const float bw = std::exp(std::min(sh[i][0][y][x], 10.f)) * stride;
            const float bh = std::exp(std::min(sh[i][1][y][x], 10.f)) * stride;
            const float cx = (x + sh[i][2][y][x]) * stride, cy = (y + sh[i][3][y][x]) * stride;
            Detection d;
            d.score = sa[i][j];
            d.box.cls = static_cast<int>(fa[i][j] / (h * w));
            d.box.x1 = std::clamp(cx - bw / 2, 0.f, float(imageWidth));
            d.box.y1 = std::clamp(cy - bh / 2, 0.f, float(imageHeight));
            d.box.x2 = std::clamp(cx + bw / 2, 0.f, float(imageWidth));
            d.box.y2 = std::clamp(cy + bh / 2, 0.f, float(imageHeight));
            if (d.box.width() > 0 && d.box.height() > 0) result[i].push_back(d);
        }
    return result;
}

} // namespace mtl
