#include "core/eval/BoxMatching.h"

#include <algorithm>
#include <numeric>

namespace mtl {

std::vector<BoxMatch> matchBoxes(const std::vector<Detection>& predictions, const std::vector<Box>& truth,
                                 double iouThreshold) {
    std::vector<const Box*> targets;
    for (const Box& b : truth)
        if (!b.crowd) targets.push_back(&b);
    std::vector<std::size_t> order(predictions.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return predictions[a].score > predictions[b].score; });
    std::vector<bool> taken(targets.size(), false);
    std::vector<BoxMatch> matches;
    matches.reserve(order.size());
    for (std::size_t i : order) {
        double best = iouThreshold;
        int bestIndex = -1;
        for (std::size_t g = 0; g < targets.size(); ++g) {
            if (taken[g] || targets[g]->cls != predictions[i].box.cls) continue;
            const double v = boxIou(predictions[i].box, *targets[g]);
            if (v >= best) {
                best = v;
                bestIndex = static_cast<int>(g);
            }
        }
        if (bestIndex >= 0) taken[static_cast<std::size_t>(bestIndex)] = true;
        matches.push_back({i, bestIndex >= 0, bestIndex >= 0 ? best : 0.0});
    }
    return matches;
}

BoxMatchCounts matchPseudoBoxes(const std::vector<Detection>& pseudo, const std::vector<Box>& truth,
                                double iouThreshold) {
    BoxMatchCounts c;
    c.predicted = static_cast<std::int64_t>(pseudo.size());
    c.groundTruth = std::count_if(truth.begin(), truth.end(), [](const Box& b) { return !b.crowd; });
    for (const BoxMatch& m : matchBoxes(pseudo, truth, iouThreshold))
        if (m.matched) {
            ++c.truePositives;
            c.matchedIouSum += m.iou;
        }
    return c;
}

} // namespace mtl
