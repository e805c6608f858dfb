#include "core/model/SegmentationLoss.h"

#include "core/common/Error.h"
#include "core/model/Layers.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace mtl {
namespace F = torch::nn::functional;

namespace {

constexpr int64_t kIgnore = 255;
constexpr int64_t kChunkPixels = 4096; // output pixels resized and exponentiated together

// Where output pixel i samples an input axis of `in` cells resized to `out` (align_corners false,
// as ATen computes it): cells i0 and i1 with weights w0 and w1.
struct Tap {
    int64_t i0, i1;
    float w0, w1;
};

std::string shapeText(const torch::Tensor& t) {
    std::string text;
    for (int64_t d : t.sizes()) text += (text.empty() ? "" : " x ") + std::to_string(d);
    return text;
}

std::vector<Tap> tapsFor(int64_t in, int64_t out) {
    std::vector<Tap> taps(static_cast<std::size_t>(out));
    const float scale = float(in) / float(out);
    for (int64_t i = 0; i < out; ++i) {
        const float source = std::max(scale * (float(i) + 0.5f) - 0.5f, 0.f);
        const auto i0 = int64_t(source);
        const float w1 = source - float(i0);
        taps[std::size_t(i)] = {i0, i0 + (i0 < in - 1 ? 1 : 0), 1.f - w1, w1};
    }
    return taps;
}

// One image: the loss summed over its labeled pixels, and (when `grad` is not null) the gradient of
// that sum with respect to its C × h × w logits, accumulated into `grad` (zeroed by the caller).
// The resize is separable: every input row is first resized along x (C × h × W values), then each
// output row blends two of those rows; the gradient goes back the same two ways.
double imageCrossEntropy(const float* logits, const int64_t* labels, int64_t c, int64_t h, int64_t w,
                         const std::vector<Tap>& rows, const std::vector<Tap>& cols, float* grad) {
    const auto width = int64_t(cols.size());
    const auto at = [](std::vector<float>& v, int64_t i) -> float& { return v[static_cast<std::size_t>(i)]; };
    std::vector<float> wide(static_cast<std::size_t>(c * h * width)); // input rows resized along x
    for (int64_t k = 0; k < c * h; ++k) {
        const float* in = logits + k * w;
        float* out = wide.data() + k * width;
        for (int64_t x = 0; x < width; ++x) {
            const Tap& t = cols[static_cast<std::size_t>(x)];
            out[x] = t.w0 * in[t.i0] + t.w1 * in[t.i1];
        }
    }
    std::vector<float> wideGrad(grad ? wide.size() : 0);
    // Output rows in chunks, pixel-major within a class: the chunk's z = C × (rows · W) stays in cache
    // and its exponentials are one call to ATen's vectorised exp.
    const int64_t chunkRows = std::max<int64_t>(1, kChunkPixels / width);
    const int64_t chunkPixels = chunkRows * width;
    std::vector<float> z(static_cast<std::size_t>(c * chunkPixels)), pixelMax(static_cast<std::size_t>(chunkPixels)),
        pixelSum(static_cast<std::size_t>(chunkPixels));
    double loss = 0;
    const auto height = int64_t(rows.size());
    for (int64_t y0 = 0; y0 < height; y0 += chunkRows) {
        const int64_t n = std::min(chunkRows, height - y0), pixels = n * width;
        const int64_t* label = labels + y0 * width;
        if (std::all_of(label, label + pixels, [](int64_t l) { return l == kIgnore; })) continue;
        for (int64_t k = 0; k < c; ++k)
            for (int64_t j = 0; j < n; ++j) {
                const Tap& r = rows[static_cast<std::size_t>(y0 + j)];
                const float *top = wide.data() + (k * h + r.i0) * width, *bottom = wide.data() + (k * h + r.i1) * width;
                float* zk = z.data() + k * chunkPixels + j * width;
                for (int64_t x = 0; x < width; ++x) zk[x] = r.w0 * top[x] + r.w1 * bottom[x];
            }
        std::copy(z.begin(), z.begin() + pixels, pixelMax.begin());
        for (int64_t k = 1; k < c; ++k)
            for (int64_t p = 0; p < pixels; ++p) at(pixelMax, p) = std::max(at(pixelMax, p), at(z, k * chunkPixels + p));
        // −log softmax(z)_l = (max − z_l) + log Σ exp(z − max): the first part before z is exponentiated
        // (exp(z_l − max) may underflow to 0 where its logarithm would not).
        for (int64_t p = 0; p < pixels; ++p)
            if (label[p] != kIgnore) loss += double(at(pixelMax, p)) - double(at(z, label[p] * chunkPixels + p));
        for (int64_t k = 0; k < c; ++k)
            for (int64_t p = 0; p < pixels; ++p) at(z, k * chunkPixels + p) -= at(pixelMax, p);
        torch::from_blob(z.data(), {c * chunkPixels}).exp_(); // z now holds exp(z − max)
        std::fill(pixelSum.begin(), pixelSum.end(), 0.f);
        for (int64_t k = 0; k < c; ++k)
            for (int64_t p = 0; p < pixels; ++p) at(pixelSum, p) += at(z, k * chunkPixels + p);
        for (int64_t p = 0; p < pixels; ++p)
            if (label[p] != kIgnore) loss += double(std::log(at(pixelSum, p)));
        if (!grad) continue;
        // z becomes d loss / d z = softmax − one-hot, 0 on ignored pixels; then goes back to the two rows.
        for (int64_t p = 0; p < pixels; ++p) at(pixelSum, p) = label[p] == kIgnore ? 0.f : 1.f / at(pixelSum, p);
        for (int64_t k = 0; k < c; ++k)
            for (int64_t p = 0; p < pixels; ++p) at(z, k * chunkPixels + p) *= at(pixelSum, p);
        for (int64_t p = 0; p < pixels; ++p)
            if (label[p] != kIgnore) at(z, label[p] * chunkPixels + p) -= 1.f;
        for (int64_t k = 0; k < c; ++k)
            for (int64_t j = 0; j < n; ++j) {
                const Tap& r = rows[static_cast<std::size_t>(y0 + j)];
                float *top = wideGrad.data() + (k * h + r.i0) * width, *bottom = wideGrad.data() + (k * h + r.i1) * width;
                const float* g = z.data() + k * chunkPixels + j * width;
                for (int64_t x = 0; x < width; ++x) {
                    top[x] += r.w0 * g[x];
                    bottom[x] += r.w1 * g[x];
                }
            }
    }
    if (grad)
        for (int64_t k = 0; k < c * h; ++k) {
            const float* in = wideGrad.data() + k * width;
            float* out = grad + k * w;
            for (int64_t x = 0; x < width; ++x) {
                const Tap& t = cols[static_cast<std::size_t>(x)];
                out[t.i0] += t.w0 * in[x];
                out[t.i1] += t.w1 * in[x];
            }
        }
    return loss;
}

class ResizedCrossEntropyFunction : public torch::autograd::Function<ResizedCrossEntropyFunction> {
public:
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& logits,
                                 const torch::Tensor& labels, bool withGrad) {
        const auto x = logits.contiguous();
        const auto y = labels.contiguous();
        const int64_t n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        if (y.dim() != 3 || y.size(0) != n)
            throw Error("segmentation loss: labels of shape " + shapeText(y) + " for logits of shape " + shapeText(x));
        const auto outOfRange = y.ne(kIgnore).logical_and(y.lt(0).logical_or(y.ge(c)));
        if (outOfRange.any().item<bool>())
            throw Error("segmentation loss: label " + std::to_string(y.masked_select(outOfRange)[0].item<int64_t>()) +
                        " is neither a class of the " + std::to_string(c) + " logits nor 255 (ignored)");
        const auto rows = tapsFor(h, y.size(1)), cols = tapsFor(w, y.size(2));
        // The gradient of the sum, computed with the loss (same softmax) and only scaled by backward.
        auto grad = withGrad ? torch::zeros_like(x) : torch::empty({0}, x.options());
        std::vector<double> perImage(static_cast<std::size_t>(n), 0.0);
        const float* xp = x.data_ptr<float>();
        const int64_t* yp = y.data_ptr<int64_t>();
        float* gp = withGrad ? grad.data_ptr<float>() : nullptr;
        const int64_t image = c * h * w, labelImage = y.size(1) * y.size(2);
        // One image per task: images never write to each other's gradient.
        at::parallel_for(0, n, 1, [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i)
                perImage[std::size_t(i)] = imageCrossEntropy(xp + i * image, yp + i * labelImage, c, h, w, rows, cols,
                                                             gp ? gp + i * image : nullptr);
        });
        double total = 0;
        for (double v : perImage) total += v;
        ctx->save_for_backward({grad});
        return torch::tensor(float(total), x.options());
    }

    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list gradOutputs) {
        return {ctx->get_saved_variables()[0] * gradOutputs[0], {}, {}};
    }
};

} // namespace

torch::Tensor resizedCrossEntropySum(const torch::Tensor& logits, const torch::Tensor& labels) {
    if (logits.device().is_cpu() && logits.scalar_type() == torch::kFloat)
        return ResizedCrossEntropyFunction::apply(logits, labels,
                                                  torch::GradMode::is_enabled() && logits.requires_grad());
    auto full = logits.to(torch::kFloat);
    if (full.size(2) != labels.size(1) || full.size(3) != labels.size(2))
        full = resizeBilinear(full, labels.size(1), labels.size(2));
    return F::cross_entropy(full, labels, F::CrossEntropyFuncOptions().ignore_index(kIgnore).reduction(torch::kSum));
}

torch::Tensor segmentationLoss(const torch::Tensor& logits, const torch::Tensor& labels) {
    auto sum = resizedCrossEntropySum(logits.to(torch::kFloat), labels);
    auto count = labels.ne(kIgnore).sum().clamp_min(1).to(sum.dtype());
    return sum / count;
}

} // namespace mtl
