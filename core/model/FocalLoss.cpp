#include "core/model/FocalLoss.h"

#include "core/common/Error.h"

#include <ATen/Parallel.h>

#include <cmath>
#include <string>

namespace mtl {
namespace F = torch::nn::functional;

torch::Tensor sigmoidFocalLoss(const torch::Tensor& logits, const torch::Tensor& targets,
                               const FocalLossOptions& o) {
    auto p = torch::sigmoid(logits);
    auto bce = F::binary_cross_entropy_with_logits(
        logits, targets, F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kNone));
    auto pt = p * targets + (1 - p) * (1 - targets);
    auto alphaT = o.alpha * targets + (1 - o.alpha) * (1 - targets);
    return alphaT * bce * (1 - pt).pow(o.gamma);
}

namespace {

// A background class's loss and its derivative from p = σ(x) and s = softplus(x) = −log(1 − p),
// with q = 1 − p: (1−α)p^γ·s, d/dx = (1−α)p^γ·(p + γ·q·s). A target class's, with softplus(−x) =
// s − x = −log p: α·q^γ·(s − x), d/dx = α·q^γ·(−γ·p·(s − x) − q). No transcendental function is
// left for this pass: p and s come from ATen's vectorised kernels.
inline float powGamma(float v, float gamma) { return gamma == 2.f ? v * v : std::pow(v, gamma); }

constexpr int64_t kAnchorsPerTask = 1024;

class AnchorFocalLossFunction : public torch::autograd::Function<AnchorFocalLossFunction> {
public:
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& logits,
                                 const torch::Tensor& targetClass, const torch::Tensor& weight, double alpha,
                                 double gamma, bool withGrad) {
        const auto x = logits.contiguous();
        const auto t = targetClass.contiguous();
        const auto w = weight.to(torch::kFloat).contiguous();
        const int64_t k = x.size(2), anchors = x.size(0) * x.size(1);
        if (t.sizes() != x.sizes().slice(0, 2) || w.sizes() != t.sizes())
            throw Error("focal loss: per-anchor targets and weights must be N x A for N x A x K logits");
        if (t.numel() > 0 && t.max().item<int64_t>() >= k)
            throw Error("focal loss: target class " + std::to_string(t.max().item<int64_t>()) + " of " +
                        std::to_string(k) + " classes");
        auto out = torch::empty({x.size(0), x.size(1)}, x.options());
        // d loss / d logit, weighted, computed here from the loss's own p and s and kept for the
        // backward pass (which then only scales it); not computed when nothing will call backward.
        auto grad = withGrad ? torch::empty_like(x) : torch::empty({0}, x.options());
        const float *xp = x.data_ptr<float>(), *wp = w.data_ptr<float>();
        const int64_t* tp = t.data_ptr<int64_t>();
        float *op = out.data_ptr<float>(), *gp = grad.data_ptr<float>();
        const auto a = float(alpha), g = float(gamma);
        const auto probabilities = torch::sigmoid(x), softplus = F::softplus(x);
        const float *pp = probabilities.data_ptr<float>(), *sp = softplus.data_ptr<float>();
        at::parallel_for(0, anchors, kAnchorsPerTask, [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i) {
                const float wi = wp[i];
                float* gi = withGrad ? gp + i * k : nullptr;
                if (wi == 0.f) {
                    op[i] = 0.f;
                    if (gi) std::fill(gi, gi + k, 0.f);
                    continue;
                }
                const float *pi = pp + i * k, *si = sp + i * k;
                float sum = 0;
                for (int64_t c = 0; c < k; ++c) {
                    const float p = pi[c], q = 1.f - p, m = (1.f - a) * powGamma(p, g);
                    sum += m * si[c];
                    if (gi) gi[c] = wi * m * (p + g * q * si[c]);
                }
                if (const int64_t c = tp[i]; c >= 0) {
                    const float p = pi[c], q = 1.f - p, m = a * powGamma(q, g), s = si[c] - xp[i * k + c];
                    sum += m * s - (1.f - a) * powGamma(p, g) * si[c];
                    if (gi) gi[c] = wi * m * (-g * p * s - q);
                }
                op[i] = wi * sum;
            }
        });
        ctx->save_for_backward({grad});
        return out;
    }

    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list gradOutputs) {
        const auto grad = ctx->get_saved_variables()[0];
        return {grad * gradOutputs[0].unsqueeze(2), {}, {}, {}, {}, {}};
    }
};

} // namespace

torch::Tensor anchorFocalLoss(const torch::Tensor& logits, const torch::Tensor& targetClass,
                              const torch::Tensor& weight, const FocalLossOptions& options) {
    if (logits.device().is_cpu() && logits.scalar_type() == torch::kFloat)
        return AnchorFocalLossFunction::apply(logits, targetClass, weight, options.alpha, options.gamma,
                                              torch::GradMode::is_enabled() && logits.requires_grad());
    // Elsewhere (a GPU fuses less of this into memory traffic) the definition, through autograd.
    const auto targets = F::one_hot(targetClass.clamp_min(0), logits.size(2)).to(logits.scalar_type()) *
                         targetClass.ge(0).unsqueeze(2).to(logits.scalar_type());
    return sigmoidFocalLoss(logits, targets, options).sum(2) * weight.to(logits.scalar_type());
}

} // namespace mtl
