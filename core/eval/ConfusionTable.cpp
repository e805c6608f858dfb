#include "core/eval/ConfusionTable.h"

#include "core/common/Error.h"

#include <cstdio>

namespace mtl {

Table confusionTable(const PerImageResults& results, const std::string& runLabel) {
    const std::size_t n = results.segClasses.size();
    if (n == 0 || results.confusion.size() != n * n)
        throw InputError(runLabel + ": its validation kept no segmentation confusion matrix");
    Table t;
    t.caption = "Segmentation confusion of " + runLabel + " at step " + std::to_string(results.step) +
                ": rows are the ground truth, columns the prediction, in % of the row's pixels (rows sum to 100).";
    t.header = {"Ground truth"};
    t.header.insert(t.header.end(), results.segClasses.begin(), results.segClasses.end());
    t.header.push_back("pixels");
    t.labelColumns = 1;
    for (std::size_t g = 0; g < n; ++g) {
        std::int64_t total = 0;
        for (std::size_t p = 0; p < n; ++p) total += results.confusion[g * n + p];
        std::vector<TableCell> row{{results.segClasses[g]}};
        for (std::size_t p = 0; p < n; ++p) {
            if (total == 0) {
                row.push_back({kNoValue});
                continue;
            }
            const double share = double(results.confusion[g * n + p]) / double(total);
            char text[32];
            std::snprintf(text, sizeof text, "%.1f", 100.0 * share);
            TableCell cell{text};
            cell.heat = share;
            row.push_back(cell);
        }
        row.push_back({std::to_string(total)});
        t.rows.push_back(row);
    }
    return t;
}

} // namespace mtl
