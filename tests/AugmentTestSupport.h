#pragma once
// Shared by the augmentation tests: small tensors from literal values, comparisons with messages.
#include "core/augment/Augmenter.h"
#include "core/common/Error.h"

#include <QtTest>

#include <functional>
#include <sstream>
#include <string>
#include <vector>

// N × C × H × W float tensor from values listed sample by sample, channel by channel, row by row.
inline torch::Tensor imageFrom(const std::vector<double>& values, int64_t n, int64_t c, int64_t h, int64_t w) {
    return torch::tensor(values, torch::kDouble).view({n, c, h, w}).to(torch::kFloat);
}

// Largest absolute difference between a tensor and literal values (flattened in memory order).
inline double maxDifference(const torch::Tensor& t, const std::vector<double>& expected) {
    const auto flat = t.to(torch::kCPU, torch::kDouble).contiguous().view(-1);
    if (flat.numel() != static_cast<int64_t>(expected.size())) return INFINITY;
    return (flat - torch::tensor(expected, torch::kDouble)).abs().max().item<double>();
}

inline QString describe(const torch::Tensor& t) {
    std::ostringstream s;
    s << t.to(torch::kCPU).contiguous().view(-1);
    return QString::fromStdString(s.str());
}

// Message of the InputError thrown by f, or "" when f throws none.
inline std::string inputErrorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const mtl::InputError& e) {
        return e.what();
    }
    return "";
}

// A smooth, non-constant RGB batch (uint8 N × H × W × 3) and matching train-id stripes, so that
// every view has something to move.
inline mtl::AugmentInput patternBatch(int64_t n, int64_t h, int64_t w) {
    auto ys = torch::arange(h).view({1, h, 1, 1}).expand({n, h, w, 3});
    auto xs = torch::arange(w).view({1, 1, w, 1}).expand({n, h, w, 3});
    auto ch = torch::arange(3).view({1, 1, 1, 3}).expand({n, h, w, 3});
    auto sample = torch::arange(n).view({n, 1, 1, 1}).expand({n, h, w, 3});
    mtl::AugmentInput in;
    in.images = ((xs * 3 + ys * 5 + ch * 40 + sample * 17) % 256).to(torch::kUInt8);
    const auto rows = torch::arange(h).view({1, h, 1}).expand({n, h, w});
    const auto cols = torch::arange(w).view({1, 1, w}).expand({n, h, w});
    in.seg = ((torch::div(cols, 8, "floor") + torch::div(rows, 8, "floor")) % 19).to(torch::kLong);
    in.seg.select(2, 0).fill_(255); // an ignore column must stay ignore
    in.boxes.assign(static_cast<std::size_t>(n), {mtl::Box{2, 2, float(w) / 2, float(h) / 2 + 2, 1}});
    return in;
}
