#include "core/eval/BoxMatching.h"

#include <algorithm>
#include <numeric>

namespace mtl {

BoxMatchCounts matchPseudoBoxes(const std::vector<Detection>& pseudo, const std::vector<Box>& truth,
                                double iouThreshold) {
    BoxMatchCounts c;
    c.predicted = static_cast<std::int64_t>(pseudo.size());
    std::vector<const Box*> targets;
    for (const Box& b : truth)
        if (!b.crowd) targets.push_back(&b);
    c.groundTruth = static_cast<std::int64_t>(targets.size());
    std::vector<std::size_t> order(pseudo.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return pseudo[a].score > pseudo[b].score; });
    std::vector<bool> taken(targets.size(), false);
    for (std::size_t i : order) {
        double best = iouThreshold;
        int bestIndex = -1;
        for (std::size_t g = 0; g < targets.size(); ++g) {
            if (taken[g] || targets[g]->cls != pseudo[i].box.cls) continue;
            const double v = boxIou(pseudo[i].box, *targets[g]);
            if (v >= best) {
                best = v;
                bestIndex = static_cast<int>(g);
            }
        }
        if (bestIndex >= 0) {
            taken[static_cast<std::size_t>(bestIndex)] = true;
            ++c.truePositives;
            c.matchedIouSum += best;
        }
    }
    return c;
}

} // namespace mtl
