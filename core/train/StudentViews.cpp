#include "core/train/StudentViews.h"

namespace mtl {

ViewRows selectViewRows(const std::vector<SampleTasks>& batch, const ViewSelectionRule& rule) {
    ViewRows rows;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const SampleTasks& s = batch[i];
        const bool supervised = (rule.segHead && s.seg) || (rule.detHead && s.det);
        const bool unsupervised =
            rule.luOnAllSamples || (rule.segHead && rule.segLu && !s.seg) || (rule.detHead && rule.detLu && !s.det);
        const auto row = static_cast<std::int64_t>(i);
        if (!rule.usedOnly || supervised) rows.weak.push_back(row);
        if (rule.semiSupervised && (!rule.usedOnly || unsupervised)) rows.strong.push_back(row);
    }
    return rows;
}

} // namespace mtl
