#pragma once
// A validation's segmentation confusion matrix as a table: one row per ground-truth class, the
// percentage of its pixels predicted as each class (rows sum to 100), a "pixels" column with the
// row's count; each cell's heat is its share of the row, which the GUI draws as a heat map. CSV
// export keeps the numbers. Torch-free.
#include "core/eval/PerImageScores.h"
#include "core/eval/TableFormat.h"

namespace mtl {

// InputError when the results hold no confusion matrix (a detection-only model).
Table confusionTable(const PerImageResults& results, const std::string& runLabel);

} // namespace mtl
